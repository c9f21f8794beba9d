"""Rendering user-written Jinja2 templates within bounds of output, loop iterations and time.

Jinja2's sandbox keeps a template away from Python's internals, not from the server's memory and CPU: three nested
``range(100000)`` loops in a 121-character letter body grew a local server to 11.6 GB in a minute. Here every step
a template can take is bounded, cooperatively (handlers run in threads locally, where no signal can stop a render):

- ``for`` loops, recursive ``loop()`` calls and macro calls count against ``Limits.iterations`` and read the clock;
- no step builds a value bigger than ``Limits.output_bytes``, measured *before* the steps that multiply (``*``,
  ``**``, ``+``, ``%``, ``~``, widths and repeats of filters and ``str.format``): strings by length, numbers by digits,
  lists and dicts by everything they hold (a part shared twice counts twice, as printing it would);
- only filters, globals and methods that are safe or made safe here are offered (an allow-list);
- everything the template writes, captured blocks and macros included, counts against ``Limits.output_bytes`` (in
  UTF-8 bytes), and the document is streamed with ``generate()``.

The clock is read between steps and a step handles at most ``Limits.output_bytes`` of data, so a render overruns
``Limits.seconds`` by one step at most (a few tenths of a second: sorting 100,000 items). The clock starts once the
template is compiled; compiling is bounded by the body's length, and evaluates nothing (no constant folding).
"""

from __future__ import annotations

import math
import re
import time
import types
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from typing import Any, Literal, TypeVar, cast

from jinja2 import StrictUndefined, Template, nodes, pass_context, pass_environment
from jinja2.filters import FILTERS, make_attrgetter
from jinja2.runtime import BlockReference, Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SandboxedFormatter
from jinja2.utils import Cycler, Joiner, Namespace
from jinja2.visitor import NodeTransformer

Bound = Literal["output", "iterations", "seconds", "depth", "number"]
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The bounds of one render (one document)."""

    output_bytes: int = 200_000  # text written, in UTF-8 bytes; also the largest value a step may build
    iterations: int = 10_000  # loop iterations and macro calls, all of the render's loops together
    seconds: float = 2.0
    depth: int = 50  # nesting of macro calls, recursive loops, and lists or dicts


DEFAULT = Limits()


def _fr(value: float) -> str:
    """« 10 000 », « 0,05 »: French digit grouping (narrow no-break space) and decimal comma."""
    return f"{value:,.3f}".rstrip("0").rstrip(".").translate({ord(","): "\u202f", ord("."): ","})


_MESSAGES: dict[Bound, Callable[[Limits], str]] = {
    "output": lambda lim: f"Le modèle produit plus de {_fr(lim.output_bytes / 1000)} Ko de texte.",
    "iterations": lambda lim: f"Le modèle fait plus de {_fr(lim.iterations)} tours de boucle ou appels de macro.",
    "seconds": lambda lim: f"Le rendu du modèle dépasse {_fr(lim.seconds)} seconde{'s' if lim.seconds >= 2 else ''}.",
    "depth": lambda lim: "Le modèle est trop imbriqué (macros, boucles ou listes).",
    "number": lambda lim: f"Le modèle calcule un nombre de plus de {_fr(MAX_DIGITS)} chiffres.",
}


class RenderLimitExceeded(ValueError):
    """A template went over one of its `Limits`: the same template breaks it again, so it is the template's fault."""

    def __init__(self, bound: Bound, limits: Limits) -> None:
        self.bound = bound
        self.message = _MESSAGES[bound](limits)
        super().__init__(self.message)


def utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


# The longest number Python prints (sys.get_int_max_str_digits()): computing a longer one is only a way to spend CPU,
# dividing two numbers of 100,000 digits takes half a second in a single step.
MAX_DIGITS = 4300


def _digits(number: int) -> int:
    return abs(number).bit_length() * 30103 // 100000 + 1  # log10(2) ≈ 0.30103


_SEQUENCES: tuple[type, ...] = (
    list,
    tuple,
    set,
    frozenset,
    deque,
    type({}.keys()),
    type({}.values()),
    type({}.items()),
)


