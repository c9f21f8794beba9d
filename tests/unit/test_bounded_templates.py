"""Bounded rendering of user-written bodies (messaging/bounded.py): each construct that could build a huge value or
run long in one step stops at its bound, within the fence's memory and time; ordinary bodies render as in Jinja's
own sandbox. The fence (tests/support/guard.py) turns a regression into a quick failure, not a swapped machine."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from chalicelib.messaging import templates
from chalicelib.messaging.bounded import DEFAULT, Budget, Limits, RenderLimitExceeded, render
from chalicelib.settings import reset_settings
from tests.support.guard import fenced

CONTEXT: dict[str, Any] = {
    "contact": {
        "civility": "M",
        "civility_long": "Monsieur",
        "first_name": "Jean",
        "last_name": "Dupont",
        "organisation_name": "ACME",
    },
    "tenant": {"name": "Ville-Démo"},
    "sender": {"name": "Claire Martin", "function": "Maire"},
    "date": "2 janvier 2027",
}
MAP = "range(9000)|map('center', 100000)"  # lazy: each item is 100 KB, all of them 900 MB


def _bound(body: str, limits: Limits = DEFAULT) -> str:
    with fenced(seconds=15, extra_bytes=256 << 20), pytest.raises(RenderLimitExceeded) as raised:
        render(body, CONTEXT, limits)
    return raised.value.bound


@pytest.mark.parametrize(
    ("body", "bound"),
    [
        # Loops, and the loops written without `for`.
        ("{% for a in range(100000) %}{% for b in range(100000) %}{{ a ~ b }}{% endfor %}{% endfor %}", "iterations"),
        ("{% for a in range(200) %}{% for b in range(60) %}{% endfor %}{% endfor %}", "iterations"),
        ("{% for a in range(6000) %}{% endfor %}{% for a in range(6000) %}{% endfor %}", "iterations"),
        ("{% for c in 'x' * 150000 %}{% endfor %}", "iterations"),
        ("{{ range(10 ** 30) }}", "iterations"),
        ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}", "iterations"),
        (
            "{% macro f(n) %}{% for i in range(n) %}{{ caller() }}{% endfor %}{% endmacro %}"
            "{% call f(5000) %}{% call f(5000) %}x{% endcall %}{% endcall %}",
            "iterations",
        ),
        ("{% for x in [1] recursive %}{{ loop(range(9000)) }}{% endfor %}", "depth"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "depth"),
        ("{{ " + "[" * 60 + "1" + "]" * 60 + " }}", "depth"),
        ("{% for a in [1] %}" * 21 + "{% endfor %}" * 21, "depth"),  # past Python's 20 nested blocks
        # Text, written or built.
        ("{% for i in range(3000) %}{{ 'Lorem ipsum dolor sit amet. ' * 3 }}{% endfor %}", "output"),
        ("{% for i in range(3000) %}" + "Lorem ipsum dolor sit amet. " * 3 + "{% endfor %}", "output"),
        ("{% for i in range(9000) %}" + "{{ '' }}" * 30 + "{% endfor %}", "output"),  # empty pieces count too
        ("{{ 'é' * 100001 }}", "output"),  # 200,002 bytes in UTF-8
        ("{% set a %}{% for i in range(9000) %}{{ '.' * 30 }}{% endfor %}{% endset %}", "output"),
        ("{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}{{ d(d(d(d(d(d(d(d(d(d('x' * 300)))))))))) }}", "output"),
        ("{% set x %}{% autoescape true %}{{ '<' * 150000 }}{% endautoescape %}{% endset %}", "output"),
        # Operators, sized before they compute.
        ("{{ 'x' * 10 ** 7 }}", "output"),
        ("{{ ['x' * 1000] * 300 }}", "output"),
        ("{{ (range(9000)|list) * 30 }}", "output"),
        ("{{ 'x' * 150000 + 'y' * 150000 }}", "output"),
        ("{% set a = 'x' * 150000 %}{% set b = a ~ a %}", "output"),
        ("{{ '%300000s' % 'x' }}", "output"),
        ("{{ '%.300000f' % 1.5 }}", "output"),
        ("{{ '%*s' % (300000, 'x') }}", "output"),
        ("{{ '%s%s' % ('x' * 150000, 'y' * 150000) }}", "output"),
        ("{{ 10 ** (10 ** 10) }}", "number"),
        ("{{ 2 ** 14300 }}", "number"),
        ("{{ ('9' * 4000)|int * ('9' * 4000)|int }}", "number"),
        # Literals sharing a big value: printing or comparing them walks every copy.
        ("{% set a = 'x' * 100000 %}{% set b = [a, a, a] %}", "output"),
        ("{{ {'a': 'x' * 100000, 'b': 'y' * 100000} }}", "output"),
        ("{% set n = namespace(a=['x']) %}{% for i in range(40) %}{% set n.a = [n.a, n.a] %}{% endfor %}", "output"),
        ("{{ namespace(a='x' * 150000, b='y' * 150000) }}", "output"),
        # str.format and its widths.
        ("{{ '{:>300000}'.format('x') }}", "output"),
        ("{{ '{:{}}'.format('x', 300000) }}", "output"),
        ("{{ '{0}{0}{0}{0}'.format('x' * 60000) }}", "output"),
        ("{{ '{a:>300000}'.format_map({'a': 1}) }}", "output"),
        ("{{ 'ab'.replace('', 'x' * 100000) }}", "output"),
        # Filters, sized before they compute, or stopped as they go.
        ("{{ 'x'|center(10 ** 8) }}", "output"),
        ("{{ 'x'|center(width=300000) }}", "output"),
        ("{{ ('a\n' * 5000)|indent(width=60) }}", "output"),
        ("{{ 'x'|indent(10 ** 9, true) }}", "output"),
        ("{{ ('a b ' * 5000)|wordwrap(1, wrapstring='-' * 30) }}", "output"),
        ("{{ ('a ' * 60000)|wordwrap(1) }}", "output"),
        ("{{ 'abc'|replace('', 'x' * 100000) }}", "output"),
        ("{{ '%300000s'|format('x') }}", "output"),
        ("{{ range(9000)|map('string')|join(' ' * 30) }}", "output"),
        (f"{{{{ {MAP}|join|length }}}}", "output"),
        (f"{{{{ {MAP}|list|length }}}}", "output"),
        (f"{{{{ {MAP}|sort|first }}}}", "output"),
        (f"{{{{ {MAP}|unique|list|length }}}}", "output"),
        (f"{{{{ cycler(*{MAP}) }}}}", "output"),
        (f"{{{{ 'x'|format(*{MAP}) }}}}", "output"),
        ("{{ ('x' * 199000)|list|length }}", "output"),
    ],
)
def test_a_hostile_body_stops_at_its_bound(body: str, bound: str) -> None:
    # The time bound is out of the way (its own test is below): on a loaded machine, a body that the output bound
    # stops in a second could otherwise meet the 2 s first, and the bound under test would not be the one met.
    assert _bound(body, dataclasses.replace(DEFAULT, seconds=12)) == bound


def test_a_slow_body_stops_at_the_time_bound() -> None:
    slow = "{% for i in range(9000) %}{% set s = range(9000)|list|sort|join(',') %}{% endfor %}"  # ~20 s unbounded
    assert _bound(slow, Limits(seconds=0.05)) == "seconds"


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x'.center(10 ** 9) }}",
        "{{ 'x'.ljust(10 ** 9) }}",
        "{{ 'x'.zfill(10 ** 9) }}",
        "{{ ('\t' * 1000).expandtabs(1000) }}",
        "{{ 'x'.translate({120: 'y' * 100}) }}",
        "{{ ''.join(['a']) }}",
        "{{ 'x'.encode() }}",
        "{{ (1).to_bytes(10 ** 9, 'big') }}",
        "{{ {}.fromkeys(range(9000), 'x') }}",
        "{{ lipsum(100000) }}",
        "{{ dict(a=1) }}",
        "{{ 'x'|tojson(indent=10 ** 9) }}",
        "{{ [1]|batch(10 ** 9, 'x')|list }}",
        "{{ [1]|slice(10 ** 9)|list }}",
        "{{ ('<' * 100000)|striptags }}",
        "{{ [1]|pprint }}",
        "{{ [1]|sum(start=[]) }}",
        "{{ 'abc'|truncate(1) }}",
        "{{ contact.__class__ }}",
    ],
)
def test_what_could_blow_up_is_not_offered(body: str) -> None:
    with fenced(seconds=15, extra_bytes=256 << 20), pytest.raises((TemplateError, TypeError, ValueError)) as raised:
        render(body, CONTEXT)
    assert not isinstance(raised.value, RenderLimitExceeded)


ORDINARY = [
    "Bonjour {{ contact.first_name }} {{ contact.last_name|upper }},\n\n{{ tenant.name }}, le {{ date }}.",
    "{% if contact.civility == 'M' %}Monsieur{% else %}Madame{% endif %} {{ contact.last_name|title }}",
    "{% for i in range(3) %}{{ loop.index }}{% if not loop.last %}, {% endif %}{% endfor %}",
    "{% for k, v in contact|dictsort %}{{ k }}={{ v }};{% endfor %}{% for x in [] %}{% else %}rien{% endfor %}",
    "{% macro signe(n) %}— {{ n }}{% endmacro %}{{ signe(sender.name) }}{% set x %}a{{ 1 }}b{% endset %}{{ x }}",
    "{{ '%s, %05.1f %%' % (tenant.name, 3.14159) }} {{ '{:>8}|{:<4}|{:^6}'.format('a', 'b', 'c') }}",
    "{{ 'a' ~ 1 ~ [2] }} {{ [1, 2] + [3] }} {{ 'ab' * 3 }} {{ 2 ** 10 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 1 / 4 }}",
    "{{ ['b', 'a', 'c']|sort|join('-') }} {{ [3, 1, 2]|max }} {{ [1, 2, 3]|sum }} {{ 'abcabc'|replace('b', 'x') }}",
    "{{ ' x '|trim|center(5) }}|{{ 'a\nb'|indent(2, true) }}|{{ 'un deux trois'|wordwrap(4) }}|{{ 'x'|truncate(9) }}",
    "{{ range(5)|map('string')|list }} {{ range(6)|select('odd')|list }} {{ [1, 1, 2]|unique|list|length }}",
    "{{ 'Bonjour'.startswith('Bon') }} {{ 'a,b'.split(',') }} {{ contact.get('first_name') }} {{ 'x'.upper() }}",
    "{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}",
    "{{ '%s' % 'é' * 3 }} {{ 'Hôtel de Ville'|wordcount }} {{ -3|abs }} {{ 2.567|round(1) }} {{ '42'|int + 1 }}",
]


@pytest.mark.parametrize("body", ORDINARY + [templates.letter_source(n) or "" for n in templates.letter_templates()])
def test_ordinary_bodies_render_as_in_jinjas_sandbox(body: str) -> None:
    plain = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    assert render(body, CONTEXT) == plain.from_string(body).render(CONTEXT)


def test_output_is_counted_in_utf8_bytes_up_to_the_bound() -> None:
    assert len(render("{{ 'x' * 200000 }}", CONTEXT)) == 200_000
    assert len(render("{{ 'é' * 100000 }}", CONTEXT)) == 100_000  # 200,000 bytes
    assert _bound("{{ 'x' * 200000 }}{{ 'x' }}") == "output"


def test_a_breach_says_which_bound_in_french() -> None:
    def message(bound: str, limits: Limits = DEFAULT) -> str:
        budget = Budget(limits)
        return budget.fail(bound).message  # type: ignore[arg-type]

    assert message("output") == "Le modèle produit plus de 200 Ko de texte."
    assert message("iterations") == "Le modèle fait plus de 10\u202f000 tours de boucle ou appels de macro."
    assert message("seconds") == "Le rendu du modèle dépasse 2 secondes."
    assert message("seconds", Limits(seconds=0.05)) == "Le rendu du modèle dépasse 0,05 seconde."
    assert message("number") == "Le modèle calcule un nombre de plus de 4\u202f300 chiffres."


def test_a_breach_is_kept_so_a_swallowed_one_surfaces_at_the_next_step() -> None:
    budget = Budget(DEFAULT)
    first = budget.fail("output")
    assert budget.fail("iterations") is first
    with pytest.raises(RenderLimitExceeded) as raised:
        budget.clock()
    assert raised.value is first


def test_the_bounds_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGORA_TEMPLATE_MAX_OUTPUT_BYTES", "1000")
    monkeypatch.setenv("AGORA_TEMPLATE_MAX_ITERATIONS", "5")
    monkeypatch.setenv("AGORA_TEMPLATE_MAX_SECONDS", "0.5")
    reset_settings()
    try:
        assert templates.limits() == Limits(output_bytes=1000, iterations=5, seconds=0.5)
        with pytest.raises(RenderLimitExceeded, match="plus de 5 tours"):
            templates.render("{% for i in range(6) %}{% endfor %}", CONTEXT)
        with pytest.raises(RenderLimitExceeded, match="plus de 1 Ko"):
            templates.render("{{ 'x' * 1001 }}", CONTEXT)
    finally:
        monkeypatch.undo()
        reset_settings()
    assert templates.limits() == DEFAULT


def test_a_body_nested_past_the_parser_is_reported_not_raised() -> None:
    checked = templates.check("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", frozenset())
    assert checked.error is not None and "imbrications" in checked.error
    assert templates.check("{{ " + "9" * 5000 + " }}", frozenset()).error is not None
