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

from app.followup import upcoming
from app.followup.portfolio import build_report
from app.frameworks.models import PeriodState, ReportingPeriod
from app.monitoring import figures as indicator_figures
from app.monitoring.periods import overdue_condition
from app.pagination import Page
from app.programmes.models import Programme, Project
from indicators.followup import FollowUpSettings
from indicators.types import Status, StatusBands

SHOWN = 6  # upcoming recommendations and verified follow-ups listed on the page


@dataclass
class ProjectHealth:
    project: Project
    statuses: Counter[Status]
    group: ProgrammeHealth | None = None

    @property
    def indicators(self) -> int:
        return sum(self.statuses.values())


@dataclass
class ProgrammeHealth:
    programme: Programme | None
    projects: list[ProjectHealth]

    @property
    def key(self) -> int | None:
        return self.programme.id if self.programme else None

    @property
    def statuses(self) -> Counter[Status]:
        total: Counter[Status] = Counter()
        for project in self.projects:
            total.update(project.statuses)
        return total


@dataclass
class Portfolio:
    today: dt.date
    programmes: list[ProgrammeHealth]
    statuses: Counter[Status]
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


def _page(rows: list[ProjectHealth], number: int, size: int) -> Page:
    number = max(1, min(number, max(1, -(-len(rows) // size))))
    return Page(items=rows[(number - 1) * size:number * size], number=number, size=size,
                total=len(rows))


def load(session: Session, today: dt.date, bands: StatusBands, settings: FollowUpSettings,
         within: int = 90, page: int = 1, page_size: int = 50) -> Portfolio:
    projects = list(session.scalars(
        sa.select(Project).options(joinedload(Project.programme))
        .order_by(Project.code)))
    loaded = indicator_figures.load_many(session, projects, bands)
    by_programme: dict[int | None, ProgrammeHealth] = {}
    for project in projects:
        figures = loaded[project.id]
        statuses: Counter[Status] = Counter()
        for indicator in figures.indicators:
            latest = figures.of(indicator).latest
            statuses[latest.status if latest else Status.NO_DATA] += 1
        group = by_programme.setdefault(project.programme_id,
                                        ProgrammeHealth(project.programme, []))
        group.projects.append(ProjectHealth(project, statuses, group))
    programmes = sorted(by_programme.values(), key=lambda g: (
        g.programme is None, g.programme.code if g.programme else ""))
    total: Counter[Status] = Counter()
    for group in programmes:
        total.update(group.statuses)
    rows = [project for group in programmes for project in group.projects]

    def number(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    overdue, submitted = session.execute(sa.select(
        number(overdue_condition(today)),
        number(ReportingPeriod.state == PeriodState.SUBMITTED))).one()
    report = build_report(session, today, settings, with_charts=False)
    totals = report.totals
    due_query = upcoming.due_soon_query(today, within, settings)
    due_count = session.scalar(sa.select(sa.func.count()).select_from(
        due_query.order_by(None).subquery())) or 0
    return Portfolio(
        today=today, programmes=programmes, statuses=total,
        projects=_page(rows, page, page_size),
        overdue_reports=int(overdue), awaiting_approval=int(submitted),
        pending_events=totals.pending, judged_events=totals.judged,
        talk_shops=totals.talk_shops, talk_shop_share=totals.talk_shop_share,
        talk_shop_cost=report.talk_shop_cost,
        talk_shops_without_cost=totals.talk_shops_without_cost,
        due_soon=int(due_count), due_soon_days=within,
        due_soon_items=list(session.scalars(due_query.limit(SHOWN))),
        verified=list(session.execute(upcoming.recently_verified_query().limit(SHOWN))),
    )