class Budget:
    """What one render has spent. The first breach is kept: if template code swallowed it, the next step raises."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.iterations = 0
        self.written = 0
        self.depth = 0
        self.breach: RenderLimitExceeded | None = None

    def fail(self, bound: Bound) -> RenderLimitExceeded:
        if self.breach is None:
            self.breach = RenderLimitExceeded(bound, self.limits)
        return self.breach

    def clock(self) -> None:
        if self.breach is not None:
            raise self.breach
        if time.monotonic() > self.deadline:
            raise self.fail("seconds")

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > self.limits.iterations:
            raise self.fail("iterations")
        self.clock()

    def fits(self, size: float) -> None:
        if size > self.limits.output_bytes:
            raise self.fail("output")

    def write(self, text: str) -> None:
        """Text the template writes anywhere; an empty piece costs a byte, or a loop could pile up millions."""
        self.written += max(1, utf8_size(text))
        self.fits(self.written)
        self.clock()

    @contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        try:
            if self.depth > self.limits.depth:
                raise self.fail("depth")
            yield
        finally:
            self.depth -= 1

    def weigh(self, value: Any) -> int:  # noqa: C901  (one case per kind of value a template can build)
        """About the characters printing `value` takes; stops as soon as that is over the bound."""
        total, seen = 0, 0
        stack: list[tuple[Any, int]] = [(value, 0)]
        while stack:
            item, level = stack.pop()
            seen += 1
            if seen % 4096 == 0:
                self.clock()
            if isinstance(item, str | bytes | bytearray):
                total += len(item)
            elif isinstance(item, bool):
                total += 1
            elif isinstance(item, int):
                total += _digits(item)
            elif isinstance(item, range):
                total += len(item)  # ranges come from _range, within the iteration bound
            elif isinstance(item, (Mapping, Namespace, *_SEQUENCES)):
                if level >= self.limits.depth:
                    raise self.fail("depth")
                if isinstance(item, Namespace):
                    item = item._Namespace__attrs  # its repr prints them
                if isinstance(item, Mapping):
                    total += 1 + 2 * len(item)
                    self.fits(total)
                    stack.extend((part, level + 1) for pair in item.items() for part in pair)
                else:
                    total += 1 + len(item)
                    self.fits(total)
                    stack.extend((part, level + 1) for part in item)
            else:
                total += 1
            self.fits(total)
        return total

    def checked(self, value: T) -> T:
        self.weigh(value)
        return value


_BUDGET: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


def _budget() -> Budget:
    budget = _BUDGET.get()
    if budget is None:  # e.g. constant folding at compile time: nothing is evaluated outside render()
        raise RuntimeError("A bounded template is evaluated only inside bounded.render().")
    return budget


def _counted(budget: Budget, iterable: Iterable[T]) -> Iterator[T]:
    iterator = iter(iterable)

    def ticking() -> Iterator[T]:
        for item in iterator:
            budget.tick()
            yield item

    return ticking()


def _materialized(budget: Budget, value: Any) -> Any:
    """An iterable as a list built within the size bound (a lazy `map` may promise more than memory holds); strings
    and mappings are already bounded values and stay as they are."""
    if isinstance(value, str | Mapping):
        return budget.checked(value)
    items, size = [], 1
    for item in value:
        size += 1 + budget.weigh(item)
        budget.fits(size)
        budget.clock()
        items.append(item)
    return items


# --- what a step would build, before it is built -------------------------------------------------------------------

_CONVERSION = re.compile(r"[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.DOTALL)  # after "%" and a "(key)"
_WIDEST_CONVERSION = 330  # '%f' % 1e308 is 316 characters


def _number(text: str, star: int) -> float:
    if text == "*":
        return star
    return int(text) if len(text) < 10 else math.inf


def _printf_size(budget: Budget, template: str, values: Any) -> float:
    """An upper bound of ``template % values``: its widths and precisions, the values, a float's widest form.
    One pass over the template (no backtracking: it may be 200,000 characters the template built)."""
    size: float = len(template) + budget.weigh(values)
    star = max((abs(v) for v in (values if isinstance(values, tuple) else (values,)) if isinstance(v, int)), default=0)
    at = template.find("%")
    while at != -1:
        start = at + 1
        if template.startswith("(", start):
            start = template.find(")", start) + 1
            if start == 0:
                break  # no closing parenthesis: Python refuses the template
        match = _CONVERSION.match(template, start)
        if match is None:
            break
        if match.group(3) != "%":
            size += sum(_number(n, star) for n in match.group(1, 2) if n) + _WIDEST_CONVERSION
        at = template.find("%", match.end())
    return size


def _replace_size(text: str, old: Any = "", new: Any = "", count: Any = -1, *_: Any) -> float:
    if not (isinstance(old, str) and isinstance(new, str) and isinstance(count, int)):
        return 0  # Python refuses these itself
    found = len(text) + 1 if not old else text.count(old)
    return len(text) + (found if count < 0 else min(found, count)) * (len(new) - len(old))


def _binop_digits(operator: str, left: Any, right: Any) -> float:
    """The digits of an integer ``left * right`` or ``left ** right``, from below (the result is checked after)."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return 0
    if operator == "*":
        return _digits(left) + _digits(right) - 1
    if operator == "**" and right > 0 and abs(left) > 1:
        return math.inf if right.bit_length() > 64 else right * (abs(left).bit_length() - 1) * 0.30103
    return 0


