"""What evaluators judge: an indicator's results in a period, with its data-quality flags.

Read straight from the stored values in two queries whatever the number of indicators: the
values of every indicator of the project (with their category and disaggregation type) and
the period targets of the total category. The arithmetic is ``indicators/``: each indicator's
series is the periods of one frequency (the frequency of the period being judged), its
figures follow the indicator's calculation and cumulation, progress is direction- and
baseline-aware, and the flags are those of ``indicators.quality``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    PeriodState,
    ReportingPeriod,
    Target,
)
from app.monitoring.models import DataValue
from app.programmes.models import Project
from indicators import quality
from indicators.aggregate import life_of_project, period_figures
from indicators.progress import elapsed_fraction, progress, status
from indicators.types import Calculation, Observation, Status, StatusBands


@dataclass(frozen=True)
class CategoryFigure:
    name: str
    figure: Decimal | None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator in one period, as the evaluator sees it.

    ``actual`` is the period's figure (cumulation applied), ``to_date`` the life-of-project
    figure up to the end of the period. ``progress`` measures ``to_date`` against the
    life-of-project target when there is one (``basis`` "project"), otherwise ``actual``
    against the period target (``basis`` "period").
    """

    baseline: Decimal | None = None
    target: Decimal | None = None
    lop_target: Decimal | None = None
    actual: Decimal | None = None
    to_date: Decimal | None = None
    progress: Decimal | None = None
    basis: str | None = None
    status: Status = Status.NO_DATA
    evidence: tuple[str, ...] = ()
    categories: tuple[CategoryFigure, ...] = ()
    flags: tuple[quality.Flag, ...] = ()
    earlier_flags: int = 0


@dataclass
class _Rows:
    """The stored rows of one indicator: totals and categories per period id."""

    totals: dict[int, Any] = field(default_factory=dict)
    categories: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))


def _observation(row: Any, period: ReportingPeriod,
                 category: str | None) -> Observation:
    numerator, denominator = row.numerator, row.denominator
    if numerator is None or denominator is None:
        numerator = denominator = None
    return Observation(period.start_date, end=period.end_date, category=category,
                       value=row.value, numerator=numerator, denominator=denominator)


def load_rows(session: Session, project: Project) -> dict[int, _Rows]:
    """Every stored value of the project's indicators, by indicator id (one query)."""
    query = (
        sa.select(DataValue.indicator_id, DataValue.period_id, DataValue.value,
                  DataValue.numerator, DataValue.denominator, DataValue.evidence_url,
                  DisaggregationCategory.code.label("category"),
                  DisaggregationCategory.name.label("category_name"),
                  DisaggregationType.code.label("type"))
        .join(Indicator, Indicator.id == DataValue.indicator_id)
        .join(DisaggregationCategory, DisaggregationCategory.id == DataValue.category_id)
        .join(DisaggregationType, DisaggregationType.id == DisaggregationCategory.type_id)
        .where(Indicator.project_id == project.id)
        .order_by(DataValue.indicator_id, DisaggregationType.id, DisaggregationCategory.position,
                  DisaggregationCategory.id)
    )
    rows: dict[int, _Rows] = defaultdict(_Rows)
    for row in session.execute(query):
        if row.type == TOTAL_CODE:
            rows[row.indicator_id].totals[row.period_id] = row
        else:
            rows[row.indicator_id].categories[row.period_id].append(row)
    return rows


def load_targets(session: Session, project: Project) -> dict[tuple[int, int], Decimal]:
    """The total target of each (indicator id, period id) of the project (one query)."""
    query = (
        sa.select(Target.indicator_id, Target.period_id, Target.value)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .join(DisaggregationCategory, DisaggregationCategory.id == Target.category_id)
        .where(Indicator.project_id == project.id, DisaggregationCategory.code == TOTAL_CODE)
    )
    return {(r.indicator_id, r.period_id): r.value for r in session.execute(query)}


