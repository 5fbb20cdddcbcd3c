"""A period's way to approval: submit, then approve (which locks it) or return with a reason;
a manager's lock exception reopens an approved period. Every step is audited and notified."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.db import utcnow
from app.errors import ServiceError, StaleEdit
from app.frameworks.models import PeriodState, ReportingPeriod
from app.frameworks.periods import label
from app.monitoring import notifications
from app.monitoring.grid import build_grid
from app.monitoring.labels import PERIOD_STATE
from app.programmes.models import Project

STALE_PERIOD = _l("Someone else acted on this period after you opened the page; nothing was "
                  "done. Look at its state again.")


def _check(period: ReportingPeriod, version: int | None, allowed: set[PeriodState]) -> None:
    if version != period.version:
        raise StaleEdit(STALE_PERIOD, {"state": period.state})
    if period.state not in allowed:
        raise ServiceError(_l("This cannot be done while the period is %(state)s.",
                              state=PERIOD_STATE[period.state]))


def _name(session: Session, actor: Actor) -> str:
    user = session.get(User, actor.user_id) if actor.user_id else None
    return user.name if user else "PVE Track"


def _transition(session: Session, actor: Actor, period: ReportingPeriod, action: str,
                state: PeriodState, reason: str | None, recipients: list[int],
                message: Any) -> ReportingPeriod:
    old = period.state
    period.state = state
    session.flush()
    audit.record(session, actor, action, "reporting_period", period.id,
                 {"state": [old.value, state.value]}, reason=reason)
    notifications.notify(session, recipients, action, message,
                         notifications.period_link(period.id), exclude=actor.user_id)
    session.commit()
    return period


def submit(session: Session, actor: Actor, period: ReportingPeriod,
           version: int | None) -> ReportingPeriod:
    """Hand the period's values to the managers; refused while a total disagrees with its
    categories."""
    _check(period, version, {PeriodState.OPEN, PeriodState.RETURNED})
    grid = build_grid(session, period)
    problems = [f"{row.indicator.code}: {text}" for row in grid.totals() for text in row.mismatches]
    if problems:
        raise ServiceError(_l("The period cannot be submitted while totals disagree with their "
                              "categories: %(problems)s. Correct the values, then submit.",
                              problems="; ".join(problems)))
    period.submitted_at = utcnow()
    period.submitted_by_id = actor.user_id
    project, who = session.get_one(Project, period.project_id), _name(session, actor)
    return _transition(
        session, actor, period, "period.submit", PeriodState.SUBMITTED, None,
        notifications.staff_ids(session),
        lambda: _l("%(project)s: %(who)s submitted the period %(period)s for approval.",
                   project=project.code, who=who, period=label(period)))


def approve(session: Session, actor: Actor, period: ReportingPeriod,
            version: int | None) -> ReportingPeriod:
    """Approve a submitted period: from now on it is locked for every role."""
    _check(period, version, {PeriodState.SUBMITTED})
    period.decided_at = utcnow()
    period.decided_by_id = actor.user_id
    period.return_reason = None
    project, who = session.get_one(Project, period.project_id), _name(session, actor)
    return _transition(
        session, actor, period, "period.approve", PeriodState.APPROVED, None,
        notifications.officer_ids(session, period),
        lambda: _l("%(project)s: %(who)s approved the period %(period)s; it is now locked.",
                   project=project.code, who=who, period=label(period)))


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ServiceError(_l("Give a reason: it is shown to the officers and kept in the audit "
                              "trail."), "reason")
    return text


def return_period(session: Session, actor: Actor, period: ReportingPeriod, version: int | None,
                  reason: str | None) -> ReportingPeriod:
    """Send a submitted period back to its officers, saying what to correct."""
    text = _reason(reason)
    _check(period, version, {PeriodState.SUBMITTED})
    period.decided_at = utcnow()
    period.decided_by_id = actor.user_id
    period.return_reason = text
    project, who = session.get_one(Project, period.project_id), _name(session, actor)
    return _transition(
        session, actor, period, "period.return", PeriodState.RETURNED, text,
        notifications.officer_ids(session, period),
        lambda: _l("%(project)s: %(who)s returned the period %(period)s: %(reason)s",
                   project=project.code, who=who, period=label(period), reason=text))


def reopen(session: Session, actor: Actor, period: ReportingPeriod, version: int | None,
           reason: str | None) -> ReportingPeriod:
    """The lock exception: reopen one approved period, with a reason kept in the audit trail."""
    text = _reason(reason)
    _check(period, version, {PeriodState.APPROVED})
    period.return_reason = text
    project, who = session.get_one(Project, period.project_id), _name(session, actor)
    return _transition(
        session, actor, period, "period.reopen", PeriodState.OPEN, text,
        notifications.officer_ids(session, period),
        lambda: _l("%(project)s: %(who)s reopened the approved period %(period)s: %(reason)s",
                   project=project.code, who=who, period=label(period), reason=text))
