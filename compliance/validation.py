"""Turning pydantic validation errors into located, readable problems."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compliance.errors import Problem
from compliance.yamlsrc import Document, Mark, Path_, dotted


def unwrap_models(annotation: Any) -> list[type[BaseModel]]:
    """Model classes reachable from a field annotation (through Optional, tuple[...], Annotated)."""
    out: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap_models(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple, list):
        for arg in typing.get_args(annotation):
            out.extend(unwrap_models(arg))
    return out


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        found = unwrap_models(info.annotation)
        current = found[0] if found else None
    return current


def _describe(model: type[BaseModel], err: ErrorDetails) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    given = err.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown key {loc[-1]!r}: {hint}expected one of: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {given!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {given!r}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return f"text longer than {limit} characters ({len(str(given))})"
    if kind == "too_short":
        return f"needs at least {err.get('ctx', {}).get('min_length', 1)} item(s)"
    if kind == "model_type" or kind == "dict_type":
        return f"expected a mapping of fields, got {type(given).__name__}"
    return (
        f"{err['msg']}, got {_short(given)}"
        if given is not None and kind != "value_error"
        else err["msg"]
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def validation_problems(
    exc: ValidationError,
    model: type[BaseModel],
    doc: Document | None,
    base: Path_,
    file: str,
    fallback: Mark | None = None,
) -> list[Problem]:
    problems = []
    errors = exc.errors(include_url=False)
    # A misspelt key shows up twice: as an unknown key and as a missing field. Keep the first,
    # which says "did you mean ...", and drop the second.
    typo_targets = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            owner = _model_at(model, loc[:-1])
            close = difflib.get_close_matches(
                str(loc[-1]), list(owner.model_fields) if owner else [], n=1
            )
            if close:
                typo_targets.add((*loc[:-1], close[0]))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in typo_targets:
            continue
        path = (*base, *loc)
        message = _describe(model, err)
        if doc is not None:
            p = doc.problem(path, message, key=err["type"] == "extra_forbidden")
            problems.append(Problem(p.file, p.line, p.column, dotted(loc) or None, message))
        else:
            m = fallback
            problems.append(
                Problem(file, m.line if m else None, None, dotted(loc) or None, message)
            )
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
