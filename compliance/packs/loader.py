"""Loading packs: read the YAML safely, validate it, type-check and compile every condition.

Everything that can be wrong with a pack is found here, at load time, and reported with
file:line:column — the engine never meets a malformed rule. A pack is compiled once per epoch
(a date range with fixed parameter values and fixed rules in force), so classifying for any
``as_of`` date costs a bisect, not a recompilation.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from compliance.errors import PackError, Problem, UserError
from compliance.facts import CLASSIFY_FACTS, Fact, FactType
from compliance.packs.compiler import (
    CompileError,
    Compiler,
    Evaluator,
    ExprSource,
    PredicateDef,
)
from compliance.packs.schema import (
    Category,
    ClassifyFile,
    ObligationRule,
    PackMeta,
    ParametersFile,
    Predicate,
    Rule,
    RulesFile,
    Window,
)
from compliance.resources import data_dir
from compliance.validation import validation_problems
from compliance.vocab import PERIMETERS
from compliance.yamlsrc import Document, Path_, dotted, load_file

M = TypeVar("M", bound=BaseModel)

NEEDS_REVIEW_LABEL = "Needs review: the facts given do not settle the classification"


@dataclass(frozen=True, slots=True)
class CompiledException:
    id: str
    title: str
    citations: tuple[str, ...]
    fn: Evaluator
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    spec: Rule
    in_force: bool
    fn: Evaluator
    facts: tuple[str, ...]
    exceptions: tuple[CompiledException, ...]


@dataclass(frozen=True, slots=True)
class CompiledObligation:
    spec: ObligationRule
    in_force: bool
    fn: Evaluator
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Epoch:
    start: date
    rules: tuple[CompiledRule, ...]
    obligations: tuple[CompiledObligation, ...]
    params: Mapping[str, Any]


@dataclass
class Pack:
    meta: PackMeta
    path: Path
    sha256: str
    categories: dict[str, Category]
    classify: ClassifyFile
    parameters: ParametersFile
    predicates: dict[str, PredicateDef]  # shared and own, by name
    rule_locations: dict[str, str]  # rule id -> "file:line"
    epochs: list[Epoch] = field(default_factory=list)
    _starts: list[date] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    def epoch(self, as_of: date) -> Epoch | None:
        """The compiled rules in force on ``as_of``; None before the pack takes effect."""
        i = bisect.bisect_right(self._starts, as_of) - 1
        return self.epochs[i] if i >= 0 else None

    def all_rule_ids(self) -> list[str]:
        ids: list[str] = []
        for rule in self.classify.rules:
            ids.append(rule.id)
            ids.extend(e.id for e in rule.unless)
        ids.extend(o.id for o in self.classify.obligations)
        return ids


# --- helpers --------------------------------------------------------------------------------


def _validate(model: type[M], doc: Document) -> M:
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        raise PackError(validation_problems(exc, model, doc, (), doc.file)) from None


def load_validated(path: Path, model: type[M]) -> tuple[M, Document]:
    try:
        doc = load_file(path)
    except UserError as exc:
        raise PackError(exc.problems) from None
    return _validate(model, doc), doc


def _source(doc: Document, path: Path_, text: str) -> ExprSource:
    mark = doc.mark(path)
    style = doc.scalar_styles.get(path)
    return ExprSource(
        text=text,
        file=doc.file,
        line=mark.line if mark else 0,
        column=mark.column if mark else 0,
        field=dotted(path),
        quoted=style in ("'", '"'),
        block=style in ("|", ">"),
    )


def _compile_problem(exc: CompileError) -> Problem:
    src = exc.source
    assert src is not None
    line, column = src.locate(exc.pos)
    return Problem(src.file, line, column, src.field, exc.message)


def canonical_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces, dates as ISO strings) for hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# --- shared rule libraries -----------------------------------------------------------------


def _predicate_defs(
    doc: Document, base: Path_, items: Mapping[str, Predicate | str]
) -> dict[str, PredicateDef]:
    out = {}
    for name, spec in items.items():
        if isinstance(spec, Predicate):
            out[name] = PredicateDef(name, _source(doc, (*base, name, "when"), spec.when))
        else:
            out[name] = PredicateDef(name, _source(doc, (*base, name), spec))
    return out


@dataclass
class Library:
    """The shared predicates of the rules/ folders."""

    predicates: dict[str, PredicateDef] = field(default_factory=dict)
    content: dict[str, Any] = field(default_factory=dict)  # file name -> data, for hashing


def load_library(folders: Iterable[Path]) -> Library:
    lib = Library()
    problems: list[Problem] = []
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            try:
                spec, doc = load_validated(path, RulesFile)
            except PackError as exc:
                problems.extend(exc.problems)
                continue
            for name, pred in _predicate_defs(doc, ("predicates",), spec.predicates).items():
                if name in CLASSIFY_FACTS:
                    problems.append(
                        doc.problem(
                            ("predicates", name),
                            f"predicate {name!r} has the name of a fact",
                            key=True,
                        )
                    )
                elif name in lib.predicates:
                    other = lib.predicates[name].source
                    problems.append(
                        doc.problem(
                            ("predicates", name),
                            f"predicate {name!r} is already defined at {other.file}:{other.line}",
                            key=True,
                        )
                    )
                else:
                    lib.predicates[name] = pred
            lib.content[path.name] = doc.data
    if problems:
        raise PackError(problems)
    return lib


# --- packs ---------------------------------------------------------------------------------


def _epoch_starts(
    pack_meta: PackMeta, params: ParametersFile, classify: ClassifyFile
) -> list[date]:
    first = pack_meta.effective.from_ or date.min
    starts = {first}
    windows: list[Window] = [pack_meta.effective]
    windows += [r.effective for r in classify.rules]
    windows += [o.effective for o in classify.obligations]
    for w in windows:
        starts.update(d for d in (w.from_, w.to) if d is not None)
    for p in params.parameters.values():
        starts.update(d for d, _ in p.versions() if d != date.min)
    return sorted(d for d in starts if d >= first)


def _params_at(params: ParametersFile, day: date) -> dict[str, Any]:
    out = {}
    for name, p in params.parameters.items():
        current: Any = None
        have = False
        for start, value in p.versions():
            if start <= day:
                current, have = value, True
        if have:
            out[name] = current
    return out


def load_pack(folder: Path, library: Library) -> Pack:
    problems: list[Problem] = []
    meta, meta_doc = load_validated(folder / "pack.yaml", PackMeta)
    if (folder / "parameters.yaml").exists():
        params, params_doc = load_validated(folder / "parameters.yaml", ParametersFile)
    else:
        params, params_doc = ParametersFile(), Document(str(folder / "parameters.yaml"), {})
    classify, doc = load_validated(folder / "classify.yaml", ClassifyFile)
    code = meta.id
    if folder.name != code:
        problems.append(
            meta_doc.problem(
                ("id",), f"pack id {code!r} differs from its folder name {folder.name!r}"
            )
        )

    # categories: ids are "<code>.<regime>.<kind>", every pack has "<code>.needs_review"
    categories = dict(classify.categories)
    for cid in categories:
        if not cid.startswith(code + ".") or cid.count(".") < 1:
            problems.append(
                doc.problem(
                    ("categories", cid), f"category id {cid!r} must start with '{code}.'", key=True
                )
            )
    review_id = f"{code}.needs_review"
    categories.setdefault(review_id, Category(label=NEEDS_REVIEW_LABEL, perimeter="needs_review"))
    if categories[review_id].perimeter != "needs_review":
        problems.append(
            doc.problem(
                ("categories", review_id), "this category must have perimeter 'needs_review'"
            )
        )

    # rule ids unique and prefixed; outcomes name declared categories
    seen: dict[str, Path_] = {}
    locations: dict[str, str] = {}

    def claim(rid: str, path: Path_) -> None:
        if not rid.startswith(code + "."):
            problems.append(
                doc.problem((*path, "id"), f"rule id {rid!r} must start with '{code}.'")
            )
        if rid in seen:
            problems.append(
                doc.problem(
                    (*path, "id"), f"duplicate rule id {rid!r} (also at {dotted(seen[rid])})"
                )
            )
        seen[rid] = path
        mark = doc.mark((*path, "id"))
        locations[rid] = f"{doc.file}:{mark.line if mark else '?'}"

    outcomes: list[tuple[Path_, Any]] = [(("default",), classify.default)]
    for i, rule in enumerate(classify.rules):
        claim(rule.id, ("rules", i))
        for j, exc in enumerate(rule.unless):
            claim(exc.id, ("rules", i, "unless", j))
        outcomes.append((("rules", i, "then"), rule.then))
        for k, fact in enumerate(rule.requires):
            if fact not in CLASSIFY_FACTS:
                problems.append(doc.problem(("rules", i, "requires", k), f"unknown fact {fact!r}"))
    for i, ob in enumerate(classify.obligations):
        claim(ob.id, ("obligations", i))
    for path, outcome in outcomes:
        if outcome.category is not None and outcome.category not in categories:
            problems.append(
                doc.problem(
                    (*path, "category"),
                    f"category {outcome.category!r} is not declared in 'categories'",
                )
            )

    # predicates: the pack's own, plus the shared library; no shadowing
    predicates = dict(library.predicates)
    for name, pred in _predicate_defs(doc, ("predicates",), classify.predicates).items():
        if name in CLASSIFY_FACTS:
            problems.append(
                doc.problem(
                    ("predicates", name), f"predicate {name!r} has the name of a fact", key=True
                )
            )
        elif name in predicates:
            other = predicates[name].source
            problems.append(
                doc.problem(
                    ("predicates", name),
                    f"predicate {name!r} is already defined at {other.file}:{other.line}",
                    key=True,
                )
            )
        predicates[name] = pred
    if problems:
        raise PackError(problems)

    obligation_facts: dict[str, Fact] = {
        **CLASSIFY_FACTS,
        "perimeter": Fact("perimeter", FactType("enum", PERIMETERS, "perimeter")),
        "category": Fact(
            "category", FactType("enum", frozenset(categories), f"a category of pack {code!r}")
        ),
    }

    # parameter values must be lists or scalars we can type
    for name, p in params.parameters.items():
        for _start, value in p.versions():
            if isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
            ):
                problems.append(
                    params_doc.problem(
                        ("parameters", name),
                        "a parameter value must be a scalar or a list of scalars",
                    )
                )
    if problems:
        raise PackError(problems)

    # compile once per epoch; report each distinct problem once
    starts = _epoch_starts(meta, params, classify)
    epochs: list[Epoch] = []
    found: dict[tuple[Any, ...], Problem] = {}

    def compiled(compiler: Compiler, source: ExprSource) -> tuple[Evaluator, tuple[str, ...]]:
        try:
            out = compiler.condition(source)
        except CompileError as exc:
            prob = _compile_problem(exc)
            found.setdefault((prob.file, prob.line, prob.column, prob.message), prob)
            return (lambda facts: None), ()
        return out.fn, tuple(sorted(out.facts))

    for start in starts:
        values = _params_at(params, start)
        declared = set(params.parameters)
        rule_compiler = Compiler(CLASSIFY_FACTS, values, predicates, declared, start)
        ob_compiler = Compiler(obligation_facts, values, predicates, declared, start)
        rules = []
        for i, rule in enumerate(classify.rules):
            fn, facts = compiled(rule_compiler, _source(doc, ("rules", i, "when"), rule.when))
            excs = []
            for j, exc in enumerate(rule.unless):
                efn, efacts = compiled(
                    rule_compiler, _source(doc, ("rules", i, "unless", j, "when"), exc.when)
                )
                excs.append(CompiledException(exc.id, exc.title, tuple(exc.citations), efn, efacts))
            rules.append(
                CompiledRule(
                    rule,
                    rule.effective.contains(start) and meta.effective.contains(start),
                    fn,
                    facts,
                    tuple(excs),
                )
            )
        obligations = []
        for i, ob in enumerate(classify.obligations):
            fn, facts = compiled(ob_compiler, _source(doc, ("obligations", i, "when"), ob.when))
            obligations.append(CompiledObligation(ob, ob.effective.contains(start), fn, facts))
        # predicates nobody references are still checked
        for name, pred in predicates.items():
            if name not in library.predicates or start == starts[0]:
                compiled(rule_compiler, pred.source)
        epochs.append(Epoch(start, tuple(rules), tuple(obligations), values))
    if found:
        raise PackError(
            sorted(found.values(), key=lambda p: (p.file or "", p.line or 0, p.column or 0))
        )

    content = {
        "pack": meta_doc.data,
        "parameters": params_doc.data,
        "classify": doc.data,
        "rules": library.content,
    }
    digest = hashlib.sha256(canonical_json(content).encode()).hexdigest()
    pack = Pack(
        meta, folder, digest, categories, classify, params, predicates, locations, epochs, starts
    )
    return pack


def _pack_folders(root: Path) -> list[Path]:
    if (root / "pack.yaml").exists():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "pack.yaml").exists())


def load_packs(extra: Iterable[str | Path] = ()) -> dict[str, Pack]:
    """The shipped packs, then each extra folder (a pack, or a folder of packs) overriding by id."""
    extra_paths = [Path(p) for p in extra]
    for p in extra_paths:
        if not p.is_dir():
            raise PackError(Problem(str(p), None, None, None, "pack folder not found"))
    rule_dirs = [data_dir("rules")] + [p / "rules" for p in extra_paths if (p / "rules").is_dir()]
    library = load_library(rule_dirs)
    folders: dict[str, Path] = {}
    for root in [data_dir("jurisdictions"), *extra_paths]:
        for folder in _pack_folders(root):
            folders[folder.name] = folder
    problems: list[Problem] = []
    packs: dict[str, Pack] = {}
    for name, folder in folders.items():
        try:
            packs[name] = load_pack(folder, library)
        except PackError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PackError(problems)
    return packs
