"""The one loader of indicator figures: every page, export and command that shows an
indicator's actual, progress or status gets them from here, computed by
``indicators.figures``.

Four queries whatever the size of the project, or of several projects loaded together: their
indicators, their reporting periods, the targets and the values (the totals, and the
categories of a disaggregation when one is asked for, with one more query). Values of periods
that are not approved are provisional: they count only when the reader asks for them, and are
then marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
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
    indicator_disaggregations,
)
from app.monitoring.models import DataValue
from app.programmes.models import Project
from indicators.figures import Definition, Figures, PeriodInput, compute
from indicators.progress import elapsed_fraction
from indicators.types import Observation, StatusBands


@dataclass
class ProjectFigures:
    """The figures of every indicator of a project, by indicator id; with a disaggregation
    asked for, also the figures of each of its categories (``category``)."""

    indicators: list[Indicator]
    periods: dict[int, ReportingPeriod]
    figures: dict[int, Figures] = field(default_factory=dict)
    # (indicator id, period start) -> how the source hedged the value ("more than", "about")
    qualifiers: dict[tuple[int, date], str] = field(default_factory=dict)
    include_provisional: bool = False
    # (indicator id, category id) -> the figures of that category, for the indicators that
    # are broken down by the disaggregation asked for
    by_category: dict[tuple[int, int], Figures] = field(default_factory=dict)

    def of(self, indicator: Indicator) -> Figures:
        return self.figures.get(indicator.id, Figures(()))

    def category(self, indicator: Indicator, category_id: int) -> Figures | None:
        return self.by_category.get((indicator.id, category_id))

    def qualifier(self, indicator: Indicator) -> str | None:
        latest = self.of(indicator).latest
        return None if latest is None else self.qualifiers.get((indicator.id, latest.start))


def definition(indicator: Indicator) -> Definition:
    return Definition(calculation=indicator.calculation, cumulation=indicator.cumulation,
                      direction=indicator.direction, baseline=indicator.baseline_value,
                      target=indicator.target_value, scale=indicator.scale)


def category_definition(indicator: Indicator) -> Definition:
    """A category of a disaggregation has period targets but no baseline or life-of-project
    target of its own: its figures are judged against each period's target."""
    return Definition(calculation=indicator.calculation, cumulation=indicator.cumulation,
                      direction=indicator.direction, scale=indicator.scale)


def expected_share(project: Project) -> Callable[[date], Decimal]:
    """The share of the project's time elapsed on a day (1 when its dates are unknown)."""
    start, end = project.start_date, project.end_date
    if start and end and end >= start:
        return lambda day: elapsed_fraction(start, end, day)
    return lambda day: Decimal(1)


def _categories(query: Any, column: Any, category_ids: Sequence[int]) -> Any:
    """Rows of the total category, and of the categories asked for."""
    total = sa.select(DisaggregationCategory.id).where(
        DisaggregationCategory.code == TOTAL_CODE).scalar_subquery()
    if category_ids:
        return query.where(sa.or_(column == total, column.in_(category_ids)))
    return query.where(column == total)


def load(session: Session, project: Project, bands: StatusBands, *,
         include_provisional: bool = False, disaggregation: int | None = None,
         as_of: date | None = None) -> ProjectFigures:
    return load_many(session, [project], bands, include_provisional=include_provisional,
                     disaggregation=disaggregation, as_of=as_of)[project.id]


