"""The one computation of an indicator's figures, worked out by hand for each calculation and
cumulation mode, with provisional values left out or counted and marked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from indicators.figures import Basis, Definition, PeriodInput, compute
from indicators.types import Calculation, Cumulation, Direction, Observation, Status, StatusBands

Q = [(date(2024, 1, 1), date(2024, 3, 31)), (date(2024, 4, 1), date(2024, 6, 30)),
     (date(2024, 7, 1), date(2024, 9, 30)), (date(2024, 10, 1), date(2024, 12, 31))]
ALL_DONE = lambda day: Decimal(1)  # noqa: E731 - the project has ended


def _periods(values: list[int | None], *, provisional: tuple[int, ...] = (),
             targets: list[int | None] | None = None) -> list[PeriodInput]:
    made = []
    for index, (start, end) in enumerate(Q[: len(values)]):
        value = values[index]
        made.append(PeriodInput(
            start=start, end=end,
            observation=None if value is None else Observation(start, end=end, value=value),
            target=None if targets is None or targets[index] is None else Decimal(
                targets[index]),
            provisional=index in provisional))
    return made


@pytest.mark.parametrize(("calculation", "cumulation", "to_date"), [
    # values 10, 30, 20 in three quarters
    (Calculation.SUM, Cumulation.NON_CUMULATIVE, [10, 40, 60]),
    (Calculation.SUM, Cumulation.CUMULATIVE, [10, 40, 60]),
    (Calculation.SUM, Cumulation.NON_SUMMING_CUMULATIVE, [10, 30, 20]),
    (Calculation.MAX, Cumulation.NON_CUMULATIVE, [10, 30, 30]),
    (Calculation.LATEST, Cumulation.NON_CUMULATIVE, [10, 30, 20]),
    (Calculation.MEAN, Cumulation.NON_CUMULATIVE, [10, 20, 20]),
])
def test_to_date_follows_the_calculation_and_cumulation(calculation: Calculation,
                                                        cumulation: Cumulation,
                                                        to_date: list[int]) -> None:
    figures = compute(Definition(calculation, cumulation, target=Decimal(120)),
                      _periods([10, 30, 20]), StatusBands(), ALL_DONE)
    assert [p.value for p in figures.periods] == [10, 30, 20]  # each period's own value
    assert [p.to_date for p in figures.periods] == to_date


def test_a_ratio_is_the_sum_of_numerators_over_the_sum_of_denominators_times_the_scale() -> None:
    periods = [PeriodInput(Q[0][0], Q[0][1], Observation(Q[0][0], numerator=10, denominator=40)),
               PeriodInput(Q[1][0], Q[1][1], Observation(Q[1][0], numerator=50, denominator=80))]
    figures = compute(Definition(Calculation.RATIO, Cumulation.CUMULATIVE, baseline=Decimal(20),
                                 target=Decimal(70), scale=Decimal(100)),
                      periods, StatusBands(), ALL_DONE)
    first, second = figures.periods
    assert (first.value, first.to_date) == (Decimal(25), Decimal(25))
    assert second.value == Decimal("62.5")  # 50 / 80, this quarter alone
    assert second.to_date == Decimal(50)  # 60 / 120, never the mean of 25 % and 62.5 %
    assert second.progress == Decimal("0.6")  # (50 - 20) / (70 - 20)


def test_status_compares_progress_with_the_time_elapsed_at_the_end_of_the_period() -> None:
    halfway = {Q[1][1]: Decimal("0.5"), Q[0][1]: Decimal("0.25")}
    figures = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(100)),
                      _periods([20, 20]), StatusBands(), lambda day: halfway[day])
    first, second = figures.periods
    # 20 of 100 when a quarter of the time is gone: 0.2 < 0.9 x 0.25 = 0.225, >= 0.15
    assert (first.progress, first.status, first.basis) == (Decimal("0.2"), Status.AT_RISK,
                                                           Basis.PROJECT)
    # 40 of 100 at half time: 0.4 < 0.45 but >= 0.3
    assert second.status == Status.AT_RISK
    # exactly on the on-track line
    on_line = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(100)),
                      _periods([45]), StatusBands(), lambda day: Decimal("0.5"))
    assert on_line.periods[0].status == Status.ON_TRACK


def test_without_a_life_of_project_target_the_period_target_is_the_basis() -> None:
    figures = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE),
                      _periods([30, 30], targets=[50, 100]), StatusBands(),
                      lambda day: Decimal("0.1"))
    first, second = figures.periods
    assert (first.progress, first.basis, first.status) == (Decimal("0.6"), Basis.PERIOD,
                                                           Status.AT_RISK)
    assert (second.progress, second.status) == (Decimal("0.6"), Status.AT_RISK)  # 60 / 100


def test_a_decrease_indicator_progresses_as_it_falls() -> None:
    figures = compute(Definition(Calculation.LATEST, Cumulation.NON_CUMULATIVE,
                                 direction=Direction.DECREASE, baseline=Decimal(100),
                                 target=Decimal(50)),
                      _periods([90, 70]), StatusBands(), ALL_DONE)
    assert [p.progress for p in figures.periods] == [Decimal("0.2"), Decimal("0.6")]


def test_provisional_values_are_left_out_unless_asked_and_then_marked() -> None:
    periods = _periods([10, 30, 20], provisional=(2,))
    approved = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(60)),
                       periods, StatusBands(), ALL_DONE)
    assert [p.value for p in approved.periods] == [10, 30, None]
    assert approved.latest is not None and approved.latest.start == Q[1][0]
    assert approved.latest.to_date == 40 and not approved.latest.provisional
    counted = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(60)),
                      periods, StatusBands(), ALL_DONE, include_provisional=True)
    assert [p.provisional for p in counted.periods] == [False, False, True]
    assert counted.latest is not None and counted.latest.to_date == 60
    assert counted.latest.status == Status.ON_TRACK


def test_a_provisional_value_marks_every_later_figure_that_rests_on_it() -> None:
    figures = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE),
                      _periods([10, 30, 20], provisional=(0,)), StatusBands(), ALL_DONE,
                      include_provisional=True)
    assert [p.provisional for p in figures.periods] == [True, True, True]


def test_no_value_no_figures() -> None:
    figures = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(10)),
                      _periods([None, None]), StatusBands(), ALL_DONE)
    assert figures.latest is None
    assert [p.status for p in figures.periods] == [Status.NO_DATA, Status.NO_DATA]


def test_a_gap_keeps_the_figures_to_date_of_the_periods_before_it() -> None:
    figures = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(100)),
                      _periods([10, None, 20]), StatusBands(), ALL_DONE)
    assert [p.value for p in figures.periods] == [10, None, 20]
    assert [p.to_date for p in figures.periods] == [10, 10, 30]
    assert figures.latest is not None and figures.latest.start == Q[2][0]
    assert figures.period(date(2024, 4, 1)) is figures.periods[1]  # an equal date, not the same
    assert figures.period(date(2024, 2, 1)) is None  # within a period, not its start
    assert figures.period(date(2030, 1, 1)) is None
    assert [p.reported for p in figures.periods] == [True, False, True]


def test_met_is_the_periods_figure_against_the_periods_own_target() -> None:
    # cumulative: the running figure 10, 40, 60 against the targets 20, 40, 100
    figures = compute(Definition(Calculation.SUM, Cumulation.CUMULATIVE, target=Decimal(200)),
                      _periods([10, 30, 20], targets=[20, 40, 100]), StatusBands(), ALL_DONE)
    assert [p.met for p in figures.periods] == [Decimal("0.5"), Decimal(1), Decimal("0.6")]
    # with a life-of-project target, progress measures the total against it, not the period
    assert [p.progress for p in figures.periods] == [Decimal("0.05"), Decimal("0.2"),
                                                     Decimal("0.3")]
    # non-cumulative: each period's own value against its own target
    figures = compute(Definition(Calculation.SUM, Cumulation.NON_CUMULATIVE),
                      _periods([10, 30, None], targets=[20, 20, 20]), StatusBands(), ALL_DONE)
    assert [p.met for p in figures.periods] == [Decimal("0.5"), Decimal("1.5"), None]
    assert [p.progress for p in figures.periods] == [p.met for p in figures.periods]


def test_met_starts_from_the_baseline_in_the_indicators_direction() -> None:
    # fewer incidents: from 50 down to a target of 30; 40 is half way
    figures = compute(Definition(Calculation.SUM, Cumulation.NON_CUMULATIVE,
                                 direction=Direction.DECREASE, baseline=Decimal(50)),
                      _periods([40, 60], targets=[30, 30]), StatusBands(), ALL_DONE)
    assert [p.met for p in figures.periods] == [Decimal("0.5"), Decimal("-0.5")]


def test_met_leaves_out_provisional_values_unless_asked() -> None:
    periods = _periods([10, 30], targets=[20, 20], provisional=(1,))
    definition = Definition(Calculation.SUM, Cumulation.NON_CUMULATIVE)
    assert [p.met for p in compute(definition, periods, StatusBands(), ALL_DONE).periods] == [
        Decimal("0.5"), None]
    counted = compute(definition, periods, StatusBands(), ALL_DONE, include_provisional=True)
    assert [p.met for p in counted.periods] == [Decimal("0.5"), Decimal("1.5")]
