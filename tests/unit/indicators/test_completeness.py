"""The completeness check names every gap of a results framework, step by step."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.completeness import (
    SMART_GAPS,
    ChainLevel,
    Finding,
    FrameworkFacts,
    Gap,
    IndicatorFacts,
    ResultFacts,
    RiskFacts,
    Step,
    by_step,
    findings,
)
from indicators.smart import IndicatorPlan, Missing
from indicators.types import Measure

PROPERTY = settings(database=None, deadline=None, max_examples=150)
SMART = IndicatorPlan(baseline_value=Decimal(10), target_value=Decimal(50), data_source="Survey",
                      responsible="M&E officer", frequency="annual",
                      means_of_verification="Survey report")
COMPLETE = FrameworkFacts(
    budget_lines=3, planned=Decimal(1000), me_planned=Decimal(80), project_budget=Decimal(1000),
    results=(
        ResultFacts("G", ChainLevel.GOAL, theory_of_change=True, children=1),
        ResultFacts("1", ChainLevel.OUTCOME, theory_of_change=True, children=1, indicators=1),
        ResultFacts("1.1", ChainLevel.OUTPUT, theory_of_change=True, indicators=2),
    ),
    assumptions=1,
    risks=(RiskFacts("Backlash", do_no_harm=True, mitigation=True, owner=True),),
    indicators=(IndicatorFacts("1a", SMART, periods=2, period_targets=2),
                IndicatorFacts("1.1a", SMART, periods=2, period_targets=2),
                IndicatorFacts("1.1b", SMART, periods=2, period_targets=2)),
)


def gaps(facts: FrameworkFacts) -> dict[Gap, tuple[str, ...]]:
    return {finding.gap: finding.subjects for finding in findings(facts)}


def test_a_complete_framework_has_no_findings_and_every_step_is_done():
    assert findings(COMPLETE) == ()
    assert by_step(COMPLETE) == {step: () for step in Step}


def test_an_empty_framework_lacks_each_step_once():
    assert findings(FrameworkFacts()) == (
        Finding(Step.RESOURCES, Gap.NO_BUDGET_LINES),
        Finding(Step.RESULTS, Gap.NO_GOAL),
        Finding(Step.RESULTS, Gap.NO_OUTCOME),
        Finding(Step.RESULTS, Gap.NO_OUTPUT),
        Finding(Step.RISKS, Gap.NO_RISK),
        Finding(Step.INDICATORS, Gap.NO_INDICATOR),
    )


def test_resources_need_an_me_share_within_the_project_budget():
    assert gaps(replace(COMPLETE, me_planned=Decimal(0))) == {Gap.NO_ME_BUDGET: ()}
    assert gaps(replace(COMPLETE, planned=Decimal(1001))) == {Gap.OVER_BUDGET: ()}
    assert gaps(replace(COMPLETE, planned=Decimal(5000), project_budget=None)) == {}


def test_results_chain_gaps_name_the_results():
    results = (
        ResultFacts("G", ChainLevel.GOAL, theory_of_change=True, children=2),
        ResultFacts("1", ChainLevel.OUTCOME, theory_of_change=False, children=0, indicators=1),
        ResultFacts("2", ChainLevel.OUTCOME, theory_of_change=True, children=0, indicators=1),
    )
    found = by_step(replace(COMPLETE, results=results, assumptions=0))[Step.RESULTS]
    assert found == (
        Finding(Step.RESULTS, Gap.NO_OUTPUT),
        Finding(Step.RESULTS, Gap.OUTCOME_WITHOUT_OUTPUT, ("1", "2")),
        Finding(Step.RESULTS, Gap.NO_THEORY_OF_CHANGE, ("1",)),
        Finding(Step.RESULTS, Gap.NO_ASSUMPTION),
    )


def test_risks_need_do_no_harm_mitigation_and_owner():
    risks = (RiskFacts("Fraud", mitigation=True, owner=False),
             RiskFacts("Arrests", mitigation=False, owner=True))
    assert by_step(replace(COMPLETE, risks=risks))[Step.RISKS] == (
        Finding(Step.RISKS, Gap.NO_DO_NO_HARM_RISK),
        Finding(Step.RISKS, Gap.RISK_WITHOUT_MITIGATION, ("Arrests",)),
        Finding(Step.RISKS, Gap.RISK_WITHOUT_OWNER, ("Fraud",)),
    )


def test_each_smart_element_is_flagged_with_the_indicator_codes():
    for element, gap in SMART_GAPS.items():
        field = {Missing.BASELINE: "baseline_value", Missing.TARGET: "target_value"}.get(
            element, element.value)
        plan = replace(SMART, **{field: None})
        indicators = (IndicatorFacts("1a", plan, periods=2, period_targets=2),
                      *COMPLETE.indicators[1:])
        # Without a frequency no period targets are asked for: the one gap is the frequency.
        assert gaps(replace(COMPLETE, indicators=indicators)) == {gap: ("1a",)}


def test_results_without_indicators_and_indicators_without_results():
    results = (*COMPLETE.results[:2], replace(COMPLETE.results[2], indicators=0))
    indicators = (*COMPLETE.indicators[:2], replace(COMPLETE.indicators[2], linked=False))
    assert gaps(replace(COMPLETE, results=results, indicators=indicators)) == {
        Gap.RESULT_WITHOUT_INDICATOR: ("1.1",), Gap.INDICATOR_WITHOUT_RESULT: ("1.1b",)}


def test_the_goal_needs_no_indicator():
    results = (replace(COMPLETE.results[0], indicators=0), *COMPLETE.results[1:])
    assert gaps(replace(COMPLETE, results=results)) == {}


def test_period_targets_are_needed_for_every_period():
    short = IndicatorFacts("1a", SMART, periods=4, period_targets=3)
    no_periods = IndicatorFacts("1.1a", SMART, periods=0, period_targets=0)
    qualitative = IndicatorFacts("1.1b", replace(SMART, measure=Measure.QUALITATIVE,
                                                 target_value=None), periods=4)
    found = gaps(replace(COMPLETE, indicators=(short, no_periods, qualitative)))
    assert found == {Gap.PERIOD_TARGETS_MISSING: ("1a", "1.1a")}


@PROPERTY
@given(
    lines=st.integers(0, 3), me=st.integers(0, 5), assumptions=st.integers(0, 2),
    levels=st.lists(st.sampled_from(ChainLevel), max_size=5),
    risky=st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=3),
)
def test_a_step_is_done_exactly_when_it_has_no_findings(lines, me, assumptions, levels, risky):
    facts = FrameworkFacts(
        budget_lines=lines, planned=Decimal(me), me_planned=Decimal(me), assumptions=assumptions,
        results=tuple(ResultFacts(str(i), level) for i, level in enumerate(levels)),
        risks=tuple(RiskFacts(f"r{i}", *flags) for i, flags in enumerate(risky)),
    )
    steps = by_step(facts)
    assert set(steps) == set(Step)
    assert sum(len(found) for found in steps.values()) == len(findings(facts))
    assert (steps[Step.RESOURCES] == ()) == (lines > 0 and me > 0)
    assert all(finding.step is step for step, found in steps.items() for finding in found)
