"""The activity log of a project: list, record, change, remove."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.evidence import services as evidence_services
from app.evidence.models import SubjectKind
from app.frameworks.models import ActivityKind, PeriodState, ReportingPeriod, Result, ResultLevel
from app.monitoring import activities as services
from app.monitoring.blueprint import bp
from app.monitoring.data_forms import ActivityForm
from app.monitoring.models import Activity, AgeGroup, Sex
from app.pagination import paginate
from app.programmes.models import Project
from app.web import current_actor, get_or_404, save_form


def _locked() -> Any:
    """Whether the activity's date is inside an approved (locked) period of its project."""
    return sa.exists().where(ReportingPeriod.project_id == Activity.project_id,
                             ReportingPeriod.state == PeriodState.APPROVED,
                             ReportingPeriod.start_date <= Activity.start_date,
                             ReportingPeriod.end_date >= Activity.start_date)


@bp.get("/projects/<int:project_id>/activities")
def activities(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("data.view", project)
    kind = request.args.get("kind") or ""
    chosen = ActivityKind(kind) if kind in {k.value for k in ActivityKind} else None
    query = (services.project_activities(project.id, chosen)
             .add_columns(Result.code.label("output"), _locked().label("locked"))
             .outerjoin(Result, Result.id == Activity.result_id))
    page = paginate(db.session, query, rows=True)
    evidence = evidence_services.counts(db.session, SubjectKind.ACTIVITY,
                                        [row[0].id for row in page.items])
    return render_template("monitoring/activities.html", project=project, kind=kind,
                           kinds=list(ActivityKind), page=page, evidence=evidence)


def _form(project: Project, activity: Activity | None = None, **kwargs: Any) -> ActivityForm:
    form = ActivityForm(obj=activity, **kwargs)
    results = db.session.execute(
        sa.select(Result.id, Result.code, Result.statement, Result.level)
        .where(Result.project_id == project.id).order_by(Result.code)).all()
    outputs = [r for r in results if r.level == ResultLevel.OUTPUT] or results
    form.result_id.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(r.id, f"{r.code} {r.statement[:80]}") for r in outputs]
    if activity is not None and request.method == "GET":
        form.kind.data = activity.kind.value
        form.fill_participants(activity)
    return form


def _render_form(project: Project, activity: Activity | None, form: ActivityForm) -> Any:
    return save_form(
        form, lambda v: (services.update_activity(
            db.session, current_actor(), activity, form.version.data, v, form.participants())
            if activity is not None else services.create_activity(
            db.session, current_actor(), project, v, form.participants())),
        services.ACTIVITY_FIELDS, "monitoring/activity_form.html", project=project,
        activity=activity, sexes=list(Sex), ages=list(AgeGroup))


@bp.route("/projects/<int:project_id>/activities/new", methods=["GET", "POST"])
def activity_new(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("activity.record", project)
    result = _render_form(project, None, _form(project, version=0))
    if isinstance(result, Activity):
        return redirect(url_for(".activities", project_id=project.id))
    return result


def _activity(activity_id: int) -> tuple[Activity, Project]:
    activity: Activity = get_or_404(Activity, activity_id, selectinload(Activity.participants))
    project = db.session.get_one(Project, activity.project_id)
    authorize("activity.record", project)
    return activity, project


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def activity_edit(activity_id: int) -> Any:
    activity, project = _activity(activity_id)
    result = _render_form(project, activity, _form(project, activity))
    if isinstance(result, Activity):
        return redirect(url_for(".activities", project_id=project.id))
    return result


@bp.post("/activities/<int:activity_id>/delete")
def activity_delete(activity_id: int) -> Any:
    activity, project = _activity(activity_id)
    try:
        services.delete_activity(db.session, current_actor(), activity,
                                 request.form.get("version", type=int))
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for(".activity_edit", activity_id=activity.id))
    flash(_("The activity was removed from the log."), "success")
    return redirect(url_for(".activities", project_id=project.id))
