"""Type-check conditions against the fact schema and compile them into closures.

A compiled condition is a plain Python function ``facts -> True | False | None`` built from the
syntax tree: nothing is ever passed to ``eval``. ``None`` means *unknown*: a comparison that reads
an absent fact is unknown, and ``and``/``or``/``not`` follow Kleene's three-valued logic, so an
unknown fact only matters when it could change the answer. The engine turns an unknown rule into
``needs_review`` naming the facts it lacked.

Parameters are constants here: a pack is compiled once per *epoch* (a date range in which every
parameter value and every rule's effectiveness is fixed), so a parameter costs nothing at run time.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from compliance.facts import Fact, FactType
from compliance.packs.expr import (
    BoolOp,
    Compare,
    ExprSyntaxError,
    In,
    IsKnown,
    ListLit,
    Lit,
    Name,
    Node,
    Not,
    parse,
)

Evaluator = Callable[[Mapping[str, Any]], Any]

BOOL = FactType("bool")
NUMBER = FactType("number")
TEXT = FactType("text")
DATE = FactType("date")


class CompileError(Exception):
    """A type or name error at ``pos`` in the condition being compiled."""

    def __init__(self, message: str, pos: int, source: ExprSource | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.source = source  # set when the error lies in another expression (a predicate)


@dataclass(frozen=True, slots=True)
class ListType:
    element: FactType | None  # None: an empty list, compatible with anything


@dataclass(frozen=True, slots=True)
class ExprSource:
    """A condition's text and where it sits in its file, to turn offsets into line:column."""

    text: str
    file: str
    line: int
    column: int
    field: str
    quoted: bool = False  # '...' or "..." scalar: the text starts one column later
    block: bool = False  # | or > scalar: the text starts on the next line

    def locate(self, offset: int) -> tuple[int, int]:
        before = self.text[:offset]
        newlines = before.count("\n")
        if self.block:
            return self.line + 1 + newlines, (
                offset - before.rfind("\n") - 1
            ) + 1 if newlines else 1
        if newlines == 0:
            return self.line, self.column + offset + (1 if self.quoted else 0)
        return self.line + newlines, offset - before.rfind("\n")


@dataclass(frozen=True, slots=True)
class Compiled:
    type: FactType | ListType
    fn: Evaluator
    facts: frozenset[str]
    const: Any = None
    is_const: bool = False


@dataclass(frozen=True, slots=True)
class PredicateDef:
    name: str
    source: ExprSource


def _type_of_value(value: Any) -> FactType | ListType:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, date):
        return DATE
    if isinstance(value, str):
        return TEXT
    if isinstance(value, list | tuple | frozenset):
        if not value:
            return ListType(None)
        types = {_type_of_value(v) for v in value}
        if len(types) != 1 or isinstance(next(iter(types)), ListType):
            raise ValueError("a list parameter must hold values of one scalar type")
        return ListType(next(iter(types)))  # type: ignore[arg-type]
    raise ValueError(f"unsupported parameter value {value!r}")


def _normalise(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, list | tuple):
            return frozenset(_normalise(v) for v in value)
        return value
    return float(value)


def _const(value: Any) -> Evaluator:
    return lambda facts: value


def _describe_value_type(t: FactType | ListType) -> str:
    if isinstance(t, ListType):
        return "a list" if t.element is None else f"a list of {_describe_value_type(t.element)}"
    return {
        "bool": "true/false",
        "number": "a number",
        "text": "text",
        "date": "a date",
        "enum": "an enumeration",
    }[t.base]


