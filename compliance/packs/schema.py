"""The shape of each pack file, as typed models. Unknown keys are errors, as in every input."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from compliance.model.base import Strict, Text
from compliance.vocab import Perimeter, is_obligation

PackId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,15}$")]
RuleId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=120)
]
Citation = Annotated[str, StringConstraints(min_length=3, max_length=400)]
Citations = Annotated[list[Citation], Field(min_length=1)]
Condition = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def _obligation_word(value: str) -> str:
    if not is_obligation(value):
        raise ValueError(
            f"{value!r} is not an obligation word: use the fixed list (DESIGN §5) or an 'x_' prefix"
        )
    return value


Obligation = Annotated[str, AfterValidator(_obligation_word)]


class Window(Strict):
    """When something is in force: from (inclusive) to (exclusive); either may be open."""

    from_: date | None = Field(default=None, alias="from")
    to: date | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.from_ and self.to and self.to <= self.from_:
            raise ValueError("'to' must be after 'from'")
        return self

    def contains(self, day: date) -> bool:
        return (self.from_ is None or day >= self.from_) and (self.to is None or day < self.to)


class Source(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    title: Text
    url: str | None = None
    as_of: date  # the date of the text the pack was checked against


class PackMeta(Strict):
    id: PackId
    name: Text
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")]
    jurisdiction: Text
    description: Text | None = None
    effective: Window = Window()
    sources: Annotated[list[Source], Field(min_length=1)]


class ParameterVersion(Strict):
    from_: date = Field(alias="from")
    value: Any
    citations: list[Citation] = []


class Parameter(Strict):
    description: Text
    citations: Citations
    value: Any = None
    values: list[ParameterVersion] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        if (self.value is None) == (self.values is None):
            raise ValueError("give either 'value' (constant) or 'values' (effective-dated list)")
        if self.values is not None:
            if not self.values:
                raise ValueError("'values' needs at least one entry")
            starts = [v.from_ for v in self.values]
            if starts != sorted(starts) or len(set(starts)) != len(starts):
                raise ValueError("'values' must be in strictly increasing 'from' order")
        return self

    def versions(self) -> list[tuple[date, Any]]:
        if self.values is None:
            return [(date.min, self.value)]
        return [(v.from_, v.value) for v in self.values]


class ParametersFile(Strict):
    parameters: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], Parameter
    ] = {}


class Predicate(Strict):
    when: Condition
    description: Text | None = None
    citations: list[Citation] = []


PredicateName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class RulesFile(Strict):
    """A shared building-block file in rules/."""

    description: Text | None = None
    predicates: dict[PredicateName, Predicate | Condition] = {}


class Category(Strict):
    label: Text
    perimeter: Perimeter
    description: Text | None = None


class Outcome(Strict):
    """What a rule decides: a category, or review with what would settle the question."""

    category: str | None = None
    obligations: list[Obligation] = []
    review: Text | None = None  # why the law does not settle it
    settles: list[Text] = []  # the facts or rulings that would

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.category is None) == (self.review is None):
            raise ValueError("give either 'category' or 'review'")
        if self.review is not None and self.obligations:
            raise ValueError("a 'review' outcome carries no obligations")
        if self.review is not None and not self.settles:
            raise ValueError("a 'review' outcome must say what 'settles' the question")
        return self


class Exception_(Strict):
    id: RuleId
    title: Text
    when: Condition
    citations: Citations


class Rule(Strict):
    id: RuleId
    title: Text
    when: Condition
    unless: list[Exception_] = []
    requires: list[str] = []  # facts that must be known once the rule applies
    then: Outcome
    citations: Citations
    effective: Window = Window()
    notes: Text | None = None


class ObligationRule(Strict):
    id: RuleId
    obligation: Obligation
    when: Condition
    detail: Text
    citations: Citations
    effective: Window = Window()


class ClassifyFile(Strict):
    predicates: dict[PredicateName, Predicate | Condition] = {}
    categories: dict[str, Category]
    rules: Annotated[list[Rule], Field(min_length=1)]
    default: Outcome
    obligations: list[ObligationRule] = []


class Expect(Strict):
    status: str | None = None
    perimeter: str | None = None
    category: str | None = None
    obligations: list[str] | None = None
    missing_facts: list[str] | None = None
    rule: str | None = None  # the rule expected to decide


class TestCase(Strict):
    name: Text
    facts: dict[str, Any]
    as_of: date | None = None
    expect: Expect


class TestsFile(Strict):
    cases: Annotated[list[TestCase], Field(min_length=1)]
