"""Progress towards a target, its clamped form, status bands and elapsed time."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.progress import clamped, elapsed_fraction, progress, status
from indicators.types import Direction, Status, StatusBands

D = Decimal
PROPERTY = settings(database=None, deadline=None, max_examples=200)

# increase and decrease -----------------------------------------------------------------


def test_increase_without_baseline_starts_from_zero():
    assert progress(30, 120) == D("0.25")  # 30 / 120


def test_increase_with_baseline():
    # (70 - 20) / (120 - 20) = 50 / 100
    assert progress(70, 120, baseline=20) == D("0.5")


def test_over_achievement_and_regression_are_not_clamped():
    assert progress(150, 120, baseline=20) == D("1.3")  # 130 / 100
    assert progress(10, 120, baseline=20) == D("-0.1")  # -10 / 100


def test_decrease_uses_the_same_formula():
    # Baseline 40 incidents, target 10: (25 - 40) / (10 - 40) = -15 / -30.
    assert progress(25, 10, baseline=40, direction=Direction.DECREASE) == D("0.5")
    # Beating the target: (4 - 40) / -30 = 1.2.
    assert progress(4, 10, baseline=40, direction=Direction.DECREASE) == D("1.2")
    # Getting worse: (49 - 40) / -30 = -0.3.
    assert progress(49, 10, baseline=40, direction=Direction.DECREASE) == D("-0.3")


def test_direction_may_be_the_stored_string():
    assert progress(25, 10, baseline=40, direction="decrease") == D("0.5")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "baseline", "direction"),
    [
        (10, 40, Direction.INCREASE),  # target below the baseline
        (40, 40, Direction.INCREASE),  # nothing to achieve
        (0, None, Direction.INCREASE),  # no baseline means 0
        (-5, None, Direction.INCREASE),
        (50, 40, Direction.DECREASE),  # target above the baseline
        (40, 40, Direction.DECREASE),
        (5, None, Direction.DECREASE),  # a decrease from 0 to 5 is not a decrease
    ],
)
def test_target_on_the_wrong_side_of_the_baseline_is_undefined(target, baseline, direction):
    assert progress(20, target, baseline=baseline, direction=direction) is None


def test_decrease_from_zero_baseline_to_negative_target():
    # Net balance indicator: baseline 0, target -20, actual -5 → -5 / -20.
    assert progress(-5, -20, direction=Direction.DECREASE) == D("0.25")


@pytest.mark.parametrize("direction", list(Direction))
def test_missing_actual_or_target_is_undefined(direction):
    assert progress(None, 100, direction=direction) is None
    assert progress(50, None, direction=direction) is None


def test_decimal_inputs_stay_exact():
    # (0.3 - 0.1) / (0.7 - 0.1) = 0.2 / 0.6 = 1/3, with no binary-float noise.
    assert progress(D("0.3"), D("0.7"), baseline=D("0.1")) == D(1) / D(3)


# maintain ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (100, D(1)),
        (104, D(1)),  # within the band of 5 % x 100 = 5
        (95, D(1)),  # on the edge of the band
        (90, 1 - D(5) / D(95)),  # 1 - (10 - 5) / (100 - 5) = 0.947...
        (150, 1 - D(45) / D(95)),  # 1 - (50 - 5) / 95 = 0.526...
        (0, D(0)),  # 1 - (100 - 5) / 95 = 0
        (200, D(0)),
        (250, D(0)),  # would be negative; floored at 0
    ],
)
def test_maintain_default_tolerance(actual, expected):
    assert progress(actual, 100, direction=Direction.MAINTAIN) == expected


def test_maintain_ignores_the_baseline():
    with_baseline = progress(90, 100, baseline=40, direction=Direction.MAINTAIN)
    assert with_baseline == progress(90, 100, direction=Direction.MAINTAIN)


def test_maintain_with_a_custom_tolerance():
    assert progress(90, 100, direction=Direction.MAINTAIN, tolerance=0) == D("0.9")  # 1 - 10/100
    assert progress(90, 100, direction=Direction.MAINTAIN, tolerance=D("0.1")) == D(1)


def test_maintain_negative_target_uses_its_magnitude():
    # Band 10 % x 50 = 5: -52 is within it; -40 is 10 away: 1 - (10 - 5) / (50 - 5) = 0.888...
    assert progress(-52, -50, direction=Direction.MAINTAIN, tolerance=D("0.1")) == D(1)
    assert progress(-40, -50, direction=Direction.MAINTAIN, tolerance=D("0.1")) == 1 - D(5) / D(45)


def test_maintain_zero_target_is_all_or_nothing():
    assert progress(0, 0, direction=Direction.MAINTAIN) == D(1)
    assert progress(1, 0, direction=Direction.MAINTAIN) == D(0)
    assert progress(-1, 0, direction=Direction.MAINTAIN) == D(0)


@pytest.mark.parametrize("tolerance", [D(1), D("1.5"), D("-0.01")])
def test_maintain_tolerance_must_be_a_fraction_below_one(tolerance):
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        progress(90, 100, direction=Direction.MAINTAIN, tolerance=tolerance)


# clamped -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (D("-0.2"), D(0)), (D(0), D(0)), (D("0.4"), D("0.4")), (D("1.3"), D(1))],
)
def test_clamped(value, expected):
    assert clamped(value) == expected


# status --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, Status.NO_DATA),
        (D("1.3"), Status.ON_TRACK),
        (1, Status.ON_TRACK),
        (D("0.9"), Status.ON_TRACK),  # the band edge belongs to the better status
        (D("0.8999"), Status.AT_RISK),
        (D("0.6"), Status.AT_RISK),
        (D("0.5999"), Status.OFF_TRACK),
        (D("-0.5"), Status.OFF_TRACK),
    ],
)
def test_status_default_bands(value, expected):
    assert status(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.45"), Status.ON_TRACK),  # 0.9 x 0.5
        (D("0.44"), Status.AT_RISK),
        (D("0.3"), Status.AT_RISK),  # 0.6 x 0.5
        (D("0.29"), Status.OFF_TRACK),
    ],
)
def test_status_scales_the_bands_by_the_expected_share(value, expected):
    assert status(value, expected=D("0.5")) is expected


def test_status_with_custom_bands():
    bands = StatusBands(on_track=D("0.8"), at_risk=D("0.5"))
    assert status(D("0.8"), bands) is Status.ON_TRACK
    assert status(D("0.79"), bands) is Status.AT_RISK
    assert status(D("0.5"), bands) is Status.AT_RISK
    assert status(D("0.49"), bands) is Status.OFF_TRACK


def test_status_when_nothing_is_expected_yet():
    assert status(D(0), expected=0) is Status.ON_TRACK
    assert status(D("-0.01"), expected=0) is Status.OFF_TRACK


@pytest.mark.parametrize("expected", [D("1.01"), D("-0.1")])
def test_status_expected_share_must_be_a_fraction(expected):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        status(D("0.5"), expected=expected)


def test_undefined_progress_has_no_status():
    assert status(progress(20, 10, baseline=40)) is Status.NO_DATA


# elapsed_fraction ----------------------------------------------------------------------

START, END = date(2024, 1, 1), date(2025, 1, 1)  # 366 days: 2024 is a leap year


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2023, 12, 1), D(0)),
        (START, D(0)),
        (date(2024, 7, 1), D(182) / D(366)),  # 31+29+31+30+31+30 days into the year
        (END, D(1)),
        (date(2026, 1, 1), D(1)),
    ],
)
def test_elapsed_fraction(today, expected):
    assert elapsed_fraction(START, END, today) == expected


def test_elapsed_fraction_of_a_single_day():
    assert elapsed_fraction(START, START, START) == D(1)


def test_elapsed_fraction_refuses_a_reversed_period():
    with pytest.raises(ValueError, match="before it starts"):
        elapsed_fraction(END, START, START)


def test_halfway_status_uses_the_time_share():
    # Half the year gone (183/366 = 0.5): on track from 0.9 x 0.5 = 0.45, at risk from
    # 0.6 x 0.5 = 0.3. Progress 0.25 is off track, 0.35 at risk, 0.45 on track.
    share = elapsed_fraction(START, END, date(2024, 7, 2))
    assert share == D("0.5")
    assert status(progress(25, 100), expected=share) is Status.OFF_TRACK
    assert status(progress(35, 100), expected=share) is Status.AT_RISK
    assert status(progress(45, 100), expected=share) is Status.ON_TRACK


# properties ----------------------------------------------------------------------------

amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=2)
spans = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)


@PROPERTY
@given(baseline=st.none() | amounts, span=spans, first=amounts, second=amounts)
def test_increase_progress_never_falls_when_the_actual_rises(baseline, span, first, second):
    low, high = sorted((first, second))
    target = (baseline or 0) + span
    before = progress(low, target, baseline=baseline)
    after = progress(high, target, baseline=baseline)
    assert before is not None
    assert after is not None
    assert before <= after


@PROPERTY
@given(baseline=st.none() | amounts, span=spans, first=amounts, second=amounts)
def test_decrease_progress_never_rises_when_the_actual_rises(baseline, span, first, second):
    low, high = sorted((first, second))
    target = (baseline or 0) - span
    before = progress(low, target, baseline=baseline, direction=Direction.DECREASE)
    after = progress(high, target, baseline=baseline, direction=Direction.DECREASE)
    assert before is not None
    assert after is not None
    assert before >= after


@PROPERTY
@given(
    baseline=st.none() | amounts,
    span=spans,
    direction=st.sampled_from([Direction.INCREASE, Direction.DECREASE]),
)
def test_progress_is_zero_at_the_baseline_and_one_at_the_target(baseline, span, direction):
    start = baseline or D(0)
    target = start + span if direction is Direction.INCREASE else start - span
    assert progress(start, target, baseline=baseline, direction=direction) == 0
    assert progress(target, target, baseline=baseline, direction=direction) == 1


@PROPERTY
@given(
    actual=amounts,
    target=amounts,
    tolerance=st.decimals(min_value=0, max_value=D("0.99"), places=2),
)
def test_maintain_progress_stays_between_zero_and_one(actual, target, tolerance):
    value = progress(actual, target, direction=Direction.MAINTAIN, tolerance=tolerance)
    assert value is not None
    assert 0 <= value <= 1
    assert (value == 1) == (abs(actual - target) <= tolerance * abs(target))


@PROPERTY
@given(value=st.none() | amounts)
def test_clamped_is_within_bounds(value):
    bounded = clamped(value)
    if value is None:
        assert bounded is None
    else:
        assert bounded is not None
        assert 0 <= bounded <= 1
        assert bounded == value or value < 0 or value > 1


RANK = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2}
fractions = st.decimals(min_value=0, max_value=1, places=3)


@PROPERTY
@given(
    first=amounts,
    second=amounts,
    at_risk=st.decimals(min_value=D("0.01"), max_value=D("0.98"), places=2),
    gap=st.decimals(min_value=D("0.01"), max_value=1, places=2),
    expected=fractions,
)
def test_status_is_monotone_in_progress(first, second, at_risk, gap, expected):
    low, high = sorted((first, second))
    bands = StatusBands(on_track=at_risk + gap, at_risk=at_risk)
    assume(bands.on_track > bands.at_risk)
    worse = status(low, bands, expected=expected)
    better = status(high, bands, expected=expected)
    assert RANK[worse] <= RANK[better]
