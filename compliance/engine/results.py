"""The classification result: the JSON contract of DESIGN §5, as a typed model."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from compliance.vocab import Perimeter, Status

TraceOutcome = Literal[
    "matched",  # the rule decided the classification
    "not_matched",
    "unknown",  # a fact it needed is missing: the classification goes to review
    "excepted",  # it matched, but one of its exceptions applied
    "not_in_force",  # outside its effective dates on as_of
    "applied",  # an obligation rule that applies
    "not_applied",
]


class PackRef(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    version: str
    sha256: str


class TraceEntry(BaseModel):
    """One rule evaluated on the way to the result, and the fact values it read."""

    model_config = ConfigDict(frozen=True)
    rule: str
    kind: Literal["rule", "exception", "obligation"]
    outcome: TraceOutcome
    facts: dict[str, Any]


class ObligationDetail(BaseModel):
    model_config = ConfigDict(frozen=True)
    rule: str
    detail: str
    citations: list[str]
    confirmed: bool  # False: it may apply, but a fact that decides it is missing


class Classification(BaseModel):
    """One instrument under one jurisdiction."""

    model_config = ConfigDict(frozen=True)
    instrument_id: str
    jurisdiction: str
    status: Status
    perimeter: Perimeter
    category: str
    label: str
    obligations: list[str]
    obligation_details: dict[str, ObligationDetail]
    citations: list[str]
    trace: list[TraceEntry]
    missing_facts: list[str]
    reason: str | None
    rule: str | None  # the rule that decided, None when no rule did
    pack: PackRef
    as_of: date


M = TypeVar("M", bound=BaseModel)
_FIELDS_SET: dict[type[BaseModel], set[str]] = {}


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """Build a result model from values the engine made itself, without re-validating them.

    Equivalent to ``cls.model_construct(**values)`` with every field given, at a fraction of the
    cost: results are built on the screening hot path. ``values`` must hold every field.
    """
    obj = cls.__new__(cls)
    fields_set = _FIELDS_SET.get(cls)
    if fields_set is None:
        fields_set = _FIELDS_SET[cls] = set(cls.model_fields)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj
