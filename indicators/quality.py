"""Data-quality flags over one indicator's period series.

Each check returns ``Flag`` records rather than raising: bad data is something to show to
the officer and the manager, not a reason to refuse the page. A flag is data, never a
sentence: ``kind`` is the stable kind of problem, and ``detail`` says exactly what was found
as a code (``DetailCode``) with its parameters (dates, days, figures, scores, limits). The
app words them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from indicators.aggregate import check_disaggregation, series
from indicators.types import Calculation, Number, Observation, to_decimal

#: Iglewicz and Hoaglin's constants: 0.6745 makes the MAD comparable to a standard
#: deviation for normal data; 1.253314 does the same for the mean absolute deviation,
#: the fallback when more than half the values are equal and the MAD is 0.
_MAD_SCALE = Decimal("0.6745")
_MEAN_AD_SCALE = Decimal("1.253314")
DEFAULT_OUTLIER_THRESHOLD = Decimal("3.5")
MIN_OUTLIER_VALUES = 4


class FlagKind(StrEnum):
    MISSING_PERIOD = "missing_period"
    TOTAL_MISMATCH = "total_mismatch"
    OUTLIER = "outlier"
    LATE_REPORT = "late_report"


class DetailCode(StrEnum):
    """What exactly a flag found; each code has its own detail class and parameters."""

    MISSING_PERIOD = "missing_period"
    TOTAL_MISMATCH_SUM = "total_mismatch_sum"
    TOTAL_MISMATCH_MAX = "total_mismatch_max"
    OUTLIER = "outlier"
    LATE_SUBMITTED = "late_submitted"
    LATE_UNSUBMITTED = "late_unsubmitted"


@dataclass(frozen=True)
class MissingDetail:
    """No figure reported for the flag's period (the period is the flag's own)."""

    code: DetailCode = field(default=DetailCode.MISSING_PERIOD, init=False)


@dataclass(frozen=True)
class MismatchDetail:
    """A total that disagrees with the categories of one disaggregation type.

    ``code`` is ``TOTAL_MISMATCH_SUM`` when the categories should add up to the total (sum,
    and the numerators and denominators of a ratio), ``TOTAL_MISMATCH_MAX`` when the largest
    category should equal it. ``field`` is "value", "numerator" or "denominator";
    ``expected`` is the total as reported, ``actual`` what the categories give.
    """

    code: DetailCode
    disaggregation: str
    field: str
    expected: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        """``actual - expected``: positive when the categories exceed the total."""
        return self.actual - self.expected


@dataclass(frozen=True)
class OutlierDetail:
    """A figure far from the series' median: its modified z-score (unrounded) is beyond
    ``limit`` in absolute value."""

    value: Decimal
    median: Decimal
    score: Decimal
    limit: Decimal
    code: DetailCode = field(default=DetailCode.OUTLIER, init=False)


@dataclass(frozen=True)
class LateDetail:
    """A report submitted after its due date (``LATE_SUBMITTED``, with ``submitted``), or
    not submitted and past it (``LATE_UNSUBMITTED``); ``days`` late, so far for the latter."""

    code: DetailCode
    due: date
    days: int
    submitted: date | None = None


FlagDetail = MissingDetail | MismatchDetail | OutlierDetail | LateDetail


@dataclass(frozen=True)
class Flag:
    """One data-quality problem in one period: its kind, and what was found (``detail``)."""

    kind: FlagKind
    period: date
    detail: FlagDetail
    category: str | None = None

    @property
    def code(self) -> DetailCode:
        return self.detail.code

    @property
    def days_late(self) -> int | None:
        """The days a report is late, for late-report flags; None for the others."""
        return self.detail.days if isinstance(self.detail, LateDetail) else None


@dataclass(frozen=True)
class Submission:
    """When a period's report was due and when (if ever) it was submitted."""

    period: date
    due: date
    submitted: date | None = None


def missing_periods(
    observations: Iterable[Observation],
    expected_periods: Iterable[date],
    calculation: Calculation,
    *,
    category: str | None = None,
) -> list[Flag]:
    """A flag for each expected period (by start date) with no reported figure.

    A row that exists but carries no data for the calculation counts as missing.
    """
    calculation = Calculation(calculation)
    reported = {row.period for row in series(observations, category) if row.has_data(calculation)}
    return [
        Flag(FlagKind.MISSING_PERIOD, period, MissingDetail(), category)
        for period in sorted(set(expected_periods) - reported)
    ]


