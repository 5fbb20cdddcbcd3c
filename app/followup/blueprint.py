"""The blueprint of the follow-up pages; ``views`` registers every route on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import format_percent

from app.followup import labels
from app.followup.reason import reason

bp = Blueprint("followup", __name__, url_prefix="/followup")


def _percent(value: Any) -> str:
    return "—" if value is None else format_percent(value, "#,##0.#%")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"fl": labels, "percent": _percent, "follow_up_reason": reason}
