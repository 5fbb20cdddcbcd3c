"""Aggregation across categories and periods, cumulation modes, disaggregation checks."""

import dataclasses
import os
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from indicators.aggregate import (
    Mismatch,
    PeriodFigure,
    aggregate,
    check_disaggregation,
    life_of_project,
    period_figures,
    series,
    total_from_categories,
)
from indicators.types import Calculation, Cumulation, Observation

D = Decimal
# Mutation runs (tests/mutation/mutate.py) run these once per mutant and ask for fewer examples.
PROPERTY = settings(database=None, deadline=None,
                    max_examples=int(os.environ.get("PVE_PROPERTY_EXAMPLES", "150")))


def month(number: int) -> date:
    """The first day of the ``number``-th month counted from January 2024 (1-based)."""
    return date(2024 + (number - 1) // 12, (number - 1) % 12 + 1, 1)


def row(number, value=None, *, category=None, num=None, den=None, end=None) -> Observation:
    return Observation(
        month(number), end=end, category=category, value=value, numerator=num, denominator=den
    )


# aggregate -----------------------------------------------------------------------------


VALUES = [row(1, 3), row(2, 4), row(3, 5), row(4, None)]


@pytest.mark.parametrize(
    ("calculation", "expected"),
    [
        (Calculation.SUM, D(12)),  # 3 + 4 + 5; the empty April row is ignored
        (Calculation.MEAN, D(4)),  # 12 / 3, not 12 / 4
        (Calculation.MAX, D(5)),
        (Calculation.LATEST, D(5)),  # March is the latest month with a value
    ],
)
def test_aggregate_values(calculation, expected):
    assert aggregate(VALUES, calculation) == expected


def test_mean_is_exact_decimal():
    assert aggregate([row(1, 1), row(2, 2)], Calculation.MEAN) == D("1.5")


def test_max_of_negative_values():
    assert aggregate([row(1, -3), row(2, -1)], Calculation.MAX) == D(-1)


def test_latest_goes_by_period_not_by_position():
    rows = [row(1, 10), row(3, 30), row(2, 20)]
    assert aggregate(rows, Calculation.LATEST) == D(30)


def test_latest_breaks_a_start_date_tie_by_end_date():
    quarter = row(1, 90, end=date(2024, 3, 31))
    january = row(1, 31, end=date(2024, 1, 31))
    assert aggregate([quarter, january], Calculation.LATEST) == D(90)


def test_latest_refuses_to_choose_between_rows_of_the_same_period():
    rows = [row(2, 1, category="female"), row(2, 2, category="male"), row(1, 5)]
    with pytest.raises(ValueError, match="latest period"):
        aggregate(rows, Calculation.LATEST)


def test_ratio_is_sum_over_sum_not_mean_of_percentages():
    rows = [row(1, num=1, den=4), row(2, num=9, den=16)]
    # Σ numerator / Σ denominator = 10 / 20 = 0.5; the mean of 0.25 and 0.5625 would be
    # 0.40625, which overweights the small first period.
    assert aggregate(rows, Calculation.RATIO) == D("0.5")


def test_ratio_ignores_rows_without_a_pair_and_is_undefined_over_nothing():
    assert aggregate([row(1, 50), row(2, num=3, den=6)], Calculation.RATIO) == D("0.5")
    assert aggregate([row(1, num=0, den=0), row(2, num=0, den=0)], Calculation.RATIO) is None
    assert aggregate([row(1, 50)], Calculation.RATIO) is None


@pytest.mark.parametrize("calculation", list(Calculation))
def test_aggregate_of_nothing_is_none(calculation):
    assert aggregate([], calculation) is None
    assert aggregate([row(1), row(2)], calculation) is None


def test_aggregate_accepts_the_stored_string_and_refuses_unknown_ones():
    assert aggregate(VALUES, "sum") == D(12)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="median"):
        aggregate(VALUES, "median")  # type: ignore[arg-type]


# series --------------------------------------------------------------------------------


