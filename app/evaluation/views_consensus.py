"""A manager records the consensus score of one item where the evaluators differ."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.auth.permissions import authorize
from app.db import db
from app.evaluation.blueprint import bp
from app.evaluation.consensus import (
    CONSENSUS_FIELDS,
    ConsensusItem,
    consensus_for,
    record_consensus,
)
from app.evaluation.forms import ConsensusForm
from app.evaluation.models import ScoreAspect
from app.evaluation.pages import bands, criterion_or_404, load_project, today, try_save
from app.evaluation.report import item_scores, spread
from app.evaluation.results import ResultBuilder
from app.evaluation.sheet import project_periods
from app.frameworks.models import Indicator, ReportingPeriod
from app.programmes.models import Project
from app.web import current_actor, get_or_404

INDICATOR_ASPECTS = {ScoreAspect.ACHIEVEMENT.value, ScoreAspect.DATA_QUALITY.value}


def _consensus_page(project: Project, item: ConsensusItem, anchor: str, **context: Any) -> Any:
    authorize("evaluation.consensus", project)
    scores, drafts = item_scores(db.session, project, item)
    existing = consensus_for(db.session, project.id, item)
    form = ConsensusForm(obj=existing, version=existing.version if existing else 0)
    saved, current, status = None, None, 200
    if request.method == "POST":
        saved, current, status = try_save(form, lambda values: record_consensus(
            db.session, current_actor(), g.user, project, item, form.version.data or 0,
            values), CONSENSUS_FIELDS)
    if saved is not None:
        flash(_("Consensus saved."), "success")
        return redirect(url_for(".report", project_id=project.id, _anchor=anchor))
    return render_template(
        "evaluation/consensus.html", form=form, current=current, project=project, item=item,
        scores=scores, drafts=drafts, existing=existing,
        spread=spread(s.values[item.aspect] for s in scores), **context), status


@bp.route("/indicators/<int:indicator_id>/periods/<int:period_id>/consensus/<aspect>",
          methods=["GET", "POST"])
def consensus_indicator(indicator_id: int, period_id: int, aspect: str) -> Any:
    indicator = get_or_404(Indicator, indicator_id, joinedload(Indicator.project))
    authorize("evaluation.consensus", indicator.project)
    period = get_or_404(ReportingPeriod, period_id)
    if period.project_id != indicator.project_id or aspect not in INDICATOR_ASPECTS:
        abort(404)
    project = load_project(indicator.project_id)
    builder = ResultBuilder(db.session, project, project_periods(db.session, project), bands(),
                            today())
    item = ConsensusItem(ScoreAspect(aspect), indicator.id, period.id)
    return _consensus_page(project, item, f"item-{indicator.id}-{period.id}",
                           indicator=indicator, period=period,
                           result=builder.result(indicator, period))


@bp.route("/projects/<int:project_id>/criteria/<criterion>/consensus",
          methods=["GET", "POST"])
def consensus_criterion(project_id: int, criterion: str) -> Any:
    project = load_project(project_id)
    authorize("evaluation.consensus", project)
    item = ConsensusItem(ScoreAspect.CRITERION, criterion=criterion_or_404(criterion))
    return _consensus_page(project, item, f"crit-{criterion}")
