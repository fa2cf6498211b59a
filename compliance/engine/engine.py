"""The engine: facts in, decisions out. Pure — no I/O once the packs are loaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from compliance.engine.results import (
    Classification,
    ObligationDetail,
    PackRef,
    TraceEntry,
    construct,
)
from compliance.errors import UserError
from compliance.facts import CLASSIFY_FACTS, instrument_facts
from compliance.model.loading import load_instrument
from compliance.model.terms import TermSheet
from compliance.packs.loader import Epoch, Pack, load_packs
from compliance.packs.schema import Outcome


def _trace(rule: str, kind: str, outcome: str, facts: dict[str, Any]) -> TraceEntry:
    return construct(TraceEntry, {"rule": rule, "kind": kind, "outcome": outcome, "facts": facts})


def _read(facts: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: facts[name] for name in names}


def _missing(facts: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    return [name for name in names if facts.get(name) is None]


class Engine:
    """Classifies instruments under the loaded jurisdiction packs.

    >>> engine = Engine.from_packs()
    >>> [c.perimeter for c in engine.classify("examples/instruments/h100-fut-2027-03.yaml")]
    """

    def __init__(self, packs: Mapping[str, Pack]) -> None:
        self.packs: dict[str, Pack] = dict(sorted(packs.items()))
        self._refs = {
            code: PackRef(id=p.meta.id, version=p.meta.version, sha256=p.sha256)
            for code, p in self.packs.items()
        }

    @classmethod
    def from_packs(cls, paths: Sequence[str | Path] | None = None) -> Engine:
        """The shipped packs; folders in ``paths`` add packs or override shipped ones by id."""
        return cls(load_packs(paths or ()))

    @property
    def jurisdictions(self) -> list[str]:
        return list(self.packs)

    def _select(self, jurisdictions: Iterable[str] | None) -> list[Pack]:
        if jurisdictions is None:
            return list(self.packs.values())
        chosen = []
        for code in jurisdictions:
            if code not in self.packs:
                raise UserError(
                    f"unknown jurisdiction {code!r}: loaded packs are {', '.join(self.packs)}"
                )
            chosen.append(self.packs[code])
        return chosen

    def classify(
        self,
        instrument: TermSheet | Mapping[str, Any] | str | Path,
        jurisdictions: Iterable[str] | None = None,
        as_of: date | None = None,
    ) -> list[Classification]:
        """Classify one instrument under each selected jurisdiction (default: all packs)."""
        term_sheet = load_instrument(instrument)
        day = as_of or date.today()
        facts = instrument_facts(term_sheet)
        facts["as_of"] = day
        return [
            self.classify_facts(pack, facts, term_sheet.id, day)
            for pack in self._select(jurisdictions)
        ]

    def classify_facts(
        self, pack: Pack, facts: dict[str, Any], instrument_id: str, as_of: date
    ) -> Classification:
        """Run one pack's decision over already-flattened facts (every fact name present)."""
        epoch = pack.epoch(as_of)
        trace: list[TraceEntry] = []
        if epoch is None or not pack.meta.effective.contains(as_of):
            return self._review(
                pack,
                epoch,
                facts,
                instrument_id,
                as_of,
                trace,
                reason=f"pack {pack.id} {pack.meta.version} is not in force on {as_of}",
                missing=[f"a version of pack {pack.id} in force on {as_of}"],
                citations=[],
                rule_id=None,
            )
        for rule in epoch.rules:
            spec = rule.spec
            if not rule.in_force:
                trace.append(_trace(spec.id, "rule", "not_in_force", {}))
                continue
            value = rule.fn(facts)
            if value is False:
                trace.append(_trace(spec.id, "rule", "not_matched", _read(facts, rule.facts)))
                continue
            if value is None:
                trace.append(_trace(spec.id, "rule", "unknown", _read(facts, rule.facts)))
                return self._review(
                    pack,
                    epoch,
                    facts,
                    instrument_id,
                    as_of,
                    trace,
                    reason=f"{spec.title}: a fact this rule needs is missing",
                    missing=_missing(facts, rule.facts),
                    citations=list(spec.citations),
                    rule_id=spec.id,
                )
            # the rule matches; its exceptions may take it back
            excepted = False
            for exc in rule.exceptions:
                ev = exc.fn(facts)
                if ev is None:
                    trace.append(_trace(exc.id, "exception", "unknown", _read(facts, exc.facts)))
                    return self._review(
                        pack,
                        epoch,
                        facts,
                        instrument_id,
                        as_of,
                        trace,
                        reason=f"{exc.title}: whether this exception applies depends on missing facts",  # noqa: E501
                        missing=_missing(facts, exc.facts),
                        citations=[*spec.citations, *exc.citations],
                        rule_id=spec.id,
                    )
                trace.append(
                    _trace(
                        exc.id,
                        "exception",
                        "matched" if ev else "not_matched",
                        _read(facts, exc.facts),
                    )
                )
                if ev:
                    excepted = True
                    break
            if excepted:
                trace.append(_trace(spec.id, "rule", "excepted", _read(facts, rule.facts)))
                continue
            trace.append(_trace(spec.id, "rule", "matched", _read(facts, rule.facts)))
            missing_required = _missing(facts, spec.requires)
            if missing_required:
                return self._review(
                    pack,
                    epoch,
                    facts,
                    instrument_id,
                    as_of,
                    trace,
                    reason=f"{spec.title}: the rule applies but needs facts that are missing",
                    missing=missing_required,
                    citations=list(spec.citations),
                    rule_id=spec.id,
                )
            return self._decide(
                pack,
                epoch,
                facts,
                instrument_id,
                as_of,
                trace,
                spec.then,
                list(spec.citations),
                spec.id,
            )
        return self._decide(
            pack, epoch, facts, instrument_id, as_of, trace, pack.classify.default, [], None
        )

    # -- outcomes --------------------------------------------------------------------------

    def _decide(
        self,
        pack: Pack,
        epoch: Epoch,
        facts: dict[str, Any],
        instrument_id: str,
        as_of: date,
        trace: list[TraceEntry],
        outcome: Outcome,
        citations: list[str],
        rule_id: str | None,
    ) -> Classification:
        if outcome.review is not None:
            return self._review(
                pack,
                epoch,
                facts,
                instrument_id,
                as_of,
                trace,
                reason=outcome.review,
                missing=list(outcome.settles),
                citations=citations,
                rule_id=rule_id,
            )
        assert outcome.category is not None
        category = pack.categories[outcome.category]
        obligations: list[str] = []
        details: dict[str, ObligationDetail] = {}
        cites = list(citations)
        missing: list[str] = []
        for word in outcome.obligations:
            if word not in details:
                obligations.append(word)
                details[word] = construct(
                    ObligationDetail,
                    {
                        "rule": rule_id or "",
                        "detail": category.label,
                        "citations": list(citations),
                        "confirmed": True,
                    },
                )
        scope = dict(facts)
        scope["perimeter"] = category.perimeter
        scope["category"] = outcome.category
        for ob in epoch.obligations:
            spec = ob.spec
            if not ob.in_force:
                continue
            value = ob.fn(scope)
            trace.append(
                _trace(
                    spec.id,
                    "obligation",
                    "unknown" if value is None else ("applied" if value else "not_applied"),
                    _read(scope, ob.facts),
                )
            )
            if value is False:
                continue
            if value is None:  # fail closed: it may apply; say so and ask for the facts
                missing.extend(m for m in _missing(scope, ob.facts) if m not in missing)
            if spec.obligation not in details or (value and not details[spec.obligation].confirmed):
                if spec.obligation not in details:
                    obligations.append(spec.obligation)
                details[spec.obligation] = construct(
                    ObligationDetail,
                    {
                        "rule": spec.id,
                        "detail": spec.detail,
                        "citations": list(spec.citations),
                        "confirmed": value is True,
                    },
                )
            cites.extend(c for c in spec.citations if c not in cites)
        return construct(
            Classification,
            {
                "instrument_id": instrument_id,
                "jurisdiction": pack.id,
                "status": "needs_review" if missing else "classified",
                "perimeter": category.perimeter,
                "category": outcome.category,
                "label": category.label,
                "obligations": obligations,
                "obligation_details": details,
                "citations": _dedupe(cites),
                "trace": trace,
                "missing_facts": missing,
                "reason": (
                    f"obligations depend on missing facts: {', '.join(missing)}"
                    if missing
                    else None
                ),
                "rule": rule_id,
                "pack": self._refs[pack.id],
                "as_of": as_of,
            },
        )

    def _review(
        self,
        pack: Pack,
        epoch: Epoch | None,
        facts: dict[str, Any],
        instrument_id: str,
        as_of: date,
        trace: list[TraceEntry],
        *,
        reason: str,
        missing: list[str],
        citations: list[str],
        rule_id: str | None,
    ) -> Classification:
        review_id = f"{pack.id}.needs_review"
        return construct(
            Classification,
            {
                "instrument_id": instrument_id,
                "jurisdiction": pack.id,
                "status": "needs_review",
                "perimeter": "needs_review",
                "category": review_id,
                "label": pack.categories[review_id].label,
                "obligations": [],
                "obligation_details": {},
                "citations": _dedupe(citations),
                "trace": trace,
                "missing_facts": missing,
                "reason": reason,
                "rule": rule_id,
                "pack": self._refs[pack.id],
                "as_of": as_of,
            },
        )


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


__all__ = ["CLASSIFY_FACTS", "Engine"]
