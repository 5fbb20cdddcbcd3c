"""The evaluation report of a project: finalised scores with their justifications, the spread
per item and Krippendorff's alpha (ordinal) per project, the consensus a manager recorded,
and the indicator results the evaluators judged.

A fixed number of queries whatever the number of indicators and scores: periods, indicators,
finalised scores, finalised ratings, consensus scores, drafts per evaluator (counted in SQL),
and the values and targets the results are computed from. Drafts are counted, never shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.evaluation.consensus import ConsensusItem
from app.evaluation.models import (
    ConsensusScore,
    Criterion,
    IndicatorScore,
    ProjectRating,
    ScoreAspect,
    ScoreState,
)
from app.evaluation.results import IndicatorResult, ResultBuilder
from app.evaluation.sheet import project_indicators, project_periods
from app.frameworks.models import Indicator, ReportingPeriod
from app.programmes.models import Project
from indicators.agreement import Level, Spread, krippendorff_alpha, spread, units_from_ratings
from indicators.types import StatusBands

Unit = tuple[ScoreAspect, int | None, int | None, Criterion | None]
RELIABLE, TENTATIVE = Decimal("0.800"), Decimal("0.667")


@dataclass(frozen=True)
class ScoreLine:
    """One evaluator's finalised score of an item: ``values`` maps aspect to level."""

    evaluator_id: int
    evaluator: str
    values: dict[ScoreAspect, int]
    justification: str
    finalised_at: datetime | None


@dataclass(frozen=True)
class Consensus:
    value: int
    reason: str
    decided_by: str | None
    decided_at: datetime


@dataclass
class IndicatorItem:
    indicator: Indicator
    period: ReportingPeriod
    result: IndicatorResult
    scores: list[ScoreLine] = field(default_factory=list)
    consensus: dict[ScoreAspect, Consensus] = field(default_factory=dict)

    def spread(self, aspect: ScoreAspect) -> Spread[int] | None:
        return spread(s.values[aspect] for s in self.scores)


@dataclass
class CriterionItem:
    criterion: Criterion
    scores: list[ScoreLine] = field(default_factory=list)
    consensus: Consensus | None = None

    def spread(self) -> Spread[int] | None:
        return spread(s.values[ScoreAspect.CRITERION] for s in self.scores)


@dataclass(frozen=True)
class Agreement:
    """Alpha over every finalised score of the project, and per aspect."""

    alpha: Decimal | None
    by_aspect: dict[ScoreAspect, Decimal | None]
    evaluators: int
    items: int  # scored units: each aspect of an indicator in a period, each criterion
    paired_items: int  # units that at least two evaluators scored

    @property
    def band(self) -> str:
        return band(self.alpha)


def band(alpha: Decimal | None) -> str:
    if alpha is None:
        return "none"
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "low"


@dataclass
class EvaluationReport:
    project: Project
    items: list[IndicatorItem]
    criteria: list[CriterionItem]
    agreement: Agreement
    drafts: list[tuple[str, int]]  # (evaluator, drafts not yet finalised)
    include_provisional: bool = False  # values of periods not yet approved are counted

    def ratings(self) -> list[tuple[Unit, int, int]]:
        """(unit, evaluator id, level) for every finalised score: the reliability data."""
        rows: list[tuple[Unit, int, int]] = []
        for item in self.items:
            for line in item.scores:
                for aspect, value in line.values.items():
                    rows.append(((aspect, item.indicator.id, item.period.id, None),
                                 line.evaluator_id, value))
        for criterion in self.criteria:
            for line in criterion.scores:
                rows.append(((ScoreAspect.CRITERION, None, None, criterion.criterion),
                             line.evaluator_id, line.values[ScoreAspect.CRITERION]))
        return rows


def agreement(rows: list[tuple[Unit, int, int]]) -> Agreement:
    units = units_from_ratings(rows)
    by_aspect = {aspect: krippendorff_alpha(
        {u: v for u, v in units.items() if u[0] == aspect}, Level.ORDINAL)
        for aspect in ScoreAspect}
    return Agreement(alpha=krippendorff_alpha(units, Level.ORDINAL), by_aspect=by_aspect,
                     evaluators=len({evaluator for _u, evaluator, _v in rows}),
                     items=len(units),
                     paired_items=sum(1 for values in units.values() if len(values) >= 2))


def _consensus(session: Session, project: Project) -> dict[Unit, Consensus]:
    query = (sa.select(ConsensusScore, User.name).outerjoin(
        User, User.id == ConsensusScore.decided_by_id)
        .where(ConsensusScore.project_id == project.id).order_by(ConsensusScore.id))
    found: dict[Unit, Consensus] = {}
    for row, name in session.execute(query):
        unit = (row.aspect, row.indicator_id, row.period_id, row.criterion)
        found.setdefault(unit, Consensus(row.value, row.reason, name, row.updated_at))
    return found


