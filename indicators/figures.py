"""The figures of one indicator, period by period: the one computation every page, export and
command shows.

For each reporting period of the indicator (in date order) it gives:

- ``value``: the period's own figure as reported (a ratio is numerator / denominator), times
  the indicator's scale (100 for a ratio measured in per cent);
- ``to_date``: the actual up to the end of the period, following the cumulation mode (see
  ``indicators.aggregate``): the calculation over every period reported so far, or for a
  non-summing cumulative indicator the latest reported figure;
- ``progress`` and ``status``. With a life-of-project target, progress measures ``to_date``
  from the baseline towards that target (direction-aware) and the status compares it with
  the share of the project's time elapsed at the end of the period ("project" basis).
  Without one, the period's figure (the running figure for a cumulative indicator) is
  measured against the period's own target, all of which is expected by the period's end
  ("period" basis).
- ``met``: how much of the period's own target the period's figure (the running figure for a
  cumulative indicator) reaches, from the baseline and in the indicator's direction: the
  "% met" of an indicator tracking table. It is ``progress`` itself on the "period" basis.

An indicator's headline figures (``Figures.latest``) are those of its last reported period:
an actual is always an actual *as of* a date, and its status is the status of that period.

Values of periods not yet approved are provisional. The caller decides whether they count;
when they do, every period whose figures rest on one of them says so (``provisional``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from indicators.aggregate import aggregate, life_of_project
from indicators.progress import progress, status
from indicators.types import (
    Calculation,
    Cumulation,
    Direction,
    Observation,
    Status,
    StatusBands,
)


class Basis(StrEnum):
    PROJECT = "project"  # to date against the life-of-project target
    PERIOD = "period"  # the period's figure against the period's target


@dataclass(frozen=True)
class Definition:
    """What the results framework says about an indicator."""

    calculation: Calculation
    cumulation: Cumulation
    direction: Direction = Direction.INCREASE
    baseline: Decimal | None = None
    target: Decimal | None = None  # life of project
    scale: Decimal = Decimal(1)


@dataclass(frozen=True)
class PeriodInput:
    """One reporting period of the indicator: its total value (if any) and its target."""

    start: date
    end: date
    observation: Observation | None = None
    target: Decimal | None = None
    provisional: bool = False  # the value belongs to a period not yet approved


@dataclass(frozen=True)
class PeriodResult:
    start: date
    end: date
    value: Decimal | None
    to_date: Decimal | None
    target: Decimal | None
    progress: Decimal | None
    basis: Basis | None
    status: Status
    provisional: bool  # the figures rest on at least one provisional value
    met: Decimal | None = None  # the period's figure against the period's target

    @property
    def reported(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Figures:
    periods: tuple[PeriodResult, ...]

    @property
    def latest(self) -> PeriodResult | None:
        """The last period with a reported figure: the indicator's headline figures."""
        reported = [p for p in self.periods if p.value is not None]
        return reported[-1] if reported else None

    def period(self, start: date) -> PeriodResult | None:
        return next((p for p in self.periods if p.start == start), None)


def _scaled(number: Decimal | None, scale: Decimal) -> Decimal | None:
    return None if number is None else number * scale


def compute(definition: Definition, periods: Sequence[PeriodInput], bands: StatusBands,
            expected: Callable[[date], Decimal], *,
            include_provisional: bool = False) -> Figures:
    """The figures of every period; ``expected(day)`` is the share of the project's time
    elapsed on ``day`` (1 once it has ended). Provisional values count only when asked."""
    calculation = Calculation(definition.calculation)
    cumulation = Cumulation(definition.cumulation)
    ordered = sorted(periods, key=lambda p: p.start)
    counted: list[Observation] = []
    rests_on_provisional = False
    results = []
    for period in ordered:
        observation = period.observation
        if observation is not None and period.provisional and not include_provisional:
            observation = None
        if observation is not None and observation.has_data(calculation):
            counted.append(observation)
            rests_on_provisional = rests_on_provisional or period.provisional
            own = observation.figure(calculation)
        else:
            own = None
        to_date = life_of_project(counted, calculation, cumulation) if counted else None
        if own is None:
            running = None
        elif cumulation is Cumulation.CUMULATIVE:
            running = aggregate(counted, calculation)
        else:
            running = own
        value = _scaled(own, definition.scale)
        to_date = _scaled(to_date, definition.scale)
        met = progress(_scaled(running, definition.scale), period.target,
                       baseline=definition.baseline, direction=definition.direction)
        if definition.target is not None:
            basis: Basis | None = Basis.PROJECT
            reached = progress(to_date, definition.target, baseline=definition.baseline,
                               direction=definition.direction)
            share = expected(period.end)
        else:
            basis = Basis.PERIOD
            reached = met
            share = Decimal(1)
        results.append(PeriodResult(
            start=period.start, end=period.end, value=value, to_date=to_date,
            target=period.target, progress=reached,
            basis=basis if reached is not None else None,
            status=status(reached, bands, expected=share),
            provisional=rests_on_provisional and to_date is not None, met=met,
        ))
    return Figures(tuple(results))
