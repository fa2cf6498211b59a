"""Reading instruments, counterparties, orders and trades from files and folders.

Accepted shapes (DESIGN §4): a YAML/JSON file with one term sheet, a list of term sheets, or a
mapping whose keys are record types; CSV files named after their record type (``orders*.csv``)
with dotted column names; folders, read recursively. Every problem in a file is reported at once,
each with file, line, field path and what was expected.
"""

from __future__ import annotations

import csv
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from compliance.errors import InputError, Problem, UserError
from compliance.model.orders import Order, Trade
from compliance.model.parties import Counterparty
from compliance.model.terms import TermSheet
from compliance.validation import unwrap_models, validation_problems
from compliance.yamlsrc import Document, Mark, Path_, load_file

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "instruments": TermSheet,
    "counterparties": Counterparty,
    "orders": Order,
    "trades": Trade,
}
SINGULAR = {
    "instruments": "instrument",
    "counterparties": "counterparty",
    "orders": "order",
    "trades": "trade",
}
_SUFFIXES = {".yaml", ".yml", ".json", ".csv"}


@dataclass
class Bundle:
    """Everything read from a set of paths, in file order, with where each record came from."""

    instruments: list[TermSheet] = field(default_factory=list)
    counterparties: list[Counterparty] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    trades: list[Trade] = field(default_factory=list)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, id) -> "file:line"

    def records(self, record_type: str) -> list[Any]:
        return typing.cast(list[Any], getattr(self, record_type))


# --- files ------------------------------------------------------------------------------------


def _shape(doc: Document) -> Iterator[tuple[str, Path_, Any]]:
    """Yield (record type, path in document, raw record) for every record in a document."""
    data = doc.data
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield "instruments", (i,), item
        return
    if isinstance(data, Mapping):
        keys = set(data)
        if keys and keys <= set(RECORD_TYPES):
            for record_type, items in data.items():
                if not isinstance(items, list):
                    raise UserError(
                        doc.problem((record_type,), f"expected a list of {record_type}")
                    )
                for i, item in enumerate(items):
                    yield record_type, (record_type, i), item
            return
        looks_like_bundle = all(isinstance(v, list) for v in data.values())
        if (keys & set(RECORD_TYPES) or looks_like_bundle) and not keys & {"id", "kind"}:
            unknown = sorted(keys - set(RECORD_TYPES))
            raise UserError(
                doc.problem(
                    (unknown[0],),
                    f"unknown record type {unknown[0]!r}: expected " + ", ".join(RECORD_TYPES),
                    key=True,
                )
            )
        yield "instruments", (), data
        return
    raise UserError(
        doc.problem(
            (), "expected a term sheet, a list of term sheets, or a mapping of record types"
        )
    )


def _read_document(doc: Document, bundle: Bundle, problems: list[Problem]) -> None:
    for record_type, path, raw in _shape(doc):
        model = RECORD_TYPES[record_type]
        mark = doc.mark(path)
        if not isinstance(raw, Mapping):
            problems.append(doc.problem(path, f"expected a mapping for one of {record_type}"))
            continue
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, model, doc, path, doc.file))
            continue
        _add(
            bundle,
            record_type,
            record,
            f"{doc.file}:{mark.line if mark else '?'}",
            problems,
            Problem(doc.file, mark.line if mark else None, mark.column if mark else None, "id", ""),
        )


def _add(
    bundle: Bundle,
    record_type: str,
    record: Any,
    where: str,
    problems: list[Problem],
    at: Problem,
) -> None:
    key = (record_type, record.id)
    if key in bundle.origin:
        singular = SINGULAR[record_type]
        problems.append(
            Problem(
                at.file,
                at.line,
                at.column,
                "id",
                f"duplicate {singular} id {record.id!r} (first defined at {bundle.origin[key]})",
            )
        )
        return
    bundle.origin[key] = where
    bundle.records(record_type).append(record)


