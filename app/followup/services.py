"""Events and their recommendations: create, edit, change a recommendation's status.

Every service validates everything first and names the field at fault, refuses a form opened
before someone else's save (``StaleEdit``), records the change in the audit trail and commits
once: a refused change writes nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.errors import ValidationFailed
from app.followup.models import (
    Event,
    EventOrganisation,
    EventRole,
    Recommendation,
    RecommendationTheme,
    Theme,
)
from app.followup.validation import Errors, check_url, organisation_labels, refuse_stale, require
from app.programmes.models import Project
from indicators.followup import RecommendationStatus

EVENT_FIELDS = ["title", "kind", "start_date", "end_date", "city", "country",
                "participants_total", "participants_women", "participants_men", "cost",
                "currency", "report_url", "description", "project_id"]
RECOMMENDATION_FIELDS = ["number", "title", "text", "addressees", "responsible_organisation_id",
                         "priority", "due_date", "focal_name", "focal_email",
                         "focal_organisation"]
# --- events --------------------------------------------------------------------------------


def _validate_event(session: Session, values: dict[str, Any], organisers: list[int],
                    funders: list[int]) -> dict[int, str]:
    errors = Errors()
    require(errors, values, "title", _l("Give the event a title."))
    require(errors, values, "start_date", _l("Give the date the event started."))
    require(errors, values, "end_date", _l("Give the date the event ended."))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.add("end_date", _l("The end date is before the start date."))
    country = values.get("country")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        errors.add("country", _l("Use a two-letter country code, e.g. KZ."))
    counts = {f: values.get(f) for f in
              ("participants_total", "participants_women", "participants_men")}
    for field, count in counts.items():
        if count is not None and count < 0:
            errors.add(field, _l("A number of participants cannot be negative."))
    total, women, men = counts.values()
    if total is not None and (women or 0) + (men or 0) > total:
        errors.add("participants_total",
                   _l("Women and men together are more than the total (%(n)d).", n=total))
    cost = values.get("cost")
    if cost is not None and cost < 0:
        errors.add("cost", _l("The cost cannot be negative."))
    currency = values.get("currency")
    if cost is not None and not currency:
        errors.add("currency", _l("Give the currency of the cost, e.g. EUR."))
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        errors.add("currency", _l("Use a three-letter ISO 4217 code, e.g. EUR."))
    check_url(errors, values, "report_url")
    project_id = values.get("project_id")
    if project_id is not None and session.get(Project, project_id) is None:
        errors.add("project_id", _l("This project does not exist."))
    labels = organisation_labels(session, organisers + funders)
    for field, ids in (("organiser_ids", organisers), ("funder_ids", funders)):
        if any(i not in labels for i in ids):
            errors.add(field, _l("One of the chosen organisations does not exist."))
    errors.raise_if_any()
    return labels


def _split_event_values(values: dict[str, Any]) -> tuple[dict[str, Any], list[int], list[int]]:
    values = dict(values)
    organisers = sorted(set(values.pop("organiser_ids", None) or []))
    funders = sorted(set(values.pop("funder_ids", None) or []))
    for key in ("country", "currency"):
        if values.get(key):
            values[key] = values[key].strip().upper()
    return values, organisers, funders


def _roles(event: Event, role: EventRole) -> list[int]:
    return sorted(p.organisation_id for p in event.participants if p.role is role)


def _set_organisations(event: Event, role: EventRole, wanted: list[int]) -> bool:
    have = {p.organisation_id: p for p in event.participants if p.role is role}
    for org_id, participant in have.items():
        if org_id not in wanted:
            event.participants.remove(participant)
    for org_id in wanted:
        if org_id not in have:
            event.participants.append(EventOrganisation(organisation_id=org_id, role=role))
    return sorted(have) != wanted


def _names(labels: dict[int, str], ids: list[int]) -> list[str]:
    return [labels.get(i, str(i)) for i in ids]


def create_event(session: Session, actor: Actor, values: dict[str, Any]) -> Event:
    """A new event, with its organisers (``organiser_ids``) and funders (``funder_ids``)."""
    values, organisers, funders = _split_event_values(values)
    labels = _validate_event(session, values, organisers, funders)
    event = Event(**values)
    _set_organisations(event, EventRole.ORGANISER, organisers)
    _set_organisations(event, EventRole.FUNDER, funders)
    session.add(event)
    session.flush()
    changes = audit.snapshot(event, EVENT_FIELDS)
    if organisers:
        changes["organisers"] = [None, _names(labels, organisers)]
    if funders:
        changes["funders"] = [None, _names(labels, funders)]
    audit.record(session, actor, "event.create", "event", event.id, changes)
    session.commit()
    return event


def event_current(event: Event) -> dict[str, Any]:
    """The stored values of an event, as a stale form shows them."""
    current = {f: getattr(event, f) for f in EVENT_FIELDS}
    for field, role in (("organiser_ids", EventRole.ORGANISER), ("funder_ids", EventRole.FUNDER)):
        names = [p.organisation.label for p in event.participants if p.role is role]
        current[field] = ", ".join(sorted(names))
    return current


def update_event(session: Session, actor: Actor, event: Event, version: int,
                 values: dict[str, Any]) -> Event:
    refuse_stale(event, version, event_current(event))
    values, organisers, funders = _split_event_values(values)
    labels = _validate_event(session, values, organisers, funders)
    before = {role: _roles(event, role) for role in EventRole}
    labels.update(organisation_labels(session, before[EventRole.ORGANISER]
                                      + before[EventRole.FUNDER]))
    changes = audit.apply_changes(event, values)
    for field, role, wanted in (("organisers", EventRole.ORGANISER, organisers),
                                ("funders", EventRole.FUNDER, funders)):
        if _set_organisations(event, role, wanted):
            changes[field] = [_names(labels, before[role]), _names(labels, wanted)]
    if changes:
        event.updated_at = utcnow()  # a change of organisers alone still bumps the version
        audit.record(session, actor, "event.update", "event", event.id, changes)
        session.commit()
    return event


# --- recommendations -----------------------------------------------------------------------


def _validate_recommendation(session: Session, event: Event, values: dict[str, Any],
                             exclude_id: int | None) -> None:
    errors = Errors()
    require(errors, values, "number", _l("Give the recommendation a number, e.g. 3 or 2.1."))
    require(errors, values, "text", _l("Give the text of the recommendation."))
    number = values.get("number")
    if number:
        query = sa.select(Recommendation.id).where(Recommendation.event_id == event.id,
                                                   Recommendation.number == number)
        if exclude_id is not None:
            query = query.where(Recommendation.id != exclude_id)
        if session.scalar(query) is not None:
            errors.add("number", _l("This event already has a recommendation %(n)s.", n=number))
    due = values.get("due_date")
    if due is not None and due < event.start_date:
        errors.add("due_date", _l("The due date is before the event."))
    org_id = values.get("responsible_organisation_id")
    if org_id is not None and not organisation_labels(session, [org_id]):
        errors.add("responsible_organisation_id", _l("This organisation does not exist."))
    _validate_focal_point(errors, values)
    errors.raise_if_any()


def _validate_focal_point(errors: Errors, values: dict[str, Any]) -> None:
    """A focal point has a name and an e-mail address, or neither."""
    email = values.get("focal_email")
    if email is not None:
        email = values["focal_email"] = email.strip()
        local, _at, domain = email.partition("@")
        if (not local or "." not in domain or len(email) > 254
                or any(c in email for c in "\r\n\t <>,;")):
            errors.add("focal_email", _l("%(address)s is not an e-mail address.",
                                         address=email))
    if values.get("focal_name") and not email:
        errors.add("focal_email", _l("Give the focal point's e-mail address: the report-back "
                                     "link is sent there."))
    if email and not values.get("focal_name"):
        errors.add("focal_name", _l("Give the focal point's name."))


def _split_themes(values: dict[str, Any]) -> tuple[dict[str, Any], list[Theme]]:
    values = dict(values)
    themes = sorted({Theme(t) for t in values.pop("themes", None) or []})
    return values, themes


def _set_themes(recommendation: Recommendation, themes: list[Theme]) -> list[list[str]] | None:
    return audit.apply_tags(recommendation, "themes", themes,
                            lambda theme: RecommendationTheme(theme=theme))


def create_recommendation(session: Session, actor: Actor, event: Event,
                          values: dict[str, Any]) -> Recommendation:
    values, themes = _split_themes(values)
    _validate_recommendation(session, event, values, None)
    last = session.scalar(sa.select(sa.func.max(Recommendation.position))
                          .where(Recommendation.event_id == event.id))
    recommendation = Recommendation(event_id=event.id, position=(last or 0) + 1, **values)
    _set_themes(recommendation, themes)
    session.add(recommendation)
    session.flush()
    changes = audit.snapshot(recommendation, ["event_id", *RECOMMENDATION_FIELDS, "status"])
    if themes:
        changes["themes"] = [None, [t.value for t in themes]]
    audit.record(session, actor, "recommendation.create", "recommendation", recommendation.id,
                 changes)
    session.commit()
    return recommendation


def recommendation_current(recommendation: Recommendation) -> dict[str, Any]:
    current = {f: getattr(recommendation, f) for f in RECOMMENDATION_FIELDS}
    current["themes"] = ", ".join(sorted(t.theme.value for t in recommendation.themes))
    current["status"] = recommendation.status
    current["status_note"] = recommendation.status_note
    return current


def update_recommendation(session: Session, actor: Actor, recommendation: Recommendation,
                          version: int, values: dict[str, Any]) -> Recommendation:
    refuse_stale(recommendation, version, recommendation_current(recommendation))
    values, themes = _split_themes(values)
    _validate_recommendation(session, recommendation.event, values, recommendation.id)
    changes = audit.apply_changes(recommendation, values)
    if (theme_change := _set_themes(recommendation, themes)) is not None:
        changes["themes"] = theme_change
    if changes:
        recommendation.updated_at = utcnow()
        audit.record(session, actor, "recommendation.update", "recommendation",
                     recommendation.id, changes)
        session.commit()
    return recommendation


def set_recommendation_status(session: Session, actor: Actor, recommendation: Recommendation,
                              version: int, status: RecommendationStatus,
                              note: str | None) -> Recommendation:
    """Record where a recommendation stands; "no longer applicable" needs a reason."""
    refuse_stale(recommendation, version, recommendation_current(recommendation))
    if status is RecommendationStatus.NO_LONGER_APPLICABLE and not note:
        raise ValidationFailed({"status_note": [
            _l("Say why the recommendation no longer applies: the reason stays on record.")]})
    changes = audit.apply_changes(recommendation, {"status": status, "status_note": note})
    if changes:
        audit.record(session, actor, "recommendation.status", "recommendation",
                     recommendation.id, changes)
        session.commit()
    return recommendation
