"""Completeness of a project's results framework, step by step.

The set-up follows the Hedayah-style cycle: resource allocation, goal setting (the results
chain with its theory of change and assumptions, and the risk register) and indicator
identification. :func:`findings` takes plain facts about a framework and lists what is still
missing, each finding naming the step it belongs to, the gap and the records concerned
(result or indicator codes, risk labels), so that the interface can say exactly what to fix.
A step without findings is done.

The rules:

- resources: at least one budget line; something planned for monitoring and evaluation;
  the lines do not plan more than the project's budget (when one is set);
- results: a goal, an outcome and an output; every outcome has an output; every result has
  a theory of change (if, then and because); at least one assumption is recorded;
- risks: at least one risk, among them a do-no-harm risk; every risk has a mitigation and an
  owner;
- indicators: at least one; every outcome and output has one; every indicator belongs to a
  result and passes the SMART check (:mod:`indicators.smart`); and every reporting period of
  its frequency has a target (qualitative indicators excepted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from indicators.smart import IndicatorPlan, Missing, missing
from indicators.types import Measure


class Step(StrEnum):
    RESOURCES = "resources"
    RESULTS = "results"
    RISKS = "risks"
    INDICATORS = "indicators"


class ChainLevel(StrEnum):
    """The levels of the results chain (the stored values)."""

    GOAL = "goal"
    OUTCOME = "outcome"
    OUTPUT = "output"


class Gap(StrEnum):
    NO_BUDGET_LINES = "no_budget_lines"
    NO_ME_BUDGET = "no_me_budget"
    OVER_BUDGET = "over_budget"
    NO_GOAL = "no_goal"
    NO_OUTCOME = "no_outcome"
    NO_OUTPUT = "no_output"
    OUTCOME_WITHOUT_OUTPUT = "outcome_without_output"
    NO_THEORY_OF_CHANGE = "no_theory_of_change"
    NO_ASSUMPTION = "no_assumption"
    NO_RISK = "no_risk"
    NO_DO_NO_HARM_RISK = "no_do_no_harm_risk"
    RISK_WITHOUT_MITIGATION = "risk_without_mitigation"
    RISK_WITHOUT_OWNER = "risk_without_owner"
    NO_INDICATOR = "no_indicator"
    RESULT_WITHOUT_INDICATOR = "result_without_indicator"
    INDICATOR_WITHOUT_RESULT = "indicator_without_result"
    NO_BASELINE = "no_baseline"
    NO_TARGET = "no_target"
    NO_DATA_SOURCE = "no_data_source"
    NO_RESPONSIBLE = "no_responsible"
    NO_FREQUENCY = "no_frequency"
    NO_MEANS_OF_VERIFICATION = "no_means_of_verification"
    PERIOD_TARGETS_MISSING = "period_targets_missing"


SMART_GAPS = {
    Missing.BASELINE: Gap.NO_BASELINE,
    Missing.TARGET: Gap.NO_TARGET,
    Missing.DATA_SOURCE: Gap.NO_DATA_SOURCE,
    Missing.RESPONSIBLE: Gap.NO_RESPONSIBLE,
    Missing.FREQUENCY: Gap.NO_FREQUENCY,
    Missing.MEANS_OF_VERIFICATION: Gap.NO_MEANS_OF_VERIFICATION,
}


@dataclass(frozen=True)
class ResultFacts:
    code: str
    level: ChainLevel
    theory_of_change: bool = False
    children: int = 0
    indicators: int = 0


@dataclass(frozen=True)
class RiskFacts:
    label: str
    do_no_harm: bool = False
    mitigation: bool = False
    owner: bool = False


@dataclass(frozen=True)
class IndicatorFacts:
    code: str
    plan: IndicatorPlan = field(default_factory=IndicatorPlan)
    linked: bool = True
    periods: int = 0
    period_targets: int = 0


@dataclass(frozen=True)
class FrameworkFacts:
    budget_lines: int = 0
    planned: Decimal = Decimal(0)
    me_planned: Decimal = Decimal(0)
    project_budget: Decimal | None = None
    results: tuple[ResultFacts, ...] = ()
    assumptions: int = 0
    risks: tuple[RiskFacts, ...] = ()
    indicators: tuple[IndicatorFacts, ...] = ()


@dataclass(frozen=True)
class Finding:
    step: Step
    gap: Gap
    subjects: tuple[str, ...] = ()


def _when(gap: Gap, step: Step, subjects: Iterable[str]) -> list[Finding]:
    """One finding naming ``subjects``, or none when there are none."""
    names = tuple(subjects)
    return [Finding(step, gap, names)] if names else []


def _resources(facts: FrameworkFacts) -> list[Finding]:
    step = Step.RESOURCES
    if not facts.budget_lines:
        return [Finding(step, Gap.NO_BUDGET_LINES)]
    found = []
    if facts.me_planned <= 0:
        found.append(Finding(step, Gap.NO_ME_BUDGET))
    if facts.project_budget is not None and facts.planned > facts.project_budget:
        found.append(Finding(step, Gap.OVER_BUDGET))
    return found


def _results(facts: FrameworkFacts) -> list[Finding]:
    step = Step.RESULTS
    levels = {result.level for result in facts.results}
    found = [Finding(step, gap) for level, gap in (
        (ChainLevel.GOAL, Gap.NO_GOAL), (ChainLevel.OUTCOME, Gap.NO_OUTCOME),
        (ChainLevel.OUTPUT, Gap.NO_OUTPUT)) if level not in levels]
    found += _when(Gap.OUTCOME_WITHOUT_OUTPUT, step, (
        r.code for r in facts.results if r.level is ChainLevel.OUTCOME and not r.children))
    found += _when(Gap.NO_THEORY_OF_CHANGE, step, (
        r.code for r in facts.results if not r.theory_of_change))
    if facts.results and not facts.assumptions:
        found.append(Finding(step, Gap.NO_ASSUMPTION))
    return found


def _risks(facts: FrameworkFacts) -> list[Finding]:
    step = Step.RISKS
    if not facts.risks:
        return [Finding(step, Gap.NO_RISK)]
    found = []
    if not any(risk.do_no_harm for risk in facts.risks):
        found.append(Finding(step, Gap.NO_DO_NO_HARM_RISK))
    found += _when(Gap.RISK_WITHOUT_MITIGATION, step,
                   (r.label for r in facts.risks if not r.mitigation))
    found += _when(Gap.RISK_WITHOUT_OWNER, step, (r.label for r in facts.risks if not r.owner))
    return found


def _needs_period_targets(indicator: IndicatorFacts) -> bool:
    plan = indicator.plan
    if Measure(plan.measure) is Measure.QUALITATIVE or not plan.frequency:
        return False
    return indicator.periods == 0 or indicator.period_targets < indicator.periods


def _indicators(facts: FrameworkFacts) -> list[Finding]:
    step = Step.INDICATORS
    if not facts.indicators:
        return [Finding(step, Gap.NO_INDICATOR)]
    found = _when(Gap.RESULT_WITHOUT_INDICATOR, step, (
        r.code for r in facts.results if r.level is not ChainLevel.GOAL and not r.indicators))
    found += _when(Gap.INDICATOR_WITHOUT_RESULT, step,
                   (i.code for i in facts.indicators if not i.linked))
    gaps = {indicator.code: missing(indicator.plan) for indicator in facts.indicators}
    for element, gap in SMART_GAPS.items():
        found += _when(gap, step, (code for code, lacks in gaps.items() if element in lacks))
    found += _when(Gap.PERIOD_TARGETS_MISSING, step,
                   (i.code for i in facts.indicators if _needs_period_targets(i)))
    return found


def findings(facts: FrameworkFacts) -> tuple[Finding, ...]:
    """Everything the framework still lacks, step by step in the order of :class:`Step`."""
    return tuple(_resources(facts) + _results(facts) + _risks(facts) + _indicators(facts))


def by_step(facts: FrameworkFacts) -> dict[Step, tuple[Finding, ...]]:
    """The findings of each step; a step with an empty tuple is done."""
    found = findings(facts)
    return {step: tuple(f for f in found if f.step is step) for step in Step}
