"""Role matrix rows of the follow-up pages. Events are read by everyone; follow-up actions are
recorded by staff and by the officers of the event's project, and changed by staff and by the
officer who recorded them."""

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
RECORDERS = (L, A, A, A, F)  # staff, and the officer of the event's project (project A)

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

OTHER_PROJECT: list[tuple[str, str]] = [
    (endpoint, method) for endpoint in ("followup.action_new", "followup.action_edit")
    for method in ("GET", "POST")]


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    officer = world["users"]["officer"]
    link = RecommendationLinkFactory(state=LinkState.SUGGESTED)
    made = []
    for project in (world["project_a"], world["project_b"]):
        event = EventFactory(project_id=project.id)
        recommendation = RecommendationFactory(event=event)
        action = FollowUpActionFactory(recommendation=recommendation,
                                       recorded_by_id=officer.id)
        session.flush()
        made.append({"event_id": event.id, "recommendation_id": recommendation.id,
                     "action_id": action.id, "link_id": link.id})
    return made[0], made[1]