def test_series_selects_one_category_in_period_order():
    rows = [row(3, 1), row(1, 2), row(2, 3, category="female"), row(1, 4, category="female")]
    assert [(r.period, r.value) for r in series(rows)] == [(month(1), 2), (month(3), 1)]
    assert [r.value for r in series(rows, "female")] == [D(4), D(3)]
    assert series(rows, "male") == []
    # A category name read from a file or a database is an equal string, not the same object.
    assert [r.value for r in series(rows, "".join(["fe", "male"]))] == [D(4), D(3)]


def test_series_refuses_two_rows_for_one_period():
    with pytest.raises(ValueError, match="two rows for period 2024-02-01"):
        series([row(2, 1), row(1, 1), row(2, 5)])
    # The same period in different categories is not a duplicate.
    assert len(series([row(2, 1), row(2, 5, category="female")])) == 1


# period_figures and life_of_project ----------------------------------------------------


INCREMENTS = [row(1, 5), row(2, None), row(3, 8), row(4, 2)]


def test_non_cumulative_periods_stand_alone():
    figures = period_figures(INCREMENTS, Calculation.SUM, Cumulation.NON_CUMULATIVE)
    assert [f.figure for f in figures] == [D(5), None, D(8), D(2)]
    assert [f.reported for f in figures] == [D(5), None, D(8), D(2)]
    assert figures[0] == PeriodFigure(month(1), None, D(5), D(5))
    assert life_of_project(INCREMENTS, Calculation.SUM, Cumulation.NON_CUMULATIVE) == D(15)


@pytest.mark.parametrize(
    ("calculation", "expected"),
    [
        (Calculation.SUM, D(15)),  # 5 + 8 + 2
        (Calculation.MEAN, D(5)),  # 15 / 3 reported periods
        (Calculation.MAX, D(8)),
        (Calculation.LATEST, D(2)),
    ],
)
def test_non_cumulative_life_of_project_uses_the_calculation(calculation, expected):
    assert life_of_project(INCREMENTS, calculation, Cumulation.NON_CUMULATIVE) == expected
    assert life_of_project(observations=INCREMENTS, calculation=calculation,
                           cumulation=Cumulation.NON_CUMULATIVE, category=None) == expected


def test_cumulative_shows_running_totals():
    figures = period_figures(list(reversed(INCREMENTS)), Calculation.SUM, Cumulation.CUMULATIVE)
    # Running totals 5, (gap), 5 + 8 = 13, 13 + 2 = 15; the gap stays visible.
    assert [f.figure for f in figures] == [D(5), None, D(13), D(15)]
    assert [f.reported for f in figures] == [D(5), None, D(8), D(2)]
    assert life_of_project(INCREMENTS, Calculation.SUM, Cumulation.CUMULATIVE) == D(15)
    assert period_figures(observations=INCREMENTS, calculation=Calculation.SUM,
                          cumulation=Cumulation.CUMULATIVE, category=None) == figures


def test_cumulative_ratio_runs_sum_over_sum():
    rows = [row(1, num=2, den=10), row(2, num=3, den=10), row(3, num=0, den=0)]
    figures = period_figures(rows, Calculation.RATIO, Cumulation.CUMULATIVE)
    # 2/10 = 0.2; (2+3)/(10+10) = 0.25; March adds 0/0: its own share is undefined but the
    # running share is still 5/20 = 0.25.
    assert [f.figure for f in figures] == [D("0.2"), D("0.25"), D("0.25")]
    assert [f.reported for f in figures] == [D("0.2"), D("0.3"), None]
    assert life_of_project(rows, Calculation.RATIO, Cumulation.CUMULATIVE) == D("0.25")


def test_non_summing_cumulative_takes_the_latest_to_date_figure():
    rows = [row(1, 4), row(2, 9), row(3, 12), row(4, None)]
    figures = period_figures(rows, Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE)
    assert [f.figure for f in figures] == [D(4), D(9), D(12), None]
    # 12, the March to-date figure, not 4 + 9 + 12 = 25.
    assert life_of_project(rows, Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE) == D(12)


def test_non_summing_cumulative_ratio_and_empty_series():
    rows = [row(1, num=1, den=4), row(2, num=3, den=6)]
    assert life_of_project(rows, "ratio", "non_summing_cumulative") == D("0.5")  # type: ignore[arg-type]
    empty = [row(1), row(2)]
    assert life_of_project(empty, Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE) is None


