"""`compliance packs test`: run each pack's YAML test cases and measure rule coverage."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from compliance.errors import PackError, Problem
from compliance.facts import CLASSIFY_FACTS, coerce_fact, flatten_mapping
from compliance.packs.loader import Pack, load_validated
from compliance.packs.schema import TestCase, TestsFile

if TYPE_CHECKING:
    from compliance.engine.engine import Engine

DEFAULT_AS_OF = date(2026, 6, 1)  # cases without as_of use a fixed date, so tests never drift


@dataclass
class CaseResult:
    name: str
    where: str
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class PackReport:
    pack: str
    cases: list[CaseResult] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]

    @property
    def uncovered(self) -> list[str]:
        return [r for r in self.rule_ids if r not in self.covered]

    @property
    def coverage(self) -> float:
        return len(self.covered & set(self.rule_ids)) / len(self.rule_ids) if self.rule_ids else 1.0


def case_facts(case: TestCase, where: str) -> dict[str, Any]:
    facts: dict[str, Any] = dict.fromkeys(CLASSIFY_FACTS)
    problems = []
    for name, value in flatten_mapping(case.facts):
        fact = CLASSIFY_FACTS.get(name)
        if fact is None or name == "as_of":
            hint = difflib.get_close_matches(name, list(CLASSIFY_FACTS), n=1)
            problems.append(
                f"unknown fact {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            )
            continue
        try:
            facts[name] = coerce_fact(fact, value)
        except ValueError as exc:
            problems.append(f"fact {name!r}: {exc}")
    if problems:
        file, _, line = where.rpartition(":")
        raise PackError(
            [
                Problem(file, int(line) if line.isdigit() else None, None, "facts", p)
                for p in problems
            ]
        )
    facts["as_of"] = case.as_of or DEFAULT_AS_OF
    return facts


def load_cases(pack: Pack) -> list[tuple[str, TestCase]]:
    cases: list[tuple[str, TestCase]] = []
    problems: list[Problem] = []
    for path in sorted((pack.path / "tests").glob("*.yaml")):
        try:
            tests, doc = load_validated(path, TestsFile)
        except PackError as exc:
            problems.extend(exc.problems)
            continue
        for i, case in enumerate(tests.cases):
            mark = doc.mark(("cases", i))
            cases.append((f"{path}:{mark.line if mark else '?'}", case))
    if problems:
        raise PackError(problems)
    return cases


def _compare(expected: Any, actual: Any, what: str, as_set: bool = False) -> list[str]:
    if expected is None:
        return []
    if as_set:
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {missing}")
            if extra:
                parts.append(f"unexpected {extra}")
            return [f"{what}: " + ", ".join(parts) + f" (got {sorted(actual)})"]
        return []
    return [] if expected == actual else [f"{what}: expected {expected!r}, got {actual!r}"]


def run_pack(engine: Engine, pack: Pack) -> PackReport:
    report = PackReport(pack.id, rule_ids=pack.all_rule_ids())
    for where, case in load_cases(pack):
        facts = case_facts(case, where)
        result = engine.classify_facts(pack, facts, case.name, facts["as_of"])
        for entry in result.trace:
            if entry.outcome in ("matched", "applied"):
                report.covered.add(entry.rule)
        e = case.expect
        failures = [
            *_compare(e.status, result.status, "status"),
            *_compare(e.perimeter, result.perimeter, "perimeter"),
            *_compare(e.category, result.category, "category"),
            *_compare(e.rule, result.rule, "rule"),
            *_compare(e.obligations, result.obligations, "obligations", as_set=True),
            *_compare(e.missing_facts, result.missing_facts, "missing_facts", as_set=True),
        ]
        report.cases.append(CaseResult(case.name, where, failures))
    return report
