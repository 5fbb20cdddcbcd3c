"""Scores, project ratings and consensus: validated, versioned and audited.

An evaluator's score is a draft until they finalise it; a final score can no longer be
changed by them. Every save carries the version the form was rendered from: a save based on
an older version is refused with the values now stored (``StaleEdit``), including the race
of two first saves, which the unique constraint on (indicator, period, evaluator) settles.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.auth.permissions import can
from app.db import utcnow
from app.errors import NotAllowed, ServiceError, StaleEdit, ValidationFailed
from app.evaluation.forms import TEXT_MAX
from app.evaluation.models import (
    Criterion,
    IndicatorScore,
    ProjectRating,
    ScoreState,
)
from app.frameworks.models import Indicator, ReportingPeriod
from app.programmes.models import Project

SCORE_FIELDS = ["achievement", "data_quality", "justification"]
RATING_FIELDS = ["rating", "justification"]
LEVEL_NAMES = {
    "achievement": _l("Achievement"),
    "data_quality": _l("Data quality"),
    "rating": _l("Rating"),
    "value": _l("Consensus score"),
}
TEXT_NAMES = {"justification": _l("Justification"), "reason": _l("Reason")}
TEXT_REQUIRED = {
    "justification": _l("Justification is required: say why you gave this score."),
    "reason": _l("Reason is required: say how the evaluators' scores were reconciled."),
}
STALE = _l("This was saved elsewhere after you opened the page (in another window or by "
           "someone else). The saved values are shown beside yours; nothing of yours was "
           "saved. Review and save again.")
FINAL = _l("This score is final and can no longer be changed.")


def require(user: User, action: str, project: Project) -> None:
    if not can(user, action, project):
        raise NotAllowed(_l("You may not do this on this project."))


def validated(values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Check levels (1–4) and texts (not blank); name the field in each message."""
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    for field in fields:
        value = values.get(field)
        if field in LEVEL_NAMES:
            if isinstance(value, bool) or value not in (1, 2, 3, 4):
                errors[field] = [_l("%(field)s: choose a score from 1 to 4.",
                                    field=LEVEL_NAMES[field])]
            clean[field] = value
        else:
            text = (value or "").strip() if isinstance(value, str) else ""
            if not text:
                errors[field] = [TEXT_REQUIRED[field]]
            elif len(text) > TEXT_MAX:
                errors[field] = [_l("%(field)s: at most %(n)d characters.",
                                    field=TEXT_NAMES[field], n=TEXT_MAX)]
            clean[field] = text
    if errors:
        raise ValidationFailed(errors)
    return clean


def current_values(obj: Any, fields: list[str]) -> dict[str, Any]:
    """What is stored now, for a stale form: its fields, state and version (the form takes
    the version, so that saving again after a review is possible)."""
    values = {f: getattr(obj, f) for f in fields}
    if hasattr(obj, "state"):
        values["state"] = obj.state.value
    return {**values, "version": obj.version}


def _save(session: Session, actor: Actor, obj: Any, created: bool, entity: str,
          fields: list[str], values: dict[str, Any], finalise: bool,
          reload: Any) -> Any:
    """Apply ``values`` to a new or existing score, finalise it if asked, audit, commit."""
    if created:
        for field, value in values.items():
            setattr(obj, field, value)
        obj.state = ScoreState.FINAL if finalise else ScoreState.DRAFT
        obj.finalised_at = utcnow() if finalise else None
        session.add(obj)
        changes = None
    else:
        changes = audit.apply_changes(obj, values)
        if finalise:
            changes.update(audit.apply_changes(obj, {"state": ScoreState.FINAL}))
            obj.finalised_at = utcnow()
        if not changes:
            return obj
    try:
        session.flush()
    except (IntegrityError, StaleDataError) as exc:
        session.rollback()
        current = reload()
        if current is None:
            raise
        raise StaleEdit(STALE, current_values(current, fields)) from exc
    if created:
        changes = audit.snapshot(obj, [*fields, "state"])
    action = "create" if created else ("finalise" if finalise else "update")
    audit.record(session, actor, f"{entity}.{action}", entity, obj.id, changes)
    session.commit()
    return obj


def _check_version(obj: Any, version: int, fields: list[str]) -> None:
    if obj is None:
        if version != 0:
            raise StaleEdit(STALE, {})
        return
    if version != obj.version:
        raise StaleEdit(STALE, current_values(obj, fields))
    if obj.state == ScoreState.FINAL:
        raise ServiceError(FINAL)


