"""Events, recommendations, follow-up actions and the follow-up report.

The routes are spread over several modules that all register on ``bp``: this one (events
and recommendations), ``views_actions``, ``views_report``, ``views_links`` and
``views_reportback``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from app.auth.models import User
from app.auth.permissions import authorize
from app.cache import cached
from app.db import db
from app.errors import ServiceError, StaleEdit
from app.evidence import services as evidence_services
from app.evidence.models import SubjectKind
from app.followup import (  # noqa: F401
    links,
    reportback,
    services,
    views_actions,
    views_links,
    views_report,
    views_reportback,
)
from app.followup.assess import assess, settings_from
from app.followup.blueprint import bp
from app.followup.evidence import register_subjects
from app.followup.forms import EventForm, RecommendationForm, SendLinkForm, StatusForm
from app.followup.meetings import follow_up_meetings
from app.followup.models import (
    Event,
    EventKind,
    EventOrganisation,
    EventRole,
    FollowUpAction,
    Priority,
    Recommendation,
)
from app.followup.pages import page_number, project_choices, requested_as_of
from app.followup.portfolio import events_page
from app.followup.report import (
    ReportFilters,
    documented_of,
)
from app.followup.report_choices import filter_choices, organisation_choices
from app.programmes.models import Project
from app.web import current_actor, get_or_404, save_form
from indicators.followup import RecommendationStatus

register_subjects()


@bp.get("/")
def events() -> Any:
    authorize("followup.view")
    as_of, filters = requested_as_of(), ReportFilters.from_args(request.args)
    settings, number = settings_from(), page_number()
    size = int(current_app.config["PAGE_SIZE"])
    # The same for every reader allowed to see it; a committed write changes its key.
    page = cached("followup.events_page", (as_of, settings, filters, number, size),
                  lambda: events_page(db.session, as_of, settings, filters, number, size))
    return render_template("followup/events.html", page=page, filters=filters, as_of=as_of,
                           choices=filter_choices(db.session))


def _event_form(event: Event | None = None, **kwargs: Any) -> EventForm:
    form = EventForm(obj=event, **kwargs)
    orgs = organisation_choices(db.session)
    form.organiser_ids.choices = orgs
    form.funder_ids.choices = orgs
    form.project_id.choices = project_choices()
    if event is not None and request.method == "GET":
        form.kind.data = event.kind.value
        form.organiser_ids.data = [p.organisation_id for p in event.participants
                                   if p.role is EventRole.ORGANISER]
        form.funder_ids.data = [p.organisation_id for p in event.participants
                                if p.role is EventRole.FUNDER]
    return form


def _event_values(values: dict[str, Any]) -> dict[str, Any]:
    values["kind"] = EventKind(values["kind"])
    return values


@bp.route("/events/new", methods=["GET", "POST"])
def event_new() -> Any:
    authorize("followup.edit")
    form = _event_form(version=0)
    result = save_form(form, lambda v: services.create_event(
        db.session, current_actor(), _event_values(v)), [*services.EVENT_FIELDS,
        "organiser_ids", "funder_ids"], "followup/event_form.html", event=None)
    if isinstance(result, Event):
        return redirect(url_for(".event_detail", event_id=result.id))
    return result


def _load_event(event_id: int) -> Event:
    return get_or_404(
        Event, event_id,
        selectinload(Event.participants).joinedload(EventOrganisation.organisation),
        selectinload(Event.recommendations).selectinload(Recommendation.actions),
        selectinload(Event.recommendations).selectinload(Recommendation.themes),
        selectinload(Event.recommendations).joinedload(Recommendation.responsible_organisation),
    )


def _people(actions: list[FollowUpAction]) -> dict[str, dict[int, Any]]:
    """Verifiers, linked projects and activities of the actions shown, one query each."""
    from app.monitoring.models import Activity

    wanted: dict[str, tuple[Any, set[int | None]]] = {
        "users": (User, {a.verified_by_id for a in actions}),
        "projects": (Project, {a.project_id for a in actions}),
        "activities": (Activity, {a.activity_id for a in actions}),
    }
    found: dict[str, dict[int, Any]] = {}
    for key, (model, ids) in wanted.items():
        ids.discard(None)
        found[key] = ({o.id: o for o in db.session.scalars(
            sa.select(model).where(model.id.in_(ids)))} if ids else {})
    return found


@bp.get("/events/<int:event_id>")
def event_detail(event_id: int) -> Any:
    authorize("followup.view")
    event = _load_event(event_id)
    as_of = requested_as_of()
    assessment = assess(event, as_of, settings_from())
    actions = [a for r in event.recommendations for a in r.actions]
    project = db.session.get(Project, event.project_id) if event.project_id else None
    evidence = evidence_services.count_many(db.session, {
        SubjectKind.EVENT: [event.id],
        SubjectKind.RECOMMENDATION: [r.id for r in event.recommendations],
        SubjectKind.ACTION: [a.id for a in actions]})
    return render_template("followup/event_detail.html", event=event, a=assessment,
                           as_of=as_of, project=project, linked=_people(actions),
                           evidence=evidence,
                           documented=documented_of(db.session, event.id, as_of),
                           recurring=links.recurring_ids(db.session),
                           meetings=follow_up_meetings(db.session, event, as_of,
                                                       assessment.settings))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int) -> Any:
    authorize("followup.edit")
    event = _load_event(event_id)
    form = _event_form(event)
    result = save_form(form, lambda v: services.update_event(
        db.session, current_actor(), event, form.version.data or 0, _event_values(v)),
        [*services.EVENT_FIELDS, "organiser_ids", "funder_ids"], "followup/event_form.html",
        event=event)
    if isinstance(result, Event):
        return redirect(url_for(".event_detail", event_id=event.id))
    return result


# --- recommendations ------------------------------------------------------------------------


def _recommendation_form(recommendation: Recommendation | None = None,
                         **kwargs: Any) -> RecommendationForm:
    form = RecommendationForm(obj=recommendation, **kwargs)
    form.responsible_organisation_id.choices = [SelectChoice("", _("— none —")),
                                                *organisation_choices(db.session)]
    if recommendation is not None and request.method == "GET":
        form.priority.data = recommendation.priority.value
        form.themes.data = [t.theme.value for t in recommendation.themes]
    return form


def _recommendation_values(values: dict[str, Any]) -> dict[str, Any]:
    values["priority"] = Priority(values["priority"])
    return values


FIELDS = [*services.RECOMMENDATION_FIELDS, "themes"]


@bp.route("/events/<int:event_id>/recommendations/new", methods=["GET", "POST"])
def recommendation_new(event_id: int) -> Any:
    authorize("followup.edit")
    event = get_or_404(Event, event_id)
    form = _recommendation_form(version=0)
    result = save_form(form, lambda v: services.create_recommendation(
        db.session, current_actor(), event, _recommendation_values(v)), FIELDS,
        "followup/recommendation_form.html", event=event, recommendation=None)
    if isinstance(result, Recommendation):
        return redirect(url_for(".event_detail", event_id=event.id,
                                _anchor=f"rec-{result.id}"))
    return result


def _load_recommendation(recommendation_id: int) -> Recommendation:
    return get_or_404(
        Recommendation, recommendation_id, selectinload(Recommendation.actions),
        selectinload(Recommendation.themes), selectinload(Recommendation.event),
        selectinload(Recommendation.responsible_organisation))


@bp.get("/recommendations/<int:recommendation_id>")
def recommendation_detail(recommendation_id: int) -> Any:
    authorize("followup.view")
    recommendation = _load_recommendation(recommendation_id)
    return _render_recommendation(recommendation, StatusForm(obj=recommendation))


def _render_recommendation(recommendation: Recommendation, status_form: StatusForm,
                           current: dict[str, Any] | None = None, code: int = 200,
                           send_form: SendLinkForm | None = None) -> Any:
    as_of = requested_as_of()
    if request.method == "GET":
        status_form.status.data = recommendation.status.value
    return render_template(
        "followup/recommendation_detail.html", recommendation=recommendation,
        event=recommendation.event, as_of=as_of, status_form=status_form, current=current,
        chain=links.chain_of(db.session, recommendation.id, as_of),
        linked=_people(list(recommendation.actions)),
        evidence=evidence_services.count_many(db.session, {
            SubjectKind.RECOMMENDATION: [recommendation.id],
            SubjectKind.ACTION: [a.id for a in recommendation.actions]}),
        send_form=send_form or SendLinkForm(),
        report_links=reportback.links_of(db.session, recommendation.id),
        link_state=lambda link: reportback.state_of(link).value), code


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
def recommendation_edit(recommendation_id: int) -> Any:
    authorize("followup.edit")
    recommendation = _load_recommendation(recommendation_id)
    form = _recommendation_form(recommendation)
    result = save_form(form, lambda v: services.update_recommendation(
        db.session, current_actor(), recommendation, form.version.data or 0,
        _recommendation_values(v)), FIELDS, "followup/recommendation_form.html",
        event=recommendation.event, recommendation=recommendation)
    if isinstance(result, Recommendation):
        return redirect(url_for(".recommendation_detail", recommendation_id=recommendation.id))
    return result


@bp.post("/recommendations/<int:recommendation_id>/status")
def recommendation_status(recommendation_id: int) -> Any:
    authorize("followup.edit")
    recommendation = _load_recommendation(recommendation_id)
    form = StatusForm()
    current, code = None, 422
    if form.validate_on_submit():
        try:
            services.set_recommendation_status(
                db.session, current_actor(), recommendation, form.version.data or 0,
                RecommendationStatus(form.status.data), (form.status_note.data or "").strip()
                or None)
        except StaleEdit as exc:
            db.session.rollback()
            form.apply_error(exc)
            current, code = exc.current, 409
        except ServiceError as exc:
            db.session.rollback()
            form.apply_error(exc)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".recommendation_detail",
                                    recommendation_id=recommendation.id))
    return _render_recommendation(recommendation, form, current, code)
