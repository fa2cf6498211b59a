"""The CLI contract: JSON output matches the schema, tables render, exit codes hold."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema

from compliance.vocab import JURISDICTIONS

from .conftest import ROOT, TOY_PACKS, CliResult

SCHEMA = json.loads((ROOT / "schemas" / "classification.schema.json").read_text())
EXAMPLES = ROOT / "examples" / "instruments"


def test_classify_examples_json_matches_the_contract(cli: Callable[..., CliResult]) -> None:
    result = cli("classify", EXAMPLES, "--format", "json", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    instruments = {d["instrument_id"] for d in data}
    jurisdictions = {d["jurisdiction"] for d in data}
    assert len(instruments) >= 15
    assert {"us", "eu"} <= jurisdictions <= set(JURISDICTIONS)
    assert len(data) == len(instruments) * len(jurisdictions)
    for d in data:  # category belongs to the jurisdiction's pack
        assert d["category"].startswith(d["jurisdiction"] + ".")
        assert d["pack"]["id"] == d["jurisdiction"]


def test_schema_rejects_a_broken_result(cli: Callable[..., CliResult]) -> None:
    """The schema is not vacuous: a wrong perimeter word or obligation word fails it."""
    result = cli(
        "--packs",
        TOY_PACKS,
        "classify",
        EXAMPLES / "h100-fut-2027-03.yaml",
        "-j",
        "zz",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    for key, bad in (("perimeter", "commodity"), ("obligations", ["report_it"]), ("as_of", "soon")):
        broken = [dict(data[0], **{key: bad})]
        try:
            jsonschema.validate(broken, SCHEMA, format_checker=jsonschema.FormatChecker())
        except jsonschema.ValidationError:
            continue
        raise AssertionError(f"schema accepted {key}={bad!r}")


def test_jurisdiction_filter_and_table(cli: Callable[..., CliResult]) -> None:
    result = cli("--packs", TOY_PACKS, "classify", EXAMPLES / "h100-fut-2027-03.yaml", "-j", "zz")
    assert result.exit_code == 0
    assert "H100-FUT-2027-03" in result.stdout
    assert "zz" in result.stdout


def test_unknown_jurisdiction_exits_2(cli: Callable[..., CliResult]) -> None:
    result = cli("classify", EXAMPLES / "h100-fut-2027-03.yaml", "-j", "xx")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown jurisdiction 'xx'")


def test_packs_show_lists_categories(cli: Callable[..., CliResult]) -> None:
    result = cli("--packs", TOY_PACKS, "packs", "show", "zz", "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["version"] == "1.2.3"
    assert shown["categories"]["zz.needs_review"]["perimeter"] == "needs_review"
    assert [r["id"] for r in shown["rules"]][:2] == ["zz.spot", "zz.future"]


def test_packs_test_fails_on_a_wrong_expectation(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    import shutil

    pack = tmp_path / "zz"
    shutil.copytree(TOY_PACKS / "zz", pack)
    cases = pack / "tests" / "cases.yaml"
    cases.write_text(cases.read_text().replace("perimeter: outside", "perimeter: derivative", 1))
    result = cli("--packs", pack, "packs", "test", "zz")
    assert result.exit_code == 1
    assert "FAIL zz: spot" in result.stdout
    assert "perimeter: expected 'derivative', got 'outside'" in result.stdout


def test_packs_test_requires_coverage(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    import shutil

    pack = tmp_path / "zz"
    shutil.copytree(TOY_PACKS / "zz", pack)
    cases = pack / "tests" / "cases.yaml"
    text = cases.read_text()
    cases.write_text(text[: text.index("  - name: lapsed swap rule")])
    assert cli("--packs", pack, "packs", "test", "zz").exit_code == 0
    strict = cli("--packs", pack, "packs", "test", "zz", "--require-full-coverage")
    assert strict.exit_code == 1
    assert "rules no case reaches: zz.sunset" in strict.stdout


def test_console_script_has_no_traceback_for_user_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: X\nkind: futur\n")
    exe = Path(sys.executable).parent / "compliance"
    proc = subprocess.run([str(exe), "classify", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}:2:7: kind: expected one of" in proc.stderr
