"""`compliance packs test|lint|show|facts`."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from compliance.cli.common import console, engine_from
from compliance.errors import UserError
from compliance.facts import CLASSIFY_FACTS
from compliance.packs.lint import lint_pack
from compliance.packs.testing import run_pack

app = typer.Typer(help="Test, lint and inspect rule packs.", no_args_is_help=True)


def _chosen(ctx: typer.Context, codes: list[str] | None) -> list[str]:
    engine = engine_from(ctx)
    for code in codes or []:
        if code not in engine.packs:
            raise UserError(f"unknown pack {code!r}: loaded packs are {', '.join(engine.packs)}")
    return codes or list(engine.packs)


@app.command("test")
def run_tests(
    ctx: typer.Context,
    codes: Annotated[list[str] | None, typer.Argument(help="Pack codes (default: all).")] = None,
    require_full_coverage: Annotated[
        bool, typer.Option(help="Fail unless every rule is reached by a test case.")
    ] = False,
) -> None:
    """Run the packs' YAML test cases and report rule coverage."""
    engine = engine_from(ctx)
    failed = False
    table = Table(title="Pack tests")
    for column in ("pack", "cases", "passed", "failed", "rules", "coverage"):
        table.add_column(column, justify="right" if column != "pack" else "left")
    reports = [run_pack(engine, engine.packs[code]) for code in _chosen(ctx, codes)]
    for report in reports:
        for case in report.failed:
            console.print(f"[red]FAIL[/] {report.pack}: {case.name} ({case.where})")
            for failure in case.failures:
                console.print(f"     {failure}")
        if report.uncovered:
            console.print(
                f"[yellow]{report.pack}: rules no case reaches:[/] " + ", ".join(report.uncovered)
            )
        if not report.cases:
            console.print(f"[yellow]{report.pack}: no test cases[/]")
        failed |= bool(report.failed) or not report.cases
        failed |= require_full_coverage and bool(report.uncovered)
        table.add_row(
            report.pack,
            str(len(report.cases)),
            str(len(report.cases) - len(report.failed)),
            str(len(report.failed)),
            str(len(report.rule_ids)),
            f"{report.coverage:.0%}",
        )
    console.print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
def lint(
    ctx: typer.Context,
    codes: Annotated[list[str] | None, typer.Argument(help="Pack codes (default: all).")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when there are warnings.")] = False,
) -> None:
    """Check packs for things that load but are probably wrong (unused, unreachable, undated)."""
    engine = engine_from(ctx)
    warnings = [w for code in _chosen(ctx, codes) for w in lint_pack(engine.packs[code])]
    for w in warnings:
        console.print(f"[yellow]warning[/] {w}")
    console.print(f"{len(warnings)} warning(s)")
    if strict and warnings:
        raise typer.Exit(1)


@app.command()
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Pack code.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Print a pack's identity, sources, categories, rules and parameters."""
    engine = engine_from(ctx)
    (code,) = _chosen(ctx, [code])
    pack = engine.packs[code]
    meta = pack.meta
    data = {
        "id": meta.id,
        "name": meta.name,
        "version": meta.version,
        "sha256": pack.sha256,
        "jurisdiction": meta.jurisdiction,
        "effective": meta.effective.model_dump(mode="json", by_alias=True),
        "sources": [s.model_dump(mode="json") for s in meta.sources],
        "categories": {
            cid: {"label": c.label, "perimeter": c.perimeter} for cid, c in pack.categories.items()
        },
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "citations": r.citations,
                "outcome": r.then.category or "review",
            }
            for r in pack.classify.rules
        ],
        "obligations": [
            {"id": o.id, "obligation": o.obligation, "citations": o.citations}
            for o in pack.classify.obligations
        ],
        "parameters": {
            name: [{"from": str(d), "value": v} for d, v in p.versions()]
            for name, p in pack.parameters.parameters.items()
        },
    }
    if fmt == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    if fmt != "table":
        raise UserError(f"--format: expected table or json, got {fmt!r}")
    console.print(
        f"[bold]{meta.name}[/] — pack {meta.id} {meta.version}  sha256 {pack.sha256[:16]}…"
    )
    cats = Table(title="Categories")
    for column in ("category", "perimeter", "label"):
        cats.add_column(column)
    for cid, c in pack.categories.items():
        cats.add_row(cid, c.perimeter, c.label)
    console.print(cats)
    rules = Table(title="Rules (in order; first match decides)")
    for column in ("rule", "outcome", "citations"):
        rules.add_column(column, overflow="fold")
    for r in pack.classify.rules:
        rules.add_row(r.id, r.then.category or "review", "; ".join(r.citations))
    for o in pack.classify.obligations:
        rules.add_row(o.id, f"+ {o.obligation}", "; ".join(o.citations))
    console.print(rules)
    sources = Table(title="Sources")
    for column in ("id", "title", "as of"):
        sources.add_column(column, overflow="fold")
    for s in meta.sources:
        sources.add_row(s.id, s.title, str(s.as_of))
    console.print(sources)


@app.command()
def facts() -> None:
    """List the facts that classification conditions can read, with their types."""
    table = Table(title="Classification facts")
    table.add_column("fact")
    table.add_column("type", overflow="fold")
    for fact in CLASSIFY_FACTS.values():
        kind = fact.type.base if fact.type.base != "enum" else fact.type.describe()
        table.add_row(fact.name, kind)
    console.print(table)
