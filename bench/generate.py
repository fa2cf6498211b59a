"""Seeded generator of realistic, varied term sheets for benchmarks (every kind, every venue)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from compliance.model.terms import TermSheet

_INDEXES = ["SDH100RT", "SDH200RT", "OCPI-H100", "OCPI-B200", "OCPI-RTX5090"]
_VENUES = ["dcm", "dcm", "regulated_market", "mtf", "otc", "dex", "sef"]
_ACCELERATORS = ["NVIDIA H100 SXM", "NVIDIA H200", "NVIDIA B200", "NVIDIA RTX 5090", "AMD MI325X"]
_ISSUERS = [
    ("Example Compute Ltd", "EXCC00EXCOMPUTEL0197", "GB"),
    ("Example Cloud GmbH", None, "DE"),
    ("Example AI Pte Ltd", None, "SG"),
    ("Example Labs Inc", None, "US"),
]


def _maybe(rng: random.Random, value: Any, p_missing: float = 0.1) -> Any:
    return None if rng.random() < p_missing else value


def term_sheet(rng: random.Random, i: int) -> dict[str, Any]:
    kind = rng.choice(
        ["future", "future", "option", "swap", "perpetual", "forward", "token", "note", "spot"]
    )
    expiry = date(2027, 1, 1) + timedelta(days=rng.randrange(0, 700))
    resource = (
        "hardware"
        if kind == "forward" and rng.random() < 0.3
        else rng.choice(["gpu_hour", "gpu_hour", "gpu_hour", "cpu_hour", "memory_gb_hour"])
    )
    sheet: dict[str, Any] = {
        "id": f"GEN-{i:06d}",
        "name": f"Generated {kind} {i}",
        "kind": kind,
        "settlement": "cash",
        "underlying": {
            "resource": resource,
            "accelerator": rng.choice(_ACCELERATORS),
            "quantity": rng.choice([100, 1000, 10000]),
        },
        "currency": rng.choice(["USD", "USD", "EUR", "GBP"]),
    }
    if kind in ("future", "option", "swap", "perpetual"):
        sheet["underlying"]["index"] = rng.choice(_INDEXES)
        sheet["venue"] = {"type": rng.choice(_VENUES)}
        sheet["cleared"] = _maybe(rng, rng.random() < 0.7)
    if kind in ("future", "option", "swap", "forward"):
        sheet["expiry"] = expiry.isoformat()
    if kind == "option":
        sheet["option"] = {
            "type": rng.choice(["call", "put"]),
            "style": "european",
            "strike": round(rng.uniform(1.5, 4.0), 2),
            "on": rng.choice(["index", "future"]),
        }
    if kind == "swap":
        sheet["swap"] = {
            "fixed_price": round(rng.uniform(1.5, 4.0), 2),
            "floating_index": sheet["underlying"]["index"],
        }
    if kind == "perpetual":
        sheet["perpetual"] = {"funding_interval_hours": 8, "index": sheet["underlying"]["index"]}
    if kind in ("forward", "spot"):
        sheet["settlement"] = "physical"
        start = expiry - timedelta(days=30) if kind == "forward" else date(2026, 12, 1)
        sheet["delivery"] = {
            "country": rng.choice(["US", "DE", "SG", "GB"]),
            "start": start.isoformat(),
            "end": (start + timedelta(days=30)).isoformat(),
            "intent_to_deliver": _maybe(rng, rng.random() < 0.7),
        }
        sheet["venue"] = {"type": "otc"}
        if kind == "forward" and rng.random() < 0.2:
            sheet["settlement"] = "cash"
            del sheet["delivery"]
    if kind in ("token", "note"):
        name, lei, country = rng.choice(_ISSUERS)
        sheet["issuer"] = {"name": name, "country": country, **({"lei": lei} if lei else {})}
        sheet["offering"] = {
            "retail_offered": _maybe(rng, rng.random() < 0.5),
            "marketed_as_investment": _maybe(rng, rng.random() < 0.3),
            "returns_from_issuer_efforts": _maybe(rng, rng.random() < 0.3),
            "pooled_proceeds": _maybe(rng, rng.random() < 0.3),
        }
    if kind == "token":
        sheet["settlement"] = "physical"
        sheet["token"] = {
            "transferable": True,
            "redeemable_for_compute": rng.random() < 0.8,
            "issuer_provides_service": rng.random() < 0.8,
            "service_live": _maybe(rng, rng.random() < 0.6),
            "value_reference": rng.choice(["none", "none", "none", "fiat", "basket"]),
            "yield_bearing": rng.random() < 0.2,
        }
        sheet["venue"] = {"type": rng.choice(["exchange", "dex", "otc"])}
    if kind == "note":
        sheet["note"] = {"collateral": "gpu_hardware", "coupon": round(rng.uniform(0.05, 0.14), 3)}
        sheet["expiry"] = (expiry + timedelta(days=1000)).isoformat()
    return sheet


def instruments(n: int, seed: int = 20261125) -> list[TermSheet]:
    rng = random.Random(seed)
    return [TermSheet.model_validate(term_sheet(rng, i)) for i in range(n)]
