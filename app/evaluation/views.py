"""Scoring by evaluators, consensus, and the evaluation report."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__)
