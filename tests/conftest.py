from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOY_PACKS = FIXTURES / "packs"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    """Run `compliance ARGS...` in-process through the real entry point (exit codes included)."""
    from compliance.cli.main import main

    def run(*args: str | Path) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["compliance", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return run


@pytest.fixture(scope="session")
def toy_engine():  # type: ignore[no-untyped-def]
    from compliance.engine import Engine
    from compliance.packs.loader import load_library, load_pack
    from compliance.resources import data_dir

    library = load_library([data_dir("rules")])
    return Engine({"zz": load_pack(TOY_PACKS / "zz", library)})


def term_sheet(**overrides: object) -> dict[str, object]:
    """A valid cash-settled index future; override any field."""
    base: dict[str, object] = {
        "id": "T-1",
        "name": "Test future",
        "kind": "future",
        "settlement": "cash",
        "underlying": {"resource": "gpu_hour", "index": "SDH100RT", "quantity": 1000},
        "venue": {"type": "dcm", "mic": "XCME"},
        "cleared": True,
        "expiry": "2027-03-31",
        "currency": "USD",
    }
    base.update(overrides)
    return base
