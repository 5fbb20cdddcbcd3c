"""Progress of an indicator towards its target, and the status it earns.

Progress is direction-aware and baseline-aware:

    progress = (actual - baseline) / (target - baseline)

with baseline 0 when none is recorded. 0 means "still at the baseline", 1 means "target
reached". The same formula serves increase and decrease indicators: for a decrease
indicator the target lies below the baseline, so both differences are negative when the
actual falls and progress is positive.

Progress is undefined (``None``) when there is no actual or no target, and when the target
does not describe a change in the indicator's direction: for an increase indicator a target
at or below the baseline, for a decrease indicator a target at or above it. Such a
framework is inconsistent and is better shown as "undefined" than as a misleading number.

Maintain indicators have no baseline-to-target distance to cover; they are judged by how
close the actual stays to the target (the baseline is ignored). With ``band`` = tolerance x
|target| (tolerance defaults to 5 %) and ``distance`` = |actual - target|:

- distance <= band: progress 1;
- otherwise: 1 - (distance - band) / (|target| - band), floored at 0, so progress falls
  linearly from 1 at the edge of the band to 0 at a distance of |target| (for example
  missing a target of 100 by 100 or more in either direction gives 0);
- target 0: the band is empty and there is no magnitude to scale by, so progress is 1
  for an actual of exactly 0 and 0 otherwise.

Progress is not clamped, so over-achievement shows as more than 1 and regression as less
than 0; ``clamped`` bounds it to [0, 1] for progress bars.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from indicators.types import Direction, Number, Status, StatusBands, optional_decimal, to_decimal

DEFAULT_MAINTAIN_TOLERANCE = Decimal("0.05")
_ZERO = Decimal(0)
_ONE = Decimal(1)


def progress(
    actual: Number | None,
    target: Number | None,
    *,
    baseline: Number | None = None,
    direction: Direction = Direction.INCREASE,
    tolerance: Number = DEFAULT_MAINTAIN_TOLERANCE,
) -> Decimal | None:
    """Progress from baseline to target; see the module docstring for the exact rules.

    ``tolerance`` only affects maintain indicators and must be in [0, 1).
    """
    direction = Direction(direction)
    reached = optional_decimal(actual)
    goal = optional_decimal(target)
    start = optional_decimal(baseline) or _ZERO
    if reached is None or goal is None:
        return None
    if direction is Direction.MAINTAIN:
        return _maintain_progress(reached, goal, to_decimal(tolerance))
    span = goal - start
    if direction is Direction.INCREASE and span <= 0:
        return None
    if direction is Direction.DECREASE and span >= 0:
        return None
    return (reached - start) / span


def _maintain_progress(actual: Decimal, target: Decimal, tolerance: Decimal) -> Decimal:
    if not _ZERO <= tolerance < _ONE:
        raise ValueError(f"maintain tolerance must be in [0, 1), got {tolerance}")
    magnitude = abs(target)
    band = tolerance * magnitude
    distance = abs(actual - target)
    if distance <= band:
        return _ONE
    if magnitude == 0:
        return _ZERO
    return max(_ZERO, _ONE - (distance - band) / (magnitude - band))


def clamped(value: Decimal | None) -> Decimal | None:
    """Progress bounded to [0, 1], for drawing a bar; ``None`` stays ``None``."""
    if value is None:
        return None
    return min(_ONE, max(_ZERO, value))


def status(
    value: Number | None,
    bands: StatusBands | None = None,
    *,
    expected: Number = _ONE,
) -> Status:
    """The status earned by progress ``value``.

    ``expected`` is the share of the target that should have been reached by now (1 at
    the end of the project; see ``elapsed_fraction`` for a time-based choice). No progress
    (no actual, or an undefined progress) gives no_data; progress >= on_track x expected is
    on_track; >= at_risk x expected is at_risk; anything lower is off_track.
    """
    if value is None:
        return Status.NO_DATA
    bands = bands or StatusBands()
    share = to_decimal(expected)
    if not _ZERO <= share <= _ONE:
        raise ValueError(f"expected share must be in [0, 1], got {share}")
    reached = to_decimal(value)
    if reached >= bands.on_track * share:
        return Status.ON_TRACK
    if reached >= bands.at_risk * share:
        return Status.AT_RISK
    return Status.OFF_TRACK


def elapsed_fraction(start: date, end: date, today: date) -> Decimal:
    """Share of the period ``start``..``end`` that has elapsed by ``today``, in [0, 1].

    A straight-line expectation for ``status(expected=...)``: halfway through the project,
    half of the target should be reached.
    """
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    if today >= end:
        return _ONE
    if today <= start:
        return _ZERO
    return Decimal((today - start).days) / Decimal((end - start).days)
