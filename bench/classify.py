"""Benchmark: classify N generated instruments under the shipped packs.

    python bench/classify.py [--n 10000] [--runs 5] [--jurisdictions us eu]

Prints a table and writes bench/results/classify.json. Reports the median of the runs, per
classification (one instrument under one jurisdiction), and the ratio to the floor: a hand-written
Python function (bench/floor_us.py) encoding the same US decisions, run over the same instruments.
The floor is also checked to agree with the engine on every instrument, so the comparison is fair.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import instruments  # noqa: E402

from compliance import Engine  # noqa: E402
from compliance.facts import instrument_facts  # noqa: E402

AS_OF = date(2026, 6, 1)


def _median_seconds(fn, runs: int) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jurisdictions", nargs="+", default=["us", "eu"])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "classify.json")
    args = parser.parse_args()

    load_start = time.perf_counter()
    engine = Engine.from_packs()
    load_seconds = time.perf_counter() - load_start
    sheets = instruments(args.n)
    codes = [c for c in args.jurisdictions if c in engine.packs]

    try:  # the hand-written floor; the ratio is reported only once it exists and agrees
        from floor_us import classify_us
    except ImportError:
        classify_us = None
    # the floor must agree with the engine, or the ratio means nothing
    disagreements = []
    for sheet in sheets if classify_us is not None else []:
        (ours,) = engine.classify(sheet, jurisdictions=["us"], as_of=AS_OF)
        floor = classify_us(sheet)
        if (ours.perimeter, ours.category, sorted(ours.obligations)) != (
            floor["perimeter"],
            floor["category"],
            sorted(floor["obligations"]),
        ):
            disagreements.append((sheet.id, ours.category, floor["category"]))
    if disagreements:
        sys.exit(
            f"floor disagrees with the engine on {len(disagreements)} instruments, "
            f"e.g. {disagreements[:3]}"
        )

    def run_engine(selected: list[str]) -> None:
        for sheet in sheets:
            engine.classify(sheet, jurisdictions=selected, as_of=AS_OF)

    def run_floor() -> None:
        for sheet in sheets:
            classify_us(sheet)

    def run_facts() -> None:
        for sheet in sheets:
            instrument_facts(sheet)

    cases = [
        (f"engine {'+'.join(codes)}", lambda: run_engine(codes), args.n * len(codes)),
        ("engine us", lambda: run_engine(["us"]), args.n),
        ("fact flattening only", run_facts, args.n),
    ]
    if classify_us is not None:
        cases.insert(2, ("floor us (hand-written)", run_floor, args.n))
    rows = []
    for label, fn, count in cases:
        median, times = _median_seconds(fn, args.runs)
        rows.append(
            {
                "case": label,
                "classifications": count,
                "median_s": median,
                "median_us_per_classification": median / count * 1e6,
                "runs_s": times,
            }
        )
    floor = next((r for r in rows if r["case"].startswith("floor")), None)
    for row in rows:
        row["ratio_to_floor"] = (
            row["median_us_per_classification"] / floor["median_us_per_classification"]
            if floor
            else None
        )
    per_pack_us = rows[0]["median_us_per_classification"]
    projection_7 = per_pack_us * args.n * 7 / 1e6

    print(
        f"classify benchmark: {args.n} instruments, {args.runs} runs, median; "
        f"packs loaded in {load_seconds * 1000:.0f} ms; python {platform.python_version()}"
    )
    print(f"{'case':<28}{'classifications':>16}{'median s':>11}{'µs/classif.':>13}{'× floor':>9}")
    for row in rows:
        print(
            f"{row['case']:<28}{row['classifications']:>16}{row['median_s']:>11.3f}"
            f"{row['median_us_per_classification']:>13.2f}"
            + (f"{row['ratio_to_floor']:>9.2f}" if row["ratio_to_floor"] else f"{'n/a':>9}")
        )
    if floor is None:
        print("floor: bench/floor_us.py (hand-written US decisions) not written yet: no ratio")
    print(
        f"projection: {args.n} instruments × 7 jurisdictions ≈ {projection_7:.2f} s "
        f"(at {per_pack_us:.1f} µs per classification; target ≤ 2 s)"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "benchmark": "classify",
                "n": args.n,
                "runs": args.runs,
                "jurisdictions": codes,
                "as_of": AS_OF.isoformat(),
                "pack_load_s": load_seconds,
                "rows": rows,
                "projection_7_jurisdictions_s": projection_7,
                "python": platform.python_version(),
                "machine": platform.machine(),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
