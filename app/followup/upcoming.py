"""Recommendations coming due with nothing done yet, and the follow-up verified most
recently: what a manager's dashboard shows beside the verdicts.

A recommendation is due on its own due date, or else on its event's end plus the grace period
(the follow-up rule's own definition, ``indicators.followup.due_date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from app.followup.models import Event, FollowUpAction, Recommendation
from indicators.followup import ActionState, FollowUpSettings, RecommendationStatus, due_date

CLOSED = (RecommendationStatus.IMPLEMENTED, RecommendationStatus.NO_LONGER_APPLICABLE)


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def due_of(settings: FollowUpSettings) -> Callable[[Recommendation], dt.date]:
    """The day a loaded recommendation is due, by the rule."""
    return lambda r: r.due_date or due_date(r.event.end_date, settings)


def due_soon_query(today: dt.date, within: int, settings: FollowUpSettings) -> sa.Select[Any]:
    """Recommendations due from today to ``within`` days ahead, not closed, with no done
    action, soonest first (the event loaded with each)."""
    last = _shift(today, within)
    own = sa.and_(Recommendation.due_date.is_not(None), Recommendation.due_date >= today,
                  Recommendation.due_date <= last)
    by_grace = sa.and_(Recommendation.due_date.is_(None),
                       Event.end_date >= _shift(today, -settings.grace_days),
                       Event.end_date <= _shift(last, -settings.grace_days))
    done = sa.exists().where(FollowUpAction.recommendation_id == Recommendation.id,
                             FollowUpAction.state == ActionState.DONE,
                             FollowUpAction.rejected_at.is_(None))
    due = sa.func.coalesce(Recommendation.due_date, Event.end_date)
    return (sa.select(Recommendation).join(Event, Event.id == Recommendation.event_id)
            .options(contains_eager(Recommendation.event),
                     joinedload(Recommendation.responsible_organisation))
            .where(sa.or_(own, by_grace), sa.not_(done),
                   Recommendation.status.not_in(CLOSED))
            .order_by(due, Recommendation.id))


def recently_verified_query() -> sa.Select[FollowUpAction, Recommendation, Event]:
    """Follow-up actions by the time they were verified, latest first."""
    return (sa.select(FollowUpAction, Recommendation, Event)
            .join(Recommendation, Recommendation.id == FollowUpAction.recommendation_id)
            .join(Event, Event.id == Recommendation.event_id)
            .where(FollowUpAction.verified_at.is_not(None),
                   FollowUpAction.state == ActionState.DONE)
            .order_by(FollowUpAction.verified_at.desc(), FollowUpAction.id.desc()))
