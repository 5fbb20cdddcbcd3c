"""The API's writes: a period's values (a batch, all or nothing), activities and follow-up
actions, through the services of the pages, with their rules and audit records. A change to
an existing record carries the version it was read at in ``If-Match``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask import g, request
from flask_babel import gettext as _

from app.api import schemas as s
from app.api.access import actor, allowed, visible, writing
from app.api.blueprint import bp, write
from app.api.paging import answer
from app.api.problems import ApiProblem
from app.api.views_read import activity_model
from app.auth.permissions import can_change_own
from app.db import db
from app.errors import NotAllowed, ServiceError, StaleEdit, ValidationFailed
from app.followup import actions as action_services
from app.followup.assess import today
from app.followup.models import ActionKind, FollowUpAction, Recommendation
from app.frameworks.indicator_services import total_category_id
from app.frameworks.models import PeriodState, ReportingPeriod
from app.monitoring import activities as activity_services
from app.monitoring import entry
from app.monitoring.grid import FIELDS, build_grid
from app.monitoring.models import Activity, AgeGroup, DataValue, Sex
from app.programmes.models import Project
from indicators.followup import ActionState


def if_match() -> int:
    """The record version in ``If-Match`` (``"3"`` or ``3``); 428 when it is missing."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise ApiProblem(428, _("Send the version of the record you changed in If-Match, "
                                "e.g. If-Match: \"3\"."))
    text = raw.removeprefix("W/").strip('"')
    if not text.isdigit() or int(text) > 2**31:
        raise ApiProblem(412, _("If-Match %(value)s is not a version of this record.",
                                  value=raw[:40]))
    return int(text)


def refused(exc: ServiceError) -> ApiProblem:
    """A service's refusal in the API's terms."""
    db.session.rollback()
    if isinstance(exc, StaleEdit):
        return ApiProblem(412, str(exc.message), title="Precondition Failed")
    if isinstance(exc, NotAllowed):
        return ApiProblem(403, str(exc.message))
    if isinstance(exc, ValidationFailed):
        return ApiProblem(422, _("Nothing was saved: %(reason)s", reason=exc.message), errors=[
            {"field": name or None, "detail": str(message)}
            for name, messages in exc.errors.items() for message in messages])
    if exc.field:
        return ApiProblem(422, str(exc.message), errors=[{"field": exc.field,
                                                          "detail": str(exc.message)}])
    return ApiProblem(409, str(exc.message))


# --- values -----------------------------------------------------------------------------

@bp.put("/periods/<int:period_id>/values")
@write(s.ValuesSaved, json=s.ValuesBatch, tags=("data",))
def save_values(period_id: int, json: s.ValuesBatch) -> Any:
    """Save a period's values: every row is checked by the rules of the data entry grid, and
    one refused row saves nothing. Each row carries the version of the value it replaces
    (0 for a new one); a value someone saved meanwhile refuses the batch (412)."""
    writing()
    period = db.session.get(ReportingPeriod, period_id)
    visible("data.view", period.project if period else None)
    assert period is not None
    allowed("data.enter", period.project)
    grid = build_grid(db.session, period)
    total = total_category_id(db.session)
    posted: dict[str, entry.Posted] = {}
    index: dict[str, int] = {}
    errors: list[dict[str, Any]] = []
    for number, row in enumerate(json.rows):
        key = f"{row.indicator_id}-{row.category_id or total}"
        found = grid.row(key)
        if row.version is None:
            raise ApiProblem(428, _("Row %(row)d has no version: give the version of "
                                    "the value it replaces, 0 for a new value.", row=number))
        if found is None:
            errors.append({"row": number, "field": "indicator_id", "detail":
                           _("No such indicator and category in this period.")})
        elif found.computed is not None:
            errors.append({"row": number, "field": "indicator_id", "detail":
                           _("This value is counted from the activity log, not entered.")})
        elif key in posted:
            errors.append({"row": number, "field": "indicator_id", "detail":
                           _("The same indicator and category as row %(row)d.",
                             row=index[key])})
        else:
            raw = row.model_dump()
            posted[key] = entry.Posted({f: raw.get(f) or "" for f in FIELDS}, row.version, None)
            index[key] = number
    if errors:
        raise ApiProblem(422, _("Nothing was saved: correct the rows listed."), errors=errors)
    try:
        saved = entry.save_values(db.session, actor(), period, posted, grid)
    except entry.GridRefused as exc:
        db.session.rollback()
        if exc.conflicts:
            raise ApiProblem(412, _("Someone else saved some of these values since you "
                                    "read them; nothing was saved. Read them again."), errors=[
                {"row": index[key], "field": "version",
                 "detail": _("now at version %(n)d", n=conflict["version"])}
                for key, conflict in exc.conflicts.items()]) from None
        raise ApiProblem(422, str(exc.message), errors=[
            {"row": index[key], "detail": str(message)}
            for key, messages in exc.errors.items() for message in messages]) from None
    except ServiceError as exc:
        raise refused(exc) from None
    stored = db.session.scalars(sa.select(DataValue).where(
        DataValue.period_id == period.id).order_by(DataValue.id))
    keys = set(posted)
    values = [s.Value.model_validate({
        **{c.key: getattr(v, c.key) for c in sa.inspect(v).mapper.column_attrs},
        "provisional": period.state != PeriodState.APPROVED})
        for v in stored if f"{v.indicator_id}-{v.category_id}" in keys]
    return answer(s.ValuesSaved(period_id=period.id, saved=saved, values=values))