def test_figures_for_one_category():
    rows = [row(1, 10), row(1, 6, category="female"), row(2, 7, category="female")]
    figures = period_figures(rows, Calculation.SUM, Cumulation.CUMULATIVE, category="female")
    assert [(f.period, f.figure) for f in figures] == [(month(1), D(6)), (month(2), D(13))]
    assert life_of_project(rows, Calculation.SUM, Cumulation.CUMULATIVE, category="female") == 13
    assert life_of_project(rows, Calculation.SUM, Cumulation.CUMULATIVE) == D(10)


# total_from_categories -----------------------------------------------------------------


SEX = [
    row(2, 6, category="female", end=date(2024, 2, 29)),
    row(2, 4, category="male", end=date(2024, 2, 29)),
]


def test_total_from_categories_sum_and_max():
    total = total_from_categories(SEX, Calculation.SUM)
    assert total == Observation(month(2), end=date(2024, 2, 29), value=10)
    assert total is not None
    assert total.is_total
    assert total_from_categories(SEX, Calculation.MAX) == Observation(
        month(2), end=date(2024, 2, 29), value=6
    )


def test_total_from_categories_ratio_sums_the_pairs():
    rows = [row(1, category="f", num=3, den=10), row(1, category="m", num=1, den=10)]
    total = total_from_categories(rows, Calculation.RATIO)
    assert total == Observation(month(1), numerator=4, denominator=20)
    assert total is not None
    assert total.figure(Calculation.RATIO) == D("0.2")


@pytest.mark.parametrize("calculation", [Calculation.MEAN, Calculation.LATEST])
def test_total_from_categories_is_not_derivable_for_mean_and_latest(calculation):
    assert total_from_categories(SEX, calculation) is None


def test_total_from_categories_without_data():
    assert total_from_categories([], Calculation.SUM) is None
    assert total_from_categories([row(1, category="f")], Calculation.SUM) is None


def test_total_from_categories_refuses_totals_and_mixed_periods():
    with pytest.raises(ValueError, match="not a total row"):
        total_from_categories([row(1, 5), row(1, 5, category="f")], Calculation.SUM)
    with pytest.raises(ValueError, match="single period"):
        total_from_categories([row(1, 5, category="f"), row(2, 5, category="f")], Calculation.SUM)


# check_disaggregation ------------------------------------------------------------------


def cats(number, **values):
    return [row(number, value, category=name) for name, value in values.items()]


def test_consistent_sum_total_gives_no_finding():
    breakdowns = {"sex": cats(1, f=6, m=4), "age": cats(1, young=3, old=7)}
    assert check_disaggregation(row(1, 10), breakdowns, Calculation.SUM) == []


def test_sum_mismatch_per_disaggregation_type():
    breakdowns = {"sex": cats(1, f=6, m=5), "age": cats(1, young=3, old=7), "region": cats(1, a=9)}
    findings = check_disaggregation(row(1, 10), breakdowns, Calculation.SUM)
    # Sex adds up to 11 (one more than the total), region to 9; age agrees. Sorted by type.
    assert findings == [
        Mismatch(month(1), "region", "value", D(10), D(9)),
        Mismatch(month(1), "sex", "value", D(10), D(11)),
    ]
    assert [f.difference for f in findings] == [D(-1), D(1)]


def test_tolerance_is_absolute_and_inclusive():
    breakdowns = {"sex": cats(1, f=6, m=5)}  # 11 against a total of 10
    assert check_disaggregation(row(1, 10), breakdowns, Calculation.SUM, tolerance=1) == []
    assert check_disaggregation(row(1, 10), breakdowns, Calculation.SUM, tolerance=2) == []
    near = check_disaggregation(row(1, 10), breakdowns, Calculation.SUM, tolerance=D("0.5"))
    assert len(near) == 1
    with pytest.raises(ValueError, match="tolerance"):
        check_disaggregation(row(1, 10), breakdowns, Calculation.SUM, tolerance=-1)


