"""`pip install .` — a real wheel, not an editable install — ships the packs and runs anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


def _uv() -> str:
    local = ROOT / ".tools" / "bin" / "uv"
    found = str(local) if local.exists() else shutil.which("uv")
    if found is None:
        pytest.fail("uv not found: run `make setup` (it installs a pinned uv into .tools/)")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [_uv(), "build", "--wheel", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "compliance/_data/rules/core.yaml" in names
    for code in ("us", "eu"):
        assert f"compliance/_data/jurisdictions/{code}/pack.yaml" in names
        assert f"compliance/_data/jurisdictions/{code}/classify.yaml" in names
    assert "compliance/_data/reports/README.md" in names
    assert any(n.startswith("compliance/_data/examples/instruments/") for n in names)


def test_installed_wheel_classifies_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(venv)}
    env.pop("UV_PROJECT_ENVIRONMENT", None)
    subprocess.run(
        [_uv(), "venv", "--quiet", "--python", "python3", str(venv)], check=True, env=env
    )
    subprocess.run(
        [_uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
        env=env,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    show = subprocess.run(
        [str(venv / "bin" / "compliance"), "packs", "show", "us", "--format", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"id": "us"' in show.stdout
    demo = subprocess.run(
        [str(venv / "bin" / "compliance"), "demo", "--as-of", "2026-06-01"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0, demo.stderr
    assert (elsewhere / "demo-output" / "classifications.json").exists()
    assert str(ROOT) not in demo.stdout  # the examples came from the wheel, not this checkout
