"""The shipped packs: they load, pass their own tests with full coverage, lint clean, and give a
considered answer for every example instrument."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.engine import Engine
from compliance.model import load_paths
from compliance.packs.lint import lint_pack
from compliance.packs.testing import run_pack

from .conftest import ROOT

REQUIRED = ("us", "eu")
AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_packs()


@pytest.fixture(scope="module")
def examples():  # type: ignore[no-untyped-def]
    return load_paths([ROOT / "examples" / "instruments"]).instruments


def test_required_packs_are_shipped(engine: Engine) -> None:
    assert set(REQUIRED) <= set(engine.packs)


@pytest.mark.parametrize("code", REQUIRED)
def test_pack_tests_pass_with_full_coverage(engine: Engine, code: str) -> None:
    report = run_pack(engine, engine.packs[code])
    assert [(c.name, c.failures) for c in report.failed] == []
    assert len(report.cases) >= 25
    assert report.uncovered == []


@pytest.mark.parametrize("code", REQUIRED)
def test_pack_lints_clean(engine: Engine, code: str) -> None:
    assert lint_pack(engine.packs[code]) == []


@pytest.mark.parametrize("code", REQUIRED)
def test_every_rule_cites_and_every_category_is_labelled(engine: Engine, code: str) -> None:
    pack = engine.packs[code]
    for rule in pack.classify.rules:
        assert rule.citations and all(len(c) > 5 for c in rule.citations), rule.id
    for cid, category in pack.categories.items():
        assert category.label.strip(), cid
    assert all(s.as_of for s in pack.meta.sources)


def test_every_example_is_decided_by_a_rule(engine: Engine, examples) -> None:  # type: ignore[no-untyped-def]
    assert len(examples) >= 15
    undecided = [
        (r.instrument_id, r.jurisdiction)
        for instrument in examples
        for r in engine.classify(instrument, jurisdictions=REQUIRED, as_of=AS_OF)
        if r.rule is None
    ]
    assert undecided == []
