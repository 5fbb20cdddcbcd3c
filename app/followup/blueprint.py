"""The blueprint of the follow-up pages; ``views`` registers every route on it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g

from app.auth.permissions import can_change_own
from app.followup import labels
from app.followup.assess import role_of, settings_from
from app.followup.models import Event, FollowUpAction
from app.followup.reason import reason
from app.formatting import percent

bp = Blueprint("followup", __name__, url_prefix="/followup")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"fl": labels, "percent": percent, "follow_up_reason": reason,
            "may_change_action": _may_change_action, "action_role": _action_role}


def _action_role(action: FollowUpAction, event: Event, as_of: date) -> str:
    return role_of(action, event.end_date, as_of, settings_from()).value


def _may_change_action(action: FollowUpAction, event: Event) -> bool:
    return can_change_own(g.get("user"), "followup.record", event, action.recorded_by_id)
