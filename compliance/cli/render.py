"""Rich tables for classification results."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from compliance.engine import Classification

PERIMETER_STYLE = {
    "derivative": "bold cyan",
    "security": "bold magenta",
    "crypto_asset": "bold yellow",
    "e_money": "bold blue",
    "outside": "green",
    "needs_review": "bold red",
}


def results_table(results: Sequence[Classification]) -> Table:
    table = Table(title="Classifications", show_lines=False)
    for column in ("instrument", "jur.", "perimeter", "category"):
        table.add_column(column, no_wrap=True)
    table.add_column("obligations (? unconfirmed) / missing facts", overflow="fold")
    for r in results:
        style = PERIMETER_STYLE.get(r.perimeter, "")
        perimeter = f"[{style}]{r.perimeter}[/]"
        if r.status == "needs_review" and r.perimeter != "needs_review":
            perimeter += " [red](review)[/]"
        obligations = ", ".join(
            w if r.obligation_details[w].confirmed else f"{w}?" for w in r.obligations
        )
        missing = "; ".join(r.missing_facts)
        parts = [obligations, f"[red]missing:[/] {missing}" if missing else ""]
        table.add_row(
            r.instrument_id,
            r.jurisdiction,
            perimeter,
            r.category,
            " · ".join(p for p in parts if p) or "—",
        )
    return table


def matrix_table(
    results: Sequence[Classification], jurisdictions: Sequence[str], show_category: bool = True
) -> Table:
    table = Table(title="Instrument × jurisdiction", show_lines=True)
    table.add_column("instrument", no_wrap=True)
    for code in jurisdictions:
        table.add_column(code)
    rows: dict[str, dict[str, Classification]] = {}
    for r in results:
        rows.setdefault(r.instrument_id, {})[r.jurisdiction] = r
    for instrument_id, by_code in rows.items():
        cells = []
        for code in jurisdictions:
            c = by_code.get(code)
            if c is None:
                cells.append("")
                continue
            style = PERIMETER_STYLE.get(c.perimeter, "")
            cell = f"[{style}]{c.perimeter}[/]"
            if show_category and c.perimeter != "needs_review":
                cell += f"\n[dim]{c.category.split('.', 1)[1]}[/]"
            cells.append(cell)
        table.add_row(instrument_id, *cells)
    return table
