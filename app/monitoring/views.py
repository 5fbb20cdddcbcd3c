"""Indicators, reporting periods, data entry and the activity log."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("monitoring", __name__)
