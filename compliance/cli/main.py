"""The `compliance` command: classify instruments, run and inspect packs, run the demo."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli import packs as packs_cli
from compliance.cli.common import console, engine_from, parse_date, report_user_error
from compliance.cli.render import results_table
from compliance.errors import UserError
from compliance.model.loading import load_paths

app = typer.Typer(
    name="compliance",
    help="Regulatory classification and screening for compute-backed instruments.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(packs_cli.app, name="packs")


class Format(StrEnum):
    json = "json"
    table = "table"


@app.callback()
def _root(
    ctx: typer.Context,
    packs: Annotated[
        list[Path] | None,
        typer.Option(
            "--packs", help="Extra pack folder (a pack or a folder of packs); repeatable."
        ),
    ] = None,
) -> None:
    ctx.ensure_object(dict)["packs"] = packs or []


@app.command()
def classify(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Term sheet files or folders (YAML, JSON, CSV).")
    ],
    jurisdiction: Annotated[
        list[str] | None, typer.Option("--jurisdiction", "-j", help="Pack code; repeatable.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Classify as of this date (YYYY-MM-DD).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="json or table.")] = Format.table,
) -> None:
    """Classify every instrument under every (or each chosen) jurisdiction."""
    day = parse_date(as_of)
    bundle = load_paths(paths)
    if not bundle.instruments:
        raise UserError("no instruments found in " + ", ".join(str(p) for p in paths))
    engine = engine_from(ctx)
    results = [
        r
        for instrument in bundle.instruments
        for r in engine.classify(instrument, jurisdictions=jurisdiction, as_of=day)
    ]
    if fmt is Format.json:
        sys.stdout.write(
            json.dumps([r.model_dump(mode="json") for r in results], indent=2, ensure_ascii=False)
            + "\n"
        )
    else:
        console.print(results_table(results))


@app.command()
def demo(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Folder for the demo's JSON output.")] = Path(
        "demo-output"
    ),
    as_of: Annotated[
        str | None, typer.Option(help="Classify as of this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Classify the example instruments under every installed pack and print the matrix."""
    from compliance.cli.demo import run_demo

    run_demo(engine_from(ctx), out, parse_date(as_of))


def main() -> None:
    try:
        app()
    except UserError as exc:
        report_user_error(exc)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":  # pragma: no cover
    main()