def _binop_size(budget: Budget, operator: str, left: Any, right: Any) -> float:
    """The size of ``left <operator> right`` where it can be far bigger than its operands, before it is made."""
    sized = str | bytes | list | tuple  # type: ignore[type-arg]  # isinstance's union: parameters not allowed
    if operator == "*":
        for value, times in ((left, right), (right, left)):
            if isinstance(times, int) and isinstance(value, sized):
                return budget.weigh(value) * max(times, 0)
    elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
        return budget.weigh(left) + budget.weigh(right)
    elif operator == "%" and isinstance(left, str):
        return _printf_size(budget, left, right)
    return 0


class _Formatter(SandboxedFormatter):
    """``str.format`` and ``format_map`` within the size bound: each field's widths are checked before it is made."""

    def __init__(self, env: BoundedEnvironment, budget: Budget) -> None:
        super().__init__(env)
        self._budget = budget
        self._size = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        for number in re.findall(r"\d+", format_spec):
            self._budget.fits(_number(number, 0))
        text = super().format_field(value, format_spec)
        self._size += len(text)
        self._budget.fits(self._size)
        return text


# --- filters and globals: an allow-list --------------------------------------------------------------------------

Prepare = Callable[..., Any]


def _guarded(name: str, prepare: Prepare | None = None) -> Callable[..., Any]:
    """Jinja's filter `name`, its value first through `prepare` (a check, or a bounded copy), its result weighed."""
    f = FILTERS[name]
    offset = 1 if getattr(f, "jinja_pass_arg", None) else 0  # a context, eval context or environment comes first

    @wraps(f)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.clock()
        if prepare is not None and len(args) > offset:
            args = (*args[:offset], prepare(budget, *args[offset:], **kwargs), *args[offset + 1 :])
        return budget.checked(f(*args, **kwargs))

    return guarded


def _center(budget: Budget, value: Any, width: Any = 80) -> Any:
    if isinstance(width, int):
        budget.fits(width)
    return value


