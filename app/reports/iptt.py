"""The indicator performance tracking table (IPTT) of a project or a programme.

Rows are indicators grouped by result (goal, outcomes, outputs, in the order of the results
chain); columns are reporting periods, each with the period's target, actual and "% met", and
before them the baseline, the life-of-project target, the actual to date and its progress and
status. Every figure is one of ``app.monitoring.figures`` (the one computation every page
shows); this module only chooses and arranges them:

- an indicator's period columns are those of its reporting frequency, so a project with
  quarterly and annual indicators has one table per frequency;
- a period's actual is the period's own figure, or for a cumulative indicator the running
  figure to the end of the period, which is what its "% met" measures against the period's
  target;
- the life-of-project columns are as of the last reported period up to the end of the period
  range shown;
- with disaggregations asked for, each indicator broken down by one of them has one sub-row
  per category, judged against the category's own period targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.frameworks.chain import chain_order
from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    DisaggregationType,
    Frequency,
    Indicator,
    ReportingPeriod,
    Result,
    ResultLevel,
    indicator_disaggregations,
)
from app.monitoring import figures as indicator_figures
from app.programmes.models import Project
from indicators.figures import Basis, Figures, PeriodResult
from indicators.types import Cumulation, Status, StatusBands

FREQUENCY_ORDER = [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.SEMI_ANNUAL,
                   Frequency.ANNUAL]
LEVELS = [ResultLevel.GOAL, ResultLevel.OUTCOME, ResultLevel.OUTPUT]


@dataclass(frozen=True)
class Filters:
    """What the reader asked for. Empty means everything."""

    start: date | None = None  # periods ending on or after this day
    end: date | None = None  # periods starting on or before this day
    levels: frozenset[ResultLevel] = frozenset()
    disaggregations: tuple[int, ...] = ()  # disaggregation type ids
    include_provisional: bool = False
    as_of: date | None = None

    def shows(self, period: ReportingPeriod) -> bool:
        if self.start is not None and period.end_date < self.start:
            return False
        return self.end is None or period.start_date <= self.end


@dataclass
class Cell:
    """One period of one row."""

    target: Decimal | None
    actual: Decimal | None
    met: Decimal | None
    provisional: bool
    status: Status


@dataclass
class Row:
    indicator: Indicator
    category: DisaggregationCategory | None  # None for the indicator's total
    baseline: Decimal | None
    lop_target: Decimal | None
    to_date: Decimal | None
    as_of: date | None  # the end of the period the life-of-project figures stand at
    progress: Decimal | None
    basis: Basis | None
    status: Status
    provisional: bool
    cells: list[Cell | None]  # one per column; None where the period is not the indicator's
    figures: Figures | None = None

    @property
    def cumulative(self) -> bool:
        return self.indicator.cumulation == Cumulation.CUMULATIVE


@dataclass
class Group:
    result: Result | None  # None: indicators linked to no result
    rows: list[Row]


@dataclass
class Table:
    """The indicators of one reporting frequency, with that frequency's periods as columns."""

    frequency: Frequency | None  # None: indicators without a frequency
    periods: list[ReportingPeriod]
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    def slices(self, size: int) -> list[Table]:
        """The table cut into tables of at most ``size`` periods, each with every row: how a
        long run of periods is printed on pages of a fixed width."""
        if len(self.periods) <= size:
            return [self]
        return [Table(self.frequency, self.periods[i:i + size],
                      [Group(g.result, [replace(r, cells=r.cells[i:i + size]) for r in g.rows])
                       for g in self.groups])
                for i in range(0, len(self.periods), size)]

    def pieces(self, rows: int) -> list[Table]:
        """The table cut into tables of about ``rows`` rows, never between an indicator and its
        disaggregation rows; a result whose rows run on into the next piece heads it again."""
        pieces: list[Table] = []
        groups: list[Group] = []
        count = 0
        for group in self.groups:
            taken: list[Row] = []
            for row in group.rows:
                if row.category is None and count >= rows:
                    if taken:
                        groups.append(Group(group.result, taken))
                    pieces.append(Table(self.frequency, self.periods, groups))
                    groups, taken, count = [], [], 0
                taken.append(row)
                count += 1
            if taken or not group.rows:
                groups.append(Group(group.result, taken))
        if groups or not pieces:
            pieces.append(Table(self.frequency, self.periods, groups))
        return pieces


@dataclass
class ProjectTable:
    project: Project
    tables: list[Table]


@dataclass
class Tracking:
    """The IPTT of one project or of the projects of a programme."""

    projects: list[ProjectTable]
    filters: Filters
    disaggregations: list[DisaggregationType] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return any(row.provisional or any(c is not None and c.provisional for c in row.cells)
                   for project in self.projects for table in project.tables
                   for row in table.rows)

    @property
    def empty(self) -> bool:
        return not any(table.rows for project in self.projects for table in project.tables)


def _latest(figures: Figures, end: date | None) -> PeriodResult | None:
    reported = [p for p in figures.periods
                if p.value is not None and (end is None or p.start <= end)]
    return reported[-1] if reported else None


