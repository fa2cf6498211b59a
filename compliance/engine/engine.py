"""The engine: facts in, decisions out. Pure — no I/O once the packs are loaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from compliance.facts import instrument_facts
from compliance.model.loading import load_instrument
from compliance.model.terms import TermSheet
from compliance.packs.loader import CompiledRule, Epoch, Pack, load_packs
from compliance.packs.schema import Outcome


def _read(facts: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: facts[name] for name in names}


def _missing(facts: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    return [name for name in names if facts.get(name) is None]


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass
class _Run:
    """One instrument under one pack on one date: the trace so far and how to conclude."""

    pack: Pack
    epoch: Epoch
    ref: PackRef
    facts: dict[str, Any]
    instrument_id: str
    as_of: date
    trace: list[TraceEntry] = field(default_factory=list)

    def note(
        self,
        rule: str,
        kind: str,
        outcome: str,
        names: Iterable[str] = (),
        scope: Mapping[str, Any] | None = None,
    ) -> None:
        facts = _read(self.facts if scope is None else scope, names)
        self.trace.append(
            construct(TraceEntry, {"rule": rule, "kind": kind, "outcome": outcome, "facts": facts})
        )

    def result(self, **values: Any) -> Classification:
        values.update(
            instrument_id=self.instrument_id,
            jurisdiction=self.pack.id,
            trace=self.trace,
            pack=self.ref,
            as_of=self.as_of,
        )
        return construct(Classification, values)

    def review(
        self, reason: str, missing: list[str], citations: Iterable[str], rule: str | None
    ) -> Classification:
        review_id = f"{self.pack.id}.needs_review"
        return self.result(
            status="needs_review",
            perimeter="needs_review",
            category=review_id,
            label=self.pack.categories[review_id].label,
            obligations=[],
            obligation_details={},
            citations=_dedupe(citations),
            missing_facts=missing,
            reason=reason,
            rule=rule,
        )

    def rule(self, rule: CompiledRule) -> Classification | None:
        """Try one rule: a result if it decides (or cannot be decided), None to go on."""
        spec = rule.spec
        if not rule.in_force:
            self.note(spec.id, "rule", "not_in_force")
            return None
        value = rule.fn(self.facts)
        if value is False:
            self.note(spec.id, "rule", "not_matched", rule.facts)
            return None
        if value is None:
            self.note(spec.id, "rule", "unknown", rule.facts)
            return self.review(
                f"{spec.title}: a fact this rule needs is missing",
                _missing(self.facts, rule.facts),
                spec.citations,
                spec.id,
            )
        for exc in rule.exceptions:  # the rule matches; an exception may take it back
            applies = exc.fn(self.facts)
            outcome = "unknown" if applies is None else ("matched" if applies else "not_matched")
            self.note(exc.id, "exception", outcome, exc.facts)
            if applies is None:
                return self.review(
                    f"{exc.title}: whether this exception applies depends on missing facts",
                    _missing(self.facts, exc.facts),
                    [*spec.citations, *exc.citations],
                    spec.id,
                )
            if applies:
                self.note(spec.id, "rule", "excepted", rule.facts)
                return None
        self.note(spec.id, "rule", "matched", rule.facts)
        required = _missing(self.facts, spec.requires)
        if required:
            return self.review(
                f"{spec.title}: the rule applies but needs facts that are missing",
                required,
                spec.citations,
                spec.id,
            )
        return self.conclude(spec.then, spec.citations, spec.id)

    def conclude(
        self, outcome: Outcome, citations: list[str], rule_id: str | None
    ) -> Classification:
        if outcome.review is not None:
            return self.review(outcome.review, list(outcome.settles), citations, rule_id)
        assert outcome.category is not None
        category = self.pack.categories[outcome.category]
        details: dict[str, ObligationDetail] = {}
        cites = list(citations)
        missing: list[str] = []
        for word in outcome.obligations:
            details.setdefault(
                word,
                construct(
                    ObligationDetail,
                    {
                        "rule": rule_id or "",
                        "detail": category.label,
                        "citations": list(citations),
                        "confirmed": True,
                    },
                ),
            )
        scope = dict(self.facts, perimeter=category.perimeter, category=outcome.category)
        for ob in self.epoch.obligations:
            spec = ob.spec
            if not ob.in_force:
                continue
            value = ob.fn(scope)
            outcome_word = "unknown" if value is None else ("applied" if value else "not_applied")
            self.note(spec.id, "obligation", outcome_word, ob.facts, scope)
            if value is False:
                continue
            if value is None:  # fail closed: it may apply; say so and ask for the facts
                missing.extend(m for m in _missing(scope, ob.facts) if m not in missing)
            known = details.get(spec.obligation)
            if known is None or (value and not known.confirmed):
                details[spec.obligation] = construct(
                    ObligationDetail,
                    {
                        "rule": spec.id,
                        "detail": spec.detail,
                        "citations": list(spec.citations),
                        "confirmed": value is True,
                    },
                )
            cites.extend(spec.citations)
        return self.result(
            status="needs_review" if missing else "classified",
            perimeter=category.perimeter,
            category=outcome.category,
            label=category.label,
            obligations=list(details),
            obligation_details=details,
            citations=_dedupe(cites),
            missing_facts=missing,
            reason=f"obligations depend on missing facts: {', '.join(missing)}"
            if missing
            else None,
            rule=rule_id,
        )


class Engine:
    """Classifies instruments under the loaded jurisdiction packs.

    ``Engine.from_packs()`` loads the shipped packs once; ``classify`` is then pure and cheap.
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
        if epoch is None or not pack.meta.effective.contains(as_of):
            # no rules apply; the review result needs no epoch, so the earliest stands in
            run = _Run(pack, pack.epochs[0], self._refs[pack.id], facts, instrument_id, as_of)
            return run.review(
                f"pack {pack.id} {pack.meta.version} is not in force on {as_of}",
                [f"a version of pack {pack.id} in force on {as_of}"],
                [],
                None,
            )
        run = _Run(pack, epoch, self._refs[pack.id], facts, instrument_id, as_of)
        for rule in epoch.rules:
            decided = run.rule(rule)
            if decided is not None:
                return decided
        return run.conclude(pack.classify.default, [], None)
