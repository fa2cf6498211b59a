"""Every malformed input exits 2 with one line per problem naming file:line, the field and what
was expected — and never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import TOY_PACKS, CliResult

GOOD = """\
id: T-1
name: Test future
kind: future
settlement: cash
underlying:
  resource: gpu_hour
  index: SDH100RT
  quantity: 1000
venue: {type: dcm, mic: XCME}
cleared: true
expiry: 2027-03-31
issuer: {name: Example Compute Ltd, lei: EXCC00EXCOMPUTEL0197, country: GB}
currency: USD
"""

PHYSICAL = GOOD.replace("settlement: cash", "settlement: physical").replace(
    "kind: future", "kind: forward"
)


def edit(old: str, new: str, base: str = GOOD) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


# (case id, file text, expected line, expected field, expected message fragment)
TERM_SHEET_CASES = [
    (
        "typo-top-key",
        edit("settlement: cash", "settlment: cash"),
        4,
        "settlment",
        "unknown key 'settlment': did you mean 'settlement'",
    ),
    (
        "typo-nested-key",
        edit("  resource: gpu_hour", "  resouce: gpu_hour"),
        6,
        "underlying.resouce",
        "did you mean 'resource'",
    ),
    (
        "wrong-type-number",
        edit("quantity: 1000", "quantity: lots"),
        8,
        "underlying.quantity",
        "decimal",
    ),
    ("enum-typo", edit("kind: future", "kind: futur"), 3, "kind", "expected one of"),
    (
        "bad-lei-checksum",
        edit("EXCC00EXCOMPUTEL0197", "EXCC00EXCOMPUTEL0198"),
        12,
        "issuer.lei",
        "check digit",
    ),
    (
        "bad-lei-shape",
        edit("EXCC00EXCOMPUTEL0197", "5493-001"),
        12,
        "issuer.lei",
        "18 upper-case letters or digits",
    ),
    ("bad-country", edit("country: GB", "country: UK"), 12, "issuer.country", "ISO 3166-1 alpha-2"),
    ("bad-currency", edit("currency: USD", "currency: USX"), 13, "currency", "ISO 4217"),
    (
        "string-for-bool",
        edit("cleared: true", "cleared: 'yes'"),
        10,
        "cleared",
        "expected true or false",
    ),
    (
        "yaml11-bool-word",
        edit("cleared: true", "cleared: yes"),
        10,
        "cleared",
        "expected true or false",
    ),
    ("missing-required", edit("currency: USD\n", ""), 1, "currency", "required field is missing"),
    (
        "physical-without-delivery",
        PHYSICAL,
        1,
        None,
        "physical settlement needs a 'delivery' block",
    ),
    (
        "cash-with-delivery",
        GOOD + "delivery: {country: US, start: 2027-03-01, end: 2027-03-31}\n",
        1,
        None,
        "only for physical settlement",
    ),
    (
        "option-without-block",
        edit("kind: future", "kind: option"),
        1,
        None,
        "kind 'option' needs an 'option' block",
    ),
    (
        "option-block-on-future",
        GOOD + "option: {type: call, style: european, strike: 2.1, on: index}\n",
        1,
        None,
        "belongs only to kind 'option'",
    ),
    (
        "token-without-block",
        edit("kind: future", "kind: token"),
        1,
        None,
        "kind 'token' needs a 'token' block",
    ),
    (
        "perpetual-with-expiry",
        edit("kind: future", "kind: perpetual"),
        1,
        None,
        "a perpetual has no 'expiry'",
    ),
    (
        "expiry-before-delivery",
        edit("expiry: 2027-03-31", "expiry: 2027-02-01", PHYSICAL)
        + "delivery: {country: US, start: 2027-03-01, end: 2027-03-31, intent_to_deliver: true}\n",
        1,
        None,
        "expiry 2027-02-01 is before delivery start 2027-03-01",
    ),
    (
        "delivery-end-before-start",
        PHYSICAL + "delivery: {country: US, start: 2027-03-31, end: 2027-03-01}\n",
        14,
        "delivery",
        "delivery end 2027-03-01 is before delivery start 2027-03-31",
    ),
    (
        "impossible-date",
        edit("expiry: 2027-03-31", "expiry: 2027-02-30"),
        11,
        "expiry",
        "bad value",
    ),
    ("mic-shape", edit("mic: XCME", "mic: xcme1"), 9, "venue.mic", "pattern"),
    (
        "negative-quantity",
        edit("quantity: 1000", "quantity: -5"),
        8,
        "underlying.quantity",
        "greater than 0",
    ),
    (
        "python-tag",
        edit("name: Test future", "name: !!python/object:os.system echo"),
        2,
        "name",
        "is not allowed",
    ),
    ("duplicate-key", GOOD + "kind: swap\n", 14, "kind", "duplicate key 'kind'"),
    (
        "yaml-syntax",
        edit("venue: {type: dcm, mic: XCME}", "venue: {type: dcm, mic: XCME"),
        10,
        None,
        "YAML syntax error",
    ),
    (
        "unknown-record-type",
        "instrumentz:\n  - id: X\n",
        1,
        "instrumentz",
        "unknown record type 'instrumentz'",
    ),
    ("not-a-mapping", "just text\n", 1, None, "expected a term sheet"),
    (
        "nested-wrong-type",
        edit("venue: {type: dcm, mic: XCME}", "venue: dcm"),
        9,
        "venue",
        "expected a mapping of fields",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"),
    [c[1:] for c in TERM_SHEET_CASES],
    ids=[c[0] for c in TERM_SHEET_CASES],
)
def test_bad_term_sheet(
    cli: Callable[..., CliResult],
    tmp_path: Path,
    text: str,
    line: int,
    field: str | None,
    fragment: str,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = cli("classify", path, "--format", "json")
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {path}:{line}:"), first
    if field:
        assert f": {field}: " in first, first
    assert fragment in result.stderr, result.stderr


def test_all_errors_of_a_file_are_reported_at_once(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    text = edit("kind: future", "kind: futur", edit("currency: USD", "currency: USX"))
    text = "instruments:\n" + "".join(
        ("  - " if i == 0 else "    ") + line + "\n" for i, line in enumerate(text.splitlines())
    )
    path = tmp_path / "two.yaml"
    path.write_text(text)
    result = cli("classify", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert any("instruments[0].kind" not in x and ": kind: " in x for x in lines) or any(
        ": kind: " in x for x in lines
    )
    assert any(": currency: " in x for x in lines)


def test_duplicate_ids_across_files(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    result = cli("classify", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'b.yaml'}:1:1: id: duplicate instrument id 'T-1'" in result.stderr
    assert f"first defined at {tmp_path / 'a.yaml'}:1" in result.stderr


def test_json_syntax_error(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "X",\n  "kind": "future",,\n}\n')
    result = cli("classify", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:3:")


def test_csv_bad_row_names_the_row(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = tmp_path / "instruments.csv"
    path.write_text(
        "id,name,kind,settlement,underlying.resource,underlying.index,venue.type,cleared,expiry,currency\n"
        "A,Future A,future,cash,gpu_hour,SDH100RT,dcm,true,2027-03-31,USD\n"
        "B,Future B,futur,cash,gpu_hour,SDH100RT,dcm,true,2027-03-31,USD\n"
    )
    result = cli("classify", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:3:3: kind: expected one of")


def test_csv_must_be_named_for_its_record_type(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    path = tmp_path / "stuff.csv"
    path.write_text("id\nA\n")
    result = cli("classify", path)
    assert result.exit_code == 2
    assert "a CSV file's name must start with its record type" in result.stderr


def test_missing_path(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("classify", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: no such file or directory" in result.stderr


def test_bad_as_of(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    result = cli("classify", tmp_path / "a.yaml", "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert "--as-of: expected a date YYYY-MM-DD" in result.stderr


# --- broken packs ------------------------------------------------------------------------


def _toy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "packs" / "zz"
    shutil.copytree(TOY_PACKS / "zz", target)
    return target


# (case id, file in the pack, old text, new text, expected "file:line", field, message fragment)
PACK_CASES = [
    (
        "unknown-fact",
        "classify.yaml",
        "when: \"kind == 'spot'\"",
        "when: \"kindd == 'spot'\"",
        "classify.yaml:10:12",
        "rules[0].when",
        "unknown fact or predicate 'kindd' (did you mean 'kind'?)",
    ),
    (
        "enum-typo",
        "classify.yaml",
        "when: \"kind == 'spot'\"",
        "when: \"kind == 'spott'\"",
        "classify.yaml:10:20",
        "rules[0].when",
        "'spott' is not a possible value of 'kind'",
    ),
    (
        "unknown-parameter",
        "classify.yaml",
        "param.venues",
        "param.venue",
        "classify.yaml:2:28",
        "predicates.on_venue",
        "unknown parameter 'venue' (did you mean 'param.venues'?)",
    ),
    (
        "unknown-predicate",
        "classify.yaml",
        "kind == 'future' and on_venue",
        "kind == 'future' and on_venu",
        "classify.yaml:15:33",
        "rules[1].when",
        "unknown fact or predicate 'on_venu'",
    ),
    (
        "type-mismatch",
        "classify.yaml",
        "when: \"kind == 'spot'\"",
        'when: "cleared == 3"',
        "classify.yaml:10:23",
        "rules[0].when",
        "cannot compare true/false with a number",
    ),
    (
        "not-boolean",
        "classify.yaml",
        "when: \"kind == 'spot'\"",
        'when: "underlying.quantity"',
        "classify.yaml:10:12",
        "rules[0].when",
        "a condition must be true/false",
    ),
    (
        "predicate-cycle",
        "classify.yaml",
        'on_venue: "venue.type in param.venues"',
        'on_venue: "venue.type in param.venues and loop_b"\n  loop_b: "not on_venue"',
        "classify.yaml:2:45",
        "predicates.on_venue",
        "predicate cycle: loop_b -> on_venue -> loop_b",
    ),
    (
        "syntax-error",
        "classify.yaml",
        "when: \"kind == 'spot'\"",
        "when: \"kind = 'spot'\"",
        "classify.yaml:10:17",
        "rules[0].when",
        "use '==' to compare",
    ),
    (
        "typo-key-in-rule",
        "classify.yaml",
        '    citations: ["Markets Act s.2"]',
        '    citation: ["Markets Act s.2"]',
        "classify.yaml:12:5",
        "rules[0].citation",
        "unknown key 'citation': did you mean 'citations'?",
    ),
    (
        "rule-without-citation",
        "classify.yaml",
        '    citations: ["Markets Act s.2"]',
        "    citations: []",
        "classify.yaml:12:16",
        "rules[0].citations",
        "needs at least 1 item",
    ),
    (
        "undeclared-category",
        "classify.yaml",
        "then: {category: zz.outside.spot}",
        "then: {category: zz.outside.spott}",
        "classify.yaml:11:22",
        "rules[0].then.category",
        "category 'zz.outside.spott' is not declared",
    ),
    (
        "duplicate-rule-id",
        "classify.yaml",
        "  - id: zz.future\n",
        "  - id: zz.spot\n",
        "classify.yaml:13:9",
        "rules[1].id",
        "duplicate rule id 'zz.spot'",
    ),
    (
        "bad-obligation-word",
        "classify.yaml",
        "obligation: clearing",
        "obligation: clearance",
        "classify.yaml:38:17",
        "obligations[0].obligation",
        "'clearance' is not an obligation word",
    ),
    (
        "pack-yaml-syntax",
        "pack.yaml",
        "name: Testland",
        "name: [Testland",
        "pack.yaml:4:",
        None,
        "YAML syntax error",
    ),
    (
        "parameter-both-forms",
        "parameters.yaml",
        "    value: true",
        "    value: true\n    values: []",
        "parameters.yaml:9:5",
        "parameters.retail_ban_in_force",
        "give either 'value'",
    ),
    (
        "parameter-enum-check",
        "parameters.yaml",
        "value: [dcm, mtf]",
        "value: [dcm, mtff]",
        "classify.yaml:2:28",
        "predicates.on_venue",
        "'mtff' is not a possible value of 'venue.type'",
    ),
    (
        "python-tag-in-pack",
        "pack.yaml",
        "name: Testland",
        "name: !!python/object/apply:os.system [id]",
        "pack.yaml:3:7",
        "name",
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "field", "fragment"),
    [c[1:] for c in PACK_CASES],
    ids=[c[0] for c in PACK_CASES],
)
def test_bad_pack(
    cli: Callable[..., CliResult],
    tmp_path: Path,
    file: str,
    old: str,
    new: str,
    where: str,
    field: str | None,
    fragment: str,
) -> None:
    pack = _toy_pack(tmp_path)
    target = pack / file
    text = target.read_text()
    assert old in text, old
    target.write_text(text.replace(old, new, 1))
    sheet = tmp_path / "t.yaml"
    sheet.write_text(GOOD)
    result = cli("--packs", pack, "classify", sheet)
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    expected_prefix = f"error: {pack}/{where}"
    matching = [line for line in result.stderr.splitlines() if line.startswith(expected_prefix)]
    assert matching, result.stderr
    if field:
        assert any(f": {field}: " in line for line in matching), result.stderr
    assert fragment in result.stderr, result.stderr
