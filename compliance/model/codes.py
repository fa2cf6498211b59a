"""Validated identifier types: ISO 3166-1 alpha-2 countries, ISO 4217 currencies, ISO 17442 LEIs.

Each is a plain ``str`` at run time (cheap to compare and hash) with a validator attached, so the
models stay the single source of truth and errors name what was expected.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated

import pycountry
from pydantic import AfterValidator
from stdnum import lei as _lei
from stdnum.exceptions import ValidationError as _StdnumError

COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
_LEI_SHAPE = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
CURRENCIES: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.currencies)


def _country(value: str) -> str:
    if value not in COUNTRIES:
        hint = difflib.get_close_matches(value.upper(), COUNTRIES, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint and hint[0] != value else ""
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code, got {value!r}{extra}")
    return value


def _currency(value: str) -> str:
    if value not in CURRENCIES:
        raise ValueError(f"expected an ISO 4217 currency code such as 'USD', got {value!r}")
    return value


def _lei_check(value: str) -> str:
    if not _LEI_SHAPE.match(value):
        raise ValueError(
            f"expected an ISO 17442 LEI: 18 upper-case letters or digits and 2 check digits, "
            f"got {value!r} ({len(value)} characters)"
        )
    try:
        return str(_lei.validate(value))
    except _StdnumError as exc:
        raise ValueError(
            f"expected an ISO 17442 LEI (20 characters, valid mod-97 check digits), "
            f"got {value!r}: {str(exc).lower()}"
        ) from None


Country = Annotated[str, AfterValidator(_country)]
Currency = Annotated[str, AfterValidator(_currency)]
LEI = Annotated[str, AfterValidator(_lei_check)]