def load_many(session: Session, projects: Sequence[Project], bands: StatusBands, *,
              include_provisional: bool = False, disaggregation: int | None = None,
              as_of: date | None = None) -> dict[int, ProjectFigures]:
    """The figures of several projects in the same few queries (five with a disaggregation).

    ``disaggregation`` (a disaggregation type id) adds the figures of each of its categories
    for the indicators broken down by it. ``as_of`` gives the figures as they stood at the
    end of that day: periods that start later are left out, a value saved later does not
    count, and a period counts as approved only if it was approved by then.
    """
    ids = [project.id for project in projects]
    indicators = list(session.scalars(
        sa.select(Indicator).where(Indicator.project_id.in_(ids))
        .order_by(Indicator.project_id, Indicator.position, Indicator.id)))
    period_query = sa.select(ReportingPeriod).where(ReportingPeriod.project_id.in_(ids))
    if as_of is not None:
        period_query = period_query.where(ReportingPeriod.start_date <= as_of)
    periods = {p.id: p for p in session.scalars(
        period_query.order_by(ReportingPeriod.start_date, ReportingPeriod.id))}
    category_ids: list[int] = []
    broken_down: set[int] = set()
    if disaggregation is not None:
        category_ids = list(session.scalars(
            sa.select(DisaggregationCategory.id)
            .where(DisaggregationCategory.type_id == disaggregation)
            .order_by(DisaggregationCategory.position, DisaggregationCategory.id)))
        broken_down = set(session.scalars(
            sa.select(indicator_disaggregations.c.indicator_id)
            .join(Indicator, Indicator.id == indicator_disaggregations.c.indicator_id)
            .where(Indicator.project_id.in_(ids),
                   indicator_disaggregations.c.type_id == disaggregation)))
    targets = {(r.indicator_id, r.period_id, r.category_id): r.value
               for r in session.execute(_categories(
                   sa.select(Target.indicator_id, Target.period_id, Target.category_id,
                             Target.value)
                   .join(Indicator, Indicator.id == Target.indicator_id)
                   .where(Indicator.project_id.in_(ids)), Target.category_id, category_ids))}
    value_query = _categories(
        sa.select(DataValue.indicator_id, DataValue.period_id, DataValue.category_id,
                  DataValue.value, DataValue.numerator, DataValue.denominator,
                  DataValue.qualifier)
        .join(Indicator, Indicator.id == DataValue.indicator_id)
        .where(Indicator.project_id.in_(ids)), DataValue.category_id, category_ids)
    if as_of is not None:
        value_query = value_query.where(DataValue.entered_at <= _end_of(as_of))
    values = {(r.indicator_id, r.period_id, r.category_id): r
              for r in session.execute(value_query)}
    total = {(i, p): v for (i, p, c), v in values.items() if c not in category_ids}
    total_targets = {(i, p): v for (i, p, c), v in targets.items() if c not in category_ids}
    by_project: dict[int, list[Indicator]] = {project.id: [] for project in projects}
    for indicator in indicators:
        by_project[indicator.project_id].append(indicator)
    # Each project's periods, grouped in one pass (in start order): not a scan of every
    # period for each project, which grows with the square of the portfolio.
    periods_of: dict[int, dict[int, ReportingPeriod]] = {project.id: {} for project in projects}
    for pid, period in periods.items():
        periods_of[period.project_id][pid] = period
    out = {}
    for project in projects:
        own_periods = periods_of[project.id]
        loaded = ProjectFigures(by_project[project.id], own_periods,
                                include_provisional=include_provisional)
        expected = expected_share(project)
        for indicator in loaded.indicators:
            chosen = _periods_of(indicator, own_periods.values(), total_targets, total)
            provisional = {p.id: not _approved(p, as_of) for p in chosen}
            inputs = []
            for period in chosen:
                row = total.get((indicator.id, period.id))
                if row is not None and row.qualifier:
                    loaded.qualifiers[(indicator.id, period.start_date)] = row.qualifier
                inputs.append(PeriodInput(
                    start=period.start_date, end=period.end_date,
                    observation=None if row is None else observation(row, period),
                    target=total_targets.get((indicator.id, period.id)),
                    provisional=provisional[period.id]))
            loaded.figures[indicator.id] = compute(
                definition(indicator), inputs, bands, expected,
                include_provisional=include_provisional)
            if indicator.id not in broken_down:
                continue
            for category_id in category_ids:
                category_inputs = []
                for period in chosen:
                    row = values.get((indicator.id, period.id, category_id))
                    category_inputs.append(PeriodInput(
                        start=period.start_date, end=period.end_date,
                        observation=None if row is None else observation(row, period),
                        target=targets.get((indicator.id, period.id, category_id)),
                        provisional=provisional[period.id]))
                loaded.by_category[(indicator.id, category_id)] = compute(
                    category_definition(indicator), category_inputs, bands, expected,
                    include_provisional=include_provisional)
        out[project.id] = loaded
    return out


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, UTC)


def _approved(period: ReportingPeriod, as_of: date | None) -> bool:
    if period.state != PeriodState.APPROVED:
        return False
    if as_of is None:
        return True
    return period.decided_at is not None and period.decided_at <= _end_of(as_of)


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