def test_a_type_without_category_data_does_not_stop_the_check_of_the_next():
    # "age" (checked first: types are sorted) has rows but no value; "sex" is off by one.
    breakdowns = {"age": [row(1, category="young")], "sex": cats(1, f=6, m=5)}
    assert check_disaggregation(row(1, 10), breakdowns, Calculation.SUM) == [
        Mismatch(month(1), "sex", "value", D(10), D(11))
    ]


def test_ratio_checks_numerators_and_denominators_separately():
    total = row(1, num=4, den=20)
    agree = {"sex": [row(1, category="f", num=3, den=10), row(1, category="m", num=1, den=10)]}
    assert check_disaggregation(total, agree, Calculation.RATIO) == []
    # Same numerators, denominators 10 + 12 = 22 against 20.
    off = {"sex": [row(1, category="f", num=3, den=10), row(1, category="m", num=1, den=12)]}
    assert check_disaggregation(total, off, Calculation.RATIO) == [
        Mismatch(month(1), "sex", "denominator", D(20), D(22))
    ]


def test_ratio_total_without_a_pair_has_nothing_to_compare():
    breakdowns = {"sex": [row(1, category="f", num=3, den=10)]}
    assert check_disaggregation(row(1, 50), breakdowns, Calculation.RATIO) == []


def test_max_total_must_equal_the_largest_category():
    breakdowns = {"age": cats(1, young=6, old=4)}
    assert check_disaggregation(row(1, 6), breakdowns, Calculation.MAX) == []
    assert check_disaggregation(row(1, 7), breakdowns, Calculation.MAX) == [
        Mismatch(month(1), "age", "value", D(7), D(6))
    ]


@pytest.mark.parametrize("calculation", [Calculation.MEAN, Calculation.LATEST])
def test_mean_and_latest_are_not_checkable(calculation):
    breakdowns = {"sex": cats(1, f=600, m=500)}
    assert check_disaggregation(row(1, 1), breakdowns, calculation) == []


def test_nothing_to_compare_gives_no_finding():
    assert check_disaggregation(row(1), {"sex": cats(1, f=6)}, Calculation.SUM) == []
    assert check_disaggregation(row(1, 10), {"sex": []}, Calculation.SUM) == []
    assert check_disaggregation(row(1, 10), {}, Calculation.SUM) == []


def test_check_disaggregation_refuses_misplaced_rows():
    with pytest.raises(ValueError, match="total row"):
        check_disaggregation(row(1, 10, category="f"), {}, Calculation.SUM)
    with pytest.raises(ValueError, match="not all of period 2024-01-01"):
        check_disaggregation(row(1, 10), {"sex": cats(2, f=10)}, Calculation.SUM)
    with pytest.raises(ValueError, match="not all of period 2024-02-01"):
        check_disaggregation(row(2, 10), {"sex": cats(1, f=10)}, Calculation.SUM)


def test_categories_counted_twice_are_found():
    # Every participant entered under both sexes: the categories give twice the total.
    breakdowns = {"sex": cats(1, f=10, m=10)}
    assert check_disaggregation(total=row(1, 10), breakdowns=breakdowns,
                                calculation=Calculation.SUM) == [
        Mismatch(month(1), "sex", "value", D(10), D(20))
    ]


def test_figures_are_values_that_cannot_be_changed():
    figure = PeriodFigure(month(1), None, D(1), D(1))
    mismatch = Mismatch(month(1), "sex", "value", D(10), D(20))
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.figure = D(2)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        mismatch.actual = D(10)  # type: ignore[misc]


# properties ----------------------------------------------------------------------------

amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=2)
counts = st.decimals(min_value=0, max_value=10**6, places=2)


@st.composite
def observation_lists(draw, min_size=0):
    """Total rows with distinct periods; each may carry a value, a pair, both or neither."""
    months = draw(st.lists(st.integers(1, 120), min_size=min_size, max_size=12, unique=True))
    rows = []
    for number in months:
        pair = draw(st.none() | st.tuples(counts, counts))
        num, den = pair if pair else (None, None)
        rows.append(row(number, draw(st.none() | amounts), num=num, den=den))
    return rows