def _indent(budget: Budget, s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> Any:
    pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    budget.fits(pad)
    text = str(s)
    budget.fits(len(text) + (text.count("\n") + 1) * pad)
    return s


def _wordwrap(
    budget: Budget,
    s: Any,
    width: Any = 79,
    break_long_words: bool = True,
    wrapstring: Any = None,
    break_on_hyphens: bool = True,
) -> Any:
    text = str(s)
    lines = 2 * len(text) // max(width if isinstance(width, int) else 1, 1) + text.count("\n") + 2
    budget.fits(len(text) + lines * (len(str(wrapstring)) if wrapstring else 1))
    return s


def _replace(budget: Budget, s: Any, old: Any, new: Any, count: Any = None) -> Any:
    budget.fits(_replace_size(str(s), str(old), str(new), -1 if count is None else count))
    return s


def _truncate(
    budget: Budget, s: Any, length: Any = 255, killwords: bool = False, end: Any = "...", leeway: Any = None
) -> Any:
    if isinstance(length, int) and length < len(str(end)):  # Jinja asserts it (a server error, not the body's)
        raise ValueError(f"« truncate » : la longueur ({length}) est plus courte que la fin ({len(str(end))}).")
    if isinstance(leeway, int) and leeway < 0:
        raise ValueError("« truncate » : la marge (leeway) ne peut pas être négative.")
    return s


def _format(budget: Budget, value: Any, *args: Any, **kwargs: Any) -> Any:
    budget.fits(_printf_size(budget, str(value), kwargs or args))
    return value


def _sum(budget: Budget, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    if not isinstance(start, int | float):  # adding lists or strings one by one takes quadratic time
        raise TypeError("« sum » n'additionne que des nombres.")
    return _materialized(budget, iterable)


def _materialize(budget: Budget, value: Any, *_: Any, **__: Any) -> Any:
    return _materialized(budget, value)


@pass_environment
def _join(environment: BoundedEnvironment, value: Iterable[Any], d: Any = "", attribute: Any = None) -> str:
    """Jinja's `join`, stopping at the size bound instead of joining whatever an iterable yields."""
    budget = _budget()
    budget.clock()
    if attribute is not None:
        value = map(make_attrgetter(environment, attribute), value)
    separator, size = str(d), 0
    parts: list[str] = []
    for item in value:
        text = str(item)
        size += len(text) + (len(separator) if parts else 0)
        budget.fits(size)
        budget.clock()
        parts.append(text)
    return separator.join(parts)


# Safe as they are (their result is weighed all the same): output no bigger than their input, linear time.
_PLAIN = (
    *("abs", "capitalize", "count", "d", "default", "dictsort", "first", "float", "int", "items", "last", "length"),
    *("lower", "map", "reject", "rejectattr", "round", "select", "selectattr", "string", "title", "trim"),
    *("upper", "wordcount"),
)
_PREPARED: dict[str, Prepare] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "replace": _replace,
    "truncate": _truncate,
    "format": _format,
    "sum": _sum,
    **dict.fromkeys(("list", "sort", "unique", "reverse", "min", "max", "groupby"), _materialize),
}
# Left out: attr batch e escape filesizeformat forceescape pprint random safe slice striptags tojson urlencode urlize
# xmlattr (HTML, JSON or layout filters no letter needs; batch, slice, pprint, tojson and striptags can blow up).


def _filters() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {name: _guarded(name) for name in _PLAIN}
    found.update({name: _guarded(name, prepare) for name, prepare in _PREPARED.items()})
    found["join"] = _join
    return found


def _range(*args: int) -> range:
    """Jinja's sandbox allows 100,000 items; a loop may not do more than the iteration bound anyway."""
    budget = _budget()
    numbers = range(*args)
    try:
        length: float = len(numbers)
    except OverflowError:
        length = math.inf
    if length > budget.limits.iterations:
        raise budget.fail("iterations")
    return numbers


def _namespace(*args: Any, **kwargs: Any) -> Namespace:
    budget = _budget()
    return budget.checked(Namespace(*(_materialized(budget, arg) for arg in args), **kwargs))


# Methods a template may call on built-in values; every other callable attribute of these types is refused
# (``"x".center(10 ** 9)``, ``(1).to_bytes(10 ** 9)``, ``"ab".expandtabs(…)``, ``s.join(…)``…).
_STR_METHODS = frozenset(
    {
        *("capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isascii"),
        *("isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle"),
        *("isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex"),
        *("rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title"),
        "upper",
    }
)  # format and format_map go through _Formatter (wrap_str_format); replace is sized in `call`
_METHODS: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (str, _STR_METHODS),
    ((list, tuple, range), frozenset({"count", "index"})),
    (dict, frozenset({"get", "items", "keys", "values"})),
    ((bytes, bytearray, int, float, complex, set, frozenset), frozenset()),
)


# --- the environment ---------------------------------------------------------------------------------------------


def _helper(name: str, *args: nodes.Expr, lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=lineno), list(args), [], None, None, lineno=lineno)


class _Instrument(NodeTransformer):
    """Routes loops, literals, ``~``, ``*args`` and literal text through the environment's bounded helpers."""

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> nodes.Node:
        node = self.generic_visit(node)
        lineno = node.lineno
        if isinstance(node, nodes.For):
            node.iter = _helper("bounded_iter", cast(nodes.Expr, node.iter), lineno=lineno)
        elif isinstance(node, nodes.Output):  # literal text as a constant goes through finalize (_written) too
            node.nodes = [
                nodes.Const(child.data, lineno=child.lineno) if isinstance(child, nodes.TemplateData) else child
                for child in node.nodes
            ]
        elif isinstance(node, nodes.Concat):
            return _helper("bounded_concat", *node.nodes, lineno=lineno)
        elif isinstance(node, nodes.List | nodes.Dict) or (isinstance(node, nodes.Tuple) and node.ctx == "load"):
            return _helper("bounded_value", node, lineno=lineno)
        elif isinstance(node, nodes.Call | nodes.Filter | nodes.Test) and node.dyn_args is not None:
            node.dyn_args = _helper("bounded_spread", node.dyn_args, lineno=lineno)  # Python builds f(*xs)'s tuple
        return node


