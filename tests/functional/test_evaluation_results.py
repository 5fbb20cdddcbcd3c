"""The indicator results evaluators judge, read from stored values: progress that follows the
indicator's direction, evidence links, and the data-quality flags of ``indicators.quality``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from evaluation_data import build

from app.evaluation.results import ResultBuilder, late_report
from app.frameworks.models import DisaggregationCategory, DisaggregationType, PeriodState
from indicators.quality import DetailCode, FlagKind, MismatchDetail
from indicators.types import Calculation, Direction, Status, StatusBands
from seed.factories import DataValueFactory, IndicatorFactory

TODAY = dt.date(2025, 6, 30)


def _category(session: Any, type_code: str, code: str) -> int:
    return session.scalar(sa.select(DisaggregationCategory.id).join(DisaggregationType).where(
        DisaggregationType.code == type_code, DisaggregationCategory.code == code))


def _builder(session: Any, world: Any) -> ResultBuilder:
    return ResultBuilder(session, world.project, world.periods, StatusBands(), TODAY)


def test_progress_figures_and_evidence(session: Any) -> None:
    world = build(session, indicators=1)
    indicator, periods = world.indicators[0], world.periods
    builder = _builder(session, world)
    third = builder.result(indicator, periods[2])
    assert (third.actual, third.target, third.to_date) == (Decimal(60), Decimal(100),
                                                           Decimal(150))
    assert third.progress == Decimal(150) / Decimal(400) and third.basis == "project"
    # by the end of September 2024, 0.375 of the two-year project has elapsed: on track
    assert third.status == Status.ON_TRACK
    assert third.evidence == (f"https://example.org/evidence/0/{periods[2].id}",)
    assert builder.result(indicator, periods[3]).actual is None


def test_a_decrease_indicator_progresses_when_its_value_falls(session: Any) -> None:
    world = build(session, indicators=0)
    indicator = IndicatorFactory(project=world.project, direction=Direction.DECREASE,
                                 calculation=Calculation.LATEST, baseline_value=Decimal(100),
                                 target_value=Decimal(50))
    for period, value in zip(world.periods, (90, 70), strict=False):
        DataValueFactory(indicator=indicator, period=period, value=Decimal(value))
    session.commit()
    result = _builder(session, world).result(indicator, world.periods[1])
    assert result.to_date == Decimal(70)
    assert result.progress == Decimal("0.6")


def test_period_targets_are_the_basis_without_a_life_of_project_target(session: Any) -> None:
    world = build(session, indicators=1)
    indicator = world.indicators[0]
    indicator.target_value = None
    session.commit()
    result = _builder(session, world).result(indicator, world.periods[1])
    assert result.basis == "period" and result.progress == Decimal("0.5")
    assert result.status == Status.OFF_TRACK


def test_flags_missing_periods_mismatched_totals_and_outliers(session: Any) -> None:
    world = build(session, indicators=1)
    indicator, periods = world.indicators[0], world.periods
    female, male = _category(session, "sex", "female"), _category(session, "sex", "male")
    DataValueFactory(indicator=indicator, period=periods[0], category_id=female, value=10)
    DataValueFactory(indicator=indicator, period=periods[0], category_id=male, value=20)
    session.commit()
    builder = _builder(session, world)
    first = builder.result(indicator, periods[0])
    assert [f.kind for f in first.flags] == [FlagKind.TOTAL_MISMATCH]
    # the first quarter's total is 40; its sex categories add up to 10 + 20
    assert first.flags[0].detail == MismatchDetail(DetailCode.TOTAL_MISMATCH_SUM, "sex", "value",
                                                   Decimal(40), Decimal(30))
    assert [c.figure for c in first.categories] == [Decimal(10), Decimal(20)]
    last = builder.result(indicator, periods[3])
    assert [f.kind for f in last.flags] == [FlagKind.MISSING_PERIOD]
    assert last.earlier_flags == 1
    DataValueFactory(indicator=indicator, period=periods[3], value=Decimal(5000))
    periods[3].state = PeriodState.APPROVED
    session.commit()
    outlier = _builder(session, world).result(indicator, periods[3])
    assert [f.kind for f in outlier.flags] == [FlagKind.OUTLIER]


def test_late_reports(session: Any) -> None:
    world = build(session, indicators=0)
    period = world.periods[0]  # due on 30 April 2024
    period.state = PeriodState.OPEN
    assert late_report(period, TODAY) is not None  # open and never submitted
    period.submitted_at = dt.datetime(2024, 5, 10, 9, tzinfo=dt.UTC)
    flag = late_report(period, TODAY)
    assert flag is not None and flag.days_late == 10
    assert flag.code == DetailCode.LATE_SUBMITTED
    period.submitted_at = None
    period.state = PeriodState.APPROVED
    assert late_report(period, TODAY) is None  # approved without a recorded submission
