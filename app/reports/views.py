"""Pages that read across domains: the dashboard, a project's results page and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, redirect, render_template, request, url_for

from app.audit import AuditEvent
from app.auth import labels as auth_labels
from app.auth.models import Role, User
from app.auth.permissions import STAFF, authorize
from app.db import contains, db
from app.evaluation import labels as evaluation_labels
from app.evidence import labels as evidence_labels
from app.followup import labels as followup_labels
from app.followup.assess import settings_from
from app.formatting import percent
from app.frameworks import completeness
from app.frameworks import labels as framework_labels
from app.frameworks.pages import load_project, subject_links
from app.iati import labels as iati_labels
from app.mail import labels as mail_labels
from app.monitoring import labels as monitoring_labels
from app.pagination import paginate
from app.programmes import labels as programme_labels
from app.programmes import services as programme_services
from app.programmes.models import Organisation, Programme, Project
from app.reports import audit_trail, document_views, iptt_views, portfolio  # noqa: F401
from app.reports import results as results_page
from app.reports.blueprint import bp
from app.web import public, wants_provisional
from indicators.types import StatusBands


@bp.get("/")
@public
def index() -> Any:
    return redirect(url_for("reports.dashboard" if g.user else "auth.login"))


@bp.get("/healthz")
@public
def healthz() -> Any:
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/dashboard")
def dashboard() -> Any:
    authorize("dashboard.view")
    user = g.user
    counts: dict[str, int] = {}
    if user.role in STAFF:
        counts = dict(db.session.execute(sa.select(
            sa.select(sa.func.count(Programme.id)).scalar_subquery().label("programmes"),
            sa.select(sa.func.count(Project.id)).scalar_subquery().label("projects"),
            sa.select(sa.func.count(Organisation.id)).scalar_subquery().label("organisations"),
            sa.select(sa.func.count(User.id)).where(User.active.is_(True))
            .scalar_subquery().label("users"),
        )).one()._mapping)
    projects = db.session.scalars(
        programme_services.visible_projects(user).order_by(Project.updated_at.desc()).limit(8)
    ).all()
    overview = None
    if user.role in STAFF:
        overview = portfolio.load(db.session, date.today(), iptt_views.bands(),
                                  settings_from(), page=request.args.get("page", 1, type=int)
                                  or 1, page_size=int(current_app.config["PAGE_SIZE"]))
    return render_template("reports/dashboard.html", counts=counts, projects=projects,
                           is_staff=user.role in STAFF, portfolio=overview,
                           fl=followup_labels, percent=percent)


@bp.get("/projects/<int:project_id>/results")
def project_results(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    config = current_app.config
    bands = StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"])
    tree = results_page.load(db.session, project, bands, date.today(),
                             include_provisional=wants_provisional())
    state = completeness.load(db.session, project)
    return render_template("reports/results.html", project=project, tree=tree, state=state,
                           links=subject_links)


def audit_action_labels() -> dict[str, Any]:
    """Every domain's names for its audit actions, for the audit trail's filter and rows."""
    merged: dict[str, Any] = {}
    for module in (auth_labels, programme_labels, framework_labels, monitoring_labels,
                   followup_labels, evaluation_labels, evidence_labels, iati_labels,
                   mail_labels):
        merged.update(module.AUDIT_ACTION)
    return dict(sorted(merged.items(), key=lambda item: str(item[1])))


def _parse_day(raw: str | None) -> datetime | None:
    try:
        return datetime.strptime(raw or "", "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


@bp.get("/audit")
def audit_log() -> Any:
    authorize("audit.view")
    args = request.args
    # the actor's name and email come with each row: one query whatever the number of rows
    query = (sa.select(AuditEvent, User.name, User.email)
             .outerjoin(User, User.id == AuditEvent.user_id))
    if action := args.get("action"):
        query = query.where(AuditEvent.action == action)
    if entity := args.get("entity"):
        query = query.where(AuditEvent.entity == entity)
    if entity_id := args.get("entity_id"):
        query = query.where(AuditEvent.entity_id == entity_id)
    if email := (args.get("user") or "").strip().lower():
        query = query.where(contains(User.email, email))
    if start := _parse_day(args.get("from")):
        query = query.where(AuditEvent.created_at >= start)
    if end := _parse_day(args.get("to")):
        query = query.where(AuditEvent.created_at <= datetime.combine(end, time.max, UTC))
    query = query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    entities = db.session.scalars(
        sa.select(AuditEvent.entity).where(AuditEvent.entity.is_not(None)).distinct()
        .order_by(AuditEvent.entity)).all()
    page = paginate(db.session, query, rows=True)
    return render_template("reports/audit.html", page=page,
                           actions=audit_action_labels(), entities=entities, args=args,
                           roles=Role, trail=audit_trail,
                           names=audit_trail.people(db.session, [row[0] for row in page.items]))
