"""The demo: classify the example instruments under every pack; print the matrix; write JSON."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from rich.table import Table

from compliance.cli.common import console
from compliance.cli.render import matrix_table
from compliance.engine import Engine
from compliance.model.loading import load_paths
from compliance.resources import data_dir


def examples_dir() -> Path:
    """./examples in a checkout; the copy shipped in the wheel otherwise."""
    local = Path("examples/instruments")
    return local if local.is_dir() else data_dir("examples") / "instruments"


def run_demo(engine: Engine, out: Path, as_of: date | None) -> None:
    source = examples_dir()
    bundle = load_paths([source])
    day = as_of or date.today()
    results = [
        r for instrument in bundle.instruments for r in engine.classify(instrument, as_of=day)
    ]
    packs = ", ".join(f"{p.id} {p.meta.version}" for p in engine.packs.values())
    console.print(
        f"[bold]compute-compliance demo[/] — {len(bundle.instruments)} instruments from {source}, "
        f"{len(engine.packs)} packs ({packs}), as of {day}"
    )
    console.print(matrix_table(results, engine.jurisdictions))
    counts = Counter((r.jurisdiction, r.perimeter) for r in results)
    perimeters = sorted({p for _, p in counts})
    summary = Table(title="Perimeter counts")
    summary.add_column("perimeter")
    for code in engine.jurisdictions:
        summary.add_column(code, justify="right")
    for perimeter in perimeters:
        summary.add_row(
            perimeter, *(str(counts[(code, perimeter)]) for code in engine.jurisdictions)
        )
    console.print(summary)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "classifications.json"
    target.write_text(
        json.dumps([r.model_dump(mode="json") for r in results], indent=2, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    console.print(f"{len(results)} classifications written to {target}")