def indicator_score(session: Session, indicator_id: int, period_id: int,
                    evaluator_id: int) -> IndicatorScore | None:
    return session.scalar(sa.select(IndicatorScore).where(
        IndicatorScore.indicator_id == indicator_id, IndicatorScore.period_id == period_id,
        IndicatorScore.evaluator_id == evaluator_id).execution_options(populate_existing=True))


def project_rating(session: Session, project_id: int, criterion: Criterion,
                   evaluator_id: int) -> ProjectRating | None:
    return session.scalar(sa.select(ProjectRating).where(
        ProjectRating.project_id == project_id, ProjectRating.criterion == criterion,
        ProjectRating.evaluator_id == evaluator_id).execution_options(populate_existing=True))


def save_indicator_score(session: Session, actor: Actor, evaluator: User,
                         indicator: Indicator, period: ReportingPeriod, version: int,
                         values: dict[str, Any], *, finalise: bool = False) -> IndicatorScore:
    """Create or change the evaluator's score of ``indicator`` in ``period``."""
    require(evaluator, "evaluation.score", indicator.project)
    if period.project_id != indicator.project_id:
        raise ServiceError(_l("This reporting period belongs to another project."), "period_id")
    clean = validated(values, SCORE_FIELDS)
    score = indicator_score(session, indicator.id, period.id, evaluator.id)
    _check_version(score, version, SCORE_FIELDS)
    created = score is None
    if score is None:
        score = IndicatorScore(indicator_id=indicator.id, period_id=period.id,
                               evaluator_id=evaluator.id)
    return _save(session, actor, score, created, "indicator_score", SCORE_FIELDS, clean,
                 finalise, lambda: indicator_score(session, indicator.id, period.id,
                                                   evaluator.id))


def save_project_rating(session: Session, actor: Actor, evaluator: User, project: Project,
                        criterion: Criterion, version: int, values: dict[str, Any], *,
                        finalise: bool = False) -> ProjectRating:
    """Create or change the evaluator's rating of ``project`` on one OECD-DAC criterion."""
    require(evaluator, "evaluation.score", project)
    clean = validated(values, RATING_FIELDS)
    rating = project_rating(session, project.id, criterion, evaluator.id)
    _check_version(rating, version, RATING_FIELDS)
    created = rating is None
    if rating is None:
        rating = ProjectRating(project_id=project.id, criterion=criterion,
                               evaluator_id=evaluator.id)
    return _save(session, actor, rating, created, "project_rating", RATING_FIELDS, clean,
                 finalise, lambda: project_rating(session, project.id, criterion, evaluator.id))


def finalise_drafts(session: Session, actor: Actor, evaluator: User, project: Project,
                    period: ReportingPeriod | None) -> int:
    """Finalise the evaluator's draft scores of ``period`` and draft ratings of ``project``.

    Returns how many were finalised.
    """
    require(evaluator, "evaluation.score", project)
    scores: list[Any] = []
    if period is not None:
        if period.project_id != project.id:
            raise ServiceError(_l("This reporting period belongs to another project."))
        scores = list(session.scalars(
            sa.select(IndicatorScore).join(Indicator, Indicator.id == IndicatorScore.indicator_id)
            .where(Indicator.project_id == project.id, IndicatorScore.period_id == period.id,
                   IndicatorScore.evaluator_id == evaluator.id,
                   IndicatorScore.state == ScoreState.DRAFT)))
    ratings = list(session.scalars(sa.select(ProjectRating).where(
        ProjectRating.project_id == project.id, ProjectRating.evaluator_id == evaluator.id,
        ProjectRating.state == ScoreState.DRAFT)))
    if not scores and not ratings:
        raise ServiceError(_l("You have no drafts to finalise here."))
    now = utcnow()
    for entity, items in (("indicator_score", scores), ("project_rating", ratings)):
        for item in items:
            item.state, item.finalised_at = ScoreState.FINAL, now
            audit.record(session, actor, f"{entity}.finalise", entity, item.id,
                         {"state": ["draft", "final"]})
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise ServiceError(_l("Some of your drafts changed meanwhile; nothing was "
                              "finalised. Review them and finalise again.")) from exc
    session.commit()
    return len(scores) + len(ratings)
