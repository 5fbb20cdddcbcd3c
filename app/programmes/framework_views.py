"""The guided set-up of a project's results framework: the checklist, the results page,
resource allocation and the risk register (goal setting and indicators: results_views,
indicator_views)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.programmes import completeness, framework_labels, results_page
from app.programmes import framework_services as services
from app.programmes.framework import BudgetCategory, BudgetLine, Result, Risk, RiskCategory
from app.programmes.framework_forms import BudgetLineForm, RiskForm
from app.programmes.models import Project
from app.programmes.results_services import chain_order
from app.programmes.views import bp
from app.web import current_actor, get_or_404, save_form
from indicators.completeness import Finding, Gap, Step
from indicators.types import StatusBands


@bp.record_once
def _framework_labels(state: BlueprintSetupState) -> None:
    """Labels of the framework's values, for every template and the macros they import."""
    state.app.jinja_env.globals["fw_labels"] = framework_labels


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


# --- checklist and results page ----------------------------------------------------------

STEP_ENDPOINT = {Step.RESOURCES: ".budget", Step.RESULTS: ".results_chain",
                 Step.RISKS: ".risks", Step.INDICATORS: ".indicators"}
RESULT_FIXES = {
    Gap.OUTCOME_WITHOUT_OUTPUT: (".result_new", lambda i: {"parent": i, "level": "output"}),
    Gap.NO_THEORY_OF_CHANGE: (".result_edit", lambda i: {"result_id": i}),
    Gap.RESULT_WITHOUT_INDICATOR: (".indicator_new", lambda i: {"result": i}),
}
RISK_GAPS = {Gap.RISK_WITHOUT_MITIGATION, Gap.RISK_WITHOUT_OWNER}


def _fix_url(project: Project, gap: Gap, subject: str,
             state: completeness.Completeness) -> str:
    if gap in RESULT_FIXES:
        endpoint, args = RESULT_FIXES[gap]
        record_id = state.result_ids.get(subject)
    elif gap in RISK_GAPS:
        endpoint, args = ".risk_edit", lambda i: {"risk_id": i}
        record_id = state.risk_ids.get(subject)
    else:
        endpoint = (".indicator_targets" if gap is Gap.PERIOD_TARGETS_MISSING
                    else ".indicator_edit")
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


