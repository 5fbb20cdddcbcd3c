"""The blueprint of the results-framework pages; ``views`` registers every route on it."""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from app.frameworks import labels as framework_labels

bp = Blueprint("frameworks", __name__)


@bp.record_once
def _framework_labels(state: BlueprintSetupState) -> None:
    """Labels of the framework's values, for every template and the macros they import."""
    state.app.jinja_env.globals["fw_labels"] = framework_labels
