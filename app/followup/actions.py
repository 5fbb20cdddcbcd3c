"""Follow-up actions: record what was done (or promised) about a recommendation, and verify it.

Only a *done* action counts as follow-up, so a done action needs the date it was done, and
that date cannot lie in the future. Verification is a manager's statement that the evidence
was checked: it needs evidence (a link, or the source document the record rests on), and it
lapses when the action is changed afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.db import utcnow
from app.errors import NotAllowed, ServiceError
from app.evidence.models import EvidenceFile, SubjectKind
from app.followup.models import ActionKind, Event, FollowUpAction, Recommendation
from app.followup.validation import Errors, check_url, refuse_stale, require
from app.monitoring.models import Activity
from app.programmes.models import Project
from indicators.followup import ActionState

ACTION_FIELDS = ["action_date", "kind", "state", "description", "actor", "evidence_url",
                 "project_id", "activity_id", "linked_event_id"]


def _validate(session: Session, values: dict[str, Any], today: dt.date) -> None:
    errors = Errors()
    require(errors, values, "description", _l("Say what was done or promised."))
    when = values.get("action_date")
    if values.get("state") is ActionState.DONE:
        if when is None:
            errors.add("action_date", _l("Give the date it was done: only a dated action "
                                         "counts as follow-up."))
        elif when > today:
            errors.add("action_date", _l("A done action cannot be dated in the future; record "
                                         "it as planned until it has happened."))
    check_url(errors, values, "evidence_url")
    project_id, activity_id = values.get("project_id"), values.get("activity_id")
    if project_id is not None and session.get(Project, project_id) is None:
        errors.add("project_id", _l("This project does not exist."))
    if activity_id is not None:
        activity = session.get(Activity, activity_id)
        if activity is None:
            errors.add("activity_id", _l("This activity does not exist."))
        elif project_id is None:
            values["project_id"] = activity.project_id
        elif activity.project_id != project_id:
            errors.add("activity_id", _l("This activity belongs to another project."))
    linked = values.get("linked_event_id")
    if linked is not None:
        if session.get(Event, linked) is None:
            errors.add("linked_event_id", _l("This event does not exist."))
        elif values.get("kind") is not ActionKind.MEETING_HELD:
            errors.add("linked_event_id", _l("Only a meeting or event held is itself an event."))
    errors.raise_if_any()


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def record_action(session: Session, actor: Actor, recommendation: Recommendation,
                  values: dict[str, Any], today: dt.date | None = None) -> FollowUpAction:
    """A new action on ``recommendation``; ``today`` bounds the date of a done action."""
    values = dict(values)
    _validate(session, values, _today(today))
    action = FollowUpAction(recommendation_id=recommendation.id,
                            recorded_by_id=actor.user_id, **values)
    session.add(action)
    session.flush()
    audit.record(session, actor, "followup_action.create", "followup_action", action.id,
                 {"recommendation_id": [None, recommendation.id],
                  **audit.snapshot(action, ACTION_FIELDS)})
    session.commit()
    return action


def action_current(action: FollowUpAction) -> dict[str, Any]:
    return {f: getattr(action, f) for f in ACTION_FIELDS}


def update_action(session: Session, actor: Actor, action: FollowUpAction, version: int,
                  values: dict[str, Any], today: dt.date | None = None) -> FollowUpAction:
    """Change an action; a verified action that changes is no longer verified."""
    refuse_stale(action, version, action_current(action))
    values = dict(values)
    _validate(session, values, _today(today))
    changes = audit.apply_changes(action, values)
    if changes and action.verified_at is not None:
        changes.update(audit.apply_changes(action, {"verified_by_id": None, "verified_at": None}))
    if changes:
        audit.record(session, actor, "followup_action.update", "followup_action", action.id,
                     changes)
        session.commit()
    return action


def _has_files(session: Session, action: FollowUpAction) -> bool:
    return session.scalar(sa.select(EvidenceFile.id).where(
        EvidenceFile.subject_kind == SubjectKind.ACTION,
        EvidenceFile.subject_id == action.id).limit(1)) is not None


def verify_action(session: Session, actor: Actor, action: FollowUpAction, version: int,
                  now: dt.datetime | None = None) -> FollowUpAction:
    """Record that ``actor`` checked the evidence of a done action, and when."""
    refuse_stale(action, version, action_current(action))
    if actor.user_id is None or session.get(User, actor.user_id) is None:
        raise NotAllowed(_l("Only a signed-in manager can verify a follow-up action."))
    if action.state is not ActionState.DONE:
        raise ServiceError(_l("A planned action is a promise: record it as done, with its "
                              "date, before verifying it."), "state")
    if action.verified_at is not None:
        raise ServiceError(_l("This action is already verified."))
    if action.rejected_at is not None:
        raise ServiceError(_l("This reported action was rejected; it cannot be verified."))
    if not action.evidence_url and not action.source_document and not _has_files(session,
                                                                               action):
        raise ServiceError(_l("Add an evidence link first: verifying means the evidence was "
                              "checked."), "evidence_url")
    changes = audit.apply_changes(action, {"verified_by_id": actor.user_id,
                                           "verified_at": now or utcnow()})
    audit.record(session, actor, "followup_action.verify", "followup_action", action.id,
                 changes)
    session.commit()
    return action


def reject_action(session: Session, actor: Actor, action: FollowUpAction, version: int,
                  reason: str | None, now: dt.datetime | None = None) -> FollowUpAction:
    """Refuse an action reported through a report-back link, with the reason on record; it
    stays listed as rejected and never counts as follow-up."""
    refuse_stale(action, version, action_current(action))
    if actor.user_id is None or session.get(User, actor.user_id) is None:
        raise NotAllowed(_l("Only a signed-in manager can reject a reported action."))
    if action.report_back_link_id is None:
        raise ServiceError(_l("Only an action reported through a report-back link can be "
                              "rejected; change or verify this one."))
    if action.verified_at is not None:
        raise ServiceError(_l("This action is already verified."))
    if action.rejected_at is not None:
        raise ServiceError(_l("This reported action is already rejected."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Say why the report is rejected: the reason stays on record."),
                           "reason")
    changes = audit.apply_changes(action, {"rejected_by_id": actor.user_id,
                                           "rejected_at": now or utcnow(),
                                           "rejection_reason": reason})
    audit.record(session, actor, "followup_action.reject", "followup_action", action.id,
                 changes, reason=reason)
    session.commit()
    return action
