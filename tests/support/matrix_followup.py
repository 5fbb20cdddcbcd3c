"""Role matrix rows of the follow-up pages (events are not project-scoped)."""

from __future__ import annotations

from typing import Any

from app.followup.models import LinkState
from seed.factories import (
    EventFactory,
    FollowUpActionFactory,
    RecommendationFactory,
    RecommendationLinkFactory,
)

A, F, L = "allowed", "forbidden", "login"
SIGNED_IN = (L, A, A, A, A)
STAFF = (L, A, A, F, F)
RECORDERS = (L, A, A, A, F)  # admins, managers and officers record follow-up actions

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "followup.events": {"GET": SIGNED_IN},
    "followup.event_new": {"GET": STAFF, "POST": STAFF},
    "followup.event_detail": {"GET": SIGNED_IN},
    "followup.event_edit": {"GET": STAFF, "POST": STAFF},
    "followup.recommendation_new": {"GET": STAFF, "POST": STAFF},
    "followup.recommendation_detail": {"GET": SIGNED_IN},
    "followup.recommendation_edit": {"GET": STAFF, "POST": STAFF},
    "followup.recommendation_status": {"POST": STAFF},
    "followup.action_new": {"GET": RECORDERS, "POST": RECORDERS},
    "followup.action_edit": {"GET": RECORDERS, "POST": RECORDERS},
    "followup.action_verify": {"POST": STAFF},
    "followup.report": {"GET": STAFF},
    "followup.report_csv": {"GET": STAFF},
    "followup.report_xlsx": {"GET": STAFF},
    "followup.recurring": {"GET": SIGNED_IN},
    "followup.links_suggest": {"POST": STAFF},
    "followup.link_decide": {"POST": STAFF},
}

OTHER_PROJECT: list[tuple[str, str]] = []


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    event = EventFactory()
    recommendation = RecommendationFactory(event=event)
    action = FollowUpActionFactory(recommendation=recommendation)
    link = RecommendationLinkFactory(state=LinkState.SUGGESTED)
    session.flush()
    ids = {"event_id": event.id, "recommendation_id": recommendation.id,
           "action_id": action.id, "link_id": link.id}
    return ids, dict(ids)
