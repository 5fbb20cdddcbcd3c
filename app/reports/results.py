"""The project results page: the framework as a tree, each indicator with its figures.

Four queries load the results, the indicators, their total targets and their total values;
the figures come from the computation core (aggregation, progress, status).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks.chain import chain_order
from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
    Result,
    Target,
)
from app.monitoring.models import DataValue
from app.programmes.models import Project
from indicators.aggregate import life_of_project
from indicators.progress import clamped, elapsed_fraction, progress, status
from indicators.types import Calculation, Observation, Status, StatusBands

HUNDRED = Decimal(100)


@dataclass
class IndicatorFigures:
    indicator: Indicator
    targets: list[tuple[date, date, Decimal]] = field(default_factory=list)
    actual: Decimal | None = None
    last_reported: date | None = None
    qualifier: str | None = None  # "more than", "about"… as the latest qualified value says
    progress: Decimal | None = None
    status: Status = Status.NO_DATA

    @property
    def bar(self) -> Decimal | None:
        return clamped(self.progress)


@dataclass
class Node:
    result: Result
    indicators: list[IndicatorFigures]


@dataclass
class ResultsTree:
    nodes: list[Node]
    unlinked: list[IndicatorFigures]
    expected: Decimal


def _total(query: Any, column: Any) -> Any:
    return (query.join(DisaggregationCategory, DisaggregationCategory.id == column)
            .join(DisaggregationType, DisaggregationType.id == DisaggregationCategory.type_id)
            .where(DisaggregationType.code == TOTAL_CODE))


def _observation(row: Any) -> Observation:
    parts = (row.numerator, row.denominator)
    numerator, denominator = parts if None not in parts else (None, None)
    return Observation(row.start_date, end=row.end_date, value=row.value,
                       numerator=numerator, denominator=denominator)


def figures(indicator: Indicator, observations: list[Observation], expected: Decimal,
            bands: StatusBands) -> IndicatorFigures:
    """Actual to date (per the indicator's cumulation), progress and status of one indicator."""
    shown = IndicatorFigures(indicator)
    calculation = Calculation(indicator.calculation)
    try:
        actual = life_of_project(observations, calculation, indicator.cumulation)
    except ValueError:  # two rows for one period: a data error the data checks report
        actual = None
    if actual is not None:
        actual *= indicator.scale
    shown.actual = actual
    reported = [o.end or o.period for o in observations if o.has_data(calculation)]
    shown.last_reported = max(reported) if reported else None
    shown.progress = progress(actual, indicator.target_value, baseline=indicator.baseline_value,
                              direction=indicator.direction)
    shown.status = status(shown.progress, bands, expected=expected)
    return shown


def load(session: Session, project: Project, bands: StatusBands, today: date) -> ResultsTree:
    pid = project.id
    results = list(session.scalars(sa.select(Result).where(Result.project_id == pid)))
    indicators = list(session.scalars(sa.select(Indicator).where(Indicator.project_id == pid)
                                      .order_by(Indicator.position, Indicator.id)))
    targets = session.execute(_total(
        sa.select(Target.indicator_id, ReportingPeriod.start_date, ReportingPeriod.end_date,
                  Target.value).join(ReportingPeriod).join(Indicator), Target.category_id)
        .where(Indicator.project_id == pid).order_by(ReportingPeriod.start_date)).all()
    values = session.execute(_total(
        sa.select(DataValue.indicator_id, ReportingPeriod.start_date, ReportingPeriod.end_date,
                  DataValue.value, DataValue.numerator, DataValue.denominator,
                  DataValue.qualifier)
        .join(ReportingPeriod).join(Indicator), DataValue.category_id)
        .where(Indicator.project_id == pid).order_by(ReportingPeriod.end_date)).all()

    expected = Decimal(1)
    if project.start_date and project.end_date and project.end_date >= project.start_date:
        expected = elapsed_fraction(project.start_date, project.end_date, today)
    observed: dict[int, list[Observation]] = {}
    for row in values:
        observed.setdefault(row.indicator_id, []).append(_observation(row))
    shown = {i.id: figures(i, observed.get(i.id, []), expected, bands) for i in indicators}
    for row in values:  # in period order, so the latest qualified value wins
        if row.qualifier:
            shown[row.indicator_id].qualifier = row.qualifier
    for row in targets:
        shown[row.indicator_id].targets.append((row.start_date, row.end_date, row.value))
    by_result: dict[int | None, list[IndicatorFigures]] = {}
    for indicator in indicators:
        by_result.setdefault(indicator.result_id, []).append(shown[indicator.id])
    return ResultsTree(
        nodes=[Node(r, by_result.get(r.id, [])) for r in chain_order(results)],
        unlinked=by_result.get(None, []),
        expected=expected,
    )
