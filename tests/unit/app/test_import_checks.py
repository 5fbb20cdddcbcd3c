"""The checks of one row of a values import, with plain lookup tables: what each row yields
and which field each problem is named on, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.frameworks.models import PeriodState
from app.monitoring.imports.checks import (
    COLUMNS,
    IndicatorInfo,
    PeriodInfo,
    check_row,
    number_text,
)
from indicators.validation import Rules

Q1 = ("2024-01-01", "2024-03-31")


class Lookups:
    def __init__(self, state: PeriodState = PeriodState.OPEN) -> None:
        self.indicators = {
            "n": IndicatorInfo(1, "number", False, frozenset({"total", "sex"})),
            "r": IndicatorInfo(2, "ratio", False, frozenset({"total"})),
            "q": IndicatorInfo(3, "text", False, frozenset({"total"})),
            "w": IndicatorInfo(4, "number", True, frozenset({"total"})),
            "pos": IndicatorInfo(5, "number", False, frozenset({"total"}),
                                 Rules(maximum=Decimal(100))),
        }
        self.periods = {(date(2024, 1, 1), date(2024, 3, 31)): PeriodInfo(9, state)}
        self.categories = {("total", "total"): 50, ("sex", "female"): 51, ("sex", "male"): 52}

    def period(self, start: str, end: str) -> PeriodInfo | None:
        try:
            return self.periods.get((date.fromisoformat(start), date.fromisoformat(end)))
        except ValueError:
            return None


COL = {name: i for i, name in enumerate(COLUMNS)}


def cells(indicator: str = "N", period: tuple[str, str] = Q1, disaggregation: str = "",
          category: str = "", **values: str) -> list[str | None]:
    row: list[str | None] = [None] * len(COLUMNS)
    row[COL["indicator"]] = indicator
    row[COL["period_start"]], row[COL["period_end"]] = period
    row[COL["disaggregation"]] = disaggregation
    row[COL["category"]] = category
    for name, value in values.items():
        row[COL[name]] = value
    return row


def run(row: list[str | None], lookups: Any = None) -> tuple[Any, list[tuple[int, str, str]]]:
    errors: list[tuple[int, str, str]] = []
    found = check_row(7, row, COL, lookups or Lookups(),
                      lambda n, field, message: errors.append((n, field, str(message))))
    return found, errors


def test_a_good_number_row_is_staged_with_the_keys() -> None:
    found, errors = run(cells(value="12", comment="Survey", evidence_url="https://ex.org/a"))
    assert errors == []
    assert found == (7, 1, 9, 50, "12", None, None, None, "Survey", "https://ex.org/a")


def test_a_category_row_and_a_ratio_row() -> None:
    found, _ = run(cells(disaggregation="SEX", category="Female", value="3"))
    assert found[3] == 51
    found, errors = run(cells("R", numerator="10", denominator="40"))
    assert errors == [] and found[4:7] == (None, "10", "40")


def test_a_text_row_and_a_quoted_text() -> None:
    found, errors = run(cells("Q", text="'=Clubs started"))
    assert errors == [] and found[7] == "=Clubs started"


def test_a_row_without_a_value_is_skipped_not_refused() -> None:
    assert run(cells()) == (False, [])


@pytest.mark.parametrize(("row", "field", "message"), [
    (cells("NOPE", value="1"), "indicator", "The project has no indicator “NOPE”."),
    (cells("W", value="1"), "indicator", "W is computed from the activity log"),
    (cells(period=("2030-01-01", "2030-03-31"), value="1"), "period_start",
     "no reporting period from 2030-01-01 to 2030-03-31"),
    (cells(period=("Q1", "2024-03-31"), value="1"), "period_start", "no reporting period"),
    (cells(disaggregation="sex", category="nobody", value="1"), "category",
     "“sex / nobody” is not a category of this indicator."),
    (cells("R", disaggregation="sex", category="female", numerator="1", denominator="2"),
     "category", "is not a category of this indicator"),
    (cells(value="lots"), "value", "“lots” is not a number"),
    (cells("R", value="5"), "value", "This indicator is a ratio"),
    (cells("R", numerator="5"), "denominator", "numerator and the denominator together"),
    (cells("R", numerator="5", denominator="-2"), "denominator", "cannot be negative"),
    (cells("R", numerator="5", denominator="-0.5"), "denominator", "cannot be negative"),
    (cells(numerator="5", denominator="2"), "numerator", "takes one value, not a numerator"),
    (cells(numerator="5"), "numerator", "takes one value, not a numerator"),
    (cells("Q", value="5"), "value", "This indicator is qualitative: give text."),
    (cells(text="many"), "text", "This indicator takes a number, not text."),
    (cells(value="5", evidence_url="ftp://x"), "evidence_url", "must start with https://"),
    (cells(value="5", comment="x" * 2001), "comment", "At most 2000 characters."),
    (cells("Q", text="x" * 5001), "text", "At most 5000 characters."),
    (cells(value="5", evidence_url="https://" + "x" * 500), "evidence_url",
     "At most 500 characters."),
    # above the indicator's maximum, named with its indicator, period and (total) category
    (cells("POS", value="101"), "value", "POS · 2024-01-01–2024-03-31 · total"),
])
def test_each_problem_is_named_on_its_field(row: list[str | None], field: str,
                                            message: str) -> None:
    found, errors = run(row)
    assert found is None
    assert [(e[0], e[1]) for e in errors] == [(7, field)]  # once, not again by another check
    assert message in errors[0][2], errors


def test_limits_are_inclusive() -> None:
    assert run(cells(value="5", comment="x" * 2000))[1] == []
    assert run(cells("Q", text="x" * 5000))[1] == []
    assert run(cells("POS", value="100"))[1] == []


@pytest.mark.parametrize(("state", "message"), [
    (PeriodState.APPROVED, "The period is approved and locked."),
    (PeriodState.SUBMITTED, "The period was submitted and awaits a decision."),
])
def test_a_locked_or_submitted_period_is_refused(state: PeriodState, message: str) -> None:
    found, errors = run(cells(value="1"), Lookups(state))
    assert found is None and errors == [(7, "period_start", message)]


def test_a_returned_period_takes_values() -> None:
    found, errors = run(cells(value="1"), Lookups(PeriodState.RETURNED))
    assert errors == [] and found[2] == 9


def test_every_problem_of_a_row_is_named() -> None:
    _, errors = run(cells("NOPE", period=("2030-01-01", "2030-03-31"), disaggregation="sex",
                          category="nobody", value="x"))
    assert [e[1] for e in errors] == ["indicator", "period_start", "category", "value"]


def test_a_denominator_below_one_is_a_row() -> None:
    found, errors = run(cells("R", numerator="0.25", denominator="0.5"))
    assert errors == [] and found[5:7] == ("0.25", "0.5")


def test_a_zero_denominator_with_a_zero_numerator_is_a_row() -> None:
    found, errors = run(cells("R", numerator="0", denominator="0"))
    assert errors == [] and found[5:7] == ("0", "0")


@pytest.mark.parametrize(("raw", "expected"), [
    ("12", "12"), ("1 234,5", "1234.5"), ("0.0001", "0.0001"), ("-3", "-3"),
    ("99999999999999.9999", "99999999999999.9999"),
])
def test_number_text(raw: str, expected: str) -> None:
    assert number_text(raw) == expected


@pytest.mark.parametrize("raw", ["1e14", "100000000000000", "1e15", "-200000000000000",
                                 "0.00001", "0.00009", "NaN", "Infinity", "x"])
def test_number_text_refuses_what_the_column_cannot_hold(raw: str) -> None:
    with pytest.raises(ValueError, match=r"\w"):  # with the reason, for the message
        number_text(raw)
