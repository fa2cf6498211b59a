"""Engine semantics on a toy pack: ordering, exceptions, unknown facts, dates, obligations."""

from __future__ import annotations

import builtins
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance.engine import Engine
from compliance.packs.testing import run_pack

from .conftest import term_sheet

D = date(2026, 6, 1)


def classify(engine: Engine, as_of: date = D, **overrides: Any):  # type: ignore[no-untyped-def]
    (result,) = engine.classify(term_sheet(**overrides), as_of=as_of)
    return result


def test_first_matching_rule_decides_and_is_traced(toy_engine: Engine) -> None:
    r = classify(toy_engine)
    assert (r.status, r.perimeter, r.category, r.rule) == (
        "classified",
        "derivative",
        "zz.markets.future",
        "zz.future",
    )
    assert r.label == "Testland future"
    assert r.obligations == ["trade_reporting", "clearing"]
    assert "Markets Act s.3(1)" in r.citations and "Markets Act s.6" in r.citations
    outcomes = {(t.rule, t.outcome) for t in r.trace}
    assert ("zz.spot", "not_matched") in outcomes and ("zz.future", "matched") in outcomes
    future = next(t for t in r.trace if t.rule == "zz.future")
    assert future.facts == {"kind": "future", "venue.type": "dcm"}


def test_exception_takes_the_rule_back(toy_engine: Engine) -> None:
    r = classify(
        toy_engine,
        settlement="physical",
        delivery={
            "country": "US",
            "start": "2027-03-01",
            "end": "2027-03-31",
            "intent_to_deliver": True,
        },
    )
    assert r.perimeter == "needs_review"  # falls through to the default
    assert ("zz.future", "excepted") in {(t.rule, t.outcome) for t in r.trace}
    assert r.missing_facts == ["a Testland rule for this instrument"]


def test_unknown_exception_fact_routes_to_review(toy_engine: Engine) -> None:
    r = classify(
        toy_engine,
        settlement="physical",
        delivery={"country": "US", "start": "2027-03-01", "end": "2027-03-31"},
    )
    assert (r.status, r.perimeter, r.category) == (
        "needs_review",
        "needs_review",
        "zz.needs_review",
    )
    assert r.missing_facts == ["delivery.intent_to_deliver"]


def test_unknown_condition_stops_with_the_missing_facts(toy_engine: Engine) -> None:
    r = classify(toy_engine, venue=None)
    assert r.perimeter == "needs_review"
    assert r.missing_facts == ["venue.type"]
    assert r.trace[-1].outcome == "unknown"


def test_three_valued_logic_does_not_ask_for_irrelevant_facts(toy_engine: Engine) -> None:
    # venue unknown, but kind == 'spot' decides before any rule reads the venue
    r = classify(toy_engine, kind="spot", venue=None, expiry=None)
    assert (r.perimeter, r.missing_facts) == ("outside", [])


def test_requires_names_missing_facts_once_the_rule_applies(toy_engine: Engine) -> None:
    token = term_sheet(
        kind="token",
        token={"yield_bearing": True},
        venue=None,
        expiry=None,
        settlement="physical",
        cleared=None,
    )
    (r,) = toy_engine.classify(token, as_of=D)
    assert (r.perimeter, r.missing_facts) == ("needs_review", ["offering.retail_offered"])


def test_unknown_obligation_fails_closed(toy_engine: Engine) -> None:
    r = classify(toy_engine, cleared=None)
    assert r.perimeter == "derivative"
    assert r.status == "needs_review"
    assert "clearing" in r.obligations
    assert r.obligation_details["clearing"].confirmed is False
    assert r.missing_facts == ["cleared"]


def test_parameters_follow_effective_dates(toy_engine: Engine) -> None:
    mtf = {"type": "mtf", "mic": "XMTF"}
    before = classify(toy_engine, as_of=date(2027, 10, 24), venue=mtf)
    after = classify(toy_engine, as_of=date(2027, 10, 25), venue=mtf)
    assert before.perimeter == "needs_review" and after.perimeter == "derivative"


def test_rules_outside_their_window_are_skipped(toy_engine: Engine) -> None:
    swap = {"kind": "swap", "venue": {"type": "otc"}}
    assert classify(toy_engine, as_of=date(2024, 12, 31), **swap).rule == "zz.sunset"
    late = classify(toy_engine, as_of=date(2025, 1, 1), **swap)
    assert late.rule is None
    assert ("zz.sunset", "not_in_force") in {(t.rule, t.outcome) for t in late.trace}


def test_pack_not_yet_in_force_is_review(toy_engine: Engine) -> None:
    r = classify(toy_engine, as_of=date(2019, 12, 31))
    assert r.perimeter == "needs_review" and "not in force" in (r.reason or "")


def test_pack_reference_carries_version_and_hash(toy_engine: Engine) -> None:
    r = classify(toy_engine)
    assert r.pack.id == "zz" and r.pack.version == "1.2.3" and len(r.pack.sha256) == 64


def test_hash_changes_with_content_not_with_comments(tmp_path: Path) -> None:
    import shutil

    from compliance.packs.loader import load_library, load_pack
    from compliance.resources import data_dir

    from .conftest import TOY_PACKS

    library = load_library([data_dir("rules")])
    original = load_pack(TOY_PACKS / "zz", library).sha256
    copy = tmp_path / "zz"
    shutil.copytree(TOY_PACKS / "zz", copy)
    classify_yaml = copy / "classify.yaml"
    classify_yaml.write_text("# a comment\n" + classify_yaml.read_text())
    assert load_pack(copy, library).sha256 == original
    classify_yaml.write_text(
        classify_yaml.read_text().replace("Markets Act s.6", "Markets Act s.7")
    )
    assert load_pack(copy, library).sha256 != original


def test_classification_is_pure(toy_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_io(*args: object, **kwargs: object) -> None:
        raise AssertionError("the engine did I/O while classifying")

    from compliance.model.terms import TermSheet

    instrument = TermSheet.model_validate(term_sheet())
    monkeypatch.setattr(builtins, "open", no_io)
    monkeypatch.setattr(Path, "read_text", no_io)
    assert toy_engine.classify(instrument, as_of=D)[0].perimeter == "derivative"


def test_dict_and_file_inputs_agree(toy_engine: Engine, tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(term_sheet()))
    from_file = toy_engine.classify(path, as_of=D)[0]
    from_dict = toy_engine.classify(term_sheet(), as_of=D)[0]
    assert from_file.model_dump() == from_dict.model_dump()


def test_unknown_jurisdiction_is_a_user_error(toy_engine: Engine) -> None:
    from compliance.errors import UserError

    with pytest.raises(UserError, match="unknown jurisdiction 'xx'"):
        toy_engine.classify(term_sheet(), jurisdictions=["xx"])


def test_pack_tests_report_coverage(toy_engine: Engine) -> None:
    report = run_pack(toy_engine, toy_engine.packs["zz"])
    assert [c.name for c in report.failed] == []
    assert len(report.cases) == 5
    # the commercial-future exception and the retail obligation are reached; nothing is missing
    assert report.uncovered == []