def _cell(period: PeriodResult | None, cumulative: bool) -> Cell | None:
    if period is None:
        return None
    actual = period.to_date if cumulative and period.reported else period.value
    return Cell(target=period.target, actual=actual,
                met=period.met if period.reported else None,
                provisional=period.provisional and period.reported,
                status=period.status if period.reported else Status.NO_DATA)


def _row(indicator: Indicator, figures: Figures, columns: Sequence[ReportingPeriod],
         filters: Filters, category: DisaggregationCategory | None = None) -> Row:
    latest = _latest(figures, filters.end)
    cumulative = indicator.cumulation == Cumulation.CUMULATIVE
    total = category is None
    return Row(
        indicator=indicator, category=category,
        baseline=indicator.baseline_value if total else None,
        lop_target=indicator.target_value if total else None,
        to_date=latest.to_date if latest else None,
        as_of=latest.end if latest else None,
        progress=latest.progress if latest else None,
        basis=latest.basis if latest else None,
        status=latest.status if latest else Status.NO_DATA,
        provisional=bool(latest and latest.provisional),
        cells=[_cell(figures.period(p.start_date), cumulative) for p in columns],
        figures=figures,
    )


def _frequency_key(frequency: Frequency | None) -> int:
    return FREQUENCY_ORDER.index(frequency) if frequency in FREQUENCY_ORDER else 99


def _tables(project: Project, loaded: indicator_figures.ProjectFigures,
            results: Sequence[Result], filters: Filters,
            categories: Sequence[DisaggregationCategory]) -> list[Table]:
    ordered = chain_order([r for r in results if r.project_id == project.id])
    wanted = [r for r in ordered if not filters.levels or r.level in filters.levels]
    tables = []
    frequencies = sorted({i.frequency for i in loaded.indicators}, key=_frequency_key)
    for frequency in frequencies:
        indicators = [i for i in loaded.indicators if i.frequency == frequency]
        if frequency is None:
            ids = {p.start for i in indicators for p in loaded.of(i).periods}
            periods = [p for p in loaded.periods.values()
                       if p.start_date in ids and filters.shows(p)]
            first_of_day: dict[date, ReportingPeriod] = {}
            for period in periods:
                first_of_day.setdefault(period.start_date, period)
            periods = list(first_of_day.values())
        else:
            periods = [p for p in loaded.periods.values()
                       if p.frequency == frequency and filters.shows(p)]
        by_result: dict[int | None, list[Row]] = {}
        for indicator in indicators:
            rows = by_result.setdefault(indicator.result_id, [])
            rows.append(_row(indicator, loaded.of(indicator), periods, filters))
            for category in categories:
                figures = loaded.category(indicator, category.id)
                if figures is not None:
                    rows.append(_row(indicator, figures, periods, filters, category))
        groups = [Group(r, by_result[r.id]) for r in wanted if by_result.get(r.id)]
        if not filters.levels and by_result.get(None):
            groups.append(Group(None, by_result[None]))
        if groups:
            tables.append(Table(frequency, periods, groups))
    return tables


def load(session: Session, projects: Sequence[Project], bands: StatusBands,
         filters: Filters) -> Tracking:
    """The IPTT of the given projects: the queries of the figures loader once, and once more
    per disaggregation asked for, whatever the number of projects, indicators and periods."""
    chosen = list(session.scalars(
        sa.select(DisaggregationType).where(DisaggregationType.id.in_(filters.disaggregations),
                                            DisaggregationType.code != TOTAL_CODE)
        .options(selectinload(DisaggregationType.categories))
        .order_by(DisaggregationType.id))) if filters.disaggregations else []
    filters = replace(filters, disaggregations=tuple(d.id for d in chosen))
    loads = [indicator_figures.load_many(
        session, projects, bands, include_provisional=filters.include_provisional,
        disaggregation=d.id, as_of=filters.as_of) for d in chosen] or [
        indicator_figures.load_many(session, projects, bands,
                                    include_provisional=filters.include_provisional,
                                    as_of=filters.as_of)]
    loaded = loads[0]
    for other in loads[1:]:
        for project_id, figures in other.items():
            loaded[project_id].by_category.update(figures.by_category)
    categories = [c for d in chosen for c in d.categories]
    results = list(session.scalars(sa.select(Result).where(
        Result.project_id.in_([p.id for p in projects]))))
    return Tracking(
        projects=[ProjectTable(p, _tables(p, loaded[p.id], results, filters, categories))
                  for p in projects],
        filters=filters, disaggregations=chosen)


def disaggregation_choices(session: Session, projects: Sequence[Project]) -> list[Any]:
    """The disaggregations the indicators of these projects are broken down by."""
    links = indicator_disaggregations
    return list(session.scalars(
        sa.select(DisaggregationType).join(links, links.c.type_id == DisaggregationType.id)
        .join(Indicator, Indicator.id == links.c.indicator_id)
        .where(Indicator.project_id.in_([p.id for p in projects]),
               DisaggregationType.code != TOTAL_CODE)
        .distinct().order_by(DisaggregationType.id)))