def _csv_type(name: str) -> str:
    for record_type in RECORD_TYPES:
        if name.lower().startswith(record_type):
            return record_type
    raise UserError(
        Problem(
            name,
            None,
            None,
            None,
            "a CSV file's name must start with its record type: " + ", ".join(RECORD_TYPES),
        )
    )


def _csv_fields(model: type[BaseModel], prefix: str = "") -> tuple[set[str], set[str]]:
    """Dotted names of boolean and list-of-text fields, which CSV cells must be converted into."""
    bools: set[str] = set()
    lists: set[str] = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = typing.get_args(ann) or (ann,)
        plain = {
            typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a for a in args
        }
        if bool in plain:
            bools.add(prefix + name)
        elif typing.get_origin(ann) is tuple:
            lists.add(prefix + name)
        for sub in unwrap_models(ann):
            b, lst = _csv_fields(sub, prefix + name + ".")
            bools |= b
            lists |= lst
    return bools, lists


def _read_csv(path: Path, bundle: Bundle, problems: list[Problem]) -> None:
    record_type = _csv_type(path.name)
    model = RECORD_TYPES[record_type]
    bools, lists = _csv_fields(model)
    file = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(Problem(file, None, None, None, f"cannot read: {exc.strerror}")) from None
    with handle:
        reader = csv.DictReader(handle)
        columns = {name: i + 1 for i, name in enumerate(reader.fieldnames or [])}
        for row in reader:
            line = reader.line_num
            raw: dict[str, Any] = {}
            bad = False
            for column, cell in row.items():
                if column is None:
                    problems.append(
                        Problem(file, line, None, None, "more cells than header columns")
                    )
                    bad = True
                    continue
                if cell is None or cell.strip() == "":
                    continue
                value: Any = cell.strip()
                if column in bools:
                    lowered = value.lower()
                    if lowered not in ("true", "false"):
                        problems.append(
                            Problem(
                                file,
                                line,
                                columns.get(column),
                                column,
                                f"expected true or false, got {value!r}",
                            )
                        )
                        bad = True
                        continue
                    value = lowered == "true"
                elif column in lists:
                    value = [v.strip() for v in value.split(";") if v.strip()]
                target = raw
                parts = column.split(".")
                for part in parts[:-1]:
                    target = target.setdefault(part, {})
                target[parts[-1]] = value
            if bad:
                continue
            try:
                record = model.model_validate(raw)
            except ValidationError as exc:
                for p in validation_problems(exc, model, None, (), file, Mark(line, 1)):
                    at = columns.get(p.field or "", 1)
                    problems.append(Problem(p.file, p.line, at, p.field, p.message))
                continue
            _add(
                bundle,
                record_type,
                record,
                f"{file}:{line}",
                problems,
                Problem(file, line, columns.get("id", 1), "id", ""),
            )


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in _SUFFIXES and not p.name.startswith(".")
            )
        elif path.exists():
            yield path
        else:
            raise UserError(Problem(str(path), None, None, None, "no such file or directory"))


def load_paths(paths: Iterable[str | Path]) -> Bundle:
    """Read every record from the given files and folders; raise InputError with all problems."""
    bundle = Bundle()
    problems: list[Problem] = []
    for path in iter_files(Path(p) for p in paths):
        try:
            if path.suffix.lower() == ".csv":
                _read_csv(path, bundle, problems)
            else:
                _read_document(load_file(path), bundle, problems)
        except UserError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return bundle


def load_instrument(value: TermSheet | Mapping[str, Any] | str | Path) -> TermSheet:
    """Accept a model, a plain mapping, or a path to a file holding exactly one term sheet."""
    if isinstance(value, TermSheet):
        return value
    if isinstance(value, Mapping):
        try:
            return TermSheet.model_validate(value)
        except ValidationError as exc:
            raise InputError(validation_problems(exc, TermSheet, None, (), "<input>")) from None
    bundle = load_paths([value])
    if len(bundle.instruments) != 1:
        raise InputError(
            Problem(
                str(value),
                None,
                None,
                None,
                f"expected exactly one term sheet, found {len(bundle.instruments)}",
            )
        )
    return bundle.instruments[0]
