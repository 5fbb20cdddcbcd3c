"""Reporting periods seen from data collection: lock state, due dates, what counts as overdue.

Periods are created from an indicator's frequency by
``app.frameworks.indicator_services.ensure_periods``, and an approved period is locked for
every change (``app.frameworks.periods``). Here are the rules data collection adds before it
writes: a submitted period waits for a decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.frameworks.models import PeriodState, ReportingPeriod
from app.frameworks.periods import PeriodLocked, assert_unlocked, label

EDITABLE = frozenset({PeriodState.OPEN, PeriodState.RETURNED})


def assert_editable(period: ReportingPeriod) -> None:
    """Values can be entered while a period is open or returned, not once submitted."""
    assert_unlocked(period)
    if period.state == PeriodState.SUBMITTED:
        raise PeriodLocked(_l(
            "The period %(period)s was submitted and awaits a manager's decision: its values "
            "cannot change unless it is returned.", period=label(period)))


def is_overdue(period: ReportingPeriod, today: date) -> bool:
    return period.state in EDITABLE and period.due_date < today


def overdue_condition(today: date) -> sa.ColumnElement[bool]:
    """``is_overdue`` in SQL: open or returned after the report's due date."""
    return sa.and_(ReportingPeriod.state.in_(list(EDITABLE)), ReportingPeriod.due_date < today)


def task_kind(period: ReportingPeriod, today: date) -> str:
    """What the period asks of the person looking at it (keys of ``labels.TASK``)."""
    if period.state == PeriodState.SUBMITTED:
        return "awaiting"
    if period.state == PeriodState.RETURNED:
        return "returned"
    if period.due_date < today:
        return "overdue"
    return "due" if period.end_date < today else "in_progress"


def locked_periods_covering(session: Session, project_id: int,
                            days: Iterable[date | None]) -> list[ReportingPeriod]:
    """The project's approved periods that contain any of ``days`` (activity dates)."""
    wanted = sorted({d for d in days if d is not None})
    if not wanted:
        return []
    return list(session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == project_id,
        ReportingPeriod.state == PeriodState.APPROVED,
        sa.or_(*[sa.and_(ReportingPeriod.start_date <= d, ReportingPeriod.end_date >= d)
                 for d in wanted]),
    ).order_by(ReportingPeriod.start_date)))


def assert_days_unlocked(session: Session, project_id: int, days: Iterable[date | None]) -> None:
    """Refuse a change dated inside an approved period of the project."""
    locked = locked_periods_covering(session, project_id, days)
    if locked:
        assert_unlocked(locked[0])
