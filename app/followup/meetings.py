"""The follow-up meetings of an event that PVE Track follows as events of their own, each with
its own verdict: an event "followed up" by further workshops that are themselves talk shops
shows the chain ("Ashgabat 2011 → Phase II workshops: talk shops")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.followup.models import ActionKind, Event
from app.followup.report import STATUS, figures_query
from indicators.followup import FollowUpSettings, FollowUpStatus


@dataclass(frozen=True)
class FollowUpMeeting:
    event_id: int
    title: str
    status: FollowUpStatus


def follow_up_meetings(session: Session, event: Event, as_of: dt.date,
                       settings: FollowUpSettings) -> list[FollowUpMeeting]:
    """The events held in follow-up of ``event`` by the date, with their verdicts (one query;
    each verdict is the rule's own, so a chain that loops back cannot recurse)."""
    ids = {action.linked_event_id for recommendation in event.recommendations
           for action in recommendation.actions
           if action.linked_event_id and action.linked_event_id != event.id
           and action.kind == ActionKind.MEETING_HELD
           and action.action_date is not None and event.end_date < action.action_date <= as_of}
    if not ids:
        return []
    judged = figures_query(as_of, settings).subquery()
    rows = session.execute(sa.select(judged.c.id, judged.c.title, judged.c.status)
                           .where(judged.c.id.in_(ids)).order_by(judged.c.start_date))
    return [FollowUpMeeting(row.id, row.title, STATUS[row.status]) for row in rows]
