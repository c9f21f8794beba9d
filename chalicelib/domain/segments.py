"""Segments: a named filter over a tenant's contacts, written as JSON, parsed once, evaluated in pure code.

    {"and": [{"tag": "riverain"}, {"not": {"consent": "email"}}]}

Combinators `and`, `or` (lists) and `not`; conditions on the contact (`tag`, `kind`, `postcode`, `commune`, a
custom `field`), on its mandates (`function`, optionally `active`), on what it may receive (`consent`: sendable on
that channel under the tenant's rule), on its engagement (`opened_within_days`), attendance (`attended_series`)
and answers (`consultation`, with `answered`).
At most MAX_DEPTH levels and MAX_CONDITIONS conditions, so that a filter costs a bounded amount per contact.
Parsing reports every error with its path (`filter.and[2].colour`), in French, as the API shows them.

Evaluation reads only `Facts` the service gathered in Query pages; `needs` says which facts a filter reads, so
that a segment on tags never loads a mandate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.consent import CHANNELS, may_send
from chalicelib.domain.custom_fields import NAME_PATTERN
from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.text import fold, slug

MAX_DEPTH = 5
MAX_CONDITIONS = 50
MAX_IN_VALUES = 100
MAX_TEXT = 200
MAX_DAYS = 3650
KINDS = ("person", "organisation")
FIELD_OPS = ("eq", "in", "lt", "gt", "empty")
_POSTCODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_REF = re.compile(r"^[0-9A-Za-z]{1,64}$")

# A condition is one object with one leading key; the companions a leading key accepts.
LEADING_KEYS = (
    "and",
    "or",
    "not",
    "tag",
    "kind",
    "postcode",
    "commune",
    "function",
    "field",
    "consent",
    "opened_within_days",
    "attended_series",
    "consultation",
)
COMPANIONS: dict[str, tuple[str, ...]] = {
    "function": ("active",),
    "field": ("op", "value"),
    "consultation": ("answered",),
}

# What a filter may read beyond the contact record itself.
NEEDS_OF = {
    "function": "mandates",
    "consent": "consents",
    "opened_within_days": "engagement",
    "attended_series": "attendance",
    "consultation": "consultations",
}


# --- the parsed filter ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class Condition:
    """A leaf: `key` is its leading key, `value` its (normalised) value, `options` its companions."""

    key: str
    value: Any
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)


Node = AllOf | AnyOf | Not | Condition


class SegmentError(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass
class _Parser:
    errors: list[dict[str, str]] = field(default_factory=list)
    conditions: int = 0

    def fail(self, path: str, message: str) -> None:
        if len(self.errors) < 50:  # a hostile filter gets a readable answer, not a megabyte of errors
            self.errors.append({"field": path, "message": message})

    def node(self, raw: Any, path: str, depth: int) -> Node | None:
        if depth > MAX_DEPTH:
            self.fail(path, f"Filtre trop imbriqué : au plus {MAX_DEPTH} niveaux.")
            return None
        if not isinstance(raw, dict) or not raw:
            self.fail(path, 'Une condition est un objet JSON non vide, par exemple {"tag": "riverain"}.')
            return None
        leading = [k for k in raw if k in LEADING_KEYS]
        if len(leading) != 1:
            known = ", ".join(LEADING_KEYS)
            if not leading:
                unknown = next(iter(raw))
                self.fail(f"{path}.{unknown}", f"Clé inconnue « {unknown} » ; clés possibles : {known}.")
            else:
                self.fail(path, f"Une seule condition par objet ({', '.join(leading)}) : combinez-les avec « and ».")
            return None
        key = leading[0]
        for other in raw:
            if other != key and other not in COMPANIONS.get(key, ()):
                allowed = ", ".join(COMPANIONS.get(key, ())) or "aucune"
                self.fail(f"{path}.{other}", f"Clé inconnue « {other} » avec « {key} » ; clés possibles : {allowed}.")
        if key in ("and", "or"):
            return self.combination(key, raw[key], f"{path}.{key}", depth)
        if key == "not":
            inner = self.node(raw["not"], f"{path}.not", depth + 1)
            return Not(inner) if inner is not None else None
        self.conditions += 1
        if self.conditions == MAX_CONDITIONS + 1:
            self.fail(path, f"Trop de conditions : au plus {MAX_CONDITIONS}.")
        return self.leaf(key, raw, f"{path}.{key}")

    def combination(self, key: str, raw: Any, path: str, depth: int) -> Node | None:
        if not isinstance(raw, list) or not raw:
            self.fail(path, f"« {key} » attend une liste non vide de conditions.")
            return None
        items = [self.node(item, f"{path}[{n}]", depth + 1) for n, item in enumerate(raw)]
        kept = tuple(i for i in items if i is not None)
        if len(kept) != len(items):
            return None
        return AllOf(kept) if key == "and" else AnyOf(kept)

    def leaf(self, key: str, raw: Mapping[str, Any], path: str) -> Condition | None:
        value = raw[key]
        if key == "tag":
            text = self.text(value, path)
            return Condition(key, slug(text)) if text else None
        if key == "kind":
            return Condition(key, value) if self.one_of(value, KINDS, path) else None
        if key == "postcode":
            return Condition(key, value) if self.pattern(value, _POSTCODE, path, "Code postal à 5 chiffres.") else None
        if key == "commune":
            ok = self.pattern(value, _INSEE, path, "Code INSEE de commune (5 caractères, 2A/2B en Corse).")
            return Condition(key, value) if ok else None
        if key == "consent":
            return Condition(key, value) if self.one_of(value, CHANNELS, path) else None
        if key == "opened_within_days":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
                self.fail(path, f"Nombre de jours entier entre 1 et {MAX_DAYS}.")
                return None
            return Condition(key, value)
        if key == "attended_series":
            text = self.text(value, path)
            return Condition(key, fold(text)) if text else None
        if key in ("function", "consultation", "field"):
            return {"function": self.function, "consultation": self.consultation}.get(key, self.custom_field)(raw, path)
        return None

    def consultation(self, raw: Mapping[str, Any], path: str) -> Condition | None:
        """Who answered a consultation through their personal link (`answered`, default true): reminders go to
        `{"consultation": id, "answered": false}`."""
        ref = raw["consultation"]
        if not isinstance(ref, str) or not _REF.match(ref):
            self.fail(path, "Identifiant de consultation attendu (voir GET /consultations).")
            return None
        answered = raw.get("answered", True)
        if not isinstance(answered, bool):
            self.fail(path.rsplit(".", 1)[0] + ".answered", "« answered » vaut true ou false.")
            return None
        return Condition("consultation", ref, (("answered", answered),))

    def function(self, raw: Mapping[str, Any], path: str) -> Condition | None:
        code = raw["function"]
        if not isinstance(code, str) or code not in FUNCTIONS:
            self.fail(path, "Fonction inconnue : voir GET /protocol/functions.")
            return None
        active = raw.get("active")
        if active is not None and not isinstance(active, bool):
            self.fail(path.rsplit(".", 1)[0] + ".active", "« active » vaut true ou false.")
            return None
        return Condition("function", code, (("active", active),))

    def custom_field(self, raw: Mapping[str, Any], path: str) -> Condition | None:
        base = path.rsplit(".", 1)[0]
        name = raw["field"]
        if not isinstance(name, str) or not name.startswith("custom.") or not NAME_PATTERN.match(name[7:]):
            self.fail(path, "Champ personnalisé attendu sous la forme « custom.<nom> » (voir GET /fields).")
            return None
        op = raw.get("op", "eq")
        if op not in FIELD_OPS:
            self.fail(f"{base}.op", f"Opérateur inconnu ; opérateurs possibles : {', '.join(FIELD_OPS)}.")
            return None
        value = raw.get("value")
        if op == "empty":
            if value is not None and not isinstance(value, bool):
                self.fail(f"{base}.value", "Avec « empty », value vaut true (vide) ou false (renseigné).")
                return None
            value = True if value is None else value
        elif op == "in":
            if not isinstance(value, list) or not 1 <= len(value) <= MAX_IN_VALUES or not all(map(_scalar, value)):
                self.fail(f"{base}.value", f"Avec « in », une liste de 1 à {MAX_IN_VALUES} valeurs simples.")
                return None
            value = tuple(value)
        elif not _scalar(value) or value is None:
            self.fail(f"{base}.value", "Valeur simple attendue (texte, nombre, date ISO ou booléen).")
            return None
        return Condition("field", name[7:], (("op", op), ("value", value)))

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            self.fail(path, f"Texte non vide de {MAX_TEXT} caractères au plus.")
            return None
        return value

    def one_of(self, value: Any, allowed: Sequence[str], path: str) -> bool:
        if value not in allowed:
            self.fail(path, f"Valeur inconnue ; valeurs possibles : {', '.join(allowed)}.")
            return False
        return True

    def pattern(self, value: Any, pattern: re.Pattern[str], path: str, message: str) -> bool:
        if not isinstance(value, str) or not pattern.match(value):
            self.fail(path, message)
            return False
        return True


def _scalar(value: Any) -> bool:
    return value is None or (
        isinstance(value, str | int | float | bool) and (not isinstance(value, str) or len(value) <= MAX_TEXT)
    )


def parse(raw: Any, path: str = "filter") -> Node:
    """The filter as a tree; SegmentError with every problem found (path and French message) otherwise."""
    parser = _Parser()
    node = parser.node(raw, path, 1)
    if parser.errors or node is None:
        raise SegmentError(parser.errors or [{"field": path, "message": "Filtre invalide."}])
    return node


def needs(node: Node) -> frozenset[str]:
    """The facts beyond the contact record a filter reads: mandates, consents, engagement, attendance."""
    if isinstance(node, AllOf | AnyOf):
        return frozenset().union(*(needs(i) for i in node.items))
    if isinstance(node, Not):
        return needs(node.item)
    return frozenset({NEEDS_OF[node.key]}) if node.key in NEEDS_OF else frozenset()


# --- evaluation -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldFunction:
    function: str
    start: date | None = None
    end: date | None = None

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Facts:
    """What evaluation may read about one contact: its record, and the facts `needs` asked the service for."""

    contact: Mapping[str, Any]
    tenant_kind: str
    today: date
    functions: tuple[HeldFunction, ...] = ()
    consents: Mapping[str, str] = field(default_factory=dict)  # channel → status
    last_opened_on: date | None = None
    attended_series: frozenset[str] = frozenset()  # folded series names
    answered_consultations: frozenset[str] = frozenset()  # ids of the consultations it answered


def matches(node: Node, facts: Facts) -> bool:
    if isinstance(node, AllOf):
        return all(matches(i, facts) for i in node.items)
    if isinstance(node, AnyOf):
        return any(matches(i, facts) for i in node.items)
    if isinstance(node, Not):
        return not matches(node.item, facts)
    return _CHECKS[node.key](node, facts)


def _tag(c: Condition, f: Facts) -> bool:
    return any(slug(t) == c.value for t in f.contact.get("tags") or [])


def _address(f: Facts) -> Mapping[str, Any]:
    return f.contact.get("address") or {}


def _function(c: Condition, f: Facts) -> bool:
    active = c.option("active")
    return any(h.function == c.value and (active is None or h.active_on(f.today) == active) for h in f.functions)


def _field(c: Condition, f: Facts) -> bool:
    value = (f.contact.get("custom") or {}).get(c.value)
    op, wanted = c.option("op"), c.option("value")
    if op == "empty":
        return bool((value in (None, "", [])) == wanted)
    if op == "eq":
        return bool(value == wanted) and type(value) is type(wanted)
    if op == "in":
        return any(value == w and type(value) is type(w) for w in wanted)
    comparable = (isinstance(value, str) and isinstance(wanted, str)) or (_number(value) and _number(wanted))
    if not comparable:
        return False
    return bool(value < wanted) if op == "lt" else bool(value > wanted)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _opened(c: Condition, f: Facts) -> bool:
    return f.last_opened_on is not None and f.last_opened_on >= f.today - timedelta(days=c.value)


_CHECKS: dict[str, Callable[[Condition, Facts], bool]] = {
    "tag": _tag,
    "kind": lambda c, f: f.contact.get("kind") == c.value,
    "postcode": lambda c, f: _address(f).get("postcode") == c.value,
    "commune": lambda c, f: _address(f).get("insee_code") == c.value,
    "function": _function,
    "field": _field,
    "consent": lambda c, f: may_send(f.tenant_kind, c.value, f.consents.get(c.value)),
    "opened_within_days": _opened,
    "attended_series": lambda c, f: c.value in f.attended_series,
    "consultation": lambda c, f: (c.value in f.answered_consultations) == c.option("answered"),
}
