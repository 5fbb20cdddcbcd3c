"""The consensus a manager records where evaluators differ: one per item, with a reason,
versioned and audited like the scores it settles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.errors import ServiceError, StaleEdit
from app.evaluation.models import (
    ConsensusScore,
    Criterion,
    IndicatorScore,
    ProjectRating,
    ScoreAspect,
    ScoreState,
)
from app.evaluation.services import STALE, current_values, require, validated
from app.frameworks.models import Indicator, ReportingPeriod
from app.programmes.models import Project

CONSENSUS_FIELDS = ["value", "reason"]


@dataclass(frozen=True)
class ConsensusItem:
    """What a consensus settles: an indicator's score in a period, or a project criterion."""

    aspect: ScoreAspect
    indicator_id: int | None = None
    period_id: int | None = None
    criterion: Criterion | None = None


def consensus_for(session: Session, project_id: int, item: ConsensusItem) -> ConsensusScore | None:
    def same(column: Any, value: Any) -> Any:
        return column.is_(None) if value is None else column == value

    return session.scalar(sa.select(ConsensusScore).where(
        ConsensusScore.project_id == project_id, ConsensusScore.aspect == item.aspect,
        same(ConsensusScore.indicator_id, item.indicator_id),
        same(ConsensusScore.period_id, item.period_id),
        same(ConsensusScore.criterion, item.criterion),
    ).order_by(ConsensusScore.id).limit(1).execution_options(populate_existing=True))


def final_score_count(session: Session, project_id: int, item: ConsensusItem) -> int:
    if item.aspect == ScoreAspect.CRITERION:
        query = sa.select(sa.func.count(ProjectRating.id)).where(
            ProjectRating.project_id == project_id, ProjectRating.criterion == item.criterion,
            ProjectRating.state == ScoreState.FINAL)
    else:
        query = sa.select(sa.func.count(IndicatorScore.id)).where(
            IndicatorScore.indicator_id == item.indicator_id,
            IndicatorScore.period_id == item.period_id, IndicatorScore.state == ScoreState.FINAL)
    return session.scalar(query) or 0


def _check_item(session: Session, project: Project, item: ConsensusItem) -> None:
    if item.aspect == ScoreAspect.CRITERION:
        if item.criterion is None or item.indicator_id or item.period_id:
            raise ServiceError(_l("A project rating's consensus names a criterion only."))
        return
    if item.criterion is not None or item.indicator_id is None or item.period_id is None:
        raise ServiceError(_l("An indicator score's consensus names an indicator and a period."))
    indicator = session.get(Indicator, item.indicator_id)
    period = session.get(ReportingPeriod, item.period_id)
    if indicator is None or period is None or {indicator.project_id, period.project_id} != {
            project.id}:
        raise ServiceError(_l("This indicator or period belongs to another project."))


def record_consensus(session: Session, actor: Actor, user: User, project: Project,
                     item: ConsensusItem, version: int, values: dict[str, Any]) -> ConsensusScore:
    """Record (or change) the score a manager settles on for one item, with the reason."""
    require(user, "evaluation.consensus", project)
    _check_item(session, project, item)
    clean = validated(values, CONSENSUS_FIELDS)
    # One consensus per item: serialise the check and the insert per project (PostgreSQL).
    session.execute(sa.select(Project.id).where(Project.id == project.id).with_for_update())
    if not final_score_count(session, project.id, item):
        raise ServiceError(_l("No evaluator has finalised a score for this item yet."))
    consensus = consensus_for(session, project.id, item)
    if consensus is None:
        if version != 0:
            raise StaleEdit(STALE, {})
        consensus = ConsensusScore(project_id=project.id, aspect=item.aspect,
                                   indicator_id=item.indicator_id, period_id=item.period_id,
                                   criterion=item.criterion, decided_by_id=user.id, **clean)
        session.add(consensus)
        session.flush()
        audit.record(session, actor, "consensus_score.create", "consensus_score", consensus.id,
                     audit.snapshot(consensus, ["aspect", "indicator_id", "period_id",
                                                "criterion", "value"]), reason=clean["reason"])
        session.commit()
        return consensus
    if version != consensus.version:
        raise StaleEdit(STALE, current_values(consensus, CONSENSUS_FIELDS))
    changes = audit.apply_changes(consensus, clean)
    if changes:
        consensus.decided_by_id = user.id
        try:
            session.flush()
        except StaleDataError as exc:
            session.rollback()
            current = consensus_for(session, project.id, item)
            raise StaleEdit(STALE, current_values(current, CONSENSUS_FIELDS)
                            if current else {}) from exc
        audit.record(session, actor, "consensus_score.update", "consensus_score", consensus.id,
                     changes, reason=clean["reason"])
        session.commit()
    return consensus