@bp.get("/projects/<int:project_id>/framework")
def framework_overview(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    state = completeness.load(db.session, project)
    return render_template("framework/overview.html", project=project, state=state,
                           steps=STEP_ENDPOINT, links=subject_links)


@bp.get("/projects/<int:project_id>/results")
def project_results(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    config = current_app.config
    bands = StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"])
    tree = results_page.load(db.session, project, bands, date.today())
    state = completeness.load(db.session, project)
    return render_template("framework/results.html", project=project, tree=tree, state=state,
                           links=subject_links)


# --- resource allocation -----------------------------------------------------------------


@bp.get("/projects/<int:project_id>/framework/budget")
def budget(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    lines = db.session.execute(
        sa.select(BudgetLine, Result.code).outerjoin(Result, Result.id == BudgetLine.result_id)
        .where(BudgetLine.project_id == project.id)
        .order_by(Result.position.is_(None), Result.code, BudgetLine.category, BudgetLine.id)
    ).all()
    by_category = db.session.execute(
        sa.select(BudgetLine.category, sa.func.sum(BudgetLine.planned),
                  sa.func.sum(BudgetLine.actual))
        .where(BudgetLine.project_id == project.id).group_by(BudgetLine.category)).all()
    totals = {row[0]: (row[1], row[2]) for row in by_category}
    planned = sum((p for p, _a in totals.values()), start=0)
    actual = sum((a or 0 for _p, a in totals.values()), start=0)
    me = totals.get(BudgetCategory.MONITORING_EVALUATION, (0, 0))[0] or 0
    share = (me / planned) if planned else None
    return render_template(
        "framework/budget.html", project=project, lines=lines, totals=totals,
        categories=list(BudgetCategory), planned=planned, actual=actual, me=me, share=share,
        currency=project.programme.currency)


def _budget_form(project: Project, obj: BudgetLine | None = None, **kwargs: Any) -> BudgetLineForm:
    form = BudgetLineForm(obj=obj, **kwargs)
    form.result_id.choices = result_choices(project, _("— the project as a whole —"))
    if obj is not None and request.method == "GET":
        form.category.data = obj.category.value
    return form


@bp.route("/projects/<int:project_id>/framework/budget/new", methods=["GET", "POST"])
def budget_line_new(project_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    form = _budget_form(project, version=0)
    saved = save_form(form, lambda v: services.create_budget_line(
        db.session, current_actor(), project, v), services.BUDGET_LINE_FIELDS,
        "framework/budget_line_form.html", project=project, line=None)
    if isinstance(saved, BudgetLine):
        return redirect(url_for(".budget", project_id=project.id))
    return saved


@bp.route("/projects/<int:project_id>/framework/budget/<int:budget_line_id>/edit",
          methods=["GET", "POST"])
def budget_line_edit(project_id: int, budget_line_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    line = owned(BudgetLine, budget_line_id, project)
    form = _budget_form(project, line)
    saved = save_form(form, lambda v: services.update_budget_line(
        db.session, current_actor(), line, form.version.data, v), services.BUDGET_LINE_FIELDS,
        "framework/budget_line_form.html", project=project, line=line)
    if isinstance(saved, BudgetLine):
        return redirect(url_for(".budget", project_id=project.id))
    return saved


@bp.post("/projects/<int:project_id>/framework/budget/<int:budget_line_id>/delete")
def budget_line_delete(project_id: int, budget_line_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    line = owned(BudgetLine, budget_line_id, project)
    run_action(lambda: services.delete_budget_line(db.session, current_actor(), line,
                                                   posted_version()),
               _("The budget line was removed."))
    return redirect(url_for(".budget", project_id=project.id))


# --- risk register -----------------------------------------------------------------------


@bp.get("/projects/<int:project_id>/framework/risks")
def risks(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    rows = db.session.execute(
        sa.select(Risk, Result.code).outerjoin(Result, Result.id == Risk.result_id)
        .where(Risk.project_id == project.id)
        .order_by((Risk.likelihood * Risk.impact).desc(), Risk.impact.desc(), Risk.id)).all()
    return render_template("framework/risks.html", project=project, rows=rows,
                           categories=list(RiskCategory))


def _risk_form(project: Project, obj: Risk | None = None, **kwargs: Any) -> RiskForm:
    form = RiskForm(obj=obj, **kwargs)
    form.result_id.choices = result_choices(project, _("— the project as a whole —"))
    if obj is not None and request.method == "GET":
        form.category.data = obj.category.value
    return form


@bp.route("/projects/<int:project_id>/framework/risks/new", methods=["GET", "POST"])
def risk_new(project_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    form = _risk_form(project, version=0)
    saved = save_form(form, lambda v: services.create_risk(db.session, current_actor(), project,
                                                           v),
                      services.RISK_FIELDS, "framework/risk_form.html", project=project, risk=None)
    if isinstance(saved, Risk):
        return redirect(url_for(".risks", project_id=project.id))
    return saved


@bp.route("/projects/<int:project_id>/framework/risks/<int:risk_id>/edit",
          methods=["GET", "POST"])
def risk_edit(project_id: int, risk_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    risk = owned(Risk, risk_id, project)
    form = _risk_form(project, risk)
    saved = save_form(form, lambda v: services.update_risk(
        db.session, current_actor(), risk, form.version.data, v), services.RISK_FIELDS,
        "framework/risk_form.html", project=project, risk=risk)
    if isinstance(saved, Risk):
        return redirect(url_for(".risks", project_id=project.id))
    return saved


@bp.post("/projects/<int:project_id>/framework/risks/<int:risk_id>/delete")
def risk_delete(project_id: int, risk_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    risk = owned(Risk, risk_id, project)
    run_action(lambda: services.delete_risk(db.session, current_actor(), risk, posted_version()),
               _("The risk was removed."))
    return redirect(url_for(".risks", project_id=project.id))
