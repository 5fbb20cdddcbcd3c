"""In-app notifications: who hears of a period's transition, unread counts, marking read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import Session

from app.auth.models import MemberRole, ProjectMember, Role, User
from app.db import utcnow
from app.frameworks.models import ReportingPeriod
from app.monitoring.models import Notification


def period_link(period_id: int) -> str:
    """Where a notification about a period leads: its data entry page."""
    return f"/periods/{period_id}/data"


def staff_ids(session: Session) -> list[int]:
    """Managers and administrators: they approve, return and reopen periods."""
    return list(session.scalars(sa.select(User.id).where(
        User.active.is_(True), User.role.in_([Role.MANAGER, Role.ADMIN]))))


def officer_ids(session: Session, period: ReportingPeriod) -> list[int]:
    """The project's officers and whoever submitted the period."""
    ids = list(session.scalars(sa.select(ProjectMember.user_id).join(User).where(
        ProjectMember.project_id == period.project_id,
        ProjectMember.role == MemberRole.OFFICER, User.active.is_(True))))
    if period.submitted_by_id is not None:
        ids.append(period.submitted_by_id)
    return ids


def notify(session: Session, user_ids: Iterable[int], kind: str,
           message: Callable[[], Any], link: str | None, *, exclude: int | None = None) -> int:
    """Add one notification per user, worded in each user's language; returns how many.

    ``message`` builds the (lazy) text; it is rendered once per language needed.
    """
    wanted = sorted({u for u in user_ids if u != exclude})
    if not wanted:
        return 0
    locales = dict(session.execute(
        sa.select(User.id, User.locale).where(User.id.in_(wanted))).all())
    texts: dict[str, str] = {}
    rows = []
    for user_id in wanted:
        locale = locales[user_id].value
        if locale not in texts:
            with force_locale(locale):
                texts[locale] = str(message())
        rows.append({"user_id": user_id, "kind": kind, "message": texts[locale], "link": link,
                     "created_at": utcnow()})
    session.execute(sa.insert(Notification), rows)
    return len(rows)


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def user_notifications(user_id: int) -> sa.Select[Notification]:
    return (sa.select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them); returns how many."""
    query = sa.update(Notification).where(Notification.user_id == user_id,
                                          Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = session.execute(query.values(read_at=utcnow()))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
