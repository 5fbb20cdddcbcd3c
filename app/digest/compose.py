"""What one user's digest says: the sections that apply to their role, each built from the
computation the app already uses for the same thing on its pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload, selectinload

from app.auth.models import ProjectMember, Role, User
from app.auth.permissions import STAFF
from app.followup.assess import assess, settings_from
from app.followup.models import Event, FollowUpAction, Recommendation
from app.followup.upcoming import due_of, due_soon_query
from app.frameworks.models import ReportingPeriod
from app.monitoring.periods import task_kind
from app.monitoring.task_views import task_query
from indicators.followup import ActionState, FollowUpStatus

DUE_WITHIN_DAYS = 30

REPORTS, APPROVALS, RECOMMENDATIONS, VERIFICATIONS, VERDICTS = (
    "reports", "approvals", "recommendations", "verifications", "verdicts")
KIND_LABELS: dict[str, Any] = {
    REPORTS: _l("Your overdue and returned reports"),
    APPROVALS: _l("Reports awaiting your approval"),
    RECOMMENDATIONS: _l("Recommendations due within 30 days with nothing done"),
    VERIFICATIONS: _l("Follow-up actions awaiting verification"),
    VERDICTS: _l("Events whose follow-up verdict changed"),
}
#: The roles each kind is for (None: every role). The digest computes a kind only for them,
#: and the account page offers only theirs.
KIND_ROLES: dict[str, frozenset[Role] | None] = {
    REPORTS: frozenset({Role.OFFICER}),
    APPROVALS: STAFF,
    RECOMMENDATIONS: None,
    VERIFICATIONS: STAFF,
    VERDICTS: None,
}


def applies(kind: str, role: Role) -> bool:
    """Whether a digest of this kind can concern a user of this role."""
    roles = KIND_ROLES[kind]
    return roles is None or role in roles


@dataclass
class Section:
    kind: str
    items: list[Any] = field(default_factory=list)


@dataclass
class Digest:
    user: User
    today: dt.date
    sections: list[Section]
    verdicts: dict[str, str]  # event id -> status now, for the next digest to compare with

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)


@dataclass(frozen=True)
class VerdictChange:
    event: Event
    before: FollowUpStatus
    now: FollowUpStatus


class Verdicts:
    """The follow-up verdict of each event as of a day, judged once per run by the rule the
    event page uses (``app.followup.assess``)."""

    def __init__(self, session: Session, today: dt.date) -> None:
        self.session, self.today, self.settings = session, today, settings_from()
        self._events: dict[int, Event] | None = None
        self._status: dict[int, FollowUpStatus] = {}

    def events(self) -> dict[int, Event]:
        if self._events is None:
            loaded = self.session.scalars(sa.select(Event).options(
                selectinload(Event.recommendations).selectinload(Recommendation.actions)))
            self._events = {e.id: e for e in loaded}
        return self._events

    def status(self, event: Event) -> FollowUpStatus:
        if event.id not in self._status:
            self._status[event.id] = assess(event, self.today, self.settings).result.status
        return self._status[event.id]


def project_ids(session: Session, user: User) -> set[int] | None:
    """The projects whose follow-up concerns the user: all of them for staff (None)."""
    if user.role in STAFF:
        return None
    return set(session.scalars(sa.select(ProjectMember.project_id)
                               .where(ProjectMember.user_id == user.id)))


def _reports(session: Session, user: User, today: dt.date) -> list[ReportingPeriod]:
    if not applies(REPORTS, user.role):
        return []
    periods = session.scalars(task_query(user, today)
                              .options(joinedload(ReportingPeriod.project))
                              .order_by(ReportingPeriod.due_date, ReportingPeriod.id))
    return [p for p in periods if task_kind(p, today) in ("returned", "overdue")]


def _approvals(session: Session, user: User, today: dt.date) -> list[ReportingPeriod]:
    if not applies(APPROVALS, user.role):
        return []
    return list(session.scalars(task_query(user, today)
                                .options(joinedload(ReportingPeriod.project))
                                .order_by(ReportingPeriod.due_date, ReportingPeriod.id)))


def _recommendations(session: Session, projects: set[int] | None,
                     today: dt.date) -> list[tuple[Recommendation, dt.date]]:
    settings = settings_from()
    query = due_soon_query(today, DUE_WITHIN_DAYS, settings)
    if projects is not None:
        query = query.where(Event.project_id.in_(projects or {-1}))
    due = due_of(settings)
    return [(r, due(r)) for r in session.scalars(query).unique()]


def _verifications(session: Session, user: User) -> list[FollowUpAction]:
    if not applies(VERIFICATIONS, user.role):
        return []
    return list(session.scalars(
        sa.select(FollowUpAction)
        .options(joinedload(FollowUpAction.recommendation).joinedload(Recommendation.event))
        .where(FollowUpAction.state == ActionState.DONE, FollowUpAction.verified_at.is_(None),
               FollowUpAction.rejected_at.is_(None))
        .order_by(FollowUpAction.action_date, FollowUpAction.id)))


def _verdicts(verdicts: Verdicts, projects: set[int] | None,
              before: dict[str, str] | None) -> tuple[list[VerdictChange], dict[str, str]]:
    now: dict[str, str] = {}
    changes = []
    for event in verdicts.events().values():
        if projects is not None and event.project_id not in projects:
            continue
        status = verdicts.status(event)
        now[str(event.id)] = status.value
        earlier = (before or {}).get(str(event.id))
        if earlier is not None and earlier != status.value:
            changes.append(VerdictChange(event, FollowUpStatus(earlier), status))
    changes.sort(key=lambda c: (c.event.end_date, c.event.id))
    return changes, now


def compose(session: Session, user: User, today: dt.date, verdicts: Verdicts,
            wanted: set[str], before: dict[str, str] | None) -> Digest:
    """The user's digest; a section the user turned off is left out (and not computed)."""
    projects = project_ids(session, user)
    sections: list[Section] = []

    def add(kind: str, items: list[Any]) -> None:
        if kind in wanted and items:
            sections.append(Section(kind, items))

    if REPORTS in wanted:
        add(REPORTS, _reports(session, user, today))
    if APPROVALS in wanted:
        add(APPROVALS, _approvals(session, user, today))
    if RECOMMENDATIONS in wanted:
        add(RECOMMENDATIONS, _recommendations(session, projects, today))
    if VERIFICATIONS in wanted:
        add(VERIFICATIONS, _verifications(session, user))
    changes, now = _verdicts(verdicts, projects, before)
    add(VERDICTS, changes)
    return Digest(user, today, sections, now)
