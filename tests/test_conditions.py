"""The condition language: three-valued logic, types, and locations of errors."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from compliance.facts import CLASSIFY_FACTS
from compliance.packs.compiler import CompileError, Compiler, ExprSource, PredicateDef
from compliance.yamlsrc import parse_yaml

T, F, U = True, False, None


def compile_(
    text: str, params: dict[str, Any] | None = None, predicates: dict[str, str] | None = None
) -> Any:
    preds = {
        name: PredicateDef(name, ExprSource(body, "rules.yaml", i + 1, 5, f"predicates.{name}"))
        for i, (name, body) in enumerate((predicates or {}).items())
    }
    compiler = Compiler(CLASSIFY_FACTS, params or {}, preds)
    return compiler.condition(ExprSource(text, "p.yaml", 7, 11, "rules[0].when"))


def facts(**given: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(CLASSIFY_FACTS)
    out.update({k.replace("__", "."): v for k, v in given.items()})
    return out


def kleene_and(a: Any, b: Any) -> Any:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a: Any, b: Any) -> Any:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


@pytest.mark.parametrize(("a", "b"), list(itertools.product([T, F, U], repeat=2)))
def test_and_or_not_follow_kleene(a: Any, b: Any) -> None:
    env = facts(cleared=a, token__yield_bearing=b)
    assert compile_("cleared and token.yield_bearing").fn(env) is kleene_and(a, b)
    assert compile_("cleared or token.yield_bearing").fn(env) is kleene_or(a, b)
    assert compile_("not cleared").fn(env) is (None if a is None else not a)


def test_comparisons_with_a_missing_fact_are_unknown() -> None:
    empty = facts()
    for text in (
        "kind == 'future'",
        "kind != 'future'",
        "underlying.quantity > 10",
        "kind in ['future']",
        "kind not in ['future']",
        "expiry < 2027-01-01",
    ):
        assert compile_(text).fn(empty) is None, text


def test_is_missing_is_never_unknown() -> None:
    c = compile_("venue.type is missing")
    assert c.fn(facts()) is True
    assert c.fn(facts(venue__type="dcm")) is False
    assert compile_("venue.type is known").fn(facts()) is False
    assert compile_("venue.type is not missing").fn(facts(venue__type="dcm")) is True


def test_values_compare_by_type() -> None:
    from datetime import date

    env = facts(underlying__quantity=1000.0, expiry=date(2027, 3, 31), kind="option")
    assert compile_("underlying.quantity >= 1000").fn(env) is True
    assert compile_("expiry <= 2027-03-31 and expiry > 2027-03-30").fn(env) is True
    assert compile_("kind in param.kinds", {"kinds": ["option", "swap"]}).fn(env) is True
    assert compile_("kind not in param.kinds", {"kinds": []}).fn(env) is True


def test_predicates_inline_and_record_the_facts_they_read() -> None:
    c = compile_("cash and kind == 'future'", predicates={"cash": "settlement == 'cash'"})
    assert c.facts == {"settlement", "kind"}
    assert c.fn(facts(settlement="cash", kind="future")) is True


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("kind == 'futur'", 19, "'futur' is not a possible value of 'kind'"),
        ("kind == 3", 19, "cannot compare an enumeration with a number"),
        ("cleared > true", 19, "'>' needs numbers or dates"),
        ("kind in 'future'", 19, "must be a list"),
        ("kind in [1, 'a']", 19, "list items must all be of one type"),
        ("issuer.country == 'UK'", 29, "'UK' is not a possible value of 'issuer.country'"),
        ("currency == 'usd'", 23, "'usd' is not a possible value of 'currency'"),
        ("param.nope", 11, "unknown parameter 'nope'"),
        ("kind is missing and 'x'", 31, "'and' needs true/false"),
        ("kind ==", 18, "expected a fact, a value, a list or '('"),
        ("(cleared", 19, "expected ')'"),
        ("cleared cleared", 19, "expected 'and', 'or' or the end"),
        ("expiry > 2027-02-30", 20, "not a valid date"),
    ],
)
def test_errors_are_located(text: str, column: int, message: str) -> None:
    with pytest.raises(CompileError) as caught:
        compile_(text)
    err = caught.value
    assert message in err.message
    assert err.source is not None
    assert err.source.locate(err.pos) == (7, column)


def test_block_scalar_errors_point_into_the_block() -> None:
    doc = parse_yaml("when: >-\n  kind == 'future'\n  and kindd == 'x'\n", "f.yaml")
    assert doc.scalar_styles[("when",)] == ">"
    src = ExprSource(
        doc.data["when"],
        "f.yaml",
        doc.marks[("when",)].line,
        doc.marks[("when",)].column,
        "when",
        block=True,
    )
    with pytest.raises(CompileError) as caught:
        Compiler(CLASSIFY_FACTS, {}, {}).condition(src)
    line, _ = src.locate(caught.value.pos)
    assert line == 2  # folded text is on one line; the block starts on the line after 'when:'
