"""The activity log: what a project did, when, where, for whom and at what cost.

An activity counts in the reporting period its start date falls in; a change that would move
a count into or out of an approved (locked) period is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import records
from app.audit import Actor
from app.errors import ValidationFailed
from app.frameworks.models import ActivityKind
from app.frameworks.services import check_result
from app.monitoring import periods
from app.monitoring.models import Activity, ActivityParticipants, AgeGroup, Sex
from app.programmes.models import Project

ACTIVITY_FIELDS = ["kind", "title", "description", "start_date", "end_date", "country", "place",
                   "result_id", "cost"]
Participants = dict[tuple[Sex, AgeGroup], int]


def participants_of(activity: Activity) -> Participants:
    return {(p.sex, p.age_group): p.count for p in activity.participants}


def participants_text(counts: Participants) -> str | None:
    """"female/15_24: 12, male/15_24: 9", for the audit trail."""
    parts = [f"{sex.value}/{age.value}: {n}" for (sex, age), n in sorted(counts.items()) if n]
    return ", ".join(parts) or None


def check_values(values: dict[str, Any], participants: Participants) -> dict[str, Any]:
    """Normalise and check an activity's fields; raise ``ValidationFailed`` naming them."""
    values = {f: values.get(f) for f in ACTIVITY_FIELDS}
    errors: dict[str, list[Any]] = {}
    try:
        values["kind"] = ActivityKind(values["kind"])
    except ValueError:
        errors["kind"] = [_l("Unknown value: %(v)s", v=values["kind"])]
    title = (values["title"] or "").strip()
    values["title"] = title or None
    if not title:
        errors["title"] = [_l("This field is required.")]
    start, end = values["start_date"], values["end_date"]
    if not isinstance(start, date):
        errors["start_date"] = [_l("This field is required.")]
    elif isinstance(end, date) and end < start:
        errors["end_date"] = [_l("The end date is before the start date.")]
    country = (values["country"] or "").strip().upper() or None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        errors["country"] = [_l("Use a two-letter code.")]
    values["country"] = country
    cost = values["cost"]
    if cost is not None and (not isinstance(cost, Decimal) or not cost.is_finite() or cost < 0):
        errors["cost"] = [_l("Give a cost of zero or more.")]
    if any(n is None or n < 0 for n in participants.values()):
        errors["participants"] = [_l("Give numbers of participants of zero or more.")]
    if errors:
        raise ValidationFailed(errors)
    return values


def set_participants(activity: Activity, counts: Participants) -> None:
    existing = {(p.sex, p.age_group): p for p in activity.participants}
    for key, row in existing.items():
        if not counts.get(key):
            activity.participants.remove(row)
    for (sex, age), n in counts.items():
        if not n:
            continue
        if (sex, age) in existing:
            existing[(sex, age)].count = n
        else:
            activity.participants.append(ActivityParticipants(sex=sex, age_group=age, count=n))


def create_activity(session: Session, actor: Actor, project: Project, values: dict[str, Any],
                    participants: Participants) -> Activity:
    values = check_values(values, participants)
    check_result(session, project, values["result_id"])
    periods.assert_days_unlocked(session, project.id, [values["start_date"]])
    activity = Activity(project_id=project.id, recorded_by_id=actor.user_id, **values)
    set_participants(activity, participants)
    extra = {"project_id": [None, project.id],
             "participants": [None, participants_text(participants)]}
    return records.create(session, actor, activity, "activity", ACTIVITY_FIELDS, extra)


def update_activity(session: Session, actor: Actor, activity: Activity, version: int | None,
                    values: dict[str, Any], participants: Participants) -> Activity:
    project = session.get_one(Project, activity.project_id)
    values = check_values(values, participants)
    check_result(session, project, values["result_id"])
    records.check_version(activity, version, ACTIVITY_FIELDS)
    periods.assert_days_unlocked(session, project.id, [activity.start_date,
                                                       values["start_date"]])
    old, new = participants_text(participants_of(activity)), participants_text(participants)
    extra = {"participants": [old, new]} if old != new else None
    if extra:
        set_participants(activity, participants)
    return records.update(session, actor, activity, "activity", ACTIVITY_FIELDS, version,
                          values, extra)


def delete_activity(session: Session, actor: Actor, activity: Activity,
                    version: int | None) -> None:
    periods.assert_days_unlocked(session, activity.project_id, [activity.start_date])
    records.delete(session, actor, activity, "activity", ACTIVITY_FIELDS, version)


def project_activities(project_id: int, kind: ActivityKind | None = None) -> sa.Select[Any]:
    """The project's activities, newest first, with their participant total."""
    total = (sa.select(sa.func.coalesce(sa.func.sum(ActivityParticipants.count), 0))
             .where(ActivityParticipants.activity_id == Activity.id).scalar_subquery())
    query = (sa.select(Activity, total.label("participants"))
             .where(Activity.project_id == project_id)
             .order_by(Activity.start_date.desc(), Activity.id.desc()))
    if kind is not None:
        query = query.where(Activity.kind == kind)
    return query
