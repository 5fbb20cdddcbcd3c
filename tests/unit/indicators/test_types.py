"""Value types: enum values the database stores, number handling, validation."""

from dataclasses import FrozenInstanceError, replace
from datetime import date
from decimal import Decimal

import pytest

from indicators.types import (
    Calculation,
    Cumulation,
    Direction,
    Measure,
    Observation,
    Status,
    StatusBands,
    optional_decimal,
    ratio,
    to_decimal,
)

D = Decimal
JAN = date(2024, 1, 1)


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (Calculation, ["sum", "mean", "max", "latest", "ratio"]),
        (Cumulation, ["non_cumulative", "cumulative", "non_summing_cumulative"]),
        (Direction, ["increase", "decrease", "maintain"]),
        (Status, ["on_track", "at_risk", "off_track", "no_data"]),
        (Measure, ["number", "percentage", "nominal", "ordinal", "qualitative"]),
    ],
)
def test_enum_values_are_the_stored_strings(enum, values):
    assert [member.value for member in enum] == values
    # StrEnum members are the strings themselves, so they go into the database verbatim.
    assert [str(member) for member in enum] == values
    assert [enum(value) for value in values] == list(enum)


@pytest.mark.parametrize(
    ("measure", "code"),
    [
        (Measure.NUMBER, 1),
        (Measure.PERCENTAGE, 2),
        (Measure.NOMINAL, 3),
        (Measure.ORDINAL, 4),
        (Measure.QUALITATIVE, 5),
    ],
)
def test_measure_iati_code_round_trips(measure, code):
    assert measure.iati_code == code
    assert Measure.from_iati_code(code) is measure
    assert Measure.from_iati_code(str(code)) is measure


@pytest.mark.parametrize("code", [0, 6, "9"])
def test_unknown_iati_measure_code_is_refused(code):
    with pytest.raises(ValueError, match="unknown IATI indicator measure code"):
        Measure.from_iati_code(code)


def test_to_decimal_accepts_int_and_decimal():
    assert to_decimal(7) == D(7)
    assert isinstance(to_decimal(7), Decimal)
    assert to_decimal(D("0.1")) == D("0.1")


@pytest.mark.parametrize("value", [0.1, True, "3", None])
def test_to_decimal_refuses_other_types(value):
    with pytest.raises(TypeError, match="expected Decimal or int"):
        to_decimal(value)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_to_decimal_refuses_non_finite(value):
    with pytest.raises(ValueError, match="finite"):
        to_decimal(value)


def test_optional_decimal_lets_none_through():
    assert optional_decimal(None) is None
    assert optional_decimal(3) == D(3)


def test_observation_converts_ints_to_decimal():
    row = Observation(JAN, value=5, numerator=3, denominator=4)
    assert (row.value, row.numerator, row.denominator) == (D(5), D(3), D(4))
    assert all(isinstance(n, Decimal) for n in (row.value, row.numerator, row.denominator))


def test_observation_defaults_to_an_empty_total_row():
    row = Observation(JAN)
    assert row.is_total
    assert (row.end, row.category, row.value, row.numerator, row.denominator) == (None,) * 5
    assert not Observation(JAN, category="female").is_total


def test_observation_is_frozen():
    row = Observation(JAN, value=1)
    with pytest.raises(FrozenInstanceError):
        row.value = D(2)  # type: ignore[misc]


def test_observation_replace_validates_again():
    row = Observation(JAN, category="female", value=5)
    assert replace(row, value=D(7)) == Observation(JAN, category="female", value=7)
    with pytest.raises(ValueError, match="reported together"):
        replace(row, numerator=D(1))


@pytest.mark.parametrize(("numerator", "denominator"), [(3, None), (None, 4)])
def test_observation_needs_numerator_and_denominator_together(numerator, denominator):
    with pytest.raises(ValueError, match="reported together"):
        Observation(JAN, numerator=numerator, denominator=denominator)


def test_observation_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        Observation(date(2024, 3, 1), end=date(2024, 2, 29))
    # A one-day period is fine.
    assert Observation(JAN, end=JAN).end == JAN


def test_observation_refuses_float_values():
    with pytest.raises(TypeError, match="got float"):
        Observation(JAN, value=0.5)  # type: ignore[arg-type]


def test_has_data_depends_on_the_calculation():
    value_only = Observation(JAN, value=5)
    pair_only = Observation(JAN, numerator=1, denominator=2)
    assert value_only.has_data(Calculation.SUM)
    assert not value_only.has_data(Calculation.RATIO)
    assert pair_only.has_data(Calculation.RATIO)
    assert not pair_only.has_data(Calculation.MEAN)
    # A plain string from the database works like the enum member.
    assert pair_only.has_data("ratio")  # type: ignore[arg-type]


def test_figure_is_the_rows_own_number():
    row = Observation(JAN, value=80, numerator=3, denominator=4)
    assert row.figure(Calculation.SUM) == D(80)
    assert row.figure(Calculation.RATIO) == D("0.75")  # 3 / 4
    assert Observation(JAN, numerator=3, denominator=0).figure(Calculation.RATIO) is None
    assert Observation(JAN, value=80).figure(Calculation.RATIO) is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (D(1), D(8), D("0.125")),
        (D(0), D(5), D(0)),
        (D(5), D(0), None),
        (None, D(5), None),
        (D(5), None, None),
    ],
)
def test_ratio(numerator, denominator, expected):
    assert ratio(numerator, denominator) == expected


def test_status_bands_defaults():
    bands = StatusBands()
    assert (bands.on_track, bands.at_risk) == (D("0.9"), D("0.6"))


def test_status_bands_accept_ints_and_decimals():
    bands = StatusBands(on_track=1, at_risk=D("0.5"))
    assert bands.on_track == D(1)
    assert isinstance(bands.on_track, Decimal)


@pytest.mark.parametrize(
    ("on_track", "at_risk"),
    [(D("0.6"), D("0.6")), (D("0.5"), D("0.6")), (D("0.9"), D(0)), (D("0.9"), D("-0.1"))],
)
def test_status_bands_must_be_ordered_and_positive(on_track, at_risk):
    with pytest.raises(ValueError, match="on_track > at_risk > 0"):
        StatusBands(on_track, at_risk)
