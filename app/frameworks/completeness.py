"""What a project's results framework still lacks: the facts, read with a fixed number of
queries, handed to the pure check in ``indicators.completeness``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks.models import (
    TOTAL_CODE,
    Assumption,
    BudgetCategory,
    BudgetLine,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
    Result,
    Risk,
    RiskCategory,
    Target,
)
from app.programmes.models import Project
from indicators.completeness import (
    ChainLevel,
    Finding,
    FrameworkFacts,
    IndicatorFacts,
    ResultFacts,
    RiskFacts,
    Step,
    by_step,
)
from indicators.smart import IndicatorPlan

RISK_LABEL_LENGTH = 60


@dataclass(frozen=True)
class Completeness:
    """The findings of each step, and the record behind each subject a finding names."""

    steps: dict[Step, tuple[Finding, ...]]
    result_ids: dict[str, int]
    indicator_ids: dict[str, int]
    risk_ids: dict[str, int]

    @property
    def done(self) -> bool:
        return not any(self.steps.values())


def risk_label(description: str) -> str:
    text = " ".join(description.split())
    return text if len(text) <= RISK_LABEL_LENGTH else text[: RISK_LABEL_LENGTH - 1] + "…"


def _given(*texts: str | None) -> bool:
    return all(text and text.strip() for text in texts)


def total_targets(project_id: int) -> sa.Select[int, int]:
    """Number of total targets per indicator of the project."""
    return (sa.select(Target.indicator_id, sa.func.count(Target.id))
            .join(Indicator, Indicator.id == Target.indicator_id)
            .join(DisaggregationCategory, DisaggregationCategory.id == Target.category_id)
            .join(DisaggregationType, DisaggregationType.id == DisaggregationCategory.type_id)
            .where(Indicator.project_id == project_id, DisaggregationType.code == TOTAL_CODE)
            .group_by(Target.indicator_id))


def load(session: Session, project: Project) -> Completeness:
    """Six queries, whatever the size of the framework."""
    pid = project.id
    lines, planned, me_planned, assumptions = session.execute(sa.select(
        sa.select(sa.func.count(BudgetLine.id)).where(BudgetLine.project_id == pid)
        .scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.planned), 0))
        .where(BudgetLine.project_id == pid).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.planned), 0)).where(
            BudgetLine.project_id == pid,
            BudgetLine.category == BudgetCategory.MONITORING_EVALUATION).scalar_subquery(),
        sa.select(sa.func.count(Assumption.id)).join(Result).where(Result.project_id == pid)
        .scalar_subquery(),
    )).one()
    results = session.execute(sa.select(
        Result.id, Result.code, Result.level, Result.parent_id, Result.toc_if, Result.toc_then,
        Result.toc_because).where(Result.project_id == pid)).all()
    indicators = session.execute(sa.select(
        Indicator.id, Indicator.code, Indicator.result_id, Indicator.measure,
        Indicator.baseline_value, Indicator.baseline_note, Indicator.target_value,
        Indicator.data_source, Indicator.responsible, Indicator.frequency,
        Indicator.means_of_verification).where(Indicator.project_id == pid)
        .order_by(Indicator.position, Indicator.id)).all()
    targets = dict(session.execute(total_targets(pid)).all())
    periods = dict(session.execute(
        sa.select(ReportingPeriod.frequency, sa.func.count(ReportingPeriod.id))
        .where(ReportingPeriod.project_id == pid).group_by(ReportingPeriod.frequency))
        .all())
    risks = session.execute(sa.select(Risk.id, Risk.description, Risk.category, Risk.mitigation,
                                      Risk.owner).where(Risk.project_id == pid)
                            .order_by(Risk.id)).all()

    children: dict[int, int] = {}
    per_result: dict[int, int] = {}
    for r in results:
        if r.parent_id is not None:
            children[r.parent_id] = children.get(r.parent_id, 0) + 1
    for i in indicators:
        if i.result_id is not None:
            per_result[i.result_id] = per_result.get(i.result_id, 0) + 1
    facts = FrameworkFacts(
        budget_lines=lines, planned=Decimal(planned), me_planned=Decimal(me_planned),
        project_budget=project.budget, assumptions=assumptions,
        results=tuple(ResultFacts(
            r.code, ChainLevel(r.level.value), _given(r.toc_if, r.toc_then, r.toc_because),
            children.get(r.id, 0), per_result.get(r.id, 0)) for r in results),
        risks=tuple(RiskFacts(risk_label(r.description), r.category is RiskCategory.DO_NO_HARM,
                              _given(r.mitigation), _given(r.owner)) for r in risks),
        indicators=tuple(IndicatorFacts(
            i.code, plan(i), i.result_id is not None,
            periods.get(i.frequency, 0) if i.frequency else 0, targets.get(i.id, 0))
            for i in indicators),
    )
    return Completeness(
        steps=by_step(facts),
        result_ids={r.code: r.id for r in results},
        indicator_ids={i.code: i.id for i in indicators},
        risk_ids={risk_label(r.description): r.id for r in risks},
    )


def plan(row: Any) -> IndicatorPlan:
    """The SMART plan of an indicator (a model, or a row with the same columns)."""
    return IndicatorPlan(
        measure=row.measure, baseline_value=row.baseline_value, baseline_note=row.baseline_note,
        target_value=row.target_value, data_source=row.data_source, responsible=row.responsible,
        frequency=row.frequency.value if row.frequency else None,
        means_of_verification=row.means_of_verification)
