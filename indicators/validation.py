"""Validation rules of an indicator's values, as DHIS2 has them: the same checks wherever a value
enters (the data-entry grid, bulk imports, any later API) and over the values already stored.

Rules of one indicator (``Rules``):

- ``minimum`` and ``maximum``: bounds of a value, inclusive; none by default;
- ``whole_numbers``: a value (or numerator and denominator) without a fraction;
- ``allow_negative``: off by default, so that counts and most measures cannot fall below zero;
  numerators and denominators are never negative;
- for a share (a ratio), the numerator is at most the denominator unless ``allow_over_whole``
  (for ratios that may exceed 100 %, such as growth against a reference figure).

``check`` returns every rule a figure breaks, as data: the rule, the field and the value, and
the limit it broke; the app words them in the reader's language with the indicator, period and
category they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Rule(StrEnum):
    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    WHOLE_NUMBER = "whole_number"
    NON_NEGATIVE = "non_negative"
    NUMERATOR_OVER_DENOMINATOR = "numerator_over_denominator"


@dataclass(frozen=True)
class Rules:
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    whole_numbers: bool = False
    allow_negative: bool = False
    allow_over_whole: bool = False

    def __post_init__(self) -> None:
        if (self.minimum is not None and self.maximum is not None
                and self.minimum > self.maximum):
            raise ValueError("the minimum is above the maximum")


@dataclass(frozen=True)
class Violation:
    rule: Rule
    field: str  # "value", "numerator" or "denominator"
    value: Decimal
    limit: Decimal | None = None


def check(rules: Rules, *, value: Decimal | None = None, numerator: Decimal | None = None,
          denominator: Decimal | None = None) -> list[Violation]:
    """Every rule the figure breaks, in a stable order; empty when it keeps them all."""
    found: list[Violation] = []
    if value is not None:
        if not rules.allow_negative and value < 0:
            found.append(Violation(Rule.NON_NEGATIVE, "value", value, Decimal(0)))
        if rules.minimum is not None and value < rules.minimum:
            found.append(Violation(Rule.MINIMUM, "value", value, rules.minimum))
        if rules.maximum is not None and value > rules.maximum:
            found.append(Violation(Rule.MAXIMUM, "value", value, rules.maximum))
    for field, number in (("value", value), ("numerator", numerator),
                          ("denominator", denominator)):
        if number is not None and rules.whole_numbers and number != number.to_integral_value():
            found.append(Violation(Rule.WHOLE_NUMBER, field, number))
    for field, number in (("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            found.append(Violation(Rule.NON_NEGATIVE, field, number, Decimal(0)))
    if (numerator is not None and denominator is not None and not rules.allow_over_whole
            and numerator > denominator):
        found.append(Violation(Rule.NUMERATOR_OVER_DENOMINATOR, "numerator", numerator,
                               denominator))
    return found
