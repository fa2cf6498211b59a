"""The pure decision engine."""

from compliance.engine.engine import Engine
from compliance.engine.results import Classification, PackRef, TraceEntry

__all__ = ["Classification", "Engine", "PackRef", "TraceEntry"]
