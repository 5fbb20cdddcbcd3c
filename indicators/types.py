"""Value types shared by the computation core.

The enum values are stored verbatim in the database, so they are part of the schema:
renaming a value needs a migration, not just an edit here.

Numbers are ``decimal.Decimal`` throughout because the database hands back ``Decimal`` and
because indicator arithmetic (percentages, ratios, totals that must agree exactly with
their disaggregation) must not pick up binary floating-point noise. ``int`` is accepted
and converted; ``float`` is refused rather than silently rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

Number = Decimal | int


class Calculation(StrEnum):
    """How several values of one indicator combine into one figure."""

    SUM = "sum"
    MEAN = "mean"
    MAX = "max"
    LATEST = "latest"
    RATIO = "ratio"


class Cumulation(StrEnum):
    """How the values of successive reporting periods relate to each other."""

    NON_CUMULATIVE = "non_cumulative"
    CUMULATIVE = "cumulative"
    NON_SUMMING_CUMULATIVE = "non_summing_cumulative"


class Direction(StrEnum):
    """Which way the indicator should move for the programme to succeed."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Status(StrEnum):
    """Traffic-light status of an indicator against its target."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


class Measure(StrEnum):
    """What kind of quantity an indicator measures (IATI IndicatorMeasure codelist)."""

    NUMBER = "number"
    PERCENTAGE = "percentage"
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    QUALITATIVE = "qualitative"

    @property
    def iati_code(self) -> int:
        """The IATI IndicatorMeasure code: 1 unit, 2 percentage, 3 nominal, 4 ordinal,
        5 qualitative."""
        return _IATI_MEASURE_CODES[self]

    @classmethod
    def from_iati_code(cls, code: int | str) -> Measure:
        """The measure for an IATI code; XML attributes arrive as strings, so "2" works."""
        wanted = int(code)
        for measure, number in _IATI_MEASURE_CODES.items():
            if number == wanted:
                return measure
        raise ValueError(f"unknown IATI indicator measure code: {code!r}")


_IATI_MEASURE_CODES: dict[Measure, int] = {
    Measure.NUMBER: 1,
    Measure.PERCENTAGE: 2,
    Measure.NOMINAL: 3,
    Measure.ORDINAL: 4,
    Measure.QUALITATIVE: 5,
}


def to_decimal(value: Number) -> Decimal:
    """Convert ``value`` to a finite Decimal, refusing floats, booleans and NaN/infinity.

    Floats are refused because ``Decimal(0.1)`` is not 0.1; a caller holding a float has
    already lost precision and should decide how to round it.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value}")
    return result


def optional_decimal(value: Number | None) -> Decimal | None:
    """``to_decimal`` that lets ``None`` (no value) through."""
    return None if value is None else to_decimal(value)


@dataclass(frozen=True, init=False)
class Observation:
    """One reported figure: an indicator's value for one period and one category.

    ``period`` is the start date of the reporting period; it is the sort key and the
    identity of the period. ``category`` is ``None`` for the total row, otherwise the name
    of a disaggregation category ("female", "15-24"). Ratio indicators report a numerator
    and a denominator (both or neither); other indicators report ``value``. Numbers may be
    given as int; they are stored as Decimal.
    """

    period: date
    end: date | None
    category: str | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None

    def __init__(
        self,
        period: date,
        *,
        end: date | None = None,
        category: str | None = None,
        value: Number | None = None,
        numerator: Number | None = None,
        denominator: Number | None = None,
    ) -> None:
        if (numerator is None) != (denominator is None):
            raise ValueError("numerator and denominator are reported together or not at all")
        if end is not None and end < period:
            raise ValueError(f"period ends ({end}) before it starts ({period})")
        object.__setattr__(self, "period", period)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "value", optional_decimal(value))
        object.__setattr__(self, "numerator", optional_decimal(numerator))
        object.__setattr__(self, "denominator", optional_decimal(denominator))

    @property
    def is_total(self) -> bool:
        return self.category is None

    def has_data(self, calculation: Calculation) -> bool:
        """Whether this row carries what ``calculation`` needs: numerator and denominator
        for a ratio, a value otherwise. Rows without it count as not reported."""
        if calculation == Calculation.RATIO:
            return self.numerator is not None
        return self.value is not None

    def figure(self, calculation: Calculation) -> Decimal | None:
        """The row's own figure: numerator / denominator for a ratio (``None`` when the
        denominator is 0), the value otherwise."""
        if calculation == Calculation.RATIO:
            return ratio(self.numerator, self.denominator)
        return self.value


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator
    is 0 (a share of nothing is undefined, not zero)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass(frozen=True, init=False)
class StatusBands:
    """Thresholds on progress, as fractions of the progress expected by now.

    Progress at or above ``on_track`` x expected is on track, at or above ``at_risk`` x
    expected is at risk, anything lower is off track. They are settings, so they are
    validated here: ``on_track > at_risk > 0``.
    """

    on_track: Decimal
    at_risk: Decimal

    def __init__(self, on_track: Number = Decimal("0.9"), at_risk: Number = Decimal("0.6")) -> None:
        upper, lower = to_decimal(on_track), to_decimal(at_risk)
        if not upper > lower > 0:
            raise ValueError(f"status bands need on_track > at_risk > 0, got {upper}, {lower}")
        object.__setattr__(self, "on_track", upper)
        object.__setattr__(self, "at_risk", lower)