def _drafts(session: Session, project: Project) -> list[tuple[str, int]]:
    scores = (sa.select(IndicatorScore.evaluator_id.label("evaluator_id"))
              .join(Indicator, Indicator.id == IndicatorScore.indicator_id)
              .where(Indicator.project_id == project.id,
                     IndicatorScore.state == ScoreState.DRAFT))
    ratings = (sa.select(ProjectRating.evaluator_id.label("evaluator_id"))
               .where(ProjectRating.project_id == project.id,
                      ProjectRating.state == ScoreState.DRAFT))
    drafts = sa.union_all(scores, ratings).subquery()
    query = (sa.select(User.name, sa.func.count().label("n"))
             .join(drafts, drafts.c.evaluator_id == User.id)
             .group_by(User.id, User.name).order_by(User.name))
    return [(r.name, r.n) for r in session.execute(query)]


def build_report(session: Session, project: Project, bands: StatusBands,
                 today: date, *, include_provisional: bool = False) -> EvaluationReport:
    periods = {p.id: p for p in project_periods(session, project)}
    indicators = {i.id: i for i in project_indicators(session, project)}
    consensus = _consensus(session, project)
    score_query = (
        sa.select(IndicatorScore, User.name)
        .join(Indicator, Indicator.id == IndicatorScore.indicator_id)
        .join(User, User.id == IndicatorScore.evaluator_id)
        .where(Indicator.project_id == project.id, IndicatorScore.state == ScoreState.FINAL)
        .order_by(User.name, IndicatorScore.evaluator_id))
    items: dict[tuple[int, int], IndicatorItem] = {}
    builder = ResultBuilder(session, project, periods.values(), bands, today,
                            include_provisional=include_provisional)
    for score, name in session.execute(score_query):
        key = (score.indicator_id, score.period_id)
        if key not in items:
            indicator, period = indicators[key[0]], periods[key[1]]
            items[key] = IndicatorItem(indicator, period, builder.result(indicator, period))
        items[key].scores.append(ScoreLine(
            score.evaluator_id, name, {ScoreAspect.ACHIEVEMENT: score.achievement,
                                       ScoreAspect.DATA_QUALITY: score.data_quality},
            score.justification, score.finalised_at))
    for (indicator_id, period_id), item in items.items():
        for aspect in (ScoreAspect.ACHIEVEMENT, ScoreAspect.DATA_QUALITY):
            found = consensus.get((aspect, indicator_id, period_id, None))
            if found:
                item.consensus[aspect] = found
    criteria = {c: CriterionItem(c, consensus=consensus.get((ScoreAspect.CRITERION, None, None, c)))
                for c in Criterion}
    rating_query = (
        sa.select(ProjectRating, User.name).join(User, User.id == ProjectRating.evaluator_id)
        .where(ProjectRating.project_id == project.id, ProjectRating.state == ScoreState.FINAL)
        .order_by(User.name, ProjectRating.evaluator_id))
    for rating, name in session.execute(rating_query):
        criteria[rating.criterion].scores.append(ScoreLine(
            rating.evaluator_id, name, {ScoreAspect.CRITERION: rating.rating},
            rating.justification, rating.finalised_at))
    order = {i: n for n, i in enumerate(indicators)}
    ordered = sorted(items.values(), key=lambda it: (
        it.period.start_date, it.period.end_date, it.period.id, order[it.indicator.id]))
    report = EvaluationReport(project, ordered, list(criteria.values()),
                              agreement=agreement([]), drafts=_drafts(session, project),
                              include_provisional=include_provisional)
    report.agreement = agreement(report.ratings())
    return report


def periods_of(report: EvaluationReport) -> list[tuple[ReportingPeriod, list[IndicatorItem]]]:
    """The report's indicator items grouped by period, in period order."""
    groups: dict[int, list[IndicatorItem]] = defaultdict(list)
    heads: dict[int, ReportingPeriod] = {}
    for item in report.items:
        groups[item.period.id].append(item)
        heads[item.period.id] = item.period
    return [(heads[pid], groups[pid]) for pid in groups]



def item_scores(session: Session, project: Project, item: ConsensusItem
                ) -> tuple[list[ScoreLine], int]:
    """The finalised scores of one item with their evaluators, and how many are drafts."""
    lines: list[ScoreLine] = []
    drafts = 0
    if item.aspect == ScoreAspect.CRITERION:
        query: Any = (
            sa.select(ProjectRating, User.name).join(User, User.id == ProjectRating.evaluator_id)
            .where(ProjectRating.project_id == project.id,
                   ProjectRating.criterion == item.criterion).order_by(User.name))
    else:
        query = (
            sa.select(IndicatorScore, User.name).join(User, User.id == IndicatorScore.evaluator_id)
            .where(IndicatorScore.indicator_id == item.indicator_id,
                   IndicatorScore.period_id == item.period_id).order_by(User.name))
    for score, name in session.execute(query):
        if score.state != ScoreState.FINAL:
            drafts += 1
            continue
        value = score.rating if item.aspect == ScoreAspect.CRITERION else getattr(
            score, item.aspect.value)
        lines.append(ScoreLine(score.evaluator_id, name, {item.aspect: value},
                               score.justification, score.finalised_at))
    return lines, drafts
