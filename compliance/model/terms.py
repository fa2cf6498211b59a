"""The instrument term sheet (DESIGN §4).

Fields that decide a legal test but are unknown to the user are left out (``None``): the engine
treats them as unknown, and a rule that needs them routes to ``needs_review`` naming them, rather
than guessing. Unknown keys, wrong types and inconsistent blocks are errors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, Self

from pydantic import Field, StrictBool, model_validator

from compliance.model.base import Identifier, Strict, Text
from compliance.model.codes import LEI, Country, Currency

Kind = Literal["future", "forward", "option", "swap", "perpetual", "token", "note", "spot"]
Settlement = Literal["cash", "physical"]
Resource = Literal["gpu_hour", "cpu_hour", "accelerator_hour", "hardware", "memory_gb_hour"]
VenueType = Literal["dcm", "sef", "regulated_market", "mtf", "otf", "exchange", "dex", "otc"]

Positive = Field(gt=0)


class Underlying(Strict):
    resource: Resource
    accelerator: Text | None = None
    index: Text | None = None
    quantity: Decimal | None = Field(default=None, gt=0)


class Delivery(Strict):
    country: Country
    start: date
    end: date
    intent_to_deliver: StrictBool | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"delivery end {self.end} is before delivery start {self.start}")
        return self


class Venue(Strict):
    type: VenueType
    mic: str | None = Field(default=None, pattern=r"^[A-Z0-9]{4}$")


class OptionTerms(Strict):
    type: Literal["call", "put"]
    style: Literal["european", "american", "bermudan", "asian"]
    strike: Decimal
    on: Literal["index", "future"]


class PerpetualTerms(Strict):
    funding_interval_hours: Decimal = Positive
    index: Text | None = None


class SwapTerms(Strict):
    fixed_price: Decimal | None = None
    floating_index: Text | None = None


class TokenTerms(Strict):
    transferable: StrictBool | None = None
    redeemable_for_compute: StrictBool | None = None
    issuer_provides_service: StrictBool | None = None
    service_live: StrictBool | None = None
    value_reference: Literal["none", "fiat", "basket", "other"] | None = None
    yield_bearing: StrictBool | None = None


class NoteTerms(Strict):
    collateral: Literal["gpu_hardware", "compute_receivables", "data_centre", "none"] | None = None
    coupon: Decimal | None = Field(default=None, ge=0)


class Offering(Strict):
    retail_offered: StrictBool | None = None
    marketed_as_investment: StrictBool | None = None
    returns_from_issuer_efforts: StrictBool | None = None
    pooled_proceeds: StrictBool | None = None


class Issuer(Strict):
    name: Text
    lei: LEI | None = None
    country: Country


_BLOCK_FOR_KIND: dict[str, tuple[str, bool]] = {
    # block name -> (the kind it belongs to, whether that kind requires it)
    "option": ("option", True),
    "token": ("token", True),
    "perpetual": ("perpetual", False),
    "swap": ("swap", False),
    "note": ("note", False),
}
_DATED_KINDS = {"future", "forward", "option", "swap"}


class TermSheet(Strict):
    """One instrument, as its term sheet describes it."""

    id: Identifier
    name: Text
    kind: Kind
    settlement: Settlement
    underlying: Underlying
    delivery: Delivery | None = None
    venue: Venue | None = None
    cleared: StrictBool | None = None
    expiry: date | None = None
    option: OptionTerms | None = None
    perpetual: PerpetualTerms | None = None
    swap: SwapTerms | None = None
    token: TokenTerms | None = None
    note: NoteTerms | None = None
    offering: Offering | None = None
    issuer: Issuer | None = None
    currency: Currency

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[str] = []
        for block, (owner, required) in _BLOCK_FOR_KIND.items():
            present = getattr(self, block) is not None
            if present and self.kind != owner:
                problems.append(
                    f"a '{block}' block belongs only to kind '{owner}', not '{self.kind}'"
                )
            if required and not present and self.kind == owner:
                article = "an" if block[0] in "aeiou" else "a"
                problems.append(f"kind '{owner}' needs {article} '{block}' block")
        if self.settlement == "physical" and self.delivery is None and self.kind != "token":
            problems.append(
                "physical settlement needs a 'delivery' block (country, start, end, "
                "intent_to_deliver)"
            )
        if self.settlement == "cash" and self.delivery is not None:
            problems.append("a 'delivery' block is only for physical settlement")
        if self.kind in _DATED_KINDS and self.expiry is None:
            problems.append(f"kind '{self.kind}' needs an 'expiry' date")
        if self.kind == "perpetual" and self.expiry is not None:
            problems.append("a perpetual has no 'expiry'")
        if (
            self.delivery is not None
            and self.expiry is not None
            and self.expiry < self.delivery.start
        ):
            problems.append(f"expiry {self.expiry} is before delivery start {self.delivery.start}")
        if problems:
            raise ValueError("; ".join(problems))
        return self
