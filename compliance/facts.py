"""The fact schema: the typed, flat names that pack conditions read.

Facts are derived from the input models rather than written down twice: every scalar field of the
term sheet becomes a dotted fact (``underlying.resource``, ``token.service_live``) whose type comes
from the field's annotation — an enumeration for ``Literal`` fields, so a condition comparing
``kind == 'futur'`` fails when the pack loads. An absent value is ``None`` and conditions treat it
as *unknown* (three-valued logic), which is how missing facts reach ``needs_review``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from compliance.model.codes import COUNTRIES, CURRENCIES
from compliance.model.terms import TermSheet

BaseType = Literal["bool", "number", "text", "date", "enum"]


@dataclass(frozen=True, slots=True)
class FactType:
    base: BaseType
    values: frozenset[str] | None = None  # the allowed values of an enumeration
    what: str = ""  # "country", "currency", "perimeter": how to name the enumeration in errors

    def describe(self) -> str:
        if self.base == "enum":
            if self.what:
                return f"a {self.what} code" if self.what in ("country", "currency") else self.what
            return "one of " + ", ".join(repr(v) for v in sorted(self.values or ()))
        return {"bool": "true/false", "number": "a number", "text": "text", "date": "a date"}[
            self.base
        ]


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    type: FactType
    description: str = ""


def _validator_target(metadata: tuple[Any, ...]) -> str | None:
    for item in metadata:
        func = getattr(item, "func", None)
        name = getattr(func, "__name__", "")
        if name == "_country":
            return "country"
        if name == "_currency":
            return "currency"
    return None


def _fact_type(annotation: Any) -> FactType | None:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            return None
        return _fact_type(inner[0])
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        target = _validator_target(tuple(meta))
        if target == "country":
            return FactType("enum", COUNTRIES, "country")
        if target == "currency":
            return FactType("enum", CURRENCIES, "currency")
        return _fact_type(base)
    if origin is Literal:
        return FactType("enum", frozenset(str(a) for a in typing.get_args(annotation)))
    if annotation is bool:
        return FactType("bool")
    if annotation in (int, float, Decimal):
        return FactType("number")
    if annotation is date:
        return FactType("date")
    if annotation is str:
        return FactType("text")
    return None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found:
                return found
    return None


def _walk(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, FactType]]:
    for name, info in model.model_fields.items():
        sub = _model_of(info.annotation)
        path = f"{prefix}{name}"
        if sub is not None:
            yield from _walk(sub, path + ".")
            continue
        target = _validator_target(tuple(info.metadata))
        if target == "country":
            ftype: FactType | None = FactType("enum", COUNTRIES, "country")
        elif target == "currency":
            ftype = FactType("enum", CURRENCIES, "currency")
        else:
            ftype = _fact_type(info.annotation)
        if ftype is not None:
            yield path, ftype


# A flattening plan per model: (attribute, fact name, is a number, sub-plan or None). Walking
# ``__dict__`` along a precomputed plan is several times faster than a getattr chain per fact.
_Plan = list[tuple[str, str, bool, "_Plan | None"]]


def _plan(model: type[BaseModel], prefix: str, facts: set[str]) -> _Plan:
    plan: _Plan = []
    for attr, info in model.model_fields.items():
        name = f"{prefix}{attr}"
        sub = _model_of(info.annotation)
        if sub is not None:
            plan.append((attr, name, False, _plan(sub, name + ".", facts)))
        elif name in facts:
            plan.append((attr, name, _FACT_TYPES[name].base == "number", None))
    return plan


def _fill(obj: BaseModel, plan: _Plan, out: dict[str, Any]) -> None:
    values = obj.__dict__
    for attr, name, number, sub in plan:
        value = values[attr]
        if sub is None:
            out[name] = float(value) if number and value is not None else value
        elif value is not None:
            _fill(value, sub, out)


_WALKED = [(name, ftype) for name, ftype in _walk(TermSheet, "") if name != "id"]
_FACT_TYPES = dict(_WALKED)
_TERM_SHEET_PLAN = _plan(TermSheet, "", set(_FACT_TYPES))
_EMPTY = dict.fromkeys(_FACT_TYPES)


# Facts the engine adds to every evaluation.
CONTEXT_FACTS: dict[str, Fact] = {
    "as_of": Fact("as_of", FactType("date"), "the date the classification is made for"),
}

INSTRUMENT_FACTS: dict[str, Fact] = {name: Fact(name, ftype) for name, ftype in _WALKED}

CLASSIFY_FACTS: dict[str, Fact] = {**INSTRUMENT_FACTS, **CONTEXT_FACTS}


def instrument_facts(term_sheet: TermSheet) -> dict[str, Any]:
    """Flatten a term sheet into its facts (numbers as float, absent values as None)."""
    out = dict(_EMPTY)
    _fill(term_sheet, _TERM_SHEET_PLAN, out)
    return out


def coerce_fact(fact: Fact, value: Any) -> Any:
    """Check a fact value given directly (pack tests); raise ValueError naming what was expected."""
    if value is None:
        return None
    t = fact.type
    ok = (
        (t.base == "bool" and isinstance(value, bool))
        or (t.base == "number" and isinstance(value, int | float) and not isinstance(value, bool))
        or (t.base == "date" and isinstance(value, date))
        or (t.base == "text" and isinstance(value, str))
        or (t.base == "enum" and isinstance(value, str) and value in (t.values or ()))
    )
    if not ok:
        raise ValueError(f"expected {t.describe()}, got {value!r}")
    return float(value) if t.base == "number" else value


def flatten_mapping(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested or dotted mapping -> (dotted name, value) pairs."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flatten_mapping(value, name + ".")
        else:
            yield name, value