def total_mismatches(
    totals: Iterable[Observation],
    breakdowns: Mapping[str, Iterable[Observation]],
    calculation: Calculation,
    *,
    tolerance: Number = 0,
) -> list[Flag]:
    """A flag for each period whose total disagrees with a disaggregation type.

    ``totals`` are the total rows over the periods; ``breakdowns`` maps each disaggregation
    type to its category rows over the same periods. Uses ``check_disaggregation``, so mean
    and latest indicators give no flags.
    """
    calculation = Calculation(calculation)
    by_period: dict[str, dict[date, list[Observation]]] = {}
    for name, rows in breakdowns.items():
        for row in rows:
            by_period.setdefault(name, {}).setdefault(row.period, []).append(row)
    code = (
        DetailCode.TOTAL_MISMATCH_MAX
        if calculation is Calculation.MAX
        else DetailCode.TOTAL_MISMATCH_SUM
    )
    flags = []
    for total in series(totals):
        period_breakdowns = {
            name: periods.get(total.period, []) for name, periods in by_period.items()
        }
        for mismatch in check_disaggregation(
            total, period_breakdowns, calculation, tolerance=tolerance
        ):
            detail = MismatchDetail(
                code, mismatch.disaggregation, mismatch.field, mismatch.expected, mismatch.actual
            )
            flags.append(Flag(FlagKind.TOTAL_MISMATCH, total.period, detail))
    return flags


def outliers(
    observations: Iterable[Observation],
    calculation: Calculation,
    *,
    category: str | None = None,
    threshold: Number = DEFAULT_OUTLIER_THRESHOLD,
) -> list[Flag]:
    """A flag for each period whose figure is far from the series' median.

    Uses the modified z-score 0.6745 (x - median) / MAD, MAD being the median absolute
    deviation from the median, and flags |z| > ``threshold`` (3.5 by default). The median
    and MAD are robust: one wild value does not hide itself by inflating the spread, as it
    would with a mean and standard deviation. Fewer than 4 figures give no flags (too few
    to say what is normal). When MAD is 0 (more than half the figures are equal), the mean
    absolute deviation takes its place as (x - median) / (1.253314 x mean AD); when that is
    0 too, all figures are equal and nothing is an outlier.
    """
    calculation = Calculation(calculation)
    limit = to_decimal(threshold)
    points = [
        (row.period, figure)
        for row in series(observations, category)
        if (figure := row.figure(calculation)) is not None
    ]
    if len(points) < MIN_OUTLIER_VALUES:
        return []
    values = [value for _, value in points]
    centre = _median(values)
    deviations = [abs(value - centre) for value in values]
    mad = _median(deviations)
    if mad > 0:
        scale = mad / _MAD_SCALE
    else:
        scale = _MEAN_AD_SCALE * sum(deviations, Decimal(0)) / len(deviations)
        if scale == 0:
            return []
    flags = []
    for period, value in points:
        score = (value - centre) / scale
        if abs(score) > limit:
            detail = OutlierDetail(value, centre, score, limit)
            flags.append(Flag(FlagKind.OUTLIER, period, detail, category))
    return flags


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def late_reports(submissions: Iterable[Submission], *, today: date | None = None) -> list[Flag]:
    """A flag for each report submitted after its due date, with the days late.

    With ``today`` given, a report not yet submitted and past its due date is flagged too,
    counting the days late so far.
    """
    flags = []
    for report in sorted(submissions, key=lambda item: item.period):
        if report.submitted is not None:
            days = (report.submitted - report.due).days
            detail = LateDetail(DetailCode.LATE_SUBMITTED, report.due, days, report.submitted)
        elif today is not None:
            days = (today - report.due).days
            detail = LateDetail(DetailCode.LATE_UNSUBMITTED, report.due, days)
        else:
            continue
        if days > 0:
            flags.append(Flag(FlagKind.LATE_REPORT, report.period, detail))
    return flags


def quality_flags(
    observations: Iterable[Observation],
    calculation: Calculation,
    *,
    expected_periods: Iterable[date] = (),
    breakdowns: Mapping[str, Iterable[Observation]] | None = None,
    submissions: Iterable[Submission] = (),
    today: date | None = None,
    tolerance: Number = 0,
) -> list[Flag]:
    """All checks over an indicator's total rows, sorted by period and then by kind.

    ``observations`` are the total rows; category rows go in ``breakdowns``, keyed by
    disaggregation type.
    """
    totals = list(observations)
    flags = [
        *missing_periods(totals, expected_periods, calculation),
        *total_mismatches(totals, breakdowns or {}, calculation, tolerance=tolerance),
        *outliers(totals, calculation),
        *late_reports(submissions, today=today),
    ]
    order = list(FlagKind)
    return sorted(flags, key=lambda flag: (flag.period, order.index(flag.kind)))
