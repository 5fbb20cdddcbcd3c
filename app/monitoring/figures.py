"""The one loader of indicator figures: every page, export and command that shows an
indicator's actual, progress or status gets them from here, computed by
``indicators.figures``.

Four queries whatever the size of the project: its indicators, its reporting periods, the
total targets and the total values. Values of periods that are not approved are provisional:
they count only when the reader asks for them, and are then marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    Indicator,
    PeriodState,
    ReportingPeriod,
    Target,
)
from app.monitoring.models import DataValue
from app.programmes.models import Project
from indicators.figures import Definition, Figures, PeriodInput, compute
from indicators.progress import elapsed_fraction
from indicators.types import Observation, StatusBands


@dataclass
class ProjectFigures:
    """The figures of every indicator of a project, by indicator id."""

    indicators: list[Indicator]
    periods: dict[int, ReportingPeriod]
    figures: dict[int, Figures] = field(default_factory=dict)
    # (indicator id, period start) -> how the source hedged the value ("more than", "about")
    qualifiers: dict[tuple[int, date], str] = field(default_factory=dict)
    include_provisional: bool = False

    def of(self, indicator: Indicator) -> Figures:
        return self.figures.get(indicator.id, Figures(()))

    def qualifier(self, indicator: Indicator) -> str | None:
        latest = self.of(indicator).latest
        return None if latest is None else self.qualifiers.get((indicator.id, latest.start))


def definition(indicator: Indicator) -> Definition:
    return Definition(calculation=indicator.calculation, cumulation=indicator.cumulation,
                      direction=indicator.direction, baseline=indicator.baseline_value,
                      target=indicator.target_value, scale=indicator.scale)


def expected_share(project: Project) -> Callable[[date], Decimal]:
    """The share of the project's time elapsed on a day (1 when its dates are unknown)."""
    start, end = project.start_date, project.end_date
    if start and end and end >= start:
        return lambda day: elapsed_fraction(start, end, day)
    return lambda day: Decimal(1)


def _total_rows(query: Any, column: Any) -> Any:
    return query.join(DisaggregationCategory, DisaggregationCategory.id == column).where(
        DisaggregationCategory.code == TOTAL_CODE)


def load(session: Session, project: Project, bands: StatusBands, *,
         include_provisional: bool = False) -> ProjectFigures:
    indicators = list(session.scalars(
        sa.select(Indicator).where(Indicator.project_id == project.id)
        .order_by(Indicator.position, Indicator.id)))
    periods = {p.id: p for p in session.scalars(
        sa.select(ReportingPeriod).where(ReportingPeriod.project_id == project.id)
        .order_by(ReportingPeriod.start_date))}
    targets = {(r.indicator_id, r.period_id): r.value for r in session.execute(_total_rows(
        sa.select(Target.indicator_id, Target.period_id, Target.value)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .where(Indicator.project_id == project.id), Target.category_id))}
    values = {(r.indicator_id, r.period_id): r for r in session.execute(_total_rows(
        sa.select(DataValue.indicator_id, DataValue.period_id, DataValue.value,
                  DataValue.numerator, DataValue.denominator, DataValue.qualifier)
        .join(Indicator, Indicator.id == DataValue.indicator_id)
        .where(Indicator.project_id == project.id), DataValue.category_id))}
    loaded = ProjectFigures(indicators, periods, include_provisional=include_provisional)
    expected = expected_share(project)
    for indicator in indicators:
        inputs = []
        for period in _periods_of(indicator, periods.values(), targets, values):
            row = values.get((indicator.id, period.id))
            if row is not None and row.qualifier:
                loaded.qualifiers[(indicator.id, period.start_date)] = row.qualifier
            inputs.append(PeriodInput(
                start=period.start_date, end=period.end_date,
                observation=None if row is None else observation(row, period),
                target=targets.get((indicator.id, period.id)),
                provisional=period.state != PeriodState.APPROVED))
        loaded.figures[indicator.id] = compute(definition(indicator), inputs, bands, expected,
                                               include_provisional=include_provisional)
    return loaded


def _periods_of(indicator: Indicator, periods: Iterable[ReportingPeriod],
                targets: Mapping[tuple[int, int], Any],
                values: Mapping[tuple[int, int], Any]) -> list[ReportingPeriod]:
    """The periods of the indicator's frequency; without one, those it has figures for."""
    every = list(periods)
    if indicator.frequency is not None:
        return [p for p in every if p.frequency == indicator.frequency]
    return [p for p in every
            if (indicator.id, p.id) in values or (indicator.id, p.id) in targets]


def observation(row: Any, period: ReportingPeriod, category: str | None = None) -> Observation:
    """A stored value as the computation core reads it (a ratio needs both of its parts)."""
    numerator, denominator = row.numerator, row.denominator
    if numerator is None or denominator is None:
        numerator = denominator = None
    return Observation(period.start_date, end=period.end_date, category=category,
                       value=row.value, numerator=numerator, denominator=denominator)
