"""My tasks (periods to report on, or to decide on) and in-app notifications."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.auth.models import MemberRole, ProjectMember
from app.auth.permissions import STAFF, authorize
from app.db import db
from app.frameworks.models import PeriodState, ReportingPeriod
from app.monitoring import labels as dc_labels
from app.monitoring import notifications
from app.monitoring.blueprint import bp
from app.monitoring.models import Notification
from app.monitoring.periods import overdue_condition, task_kind
from app.pagination import paginate


@bp.app_context_processor
def _data_collection_context() -> dict[str, Any]:
    def unread_notifications() -> int:
        """One COUNT per request, only for a signed-in user, only when a page asks."""
        user = g.get("user")
        if user is None:
            return 0
        if "unread_notifications" not in g:
            g.unread_notifications = notifications.unread_count(db.session, user.id)
        return int(g.unread_notifications)

    return {"dc_labels": dc_labels, "unread_notifications": unread_notifications}


def task_query(user: Any, today: date) -> sa.Select[ReportingPeriod]:
    """Staff: periods awaiting approval. Officers: started periods of their projects that are
    open or returned. Evaluators have no reporting tasks."""
    query = sa.select(ReportingPeriod)
    if user.role in STAFF:
        return query.where(ReportingPeriod.state == PeriodState.SUBMITTED)
    mine = sa.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id,
                                                     ProjectMember.role == MemberRole.OFFICER)
    return query.where(ReportingPeriod.project_id.in_(mine),
                       ReportingPeriod.state.in_([PeriodState.OPEN, PeriodState.RETURNED]),
                       ReportingPeriod.start_date <= today)


def _ordered(query: sa.Select[ReportingPeriod]) -> sa.Select[ReportingPeriod]:
    """Returned periods first, then by due date."""
    returned_first = sa.case((ReportingPeriod.state == PeriodState.RETURNED, 0), else_=1)
    return (query.options(joinedload(ReportingPeriod.project))
            .order_by(returned_first, ReportingPeriod.due_date, ReportingPeriod.id))


def _summary(query: sa.Select[Any], today: date) -> dict[str, int]:
    """How many tasks of each kind, in one query."""
    periods = query.subquery()

    def of(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = db.session.execute(sa.select(
        sa.func.count(), of(periods.c.state == PeriodState.RETURNED),
        of(sa.and_(periods.c.state.in_([PeriodState.OPEN, PeriodState.RETURNED]),
                   periods.c.due_date < today)),
    ).select_from(periods)).one()
    return {"all": int(row[0]), "returned": int(row[1]), "overdue": int(row[2])}


@bp.get("/tasks")
def tasks() -> Any:
    authorize("tasks.view")
    today = date.today()
    query = task_query(g.user, today)
    overdue = g.user.role in STAFF and request.args.get("show") == "overdue"
    if overdue:
        query = sa.select(ReportingPeriod).where(overdue_condition(today))
    return render_template("monitoring/tasks.html", page=paginate(db.session, _ordered(query)),
                           summary=_summary(query, today), today=today, task_kind=task_kind,
                           is_staff=g.user.role in STAFF, overdue=overdue)


@bp.get("/notifications")
def notifications_page() -> Any:
    authorize("tasks.view")
    page = paginate(db.session, notifications.user_notifications(g.user.id))
    return render_template("monitoring/notifications.html", page=page)


@bp.post("/notifications/read")
def notifications_read() -> Any:
    authorize("tasks.view")
    marked = notifications.mark_read(db.session, g.user.id)
    if marked:
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".notifications_page"))


@bp.post("/notifications/<int:notification_id>/open")
def notification_open(notification_id: int) -> Any:
    """Mark one of the user's own notifications read and follow its link."""
    authorize("tasks.view")
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != g.user.id:
        abort(404)
    notifications.mark_read(db.session, g.user.id, notification_id)
    link = notification.link or ""
    if not link.startswith("/") or link.startswith("//"):
        link = url_for(".notifications_page")
    return redirect(link)
