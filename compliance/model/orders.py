"""Orders (before they are sent) and trades (after execution), DESIGN §4."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Self

from pydantic import AwareDatetime, Field, StrictBool, model_validator

from compliance.model.base import Identifier, Strict
from compliance.model.codes import Country, Currency


class Order(Strict):
    id: Identifier
    instrument_id: Identifier
    counterparty_id: Identifier
    side: Literal["buy", "sell"]
    quantity: Decimal = Field(gt=0)
    price: Decimal
    currency: Currency
    account: Identifier
    trader_id: Identifier
    venue_mic: str | None = Field(default=None, pattern=r"^[A-Z0-9]{4}$")
    timestamp: AwareDatetime
    delivery_country: Country | None = None


class Trade(Strict):
    id: Identifier
    instrument_id: Identifier
    order_id: Identifier | None = None
    buyer_id: Identifier
    seller_id: Identifier
    quantity: Decimal = Field(gt=0)
    price: Decimal
    currency: Currency
    venue_mic: str | None = Field(default=None, pattern=r"^[A-Z0-9]{4}$")
    executed_at: AwareDatetime
    cleared: StrictBool
    uti: str | None = Field(default=None, pattern=r"^[A-Z0-9]{18}[0-9]{2}[A-Z0-9]{1,32}$")
    status: Literal["new", "amended", "terminated"] = "new"

    @model_validator(mode="after")
    def _sides(self) -> Self:
        if self.buyer_id == self.seller_id:
            raise ValueError("buyer_id and seller_id are the same counterparty")
        return self