@PROPERTY
@given(data=st.data(), rows=observation_lists())
def test_order_of_observations_changes_no_aggregate(data, rows):
    shuffled = data.draw(st.permutations(rows))
    for calculation in Calculation:
        assert aggregate(shuffled, calculation) == aggregate(rows, calculation)
        for cumulation in Cumulation:
            assert period_figures(shuffled, calculation, cumulation) == period_figures(
                rows, calculation, cumulation
            )
            assert life_of_project(shuffled, calculation, cumulation) == life_of_project(
                rows, calculation, cumulation
            )


CATEGORIES = ("female", "male", "unknown")


@PROPERTY
@given(
    months=st.lists(st.integers(1, 60), min_size=1, max_size=8, unique=True),
    data=st.data(),
    cumulation=st.sampled_from([Cumulation.NON_CUMULATIVE, Cumulation.CUMULATIVE]),
)
def test_sum_over_categories_then_periods_equals_periods_then_categories(months, data, cumulation):
    grid = [
        row(number, data.draw(st.none() | amounts), category=name)
        for number in months
        for name in CATEGORIES
    ]
    period_totals = [
        total
        for number in months
        if (
            total := total_from_categories(
                [r for r in grid if r.period == month(number)], Calculation.SUM
            )
        )
        is not None
    ]
    categories_first = life_of_project(period_totals, Calculation.SUM, cumulation)

    per_category = [
        life_of_project(grid, Calculation.SUM, cumulation, category=name) for name in CATEGORIES
    ]
    present = [value for value in per_category if value is not None]
    periods_first = sum(present, D(0)) if present else None

    assert categories_first == periods_first


@PROPERTY
@given(pairs=st.lists(st.tuples(counts, counts), min_size=1, max_size=12))
def test_ratio_aggregate_is_sum_of_numerators_over_sum_of_denominators(pairs):
    rows = [row(number, num=num, den=den) for number, (num, den) in enumerate(pairs, 1)]
    numerator = sum((num for num, _ in pairs), D(0))
    denominator = sum((den for _, den in pairs), D(0))
    expected = numerator / denominator if denominator else None
    assert aggregate(rows, Calculation.RATIO) == expected


def test_ratio_aggregate_differs_from_the_mean_of_percentages():
    def differs(pairs: list[tuple[int, int]]) -> bool:
        rows = [row(number, num=num, den=den) for number, (num, den) in enumerate(pairs, 1)]
        mean = aggregate(
            [row(number, num * D(1) / den) for number, (num, den) in enumerate(pairs, 1)],
            Calculation.MEAN,
        )
        return aggregate(rows, Calculation.RATIO) != mean

    positive = st.tuples(st.integers(0, 100), st.integers(1, 100))
    example = find(st.lists(positive, min_size=2, max_size=4), differs, settings=PROPERTY)
    assert differs(example)
    assert differs([(1, 4), (9, 16)])  # 10/20 = 0.5 against (0.25 + 0.5625) / 2 = 0.40625


@PROPERTY
@given(
    increments=st.lists(st.none() | counts, min_size=1, max_size=15),
)
def test_cumulative_running_totals_never_fall_for_non_negative_increments(increments):
    rows = [row(number, value) for number, value in enumerate(increments, 1)]
    figures = [
        f.figure
        for f in period_figures(rows, Calculation.SUM, Cumulation.CUMULATIVE)
        if f.figure is not None
    ]
    assert figures == sorted(figures)
    total = life_of_project(rows, Calculation.SUM, Cumulation.CUMULATIVE)
    assert total == (figures[-1] if figures else None)


@PROPERTY
@given(rows=observation_lists(), latest=amounts)
def test_non_summing_life_of_project_is_whatever_was_reported_last(rows, latest):
    # A to-date figure reported after every other period replaces them all, whatever they were.
    later = row(200, latest)
    assert (
        life_of_project([*rows, later], Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE)
        == latest
    )
    # ... and an empty later row changes nothing.
    before = life_of_project(rows, Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE)
    assert (
        life_of_project([*rows, row(200)], Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE)
        == before
    )
