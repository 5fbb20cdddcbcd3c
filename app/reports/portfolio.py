"""A manager's portfolio at a glance: the home page of managers and administrators.

Every figure comes from the computation that owns it: indicator status from
``app.monitoring.figures`` (each indicator as of its last reported period, approved values),
verdicts, talk-shop share and money from the follow-up report (``followup.portfolio``), reports
from the periods' states, upcoming recommendations from ``followup.upcoming``. The number of
queries does not depend on the size of the portfolio.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.cache import cached
from app.followup import upcoming
from app.followup.portfolio import build_report
from app.frameworks.models import PeriodState, ReportingPeriod
from app.monitoring import figures as indicator_figures
from app.monitoring.periods import overdue_condition
from app.pagination import Page
from app.programmes.models import Project
from indicators.followup import FollowUpSettings
from indicators.types import Status, StatusBands

SHOWN = 6  # upcoming recommendations and verified follow-ups listed on the page


@dataclass(frozen=True)
class Named:
    """What the portfolio table shows of a project or a programme (not the whole record)."""

    id: int
    code: str
    title: str


#: Indicators by status, keyed by the status's value ("on_track"…): plain dictionaries of
#: strings, which the report cache stores and reads back far faster than Counters of enums.
StatusCounts = dict[str, int]


def _plain(counted: Counter[Status]) -> StatusCounts:
    return {status.value: n for status, n in counted.items()}


@dataclass
class ProjectHealth:
    project: Named
    statuses: StatusCounts
    group: ProgrammeHealth | None = None

    @property
    def indicators(self) -> int:
        return sum(self.statuses.values())


@dataclass
class ProgrammeHealth:
    programme: Named | None
    projects: list[ProjectHealth]
    statuses: StatusCounts = field(default_factory=dict)  # the sum of its projects'

    @property
    def key(self) -> int | None:
        return self.programme.id if self.programme else None


@dataclass
class Portfolio:
    today: dt.date
    programmes: list[ProgrammeHealth]  # those of the projects on the page
    statuses: StatusCounts
    projects: Page  # of ProjectHealth, in programme order
    overdue_reports: int
    awaiting_approval: int
    pending_events: int
    judged_events: int
    talk_shops: int
    talk_shop_share: Decimal | None
    talk_shop_cost: dict[str, Decimal]
    talk_shops_without_cost: int
    due_soon: int
    due_soon_days: int
    due_soon_items: list[Any] = field(default_factory=list)
    verified: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class _Aggregates:
    """The portfolio's figures that are the same for every reader of the dashboard: kept in
    the report cache (``app.cache``) until a commit changes the data."""

    #: One tuple of plain values per project, in the table's order (see ``_row``): thousands
    #: of tuples unpickle in a few milliseconds, where as many objects took tens.
    rows: tuple[tuple[Any, ...], ...]
    statuses: StatusCounts
    overdue_reports: int
    awaiting_approval: int
    pending_events: int
    judged_events: int
    talk_shops: int
    talk_shop_share: Decimal | None
    talk_shop_cost: dict[str, Decimal]
    talk_shops_without_cost: int


STATUS_KEYS = tuple(status.value for status in Status)


def _compact(counts: StatusCounts) -> tuple[int, ...]:
    return tuple(counts.get(key, 0) for key in STATUS_KEYS)


def _counts(compact: tuple[int, ...]) -> StatusCounts:
    return {key: n for key, n in zip(STATUS_KEYS, compact, strict=True) if n}


def _row(group: ProgrammeHealth, project: ProjectHealth) -> tuple[Any, ...]:
    programme = group.programme
    return ((programme.id, programme.code, programme.title) if programme else None,
            _compact(group.statuses), (project.project.id, project.project.code,
                                       project.project.title), _compact(project.statuses))


def _health(rows: tuple[tuple[Any, ...], ...]) -> tuple[list[ProgrammeHealth],
                                                        list[ProjectHealth]]:
    """The programmes and projects of some rows of ``_Aggregates.rows``, as objects."""
    groups: dict[int | None, ProgrammeHealth] = {}
    projects = []
    for programme, programme_counts, project, project_counts in rows:
        key = programme[0] if programme else None
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProgrammeHealth(Named(*programme) if programme else None, [],
                                                  _counts(programme_counts))
        health = ProjectHealth(Named(*project), _counts(project_counts), group)
        group.projects.append(health)
        projects.append(health)
    return list(groups.values()), projects


def _aggregates(session: Session, today: dt.date, bands: StatusBands,
                settings: FollowUpSettings) -> _Aggregates:
    projects = list(session.scalars(
        sa.select(Project).options(joinedload(Project.programme)).order_by(Project.code)))
    loaded = indicator_figures.load_many(session, projects, bands)
    statuses: dict[int, Counter[Status]] = {}
    for project in projects:
        figures = loaded[project.id]
        counted: Counter[Status] = Counter()
        for indicator in figures.indicators:
            latest = figures.of(indicator).latest
            counted[latest.status if latest else Status.NO_DATA] += 1
        statuses[project.id] = counted
    # What the table shows of each project and programme, not the whole records: the cache
    # keeps (and each reader unpickles) only that.
    by_programme: dict[int | None, ProgrammeHealth] = {}
    sums: dict[int | None, Counter[Status]] = {}
    for project in projects:
        programme = project.programme
        group = by_programme.get(project.programme_id)
        if group is None:
            group = by_programme[project.programme_id] = ProgrammeHealth(
                Named(programme.id, programme.code, programme.title) if programme else None, [])
        counted = statuses[project.id]
        group.projects.append(ProjectHealth(
            Named(project.id, project.code, project.title), _plain(counted), group))
        sums.setdefault(project.programme_id, Counter()).update(counted)
    total: Counter[Status] = Counter()
    for key, group in by_programme.items():
        group.statuses = _plain(sums[key])
        total.update(sums[key])
    programmes = sorted(by_programme.values(), key=lambda g: (
        g.programme is None, g.programme.code if g.programme else ""))

    def number(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    overdue, submitted = session.execute(sa.select(
        number(overdue_condition(today)),
        number(ReportingPeriod.state == PeriodState.SUBMITTED))).one()
    report = build_report(session, today, settings, with_charts=False)
    totals = report.totals
    return _Aggregates(
        rows=tuple(_row(group, project) for group in programmes for project in group.projects),
        statuses=_plain(total), overdue_reports=int(overdue),
        awaiting_approval=int(submitted),
        pending_events=totals.pending, judged_events=totals.judged,
        talk_shops=totals.talk_shops, talk_shop_share=totals.talk_shop_share,
        talk_shop_cost=dict(report.talk_shop_cost),
        talk_shops_without_cost=totals.talk_shops_without_cost)


def load(session: Session, today: dt.date, bands: StatusBands, settings: FollowUpSettings,
         within: int = 90, page: int = 1, page_size: int = 50) -> Portfolio:
    figures = cached("portfolio", (today, bands, settings),
                     lambda: _aggregates(session, today, bands, settings))
    rows = figures.rows
    number = max(1, min(page, max(1, -(-len(rows) // page_size))))
    shown, health = _health(rows[(number - 1) * page_size:number * page_size])
    due_query = upcoming.due_soon_query(today, within, settings)
    due_count = session.scalar(sa.select(sa.func.count()).select_from(
        due_query.order_by(None).subquery())) or 0
    return Portfolio(
        today=today, programmes=shown, statuses=figures.statuses,
        projects=Page(items=health, number=number, size=page_size, total=len(rows)),
        overdue_reports=figures.overdue_reports, awaiting_approval=figures.awaiting_approval,
        pending_events=figures.pending_events, judged_events=figures.judged_events,
        talk_shops=figures.talk_shops, talk_shop_share=figures.talk_shop_share,
        talk_shop_cost=figures.talk_shop_cost,
        talk_shops_without_cost=figures.talk_shops_without_cost,
        due_soon=int(due_count), due_soon_days=within,
        due_soon_items=list(session.scalars(due_query.limit(SHOWN))),
        verified=list(session.execute(upcoming.recently_verified_query().limit(SHOWN))),
    )
