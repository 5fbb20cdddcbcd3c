"""The blueprint of the data-collection pages; ``views`` registers every route on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("monitoring", __name__)
