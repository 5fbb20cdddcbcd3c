"""The blueprint of the evaluation pages; ``views`` registers every route on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app
from flask_babel import format_decimal

from app.evaluation import labels
from app.evaluation.models import Criterion, ScoreState

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")


@bp.context_processor
def _context() -> dict[str, Any]:
    return {"ev": labels, "rubric": current_app.config["EVALUATION_RUBRIC"],
            "format_decimal": format_decimal, "ScoreState": ScoreState, "Criterion": Criterion}
