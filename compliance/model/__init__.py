"""Typed input models: term sheets, counterparties, orders, trades, and how to read them."""

from compliance.model.loading import Bundle, load_instrument, load_paths
from compliance.model.orders import Order, Trade
from compliance.model.parties import Counterparty
from compliance.model.terms import TermSheet

__all__ = [
    "Bundle",
    "Counterparty",
    "Order",
    "TermSheet",
    "Trade",
    "load_instrument",
    "load_paths",
]