@pass_context
def _written(context: Context, value: Any) -> str:
    """Jinja's finalize: every piece of output, literal text included, counted as it is written."""
    text = value if isinstance(value, str) else str(value)
    _budget().write(text)
    return text


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every step bounded by the render's Budget (see the module's docstring)."""

    intercepted_binops = frozenset(SandboxedEnvironment.default_binop_table)

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, optimized=False, finalize=_written)
        self.filters = _filters()
        self.globals = {"range": _range, "namespace": _namespace, "cycler": Cycler, "joiner": Joiner}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = cast(nodes.Template, _Instrument().visit(super()._parse(source, name, filename)))
        tree.set_environment(self)
        return tree

    # Helpers the instrumented templates call (their names are unreachable from template code).
    def bounded_iter(self, iterable: Iterable[T]) -> Iterator[T]:
        return _counted(_budget(), iterable)

    def bounded_value(self, value: T) -> T:
        return _budget().checked(value)

    def bounded_spread(self, values: Iterable[Any]) -> Any:
        return _materialized(_budget(), values)

    def bounded_concat(self, *values: Any) -> str:
        return self.concat(str(value) for value in values)

    def concat(self, parts: Iterable[str]) -> str:  # blocks, macros, `~`
        budget = _budget()
        pieces, size = [], 0
        for piece in parts:
            size += len(piece)
            budget.fits(size)
            pieces.append(piece)
        return "".join(pieces)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = _budget()
        budget.clock()
        if _binop_digits(operator, left, right) > MAX_DIGITS:
            raise budget.fail("number")
        budget.fits(_binop_size(budget, operator, left, right))
        result = self.binop_table[operator](left, right)
        if isinstance(result, int) and _digits(result) > MAX_DIGITS:
            raise budget.fail("number")
        return budget.checked(result)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.clock()
        if isinstance(obj, types.MethodType) and obj.__self__ is self:  # the helpers above
            return obj(*args)  # (Jinja adds _loop_vars and _block_vars, for functions that take a context)
        if isinstance(obj, Macro | BlockReference | LoopContext):  # recursion: the loop written without `for`
            budget.tick()
            if isinstance(obj, LoopContext) and args:  # loop(children) in a recursive for: those turns count too
                args = (_counted(budget, args[0]), *args[1:])
            with budget.nested():
                return super().call(context, obj, *args, **kwargs)
        if isinstance(obj, types.BuiltinMethodType) and isinstance(obj.__self__, str) and obj.__name__ == "replace":
            budget.fits(_replace_size(obj.__self__, *args))
        return budget.checked(super().call(context, obj, *args, **kwargs))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not callable(value):
            return True
        for kinds, names in _METHODS:
            if isinstance(obj, kinds):
                return attr in names
        return True

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if not isinstance(value, types.MethodType | types.BuiltinMethodType):
            return None
        if value.__name__ not in ("format", "format_map") or not isinstance(value.__self__, str):
            return None
        owner, as_map = value.__self__, value.__name__ == "format_map"

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if as_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() prend un seul argument.")
                return _Formatter(self, _budget()).vformat(owner, (), args[0])
            return _Formatter(self, _budget()).vformat(owner, args, kwargs)

        return bounded_format


@cache
def environment() -> BoundedEnvironment:
    return BoundedEnvironment()


@lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    """Compiled once per source: a mailing renders the same body for every recipient."""
    return environment().from_string(source)


def render(source: str, context: Mapping[str, Any], limits: Limits = DEFAULT) -> str:
    """The text `source` makes of `context`; RenderLimitExceeded past a bound, Jinja's own errors otherwise."""
    try:
        template = _compiled(source)
    except (RecursionError, SyntaxError) as exc:  # too deeply nested for Jinja's parser or for Python's compiler
        raise RenderLimitExceeded("depth", limits) from exc
    budget = Budget(limits)
    token = _BUDGET.set(budget)
    stream = cast(Generator[str, None, None], template.generate(context))
    try:
        parts, size = [], 0
        for chunk in stream:
            size += utf8_size(chunk)
            budget.fits(size)
            budget.clock()
            parts.append(chunk)
        if budget.breach is not None:
            raise budget.breach
        return "".join(parts)
    except RecursionError as exc:
        raise budget.fail("depth") from exc
    finally:
        stream.close()
        _BUDGET.reset(token)
