"""The fixed vocabularies of the output contract (DESIGN §5). Extend, never rename."""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

Perimeter = Literal["derivative", "security", "crypto_asset", "e_money", "outside", "needs_review"]
PERIMETERS: Final = frozenset(get_args(Perimeter))

Status = Literal["classified", "needs_review"]

OBLIGATIONS: Final = frozenset(
    {
        "venue_required",
        "clearing",
        "trade_reporting",
        "transaction_reporting",
        "position_limits",
        "prospectus",
        "white_paper",
        "authorised_offeror",
        "retail_ban",
        "retail_restricted",
        "appropriateness",
        "margin",
        "registration",
    }
)
# a pack may add its own obligation words under an x_ prefix
PACK_OBLIGATION = re.compile(r"^x_[a-z][a-z0-9_]*$")

JURISDICTIONS: Final = ("us", "eu", "uk", "sg", "ch", "jp", "hk")


def is_obligation(word: str) -> bool:
    return word in OBLIGATIONS or bool(PACK_OBLIGATION.match(word))
