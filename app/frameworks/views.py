"""The guided set-up of a project's results framework: the checklist, resource allocation
and the risk register. The results chain and the indicators have their own modules; importing
them here registers their routes, so this module is the one place the blueprint is complete."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.db import db
from app.frameworks import completeness, services, views_chain, views_indicators  # noqa: F401
from app.frameworks.blueprint import bp
from app.frameworks.forms import BudgetLineForm, RiskForm
from app.frameworks.models import BudgetCategory, BudgetLine, Result, Risk, RiskCategory
from app.frameworks.pages import (
    STEP_ENDPOINT,
    load_project,
    owned,
    posted_version,
    result_choices,
    run_action,
    subject_links,
)
from app.programmes.models import Project
from app.web import current_actor, save_form

__all__ = ["bp"]


@bp.get("/projects/<int:project_id>/framework")
def framework_overview(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    state = completeness.load(db.session, project)
    return render_template("frameworks/overview.html", project=project, state=state,
                           steps=STEP_ENDPOINT, links=subject_links)


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
        "frameworks/budget.html", project=project, lines=lines, totals=totals,
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
        "frameworks/budget_line_form.html", project=project, line=None)
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
        "frameworks/budget_line_form.html", project=project, line=line)
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
    return render_template("frameworks/risks.html", project=project, rows=rows,
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
                      services.RISK_FIELDS, "frameworks/risk_form.html", project=project, risk=None)
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
        "frameworks/risk_form.html", project=project, risk=risk)
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
