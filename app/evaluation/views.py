"""Scoring by evaluators, consensus, and the evaluation report.

This module holds the evaluators' pages: the list of their projects and the scoring sheet
of a project and period, with the saves it posts. Consensus and the report are in
``views_consensus`` and ``views_report``; importing them here registers their routes, so this
module is the one place the blueprint is complete.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from app.auth.models import MemberRole, ProjectMember
from app.auth.permissions import STAFF, authorize, authorize_any
from app.db import db
from app.errors import ServiceError
from app.evaluation import services, views_consensus, views_report  # noqa: F401
from app.evaluation.blueprint import bp
from app.evaluation.forms import FinaliseForm, IndicatorScoreForm, ProjectRatingForm
from app.evaluation.models import Criterion, IndicatorScore, ProjectRating, ScoreState
from app.evaluation.pages import bands, criterion_or_404, load_project, today, try_save
from app.evaluation.sheet import build_sheet
from app.forms import VersionedForm
from app.frameworks.models import Indicator, ReportingPeriod
from app.pagination import paginate
from app.programmes.models import Project
from app.web import current_actor, get_or_404, record_id, wants_provisional

# --- the list of projects to score --------------------------------------------------------


def _count(model: Any, *where: Any, join: Any = None) -> Any:
    query = sa.select(sa.func.count(model.id))
    if join is not None:
        query = query.join(*join)
    return query.where(*where).scalar_subquery()


@bp.get("")
def index() -> Any:
    authorize_any("evaluation.view_scores")
    user = g.user
    mine = [] if user.role in STAFF else [IndicatorScore.evaluator_id == user.id]
    mine_r = [] if user.role in STAFF else [ProjectRating.evaluator_id == user.id]
    scores = (Indicator, Indicator.id == IndicatorScore.indicator_id)
    evaluator_members = sa.select(ProjectMember.project_id).where(
        ProjectMember.role == MemberRole.EVALUATOR)
    query = sa.select(
        Project,
        _count(Indicator, Indicator.project_id == Project.id).label("indicators"),
        _count(ProjectMember, ProjectMember.project_id == Project.id,
               ProjectMember.role == MemberRole.EVALUATOR).label("evaluators"),
        _count(IndicatorScore, Indicator.project_id == Project.id,
               IndicatorScore.state == ScoreState.FINAL, *mine, join=scores).label("final"),
        _count(IndicatorScore, Indicator.project_id == Project.id,
               IndicatorScore.state == ScoreState.DRAFT, *mine, join=scores).label("drafts"),
        _count(ProjectRating, ProjectRating.project_id == Project.id,
               ProjectRating.state == ScoreState.FINAL, *mine_r).label("rated"),
        _count(ProjectRating, ProjectRating.project_id == Project.id,
               ProjectRating.state == ScoreState.DRAFT, *mine_r).label("rating_drafts"),
    ).order_by(Project.code)
    if user.role in STAFF:
        scored = sa.select(Indicator.project_id).join(
            IndicatorScore, IndicatorScore.indicator_id == Indicator.id)
        query = query.where(sa.or_(Project.id.in_(evaluator_members),
                                   Project.id.in_(scored),
                                   Project.id.in_(sa.select(ProjectRating.project_id))))
    else:
        query = query.where(Project.id.in_(evaluator_members.where(
            ProjectMember.user_id == user.id)))
    return render_template("evaluation/index.html", page=paginate(db.session, query, rows=True),
                           is_staff=user.role in STAFF, criteria=len(Criterion))


# --- the scoring sheet --------------------------------------------------------------------


def _indicator_form(score: IndicatorScore | None, indicator_id: int) -> IndicatorScoreForm:
    return IndicatorScoreForm(formdata=None, obj=score, prefix=f"i{indicator_id}",
                              version=score.version if score else 0)


def _rating_form(rating: ProjectRating | None, criterion: Criterion) -> ProjectRatingForm:
    return ProjectRatingForm(formdata=None, obj=rating, prefix=f"c-{criterion.value}",
                             version=rating.version if rating else 0)


def render_sheet(project: Project, period_id: int | None, bound: dict[Any, VersionedForm] | None
                 = None, current: dict[Any, Any] | None = None, status: int = 200) -> Any:
    sheet = build_sheet(db.session, g.user, project, period_id, bands(), today(),
                        include_provisional=wants_provisional())
    if sheet is None:
        abort(404)
    bound, current = bound or {}, current or {}
    forms: dict[Any, VersionedForm] = {}
    if sheet.may_score:
        for row in sheet.rows:
            key: tuple[str, Any] = ("indicator", row.indicator.id)
            if row.score is None or row.score.state == ScoreState.DRAFT or key in bound:
                forms[key] = bound.get(key) or _indicator_form(row.score, row.indicator.id)
        for criterion in Criterion:
            key = ("criterion", criterion)
            rating = sheet.ratings.get(criterion)
            if rating is None or rating.state == ScoreState.DRAFT or key in bound:
                forms[key] = bound.get(key) or _rating_form(rating, criterion)
    anchors = [f"ind-{k[1]}" if k[0] == "indicator" else f"crit-{k[1].value}" for k in bound]
    return render_template("evaluation/project.html", sheet=sheet, project=project,
                           forms=forms, current=current, finalise_form=FinaliseForm(),
                           refused=anchors[0] if anchors else None), status


@bp.get("/projects/<int:project_id>")
def project(project_id: int) -> Any:
    project = load_project(project_id)
    authorize("evaluation.view_scores", project)
    return render_sheet(project, request.args.get("period", type=record_id))


def _saved_message(obj: Any) -> str:
    if obj.state == ScoreState.FINAL:
        return _("Finalised. It can no longer be changed.")
    return _("Saved as a draft. Finalise it when you are sure.")


@bp.post("/indicators/<int:indicator_id>/periods/<int:period_id>/score")
def score_indicator(indicator_id: int, period_id: int) -> Any:
    indicator = get_or_404(Indicator, indicator_id, joinedload(Indicator.project))
    authorize("evaluation.score", indicator.project)
    period = get_or_404(ReportingPeriod, period_id)
    if period.project_id != indicator.project_id:
        abort(404)
    form = IndicatorScoreForm(prefix=f"i{indicator.id}")
    saved, current, status = try_save(form, lambda values: services.save_indicator_score(
        db.session, current_actor(), g.user, indicator, period, form.version.data or 0, values,
        finalise=bool(form.finalise.data)), services.SCORE_FIELDS)
    if saved is not None:
        flash(_saved_message(saved), "success")
        return redirect(url_for(".project", project_id=indicator.project_id, period=period.id,
                                _anchor=f"ind-{indicator.id}"))
    key = ("indicator", indicator.id)
    return render_sheet(indicator.project, period.id, {key: form}, {key: current}, status)


@bp.post("/projects/<int:project_id>/criteria/<criterion>/rate")
def rate_project(project_id: int, criterion: str) -> Any:
    project = load_project(project_id)
    authorize("evaluation.score", project)
    chosen = criterion_or_404(criterion)
    form = ProjectRatingForm(prefix=f"c-{chosen.value}")
    period_id = request.args.get("period", type=record_id)
    saved, current, status = try_save(form, lambda values: services.save_project_rating(
        db.session, current_actor(), g.user, project, chosen, form.version.data or 0, values,
        finalise=bool(form.finalise.data)), services.RATING_FIELDS)
    if saved is not None:
        flash(_saved_message(saved), "success")
        return redirect(url_for(".project", project_id=project.id, period=period_id,
                                _anchor=f"crit-{chosen.value}"))
    key = ("criterion", chosen)
    return render_sheet(project, period_id, {key: form}, {key: current}, status)


@bp.post("/projects/<int:project_id>/finalise")
def finalise(project_id: int) -> Any:
    project = load_project(project_id)
    authorize("evaluation.score", project)
    period_id = request.form.get("period", type=record_id)
    period = get_or_404(ReportingPeriod, period_id) if period_id else None
    if period is not None and period.project_id != project.id:
        abort(404)
    if FinaliseForm().validate_on_submit():
        try:
            count = services.finalise_drafts(db.session, current_actor(), g.user, project,
                                             period)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            flash(ngettext("%(num)d draft finalised. It can no longer be changed.",
                           "%(num)d drafts finalised. They can no longer be changed.", count),
                  "success")
    return redirect(url_for(".project", project_id=project.id, period=period_id))
