"""The follow-up records that take evidence files: an event (its report, its outcome
document), a recommendation, and a follow-up action (the decree, the funding letter, the
published study). Registered with ``app.evidence.subjects`` when the pages load."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy.orm import Session, joinedload

from app.evidence.models import SubjectKind
from app.evidence.subjects import Subject, register
from app.followup.models import Event, FollowUpAction, Recommendation


def _event(session: Session, event_id: int, _part: int | None) -> Any:
    return session.get(Event, event_id)


def _recommendation(session: Session, recommendation_id: int, _part: int | None) -> Any:
    return session.get(Recommendation, recommendation_id,
                       options=[joinedload(Recommendation.event)])


def _action(session: Session, action_id: int, _part: int | None) -> Any:
    return session.get(FollowUpAction, action_id, options=[
        joinedload(FollowUpAction.recommendation).joinedload(Recommendation.event)])


def _recommendation_label(r: Recommendation) -> str:
    return f"{r.number} {r.title or r.text[:120]} · {r.event.title}"


def register_subjects() -> None:
    register(Subject(
        kind=SubjectKind.EVENT, load=_event,
        view_action="followup.view", attach_action="followup.edit",
        label=lambda e: e.title,
        url=lambda e: url_for("followup.event_detail", event_id=e.id),
        project_id=lambda e: e.project_id))
    register(Subject(
        kind=SubjectKind.RECOMMENDATION, load=_recommendation,
        view_action="followup.view", attach_action="followup.edit",
        label=_recommendation_label,
        url=lambda r: url_for("followup.recommendation_detail", recommendation_id=r.id),
        project_id=lambda r: r.event.project_id, target=lambda r: r.event))
    register(Subject(
        kind=SubjectKind.ACTION, load=_action,
        view_action="followup.view", attach_action="followup.record",
        label=lambda a: " · ".join(part for part in (
            a.action_date.isoformat() if a.action_date else "", a.description[:120],
            _recommendation_label(a.recommendation)) if part),
        url=lambda a: url_for("followup.recommendation_detail",
                              recommendation_id=a.recommendation_id, _anchor=f"action-{a.id}"),
        project_id=lambda a: a.recommendation.event.project_id,
        target=lambda a: a.recommendation.event))
