"""The SMART check: each missing element of an indicator's plan is named."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.smart import IndicatorPlan, Missing, is_smart, missing
from indicators.types import Measure

PROPERTY = settings(database=None, deadline=None, max_examples=150)
COMPLETE = IndicatorPlan(
    measure=Measure.NUMBER, baseline_value=Decimal(0), target_value=Decimal(300),
    data_source="Attendance sheets", responsible="M&E officer", frequency="quarterly",
    means_of_verification="Signed lists",
)


def test_a_complete_plan_lacks_nothing():
    assert missing(COMPLETE) == ()
    assert is_smart(COMPLETE)


def test_an_empty_plan_lacks_everything_in_order():
    assert missing(IndicatorPlan()) == tuple(Missing)
    assert not is_smart(IndicatorPlan())


@pytest.mark.parametrize(
    ("change", "element"),
    [
        ({"baseline_value": None}, Missing.BASELINE),
        ({"target_value": None}, Missing.TARGET),
        ({"data_source": None}, Missing.DATA_SOURCE),
        ({"data_source": "   "}, Missing.DATA_SOURCE),
        ({"responsible": ""}, Missing.RESPONSIBLE),
        ({"frequency": None}, Missing.FREQUENCY),
        ({"means_of_verification": " \n"}, Missing.MEANS_OF_VERIFICATION),
    ],
)
def test_each_missing_element_is_named_alone(change, element):
    plan = IndicatorPlan(**{**COMPLETE.__dict__, **change})
    assert missing(plan) == (element,)


def test_zero_is_a_baseline_and_a_target():
    plan = IndicatorPlan(**{**COMPLETE.__dict__, "baseline_value": Decimal(0),
                            "target_value": Decimal(0)})
    assert missing(plan) == ()


def test_a_baseline_note_does_not_replace_a_numeric_baseline():
    plan = IndicatorPlan(**{**COMPLETE.__dict__, "baseline_value": None,
                            "baseline_note": "No survey yet"})
    assert missing(plan) == (Missing.BASELINE,)


def test_qualitative_indicators_take_a_note_as_baseline_and_need_no_numeric_target():
    base = {**COMPLETE.__dict__, "measure": Measure.QUALITATIVE, "baseline_value": None,
            "target_value": None}
    assert missing(IndicatorPlan(**{**base, "baseline_note": "Mistrust of police"})) == ()
    assert missing(IndicatorPlan(**{**base, "baseline_note": " "})) == (Missing.BASELINE,)


def test_the_measure_may_be_the_stored_string():
    plan = IndicatorPlan(**{**COMPLETE.__dict__, "measure": "qualitative",  # type: ignore[arg-type]
                            "target_value": None})
    assert missing(plan) == ()


texts = st.one_of(st.none(), st.text(max_size=5))
numbers = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False))


@PROPERTY
@given(measure=st.sampled_from(Measure), baseline=numbers, note=texts, target=numbers,
       source=texts, responsible=texts, frequency=texts, verification=texts)
def test_missing_elements_are_exactly_the_absent_ones(measure, baseline, note, target, source,
                                                      responsible, frequency, verification):
    plan = IndicatorPlan(measure, baseline, note, target, source, responsible, frequency,
                         verification)
    found = missing(plan)
    assert list(found) == sorted(found, key=list(Missing).index)
    assert (Missing.DATA_SOURCE in found) == (not (source or "").strip())
    assert (Missing.TARGET in found) == (target is None and measure is not Measure.QUALITATIVE)
    assert is_smart(plan) == (found == ())
