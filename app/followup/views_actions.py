"""Record, change and verify follow-up actions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from app.auth.permissions import authorize, can_change_own, project_scope
from app.db import db
from app.errors import ServiceError
from app.followup import actions
from app.followup.assess import today
from app.followup.blueprint import bp
from app.followup.forms import ActionForm, VerifyForm
from app.followup.models import ActionKind, Event, FollowUpAction, Recommendation
from app.followup.pages import project_choices
from app.monitoring.models import Activity
from app.programmes.models import Project
from app.web import current_actor, get_or_404, save_form
from indicators.followup import ActionState


def _activity_choices() -> list[SelectChoice]:
    """Activities of the projects the signed-in user may link to."""
    rows = db.session.execute(
        sa.select(Activity.id, Activity.title, Activity.start_date, Project.code)
        .join(Project, Project.id == Activity.project_id)
        .where(project_scope(g.user, Project.id))
        .order_by(Activity.start_date.desc(), Activity.id.desc()))
    return [SelectChoice("", _("— none —"))] + [
        SelectChoice(r.id, f"{r.code} · {r.start_date.isoformat()} · {r.title}") for r in rows]


def _event_choices() -> list[SelectChoice]:
    rows = db.session.execute(sa.select(Event.id, Event.title, Event.start_date)
                              .order_by(Event.start_date.desc(), Event.id.desc()))
    return [SelectChoice("", _("— none —"))] + [
        SelectChoice(r.id, f"{r.start_date.isoformat()} · {r.title}") for r in rows]


def _form(action: FollowUpAction | None = None, **kwargs: Any) -> ActionForm:
    form = ActionForm(obj=action, **kwargs)
    form.project_id.choices = project_choices()
    form.activity_id.choices = _activity_choices()
    form.linked_event_id.choices = _event_choices()
    if action is not None and request.method == "GET":
        form.state.data, form.kind.data = action.state.value, action.kind.value
    return form


def _values(values: dict[str, Any]) -> dict[str, Any]:
    values["state"] = ActionState(values["state"])
    values["kind"] = ActionKind(values["kind"])
    return values


def _back(recommendation: Recommendation) -> Any:
    return redirect(url_for(".event_detail", event_id=recommendation.event_id,
                            _anchor=f"rec-{recommendation.id}"))


@bp.route("/recommendations/<int:recommendation_id>/actions/new", methods=["GET", "POST"])
def action_new(recommendation_id: int) -> Any:
    recommendation = get_or_404(Recommendation, recommendation_id,
                                selectinload(Recommendation.event))
    authorize("followup.record", recommendation.event)
    form = _form(version=0)
    result = save_form(form, lambda v: actions.record_action(
        db.session, current_actor(), recommendation, _values(v), today()),
        actions.ACTION_FIELDS, "followup/action_form.html", recommendation=recommendation,
        action=None)
    return _back(recommendation) if isinstance(result, FollowUpAction) else result


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def action_edit(action_id: int) -> Any:
    action = get_or_404(FollowUpAction, action_id,
                        selectinload(FollowUpAction.recommendation)
                        .selectinload(Recommendation.event))
    if not can_change_own(g.user, "followup.record", action.recommendation.event,
                          action.recorded_by_id):
        abort(403)
    form = _form(action)
    result = save_form(form, lambda v: actions.update_action(
        db.session, current_actor(), action, form.version.data or 0, _values(v), today()),
        actions.ACTION_FIELDS, "followup/action_form.html",
        recommendation=action.recommendation, action=action)
    return _back(action.recommendation) if isinstance(result, FollowUpAction) else result


@bp.post("/actions/<int:action_id>/verify")
def action_verify(action_id: int) -> Any:
    authorize("followup.verify")
    action = get_or_404(FollowUpAction, action_id,
                        selectinload(FollowUpAction.recommendation))
    form = VerifyForm()
    if not form.validate_on_submit():
        flash(_("The page was out of date; open it again and verify."), "error")
    else:
        try:
            actions.verify_action(db.session, current_actor(), action, form.version.data or 0)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            flash(_("Follow-up action verified."), "success")
    return _back(action.recommendation)
