"""What the framework pages (and the results page) share: loading a project the user may see,
records that must belong to it, choices of results, one-button actions, checklist links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.frameworks import completeness
from app.frameworks.chain import chain_order
from app.frameworks.models import Result
from app.programmes.models import Project
from app.web import get_or_404
from indicators.completeness import Finding, Gap, Step


def load_project(project_id: int, action: str) -> Project:
    project: Project = get_or_404(Project, project_id, joinedload(Project.programme))
    authorize(action, project)
    return project


def owned(model: Any, obj_id: int, project: Project, *options: Any) -> Any:
    """A record of this project, or 404 (never another project's record)."""
    obj = get_or_404(model, obj_id, *options)
    owner = obj.result.project_id if hasattr(model, "result_id") and not hasattr(
        model, "project_id") else obj.project_id
    if owner != project.id:
        abort(404)
    return obj


def result_choices(project: Project, blank: str) -> list[SelectChoice]:
    results = db.session.scalars(sa.select(Result).where(Result.project_id == project.id)).all()
    return [SelectChoice("", blank)] + [
        SelectChoice(r.id, f"{r.code} — {_short(r.statement)}") for r in chain_order(list(results))]


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def run_action(action: Callable[[], Any], done: str) -> None:
    """Run a service for a one-button form; say what happened, or why nothing did."""
    try:
        action()
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(done, "success")


def posted_version() -> int | None:
    return request.form.get("version", type=int)


# --- links from the completeness checklist -------------------------------------------

# Absolute endpoints: the checklist is also shown on the results page, which is a report.
STEP_ENDPOINT = {Step.RESOURCES: "frameworks.budget", Step.RESULTS: "frameworks.results_chain",
                 Step.RISKS: "frameworks.risks", Step.INDICATORS: "frameworks.indicators"}
RESULT_FIXES = {
    Gap.OUTCOME_WITHOUT_OUTPUT: ("frameworks.result_new",
                                 lambda i: {"parent": i, "level": "output"}),
    Gap.NO_THEORY_OF_CHANGE: ("frameworks.result_edit", lambda i: {"result_id": i}),
    Gap.RESULT_WITHOUT_INDICATOR: ("frameworks.indicator_new", lambda i: {"result": i}),
}
RISK_GAPS = {Gap.RISK_WITHOUT_MITIGATION, Gap.RISK_WITHOUT_OWNER}


def _fix_url(project: Project, gap: Gap, subject: str,
             state: completeness.Completeness) -> str:
    if gap in RESULT_FIXES:
        endpoint, args = RESULT_FIXES[gap]
        record_id = state.result_ids.get(subject)
    elif gap in RISK_GAPS:
        endpoint, args = "frameworks.risk_edit", lambda i: {"risk_id": i}
        record_id = state.risk_ids.get(subject)
    else:
        endpoint = ("frameworks.indicator_targets" if gap is Gap.PERIOD_TARGETS_MISSING
                    else "frameworks.indicator_edit")
        args = lambda i: {"indicator_id": i}  # noqa: E731 - same shape as the entries above
        record_id = state.indicator_ids.get(subject)
    if record_id is None:
        return ""
    return url_for(endpoint, project_id=project.id, **args(record_id))


def subject_links(project: Project, found: Finding,
                  state: completeness.Completeness) -> list[tuple[str, str]]:
    """Each record a finding names, with the page that fixes it."""
    return [(subject, _fix_url(project, found.gap, subject, state))
            for subject in found.subjects]