# --- activities -------------------------------------------------------------------------

def _number(raw: str | None, field: str) -> Decimal | None:
    if raw is None or not raw.strip():
        return None
    try:
        return Decimal(raw.strip())
    except InvalidOperation:
        raise ApiProblem(422, f"{field}: “{raw[:40]}” is not a number.",
                         errors=[{"field": field, "detail": "not a number"}]) from None


def _activity_values(body: s.ActivityIn) -> tuple[dict[str, Any], Any]:
    counts: dict[tuple[Sex, AgeGroup], int] = {}
    problems = []
    for number, item in enumerate(body.participants):
        try:
            counts[(Sex(item.sex), AgeGroup(item.age_group))] = item.count
        except ValueError:
            problems.append({"row": number, "field": "participants", "detail":
                             _("Unknown sex or age group: %(value)s",
                               value=f"{item.sex[:20]}/{item.age_group[:20]}")})
    if problems:
        raise ApiProblem(422, _("Nothing was saved: correct the participants listed."),
                         errors=problems)
    values = body.model_dump(exclude={"participants"})
    values["cost"] = _number(body.cost, "cost")
    return values, counts


@bp.post("/projects/<int:project_id>/activities")
@write(s.Activity, json=s.ActivityIn, status=201, tags=("data",))
def create_activity(project_id: int, json: s.ActivityIn) -> Any:
    """Add an activity to the project's log."""
    writing()
    project = db.session.get(Project, project_id)
    visible("data.view", project)
    assert project is not None
    allowed("activity.record", project)
    values, counts = _activity_values(json)
    try:
        activity = activity_services.create_activity(db.session, actor(), project, values,
                                                     counts)
    except ServiceError as exc:
        raise refused(exc) from None
    return answer(activity_model(activity), 201)


@bp.put("/activities/<int:activity_id>")
@write(s.Activity, json=s.ActivityIn, tags=("data",))
def update_activity(activity_id: int, json: s.ActivityIn) -> Any:
    """Change an activity; If-Match carries the version it was read at."""
    writing()
    activity = db.session.get(Activity, activity_id)
    project = db.session.get(Project, activity.project_id) if activity else None
    visible("data.view", project)
    allowed("activity.record", project)
    assert activity is not None
    version = if_match()
    values, counts = _activity_values(json)
    try:
        activity = activity_services.update_activity(db.session, actor(), activity, version,
                                                     values, counts)
    except ServiceError as exc:
        raise refused(exc) from None
    return answer(activity_model(activity))


# --- follow-up actions ------------------------------------------------------------------

def _action_values(body: s.ActionIn, action: FollowUpAction | None = None) -> dict[str, Any]:
    """The fields of the body; the links to a project, activity or event (set on the pages)
    stay as they are."""
    values: dict[str, Any] = body.model_dump()
    problems = []
    try:
        values["kind"] = ActionKind(body.kind)
    except ValueError:
        problems.append({"field": "kind", "detail": _("Unknown value: %(v)s", v=body.kind[:40])})
    try:
        values["state"] = ActionState(body.state)
    except ValueError:
        problems.append({"field": "state", "detail": _("Unknown value: %(v)s", v=body.state[:40])})
    if problems:
        raise ApiProblem(422, _("Nothing was saved: correct the fields listed."),
                         errors=problems)
    for name in ("description", "actor", "evidence_url"):
        if isinstance(values[name], str):
            values[name] = values[name].strip() or None
    for name in ("project_id", "activity_id", "linked_event_id"):
        values[name] = getattr(action, name) if action is not None else None
    return values


@bp.post("/recommendations/<int:recommendation_id>/followup-actions")
@write(s.FollowUpAction, json=s.ActionIn, status=201, tags=("follow-up",))
def create_action(recommendation_id: int, json: s.ActionIn) -> Any:
    """Record a follow-up action on a recommendation."""
    writing()
    recommendation = db.session.get(Recommendation, recommendation_id)
    visible("followup.view", recommendation)
    assert recommendation is not None
    allowed("followup.record", recommendation.event)
    try:
        action = action_services.record_action(db.session, actor(), recommendation,
                                               _action_values(json), today())
    except ServiceError as exc:
        raise refused(exc) from None
    return answer(s.FollowUpAction.model_validate(action), 201)


@bp.put("/followup-actions/<int:action_id>")
@write(s.FollowUpAction, json=s.ActionIn, tags=("follow-up",))
def update_action(action_id: int, json: s.ActionIn) -> Any:
    """Change a follow-up action (others' actions: managers only); If-Match carries its
    version. A verified action that changes is no longer verified."""
    writing()
    action = db.session.get(FollowUpAction, action_id)
    visible("followup.view", action)
    assert action is not None
    if not can_change_own(g.user, "followup.record", action.recommendation.event,
                          action.recorded_by_id):
        raise ApiProblem(403, _("Only managers change follow-up actions others recorded."))
    version = if_match()
    try:
        action = action_services.update_action(db.session, actor(), action, version,
                                               _action_values(json, action), today())
    except ServiceError as exc:
        raise refused(exc) from None
    return answer(s.FollowUpAction.model_validate(action))
