"""Validation rules of indicator values, rule by rule and boundary by boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.validation import Rule, Rules, Violation, check

D = Decimal


def rules_broken(rules: Rules, **figure: int | str) -> list[tuple[Rule, str]]:
    return [(v.rule, v.field) for v in check(rules, **{k: D(v) for k, v in figure.items()})]


def test_counts_are_non_negative_by_default_and_zero_is_fine() -> None:
    assert check(Rules(), value=D(-5)) == [Violation(Rule.NON_NEGATIVE, "value", D(-5), D(0))]
    assert check(Rules(), value=D(0)) == []
    assert check(Rules(allow_negative=True), value=D(-5)) == []


def test_bounds_are_inclusive() -> None:
    rules = Rules(minimum=D(10), maximum=D(100))
    assert rules_broken(rules, value=10) == [] and rules_broken(rules, value=100) == []
    assert rules_broken(rules, value="9.9999") == [(Rule.MINIMUM, "value")]
    assert rules_broken(rules, value="100.0001") == [(Rule.MAXIMUM, "value")]
    assert check(rules, value=D(150))[0].limit == D(100)


def test_a_minimum_below_zero_still_needs_negatives_allowed() -> None:
    rules = Rules(minimum=D(-10))
    assert rules_broken(rules, value=-5) == [(Rule.NON_NEGATIVE, "value")]
    assert rules_broken(Rules(minimum=D(-10), allow_negative=True), value=-11) == [
        (Rule.MINIMUM, "value")]


def test_whole_numbers_for_every_part() -> None:
    rules = Rules(whole_numbers=True)
    assert rules_broken(rules, value="3.0") == []
    assert rules_broken(rules, value="3.5") == [(Rule.WHOLE_NUMBER, "value")]
    assert rules_broken(rules, numerator="1.5", denominator=4) == [
        (Rule.WHOLE_NUMBER, "numerator")]
    assert rules_broken(Rules(), value="3.5") == []


def test_a_share_cannot_exceed_the_whole_unless_allowed() -> None:
    assert rules_broken(Rules(), numerator=40, denominator=40) == []  # exactly 100 %
    found = check(Rules(), numerator=D(50), denominator=D(40))  # 125 %
    assert found == [Violation(Rule.NUMERATOR_OVER_DENOMINATOR, "numerator", D(50), D(40))]
    assert check(Rules(allow_over_whole=True), numerator=D(50), denominator=D(40)) == []


@pytest.mark.parametrize(("numerator", "denominator", "broken"), [
    (-1, 10, [(Rule.NON_NEGATIVE, "numerator")]),
    (0, -1, [(Rule.NON_NEGATIVE, "denominator"), (Rule.NUMERATOR_OVER_DENOMINATOR,
                                                  "numerator")]),
    (0, 0, []),
])
def test_numerators_and_denominators_are_never_negative(numerator: int, denominator: int,
                                                        broken: list[tuple[Rule, str]]) -> None:
    rules = Rules(allow_negative=True)  # negatives of values, never of counts above/below
    assert rules_broken(rules, numerator=numerator, denominator=denominator) == broken


def test_a_minimum_above_the_maximum_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum is above the maximum"):
        Rules(minimum=D(5), maximum=D(4))
