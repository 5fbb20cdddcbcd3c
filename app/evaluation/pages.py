"""What the evaluation pages share: status bands, today's date, the project and criterion of
the URL, and saving a scoring form with its stale-edit answer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import abort, current_app
from sqlalchemy.orm import joinedload

from app.db import db
from app.errors import ServiceError, StaleEdit
from app.evaluation.models import Criterion
from app.forms import VersionedForm
from app.programmes.models import Project
from app.web import form_values, get_or_404
from indicators.types import StatusBands


def bands() -> StatusBands:
    config = current_app.config
    return StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"])


def today() -> date:
    return datetime.now(UTC).date()


def criterion_or_404(raw: str) -> Criterion:
    if raw not in {c.value for c in Criterion}:
        abort(404)
    return Criterion(raw)


def load_project(project_id: int) -> Project:
    project: Project = get_or_404(Project, project_id, joinedload(Project.programme))
    return project


def try_save(form: VersionedForm, save: Any, fields: list[str]) -> tuple[Any, Any, int]:
    """(saved object or None, the values now stored when the save was stale, status)."""
    if not form.validate_on_submit():
        return None, None, 422
    try:
        return save(form_values(form, fields)), None, 200
    except StaleEdit as exc:
        db.session.rollback()
        form.apply_error(exc)
        if "version" in exc.current:  # saving again after a review is then possible
            form.version.data = exc.current["version"]
            form.version.raw_data = [str(exc.current["version"])]
        return None, exc.current, 409
    except ServiceError as exc:
        db.session.rollback()
        form.apply_error(exc)
        return None, None, 422