def late_report(period: ReportingPeriod, today: date) -> quality.Flag | None:
    """The late-report flag of a period: submitted after its due date, or still not
    submitted past it. A period approved without a recorded submission is not judged."""
    submitted = period.submitted_at.date() if period.submitted_at else None
    if submitted is None and period.state == PeriodState.APPROVED:
        return None
    flags = quality.late_reports(
        [quality.Submission(period.start_date, period.due_date, submitted)], today=today)
    return flags[0] if flags else None


class ResultBuilder:
    """Computes ``IndicatorResult``s from rows loaded once for the whole project."""

    def __init__(self, session: Session, project: Project, periods: Iterable[ReportingPeriod],
                 bands: StatusBands, today: date) -> None:
        self.project = project
        self.periods = {p.id: p for p in periods}
        self.rows = load_rows(session, project)
        self.targets = load_targets(session, project)
        self.bands = bands
        self.today = today

    def result(self, indicator: Indicator, period: ReportingPeriod) -> IndicatorResult:
        calculation = Calculation(indicator.calculation)
        same = sorted((p for p in self.periods.values() if p.frequency == period.frequency),
                      key=lambda p: p.start_date)
        stored = self.rows.get(indicator.id) or _Rows()
        totals = [_observation(stored.totals[p.id], p, None) for p in same
                  if p.id in stored.totals]
        breakdowns: dict[str, list[Observation]] = defaultdict(list)
        for p in same:
            for row in stored.categories.get(p.id, []):
                breakdowns[row.type].append(_observation(row, p, row.category))
        figures = {f.period: f for f in period_figures(totals, calculation, indicator.cumulation)}
        shown = figures.get(period.start_date)
        actual = shown.figure * indicator.scale if shown and shown.figure is not None else None
        upto = [o for o in totals if o.period <= period.start_date]
        to_date = life_of_project(upto, calculation, indicator.cumulation) if upto else None
        to_date = to_date * indicator.scale if to_date is not None else None
        target = self.targets.get((indicator.id, period.id))
        value, goal, basis, expected = self._progress_basis(indicator, period, actual, to_date,
                                                            target)
        reached = progress(value, goal, baseline=indicator.baseline_value,
                           direction=indicator.direction) if goal is not None else None
        expected_periods = [p.start_date for p in same if p.end_date < self.today
                            and p.start_date <= period.start_date
                            and indicator.frequency in (None, period.frequency)]
        flags = quality.quality_flags(totals, calculation, expected_periods=expected_periods,
                                      breakdowns=breakdowns)
        rows = [stored.totals[period.id]] if period.id in stored.totals else []
        rows += stored.categories.get(period.id, [])
        return IndicatorResult(
            baseline=indicator.baseline_value, target=target,
            lop_target=indicator.target_value, actual=actual,
            to_date=to_date, progress=reached, basis=basis if reached is not None else None,
            status=status(reached, self.bands, expected=expected),
            evidence=tuple(dict.fromkeys(r.evidence_url for r in rows if r.evidence_url)),
            categories=tuple(CategoryFigure(r.category_name, _observation(r, period, r.category)
                                            .figure(calculation))
                             for r in stored.categories.get(period.id, [])),
            flags=tuple(f for f in flags if f.period == period.start_date),
            earlier_flags=sum(1 for f in flags if f.period < period.start_date),
        )

    def _progress_basis(self, indicator: Indicator, period: ReportingPeriod,
                        actual: Decimal | None, to_date: Decimal | None, target: Decimal | None
                        ) -> tuple[Decimal | None, Decimal | None, str, Decimal]:
        """Against the life-of-project target when there is one: by the end of the period,
        the share of the project's time elapsed is the share of the way expected."""
        if indicator.target_value is not None:
            start, end = self.project.start_date, self.project.end_date
            expected = (elapsed_fraction(start, end, period.end_date)
                        if start and end and end >= start else Decimal(1))
            return to_date, indicator.target_value, "project", expected
        return actual, target, "period", Decimal(1)
