"""A pack that tries to run code is rejected when it loads, and nothing it says is executed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from compliance.errors import PackError
from compliance.packs.loader import load_library, load_pack
from compliance.resources import data_dir

from .conftest import ROOT, TOY_PACKS

SPOT_RULE = "when: \"kind == 'spot'\""


def _load_with(tmp_path: Path, old: str, new: str, file: str = "classify.yaml") -> PackError:
    pack = tmp_path / "zz"
    shutil.copytree(TOY_PACKS / "zz", pack)
    target = pack / file
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    with pytest.raises(PackError) as caught:
        load_pack(pack, load_library([data_dir("rules")]))
    return caught.value


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("__import__('os').system('touch CANARY')", "double underscores"),
        ("kind.__class__ == 'x'", "double underscores"),
        ("kind._secret == 'x'", "names starting with '_'"),
        ("lambda: true", "lambdas are not part of the pack language"),
        ("open('CANARY') == 'x'", "function calls are not part of the pack language"),
        ("kind == 'spot' and exec('1')", "function calls are not part of the pack language"),
        ("kind[0] == 's'", "indexing is not part of the pack language"),
        ("import os", "imports are not part of the pack language"),
        ("underlying.quantity + 1 > 2", "arithmetic is not part of the pack language"),
        ("{'a': 1}", "dictionaries are not part of the pack language"),
        ("kind == 'spot' if true else false", "conditional expressions"),
        ("(" * 40 + "true" + ")" * 40, "nested deeper than 32 levels"),
        ("not " * 40 + "cleared", "nested deeper than 32 levels"),
        ("cleared or " * 1000 + "cleared", "longer than 4000 characters"),
    ],
    ids=[
        "dunder-import",
        "dunder-attribute",
        "private-name",
        "lambda",
        "call-open",
        "call-exec",
        "subscript",
        "import",
        "arithmetic",
        "dict",
        "ternary",
        "deep-parens",
        "deep-not",
        "too-long",
    ],
)
def test_code_in_conditions_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, condition: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    quoted = condition.replace("\\", "\\\\").replace('"', '\\"')
    error = _load_with(tmp_path, SPOT_RULE, f'when: "{quoted}"')
    assert message in str(error)
    assert "classify.yaml:10:" in str(error)  # located
    assert not (tmp_path / "CANARY").exists()


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch CANARY']",
        "!!python/name:os.system",
        "!!python/object:builtins.object {}",
        "!custom {}",
    ],
)
def test_object_tags_are_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str
) -> None:
    monkeypatch.chdir(tmp_path)
    error = _load_with(tmp_path, "title: Spot is outside", f"title: {tag}")
    assert "is not allowed: input files hold plain data only" in str(error)
    assert not (tmp_path / "CANARY").exists()


def test_alias_bombs_are_refused(tmp_path: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    error = _load_with(tmp_path, "predicates:\n", "\n".join(bomb) + "\npredicates:\n")
    assert "document too large once aliases are expanded" in str(error)


def test_no_dynamic_code_in_the_package() -> None:
    """The package never evaluates text as code and never loads YAML unsafely."""
    forbidden = re.compile(
        r"\b(eval|exec|compile)\(|yaml\.(unsafe_)?load\(|yaml\.Loader\b"
        r"|UnsafeLoader|FullLoader|__import__|importlib"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in (ROOT / "compliance").rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if forbidden.search(line) and "re.compile" not in line
    ]
    assert offenders == []
