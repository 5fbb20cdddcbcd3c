"""Indicators, reporting periods, data entry and the activity log."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("monitoring", __name__)

# The routes of data collection live in their own modules; importing them registers them.
from app.monitoring import activity_views, data_views, import_views, task_views  # noqa: E402, F401
