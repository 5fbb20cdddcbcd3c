"""Events, recommendations, follow-up actions and the follow-up report."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("followup", __name__)
