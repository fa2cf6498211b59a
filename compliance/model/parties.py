"""Counterparties: who the firm trades with (DESIGN §4)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import StrictBool, model_validator

from compliance.model.base import Identifier, Strict, Text
from compliance.model.codes import LEI, Country


class BeneficialOwner(Strict):
    name: Text
    country: Country


class Counterparty(Strict):
    id: Identifier
    name: Text
    kind: Literal["legal_person", "natural_person"]
    lei: LEI | None = None
    country: Country
    aliases: tuple[Text, ...] = ()
    beneficial_owners: tuple[BeneficialOwner, ...] = ()
    client_category: Literal["retail", "professional", "eligible_counterparty"]
    us_ecp: StrictBool | None = None
    emir_category: Literal["FC", "NFC_PLUS", "NFC_MINUS", "none"] | None = None
    us_person: StrictBool | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kind == "natural_person" and self.lei is not None:
            raise ValueError("a natural person has no LEI")
        if self.kind == "natural_person" and self.client_category == "eligible_counterparty":
            raise ValueError("a natural person cannot be an eligible counterparty")
        return self
