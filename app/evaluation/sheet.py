"""The scoring sheet of one project and period: what the page shows, in a fixed number of
queries (periods, indicators, values, targets, and the signed-in evaluator's own scores and
ratings, or for those who do not score, the number of scores per indicator)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.auth.models import User
from app.auth.permissions import can
from app.evaluation.models import Criterion, IndicatorScore, ProjectRating, ScoreState
from app.evaluation.results import IndicatorResult, ResultBuilder, late_report
from app.evidence import services as evidence_services
from app.evidence.models import EvidenceFile, SubjectKind
from app.frameworks.models import Indicator, ReportingPeriod
from app.programmes.models import Project
from indicators.quality import Flag
from indicators.types import StatusBands


@dataclass
class SheetRow:
    indicator: Indicator
    result: IndicatorResult
    score: IndicatorScore | None = None
    final: int = 0  # scores finalised by all evaluators (for those who do not score)
    drafts: int = 0
    files: list[EvidenceFile] = field(default_factory=list)  # evidence of the period's value


@dataclass
class ScoringSheet:
    project: Project
    periods: list[ReportingPeriod]
    period: ReportingPeriod | None
    may_score: bool
    rows: list[SheetRow] = field(default_factory=list)
    ratings: dict[Criterion, ProjectRating] = field(default_factory=dict)
    late: Flag | None = None

    @property
    def drafts(self) -> int:
        """The signed-in evaluator's drafts on this page."""
        return (sum(1 for r in self.rows if r.score and r.score.state == ScoreState.DRAFT)
                + sum(1 for r in self.ratings.values() if r.state == ScoreState.DRAFT))

    @property
    def unscored(self) -> int:
        return (sum(1 for r in self.rows if r.score is None)
                + sum(1 for c in Criterion if c not in self.ratings))


def project_periods(session: Session, project: Project) -> list[ReportingPeriod]:
    return list(session.scalars(
        sa.select(ReportingPeriod).where(ReportingPeriod.project_id == project.id)
        .order_by(ReportingPeriod.start_date, ReportingPeriod.end_date, ReportingPeriod.id)))


def default_period(periods: list[ReportingPeriod], today: date) -> ReportingPeriod | None:
    """The latest period that has ended, else the first one."""
    ended = [p for p in periods if p.end_date < today]
    if ended:
        return max(ended, key=lambda p: (p.end_date, p.start_date))
    return periods[0] if periods else None


def project_indicators(session: Session, project: Project) -> list[Indicator]:
    return list(session.scalars(
        sa.select(Indicator).where(Indicator.project_id == project.id)
        .options(joinedload(Indicator.result))
        .order_by(Indicator.position, Indicator.code, Indicator.id)))


def build_sheet(session: Session, user: User, project: Project, period_id: int | None,
                bands: StatusBands, today: date, *,
                include_provisional: bool = False) -> ScoringSheet | None:
    """The sheet for ``period_id`` (default: see ``default_period``); None when the period
    is not one of the project's."""
    periods = project_periods(session, project)
    if period_id is None:
        period = default_period(periods, today)
    else:
        period = next((p for p in periods if p.id == period_id), None)
        if period is None:
            return None
    may_score = can(user, "evaluation.score", project)
    sheet = ScoringSheet(project=project, periods=periods, period=period, may_score=may_score)
    if may_score:
        sheet.ratings = {r.criterion: r for r in session.scalars(sa.select(ProjectRating).where(
            ProjectRating.project_id == project.id, ProjectRating.evaluator_id == user.id))}
    if period is None:
        return sheet
    sheet.late = late_report(period, today)
    builder = ResultBuilder(session, project, periods, bands, today,
                            include_provisional=include_provisional)
    scores: dict[int, IndicatorScore] = {}
    counts: dict[tuple[int, ScoreState], int] = {}
    if may_score:
        scores = {s.indicator_id: s for s in session.scalars(sa.select(IndicatorScore).where(
            IndicatorScore.period_id == period.id, IndicatorScore.evaluator_id == user.id))}
    else:
        counts = {(r.indicator_id, r.state): r.n for r in session.execute(
            sa.select(IndicatorScore.indicator_id, IndicatorScore.state,
                      sa.func.count(IndicatorScore.id).label("n"))
            .where(IndicatorScore.period_id == period.id)
            .group_by(IndicatorScore.indicator_id, IndicatorScore.state))}
    indicators = project_indicators(session, project)
    files = evidence_services.files_by_subject(
        session, SubjectKind.VALUE, [i.id for i in indicators], period.id)
    for indicator in indicators:
        sheet.rows.append(SheetRow(
            indicator=indicator, result=builder.result(indicator, period),
            score=scores.get(indicator.id),
            final=counts.get((indicator.id, ScoreState.FINAL), 0),
            drafts=counts.get((indicator.id, ScoreState.DRAFT), 0),
            files=files.get(indicator.id, [])))
    return sheet