class Compiler:
    """Compiles the conditions of one pack for one epoch (fixed parameter values)."""

    def __init__(
        self,
        facts: Mapping[str, Fact],
        params: Mapping[str, Any],
        predicates: Mapping[str, PredicateDef],
        declared: set[str] | None = None,
        start: date | None = None,
    ) -> None:
        self.declared = declared or set(params)
        self.start = start
        self.facts = facts
        self.params = {name: _normalise(value) for name, value in params.items()}
        self.param_types = {name: _type_of_value(value) for name, value in params.items()}
        self.predicates = predicates
        self._done: dict[str, Compiled] = {}
        self._visiting: list[str] = []

    # -- entry points --------------------------------------------------------------------

    def condition(self, source: ExprSource) -> Compiled:
        """Compile a condition that must be boolean."""
        try:
            tree = parse(source.text)
        except ExprSyntaxError as exc:
            raise CompileError(exc.message, exc.offset, source) from None
        try:
            out = self._node(tree)
        except CompileError as exc:
            if exc.source is None:
                exc.source = source
            raise
        if out.type != BOOL:
            raise CompileError(
                f"a condition must be true/false, but this is {_describe_value_type(out.type)}",
                tree.pos,
                source,
            )
        return out

    def predicate(self, name: str) -> Compiled:
        return self._predicate(name, 0)

    # -- nodes ---------------------------------------------------------------------------

    def _node(self, node: Node) -> Compiled:
        if isinstance(node, Lit):
            return Compiled(
                _type_of_value(node.value),
                _const(_normalise(node.value)),
                frozenset(),
                _normalise(node.value),
                True,
            )
        if isinstance(node, ListLit):
            values = [item.value for item in node.items]
            try:
                ltype = _type_of_value(values)
            except ValueError:
                raise CompileError("list items must all be of one type", node.pos) from None
            const = _normalise(values)
            return Compiled(ltype, _const(const), frozenset(), const, True)
        if isinstance(node, Name):
            return self._name(node)
        if isinstance(node, Not):
            inner = self._bool(node.operand, "'not'")
            f = inner.fn

            def not_(facts: Mapping[str, Any]) -> Any:
                v = f(facts)
                return None if v is None else not v

            return Compiled(BOOL, not_, inner.facts)
        if isinstance(node, BoolOp):
            return self._boolop(node)
        if isinstance(node, Compare):
            return self._compare(node)
        if isinstance(node, In):
            return self._in(node)
        if isinstance(node, IsKnown):
            return self._is_known(node)
        raise CompileError("unsupported expression", node.pos)  # pragma: no cover

    def _name(self, node: Name) -> Compiled:
        name = node.name
        if name.startswith("param."):
            key = name[len("param.") :]
            if key not in self.params and key in self.declared:
                raise CompileError(
                    f"parameter {key!r} has no value in force on {self.start}: its first 'from' "
                    "is later than the pack's effective start",
                    node.pos,
                )
            if key not in self.params:
                hint = difflib.get_close_matches(key, list(self.params), n=1)
                raise CompileError(
                    f"unknown parameter {key!r}"
                    + (f" (did you mean 'param.{hint[0]}'?)" if hint else "")
                    + (
                        f"; this pack's parameters: {', '.join(sorted(self.params))}"
                        if self.params
                        else "; this pack has no parameters"
                    ),
                    node.pos,
                )
            value = self.params[key]
            return Compiled(self.param_types[key], _const(value), frozenset(), value, True)
        if name in self.facts:
            fact = self.facts[name]
            return Compiled(fact.type, operator.itemgetter(name), frozenset({name}))
        if name in self.predicates:
            return self._predicate(name, node.pos)
        candidates = list(self.facts) + list(self.predicates)
        hint = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        raise CompileError(
            f"unknown fact or predicate {name!r}"
            + (f" (did you mean {hint[0]!r}?)" if hint else ""),
            node.pos,
        )

    def _predicate(self, name: str, pos: int) -> Compiled:
        if name in self._done:
            return self._done[name]
        if name in self._visiting:
            cycle = " -> ".join([*self._visiting[self._visiting.index(name) :], name])
            raise CompileError(f"predicate cycle: {cycle}", pos)
        definition = self.predicates[name]
        self._visiting.append(name)
        try:
            out = self.condition(definition.source)
        finally:
            self._visiting.pop()
        self._done[name] = out
        return out

    def _bool(self, node: Node, where: str) -> Compiled:
        out = self._node(node)
        if out.type != BOOL:
            raise CompileError(
                f"{where} needs true/false, but this is {_describe_value_type(out.type)}",
                node.pos,
            )
        return out

    def _boolop(self, node: BoolOp) -> Compiled:
        parts = [self._bool(x, f"'{node.op}'") for x in node.operands]
        fns = tuple(p.fn for p in parts)
        facts = frozenset().union(*(p.facts for p in parts))
        if node.op == "and":

            def and_(facts_: Mapping[str, Any]) -> Any:
                unknown = False
                for fn in fns:
                    v = fn(facts_)
                    if v is False:
                        return False
                    if v is None:
                        unknown = True
                return None if unknown else True

            return Compiled(BOOL, and_, facts)

        def or_(facts_: Mapping[str, Any]) -> Any:
            unknown = False
            for fn in fns:
                v = fn(facts_)
                if v is True:
                    return True
                if v is None:
                    unknown = True
            return None if unknown else False

        return Compiled(BOOL, or_, facts)

    def _check_against(self, target: FactType, value: Any, pos: int, what: str) -> None:
        """A constant compared with an enumeration must be one of its values."""
        if target.base == "enum" and isinstance(value, str) and value not in (target.values or ()):
            close = difflib.get_close_matches(value, sorted(target.values or ()), n=1)
            raise CompileError(
                f"{value!r} is not a possible value of {what}: expected {target.describe()}"
                + (f" (did you mean {close[0]!r}?)" if close else ""),
                pos,
            )

    @staticmethod
    def _compatible(a: FactType, b: FactType) -> bool:
        textual = {"text", "enum"}
        return a.base == b.base or (a.base in textual and b.base in textual)

    def _compare(self, node: Compare) -> Compiled:
        left = self._node(node.left)
        right = self._node(node.right)
        lt, rt = left.type, right.type
        if isinstance(lt, ListType) or isinstance(rt, ListType):
            raise CompileError(f"'{node.op}' cannot compare lists; use 'in'", node.pos)
        if not self._compatible(lt, rt):
            raise CompileError(
                f"cannot compare {_describe_value_type(lt)} with {_describe_value_type(rt)}",
                node.right.pos,
            )
        if node.op in ("<", "<=", ">", ">=") and lt.base not in ("number", "date"):
            raise CompileError(f"'{node.op}' needs numbers or dates", node.pos)
        if right.is_const:
            self._check_against(lt, right.const, node.right.pos, _label(node.left))
        if left.is_const:
            self._check_against(rt, left.const, node.left.pos, _label(node.right))
        op = {
            "==": operator.eq,
            "!=": operator.ne,
            "<": operator.lt,
            "<=": operator.le,
            ">": operator.gt,
            ">=": operator.ge,
        }[node.op]
        lf, rf = left.fn, right.fn
        facts = left.facts | right.facts
        if right.is_const:
            c = right.const

            def cmp_const(facts_: Mapping[str, Any]) -> Any:
                v = lf(facts_)
                return None if v is None else op(v, c)

            return Compiled(BOOL, cmp_const, facts)

        def cmp(facts_: Mapping[str, Any]) -> Any:
            a = lf(facts_)
            b = rf(facts_)
            return None if a is None or b is None else op(a, b)

        return Compiled(BOOL, cmp, facts)

    def _in(self, node: In) -> Compiled:
        left = self._node(node.left)
        right = self._node(node.right)
        if isinstance(left.type, ListType):
            raise CompileError("the left side of 'in' must be a single value", node.left.pos)
        if not isinstance(right.type, ListType) or not right.is_const:
            raise CompileError(
                "the right side of 'in' must be a list such as ['a', 'b'] or a list parameter",
                node.right.pos,
            )
        element = right.type.element
        if element is not None:
            if not self._compatible(left.type, element):
                raise CompileError(
                    f"cannot look for {_describe_value_type(left.type)} in "
                    f"{_describe_value_type(right.type)}",
                    node.right.pos,
                )
            for value in sorted(right.const, key=str):
                self._check_against(left.type, value, node.right.pos, _label(node.left))
        members: frozenset[Any] = right.const
        lf = left.fn
        negated = node.negated

        def in_(facts_: Mapping[str, Any]) -> Any:
            v = lf(facts_)
            return None if v is None else (v in members) != negated

        return Compiled(BOOL, in_, left.facts)

    def _is_known(self, node: IsKnown) -> Compiled:
        if not isinstance(node.operand, Name) or node.operand.name not in self.facts:
            raise CompileError("'is missing' / 'is known' applies to a fact name", node.operand.pos)
        getter = operator.itemgetter(node.operand.name)
        known = node.known

        def is_known(facts_: Mapping[str, Any]) -> bool:
            return (getter(facts_) is not None) == known

        return Compiled(BOOL, is_known, frozenset({node.operand.name}))


def _label(node: Node) -> str:
    return repr(node.name) if isinstance(node, Name) else "the other side"
