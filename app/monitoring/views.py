"""Data collection: reporting periods and data entry, the activity log, bulk imports, tasks and
notifications. Each lives in its own module; importing them here registers their routes, so
this module is the one place the blueprint is complete."""

from __future__ import annotations

from app.monitoring import (  # noqa: F401
    activity_views,
    data_views,
    import_views,
    quality_views,
    task_views,
)
from app.monitoring.blueprint import bp
from app.monitoring.evidence import register_subjects

register_subjects()

__all__ = ["bp"]
