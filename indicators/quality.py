"""Data-quality flags over one indicator's period series.

Each check returns ``Flag`` records rather than raising: bad data is something to show to
the officer and the manager, not a reason to refuse the page. ``kind`` is stable and is
what the interface translates; ``detail`` is a plain-English explanation with the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from indicators.aggregate import Mismatch, check_disaggregation, series
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


@dataclass(frozen=True)
class Flag:
    """One data-quality problem in one period. ``days_late`` is set for late reports."""

    kind: FlagKind
    period: date
    detail: str
    category: str | None = None
    days_late: int | None = None


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
        Flag(
            FlagKind.MISSING_PERIOD, period, f"no value reported for the period {period}", category
        )
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
    flags = []
    for total in series(totals):
        period_breakdowns = {
            name: periods.get(total.period, []) for name, periods in by_period.items()
        }
        for mismatch in check_disaggregation(
            total, period_breakdowns, calculation, tolerance=tolerance
        ):
            flags.append(
                Flag(FlagKind.TOTAL_MISMATCH, total.period, _mismatch_detail(mismatch, calculation))
            )
    return flags


def _mismatch_detail(mismatch: Mismatch, calculation: Calculation) -> str:
    label = "total" if mismatch.field == "value" else f"total {mismatch.field}"
    if calculation is Calculation.MAX:
        derived = f"the largest {mismatch.disaggregation} category is {mismatch.actual}"
    else:
        noun = "categories" if mismatch.field == "value" else f"category {mismatch.field}s"
        derived = f"the {mismatch.disaggregation} {noun} add up to {mismatch.actual}"
    return f"{label} is {mismatch.expected} but {derived} (difference {mismatch.difference:+})"


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
            detail = (
                f"value {value} is far from the median {centre} "
                f"(modified z-score {score:.1f}, limit {limit})"
            )
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
            detail = (
                f"submitted on {report.submitted}, {_days(days)} after the due date {report.due}"
            )
        elif today is not None:
            days = (today - report.due).days
            detail = f"not submitted; {_days(days)} past the due date {report.due}"
        else:
            continue
        if days > 0:
            flags.append(Flag(FlagKind.LATE_REPORT, report.period, detail, days_late=days))
    return flags


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


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
