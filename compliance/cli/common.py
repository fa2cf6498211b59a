"""Shared CLI plumbing: options, loading the engine, printing errors."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from compliance.engine import Engine
from compliance.errors import UserError

console = Console()
if not console.is_terminal:  # piped or captured: do not squeeze tables into 80 columns
    console = Console(width=160)
err_console = Console(stderr=True)


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option}: expected a date YYYY-MM-DD, got {value!r}") from None


def engine_from(ctx: typer.Context) -> Engine:
    obj = ctx.ensure_object(dict)
    if "engine" not in obj:
        packs: list[Path] = obj.get("packs") or []
        obj["engine"] = Engine.from_packs(packs)
    engine: Engine = obj["engine"]
    return engine


def report_user_error(exc: UserError) -> None:
    for problem in exc.problems:
        sys.stderr.write(f"error: {problem}\n")
