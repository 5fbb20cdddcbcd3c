"""Data collection: reporting periods and data entry, the activity log, bulk imports, tasks and
notifications. Each lives in its own module; importing them here registers their routes, so
this module is the one place the blueprint is complete."""

from __future__ import annotations

from app.monitoring import activity_views, data_views, import_views, task_views  # noqa: F401
from app.monitoring.blueprint import bp

__all__ = ["bp"]
