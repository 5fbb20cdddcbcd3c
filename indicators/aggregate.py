"""Aggregation of one indicator's observations across categories and periods.

Everything here is a pure function of its arguments and does not depend on the order of
the observations it is given: periods are ordered by their start date, never by position.

Cumulation modes (``Cumulation``), as implemented by ``period_figures`` and
``life_of_project``:

- ``non_cumulative``: each period stands alone. A period shows its own reported figure;
  the life-of-project actual aggregates all periods with the indicator's calculation
  (sum of the periods, mean of the periods, max, latest, or Σ numerator / Σ denominator).
- ``cumulative``: period values are increments. The figure for a period is the running
  total up to and including it, i.e. the calculation applied to every reported period so
  far (for a ratio: running Σ numerator / running Σ denominator). The life-of-project
  actual is the running total at the last period, which is the same number as the
  calculation over all periods.
- ``non_summing_cumulative``: each period's reported value is already a to-date figure
  (for example "districts with an active prevention network"). A period shows its own
  value; the life-of-project actual is the latest reported value, never a sum.

A period whose row has no data shows ``None`` in every mode: a gap stays visible instead of
being filled with the previous running total. Later periods still include everything
reported before them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from indicators.types import Calculation, Cumulation, Number, Observation, ratio, to_decimal

#: Calculations whose total can be derived from, and so checked against, its categories.
#: A mean of category means needs the category sizes; "latest" has no meaning across
#: categories of the same period.
CHECKABLE = frozenset({Calculation.SUM, Calculation.MAX, Calculation.RATIO})


def aggregate(observations: Iterable[Observation], calculation: Calculation) -> Decimal | None:
    """Combine observations into one figure with ``calculation``.

    Rows without data for the calculation (see ``Observation.has_data``) are ignored;
    if none is left the result is ``None``. A ratio is Σ numerator / Σ denominator — never
    the mean of the rows' percentages — and ``None`` when Σ denominator is 0. "latest"
    takes the row with the latest period and refuses to guess when several rows share it.
    """
    calculation = Calculation(calculation)
    rows = [row for row in observations if row.has_data(calculation)]
    if not rows:
        return None
    if calculation is Calculation.RATIO:
        numerator = sum((_present(row.numerator) for row in rows), Decimal(0))
        denominator = sum((_present(row.denominator) for row in rows), Decimal(0))
        return ratio(numerator, denominator)
    if calculation is Calculation.LATEST:
        return _present(_latest(rows).value)
    values = [_present(row.value) for row in rows]
    if calculation is Calculation.MAX:
        return max(values)
    total = sum(values, Decimal(0))
    if calculation is Calculation.MEAN:
        return total / len(values)
    return total


def series(observations: Iterable[Observation], category: str | None = None) -> list[Observation]:
    """The rows of one category (``None``: the total rows), sorted by period.

    A series has at most one row per period; two rows for the same period and category
    are a data error that aggregation must not resolve by picking one.
    """
    rows = sorted((row for row in observations if row.category == category), key=_period_key)
    for earlier, later in pairwise(rows):
        if earlier.period == later.period:
            raise ValueError(f"two rows for period {later.period}, category {category!r}")
    return rows


@dataclass(frozen=True)
class PeriodFigure:
    """What one period of an indicator shows.

    ``reported`` is the period's own figure as entered; ``figure`` is what the period
    shows once the cumulation mode is applied (they differ only for ``cumulative``).
    """

    period: date
    end: date | None
    reported: Decimal | None
    figure: Decimal | None


def period_figures(
    observations: Iterable[Observation],
    calculation: Calculation,
    cumulation: Cumulation,
    *,
    category: str | None = None,
) -> list[PeriodFigure]:
    """Per-period figures of one series (the total rows by default), in period order."""
    calculation = Calculation(calculation)
    cumulation = Cumulation(cumulation)
    rows = series(observations, category)
    figures = []
    for index, row in enumerate(rows):
        reported = row.figure(calculation)
        shown = reported
        if cumulation is Cumulation.CUMULATIVE and row.has_data(calculation):
            shown = aggregate(rows[: index + 1], calculation)
        figures.append(PeriodFigure(row.period, row.end, reported, shown))
    return figures


def life_of_project(
    observations: Iterable[Observation],
    calculation: Calculation,
    cumulation: Cumulation,
    *,
    category: str | None = None,
) -> Decimal | None:
    """The life-of-project actual of one series (the total rows by default).

    See the module docstring for the rule of each cumulation mode.
    """
    calculation = Calculation(calculation)
    rows = series(observations, category)
    if Cumulation(cumulation) is Cumulation.NON_SUMMING_CUMULATIVE:
        reported = [row for row in rows if row.has_data(calculation)]
        return reported[-1].figure(calculation) if reported else None
    return aggregate(rows, calculation)


def total_from_categories(
    observations: Iterable[Observation], calculation: Calculation
) -> Observation | None:
    """The total row implied by the categories of one disaggregation type in one period.

    sum: Σ values; max: the largest value; ratio: Σ numerators over Σ denominators.
    ``None`` for mean and latest (not derivable, see ``CHECKABLE``) and when no category
    has data. Pass the categories of a single disaggregation type: sex and age group
    together would count every person twice.
    """
    calculation = Calculation(calculation)
    rows = list(observations)
    if any(row.is_total for row in rows):
        raise ValueError("total_from_categories takes category rows, not a total row")
    if len({_period_key(row) for row in rows}) > 1:
        raise ValueError("total_from_categories takes the rows of a single period")
    usable = [row for row in rows if row.has_data(calculation)]
    if calculation not in CHECKABLE or not usable:
        return None
    first = usable[0]
    if calculation is Calculation.RATIO:
        return Observation(
            first.period,
            end=first.end,
            numerator=sum((_present(row.numerator) for row in usable), Decimal(0)),
            denominator=sum((_present(row.denominator) for row in usable), Decimal(0)),
        )
    return Observation(first.period, end=first.end, value=aggregate(usable, calculation))


@dataclass(frozen=True)
class Mismatch:
    """A total that disagrees with the categories of one disaggregation type.

    ``expected`` is the total row as reported, ``actual`` what the categories give;
    ``field`` says which number disagrees: "value", or for a ratio "numerator" or
    "denominator".
    """

    period: date
    disaggregation: str
    field: str
    expected: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        """``actual - expected``: positive when the categories exceed the total."""
        return self.actual - self.expected


def check_disaggregation(
    total: Observation,
    breakdowns: Mapping[str, Iterable[Observation]],
    calculation: Calculation,
    *,
    tolerance: Number = 0,
) -> list[Mismatch]:
    """Check one period's total row against each disaggregation type's categories.

    ``breakdowns`` maps a disaggregation type ("sex", "age group") to its category rows
    for the same period. sum: the total must equal Σ categories; ratio: Σ numerators and
    Σ denominators must each equal the total's; max: the total must equal the largest
    category. mean and latest cannot be checked, so they give no finding. Differences of
    at most ``tolerance`` (absolute) are accepted. A type without category data, or a
    total without a number to compare, gives no finding either.
    """
    calculation = Calculation(calculation)
    allowed = to_decimal(tolerance)
    if allowed < 0:
        raise ValueError(f"tolerance must not be negative, got {allowed}")
    if not total.is_total:
        raise ValueError("check_disaggregation needs the total row (category None)")
    fields: Sequence[str] = (
        ("numerator", "denominator") if calculation is Calculation.RATIO else ("value",)
    )
    findings = []
    for name in sorted(breakdowns):
        rows = list(breakdowns[name])
        if any(row.period != total.period for row in rows):
            raise ValueError(f"{name} categories are not all of period {total.period}")
        derived = total_from_categories(rows, calculation)
        if derived is None:
            continue
        for field in fields:
            expected: Decimal | None = getattr(total, field)
            actual: Decimal = getattr(derived, field)
            if expected is not None and abs(actual - expected) > allowed:
                findings.append(Mismatch(total.period, name, field, expected, actual))
    return findings


def _period_key(row: Observation) -> tuple[date, date]:
    return (row.period, row.end or row.period)


def _latest(rows: Sequence[Observation]) -> Observation:
    newest = max(rows, key=_period_key)
    if sum(1 for row in rows if _period_key(row) == _period_key(newest)) > 1:
        raise ValueError(f"several rows for the latest period {newest.period}; which is latest?")
    return newest


def _present(number: Decimal | None) -> Decimal:
    """Narrow a number already known to be present (rows were filtered by has_data)."""
    assert number is not None
    return number
