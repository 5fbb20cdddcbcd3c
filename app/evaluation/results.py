"""What evaluators judge: an indicator's results in a period, with its data-quality flags.

The figures (the period's value, the actual to date, progress and status) are those of
``app.monitoring.figures``, the one computation every page shows. Beside them, one more query
reads every stored value of the project's indicators with its category, for the breakdown,
the evidence links and the data-quality flags of ``indicators.quality``. Values of periods not
yet approved count only when the reader asks for provisional values.
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
)
from app.monitoring import figures as indicator_figures
from app.monitoring.models import DataValue
from app.programmes.models import Project
from indicators import quality
from indicators.types import Calculation, Observation, Status, StatusBands


@dataclass(frozen=True)
class CategoryFigure:
    name: str
    figure: Decimal | None


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator in one period, as the evaluator sees it.

    ``actual`` is the period's own value, ``to_date`` the actual up to the end of the period
    (cumulation applied); ``progress``, ``basis`` and ``status`` are explained in
    ``indicators.figures``.
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
    provisional: bool = False


@dataclass
class _Rows:
    """The stored rows of one indicator: totals and categories per period id."""

    totals: dict[int, Any] = field(default_factory=dict)
    categories: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))


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
                 bands: StatusBands, today: date, *, include_provisional: bool = False) -> None:
        self.project = project
        self.periods = {p.id: p for p in periods}
        self.rows = load_rows(session, project)
        self.figures = indicator_figures.load(session, project, bands,
                                              include_provisional=include_provisional)
        self.include_provisional = include_provisional
        self.bands = bands
        self.today = today

    def _counted(self, period: ReportingPeriod) -> bool:
        return self.include_provisional or period.state == PeriodState.APPROVED

    def result(self, indicator: Indicator, period: ReportingPeriod) -> IndicatorResult:
        calculation = Calculation(indicator.calculation)
        same = sorted((p for p in self.periods.values() if p.frequency == period.frequency),
                      key=lambda p: p.start_date)
        counted = [p for p in same if self._counted(p)]
        stored = self.rows.get(indicator.id) or _Rows()
        totals = [indicator_figures.observation(stored.totals[p.id], p) for p in counted
                  if p.id in stored.totals]
        breakdowns: dict[str, list[Observation]] = defaultdict(list)
        for p in counted:
            for row in stored.categories.get(p.id, []):
                breakdowns[row.type].append(indicator_figures.observation(row, p, row.category))
        computed = self.figures.of(indicator).period(period.start_date)
        expected_periods = [p.start_date for p in same if p.end_date < self.today
                            and p.start_date <= period.start_date
                            and indicator.frequency in (None, period.frequency)]
        flags = quality.quality_flags(totals, calculation, expected_periods=expected_periods,
                                      breakdowns=breakdowns)
        shown = self._counted(period)
        rows = [stored.totals[period.id]] if shown and period.id in stored.totals else []
        categories = stored.categories.get(period.id, []) if shown else []
        rows += categories
        return IndicatorResult(
            baseline=indicator.baseline_value,
            target=computed.target if computed else None,
            lop_target=indicator.target_value,
            actual=computed.value if computed else None,
            to_date=computed.to_date if computed else None,
            progress=computed.progress if computed else None,
            basis=computed.basis.value if computed and computed.basis else None,
            status=computed.status if computed else Status.NO_DATA,
            evidence=tuple(dict.fromkeys(r.evidence_url for r in rows if r.evidence_url)),
            categories=tuple(
                CategoryFigure(r.category_name, indicator_figures.observation(
                    r, period, r.category).figure(calculation)) for r in categories),
            flags=tuple(f for f in flags if f.period == period.start_date),
            earlier_flags=sum(1 for f in flags if f.period < period.start_date),
            provisional=bool(computed and computed.provisional),
        )
