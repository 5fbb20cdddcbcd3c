"""Goal setting: the results chain with its order and codes, the theory of change of each
result, and its assumptions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.db import db
from app.frameworks import chain as services
from app.frameworks.blueprint import bp
from app.frameworks.forms import AssumptionForm, ResultForm
from app.frameworks.models import Assumption, Indicator, Result, ResultLevel, ResultTheme
from app.frameworks.pages import load_project, owned, posted_version, run_action
from app.programmes.models import Project
from app.web import current_actor, record_id, save_form
from indicators.bank import Theme


@bp.get("/projects/<int:project_id>/framework/results")
def results_chain(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    results = list(db.session.scalars(sa.select(Result).where(Result.project_id == project.id)))
    themes: dict[int, list[Theme]] = {}
    for result_id, theme in db.session.execute(  # one query, unlike a batched selectinload
            sa.select(ResultTheme.result_id, ResultTheme.theme).join(Result)
            .where(Result.project_id == project.id).order_by(ResultTheme.theme)):
        themes.setdefault(result_id, []).append(theme)
    assumptions: dict[int, list[Assumption]] = {}
    for assumption in db.session.scalars(
            sa.select(Assumption).join(Result).where(Result.project_id == project.id)
            .order_by(Assumption.id)):
        assumptions.setdefault(assumption.result_id, []).append(assumption)
    indicator_counts = dict(db.session.execute(
        sa.select(Indicator.result_id, sa.func.count(Indicator.id))
        .where(Indicator.project_id == project.id).group_by(Indicator.result_id)).all())
    ordered = services.chain_order(results)
    siblings: dict[tuple[int | None, ResultLevel], list[int]] = {}
    for result in ordered:
        siblings.setdefault((result.parent_id, result.level), []).append(result.id)
    return render_template("frameworks/chain.html", project=project, results=ordered,
                           assumptions=assumptions, indicator_counts=indicator_counts,
                           siblings=siblings, themes=themes)


def _parent_choices(project: Project) -> list[SelectChoice]:
    results = db.session.scalars(sa.select(Result).where(
        Result.project_id == project.id, Result.level != ResultLevel.OUTPUT)).all()
    return [SelectChoice("", _("— none (a goal) —"))] + [
        SelectChoice(r.id, f"{r.code} — {r.statement[:80]}")
        for r in services.chain_order(list(results))]


def _result_form(project: Project, obj: Result | None = None, **kwargs: Any) -> ResultForm:
    form = ResultForm(obj=obj, **kwargs)
    form.parent_id.choices = _parent_choices(project)
    if obj is not None:
        form.level.data = obj.level.value  # fixed once the result exists
        if request.method == "GET":
            form.themes.data = [t.theme.value for t in obj.themes]
    return form


@bp.route("/projects/<int:project_id>/framework/results/new", methods=["GET", "POST"])
def result_new(project_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    level = request.args.get("level", ResultLevel.GOAL.value)
    form = _result_form(project, version=0, level=level,
                        parent_id=request.args.get("parent", type=record_id))
    saved = save_form(form, lambda v: services.create_result(db.session, current_actor(),
                                                             project, v),
                      services.RESULT_FORM_FIELDS, "frameworks/result_form.html",
                      project=project, result=None, assumptions=[])
    if isinstance(saved, Result):
        return redirect(url_for(".results_chain", project_id=project.id) + f"#result-{saved.id}")
    return saved


@bp.route("/projects/<int:project_id>/framework/results/<int:result_id>/edit",
          methods=["GET", "POST"])
def result_edit(project_id: int, result_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    result = owned(Result, result_id, project)
    form = _result_form(project, result)
    assumptions = db.session.scalars(sa.select(Assumption).where(
        Assumption.result_id == result.id).order_by(Assumption.id)).all()
    saved = save_form(form, lambda v: services.update_result(
        db.session, current_actor(), result, form.version.data, v),
        services.RESULT_FORM_FIELDS, "frameworks/result_form.html", project=project,
        result=result, assumptions=assumptions)
    if isinstance(saved, Result):
        return redirect(url_for(".results_chain", project_id=project.id) + f"#result-{result.id}")
    return saved


@bp.post("/projects/<int:project_id>/framework/results/<int:result_id>/move")
def result_move(project_id: int, result_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    result = owned(Result, result_id, project)
    direction = request.form.get("direction", "")
    run_action(lambda: services.move_result(db.session, current_actor(), result,
                                            posted_version(), direction),
               _("%(code)s was moved.", code=result.code))
    return redirect(url_for(".results_chain", project_id=project.id) + f"#result-{result.id}")


@bp.post("/projects/<int:project_id>/framework/results/renumber")
def results_renumber(project_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    run_action(lambda: services.renumber_results(db.session, current_actor(), project),
               _("The codes now follow the order of the chain."))
    return redirect(url_for(".results_chain", project_id=project.id))


@bp.post("/projects/<int:project_id>/framework/results/<int:result_id>/delete")
def result_delete(project_id: int, result_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    result = owned(Result, result_id, project)
    code = result.code
    run_action(lambda: services.delete_result(db.session, current_actor(), result,
                                              posted_version()),
               _("%(code)s was removed.", code=code))
    return redirect(url_for(".results_chain", project_id=project.id))


# --- assumptions -------------------------------------------------------------------------


def _assumption_form(obj: Assumption | None = None, **kwargs: Any) -> AssumptionForm:
    form = AssumptionForm(obj=obj, **kwargs)
    if obj is not None and request.method == "GET":
        form.status.data = obj.status.value
    return form


@bp.route("/projects/<int:project_id>/framework/results/<int:result_id>/assumptions/new",
          methods=["GET", "POST"])
def assumption_new(project_id: int, result_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    result = owned(Result, result_id, project)
    form = _assumption_form(version=0)
    saved = save_form(form, lambda v: services.create_assumption(db.session, current_actor(),
                                                                 result, v),
                      services.ASSUMPTION_FIELDS, "frameworks/assumption_form.html",
                      project=project, result=result, assumption=None)
    if isinstance(saved, Assumption):
        return redirect(url_for(".result_edit", project_id=project.id, result_id=result.id))
    return saved


@bp.route("/projects/<int:project_id>/framework/assumptions/<int:assumption_id>/edit",
          methods=["GET", "POST"])
def assumption_edit(project_id: int, assumption_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    assumption = owned(Assumption, assumption_id, project, joinedload(Assumption.result))
    form = _assumption_form(assumption)
    saved = save_form(form, lambda v: services.update_assumption(
        db.session, current_actor(), assumption, form.version.data, v),
        services.ASSUMPTION_FIELDS, "frameworks/assumption_form.html", project=project,
        result=assumption.result, assumption=assumption)
    if isinstance(saved, Assumption):
        return redirect(url_for(".result_edit", project_id=project.id,
                                result_id=assumption.result_id))
    return saved


@bp.post("/projects/<int:project_id>/framework/assumptions/<int:assumption_id>/delete")
def assumption_delete(project_id: int, assumption_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    assumption = owned(Assumption, assumption_id, project, joinedload(Assumption.result))
    result_id = assumption.result_id
    run_action(lambda: services.delete_assumption(db.session, current_actor(), assumption,
                                                  posted_version()),
               _("The assumption was removed."))
    return redirect(url_for(".result_edit", project_id=project.id, result_id=result_id))
