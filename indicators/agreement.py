"""Agreement between evaluators: Krippendorff's alpha and the spread of scores per item.

Two or more evaluators score the same indicators and projects on a 1-4 rubric. Before a
manager trusts a mean score, the system shows whether the evaluators agree beyond chance
(alpha) and, item by item, how far apart they are (spread).

Input shape: *reliability data* as a mapping ``unit -> sequence of values``, one value per
evaluator and ``None`` where an evaluator gave none. Alpha does not care which evaluator gave
which value, only which values were given to the same unit, so the position in the sequence
carries no meaning. ``units_from_coders`` turns the coders-by-units table printed in the
literature into this shape and ``units_from_ratings`` does the same for ``(unit, evaluator,
value)`` rows as they come from the database.

Alpha is computed exactly with fractions from the coincidence matrix (Krippendorff 2011,
"Computing Krippendorff's Alpha-Reliability") and returned as a Decimal; it is None when it is
undefined, so that "no evidence" is never displayed as a number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Generic, TypeVar

__all__ = [
    "Level",
    "Spread",
    "coincidence_matrix",
    "krippendorff_alpha",
    "spread",
    "spreads",
    "units_from_coders",
    "units_from_ratings",
]

U = TypeVar("U", bound=Hashable)
Units = Mapping[U, Sequence[Any]]
Score = TypeVar("Score", int, Decimal)  # what evaluators give; floats are not scores
Delta = Callable[[Any, Any], Fraction]


class Level(StrEnum):
    """Level of measurement; it decides how far apart two different values are."""

    NOMINAL = "nominal"  # any two different values disagree equally
    ORDINAL = "ordinal"  # ranks matter, distances are not assumed (rubric scores 1-4)
    INTERVAL = "interval"  # differences are meaningful, squared difference


def units_from_coders(rows: Sequence[Sequence[Any]]) -> dict[int, list[Any]]:
    """Transpose a coders-by-units table (one row per coder) into unit -> values.

    Units are keyed by their column index. Rows must have the same length, because a short
    row would silently shift every later value onto the wrong unit.
    """
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError("every coder row must have one entry per unit")
    width = widths.pop() if widths else 0
    return {unit: [row[unit] for row in rows] for unit in range(width)}


def units_from_ratings(ratings: Iterable[tuple[U, Hashable, Any]]) -> dict[U, list[Any]]:
    """Group ``(unit, coder, value)`` rows into unit -> values.

    A coder who rated the same unit twice is an error, not a second opinion: counting both
    values would make that coder agree with themselves.
    """
    seen: set[tuple[U, Hashable]] = set()
    units: dict[U, list[Any]] = defaultdict(list)
    for unit, coder, value in ratings:
        if (unit, coder) in seen:
            raise ValueError(f"coder {coder!r} rated unit {unit!r} more than once")
        seen.add((unit, coder))
        units[unit].append(value)
    return dict(units)


def coincidence_matrix(units: Units[Any]) -> dict[tuple[Any, Any], Fraction]:
    """Coincidences o[c, k]: pairs of values (c, k) given to the same unit by different coders.

    Each unit with m >= 2 values contributes its m(m-1) ordered pairs, each weighted
    1/(m-1), so every pairable value counts exactly once in the margins. Units with fewer
    than two values cannot show agreement or disagreement and are left out. Only non-zero
    cells are returned.
    """
    matrix: dict[tuple[Any, Any], Fraction] = defaultdict(Fraction)
    for values in units.values():
        present = Counter(value for value in values if value is not None)
        m = sum(present.values())
        if m < 2:
            continue
        for c, n_c in present.items():
            for k, n_k in present.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[c, k] += Fraction(pairs, m - 1)
    return dict(matrix)


def krippendorff_alpha(units: Units[Any], level: Level | str = Level.ORDINAL) -> Decimal | None:
    """Krippendorff's alpha = 1 - observed / expected disagreement.

    1 is perfect agreement, 0 is agreement at chance level, below 0 is systematic
    disagreement. None when alpha is undefined: no unit has two values, or every pairable
    value is the same (expected disagreement 0: the data cannot tell agreement from a
    constant scale).
    """
    level = Level(level)
    matrix = coincidence_matrix(units)
    margins: dict[Any, Fraction] = defaultdict(Fraction)
    for (c, _), weight in matrix.items():
        margins[c] += weight
    n = sum(margins.values(), Fraction(0))
    delta = _difference_function(level, margins)
    observed = sum((weight * delta(c, k) for (c, k), weight in matrix.items()), Fraction(0))
    expected = sum(
        (margins[c] * margins[k] * delta(c, k) for c in margins for k in margins), Fraction(0)
    )
    if expected == 0:
        return None
    alpha = 1 - (n - 1) * observed / expected
    return Decimal(alpha.numerator) / Decimal(alpha.denominator)


def _difference_function(level: Level, margins: Mapping[Any, Fraction]) -> Delta:
    """Squared difference between two values at the given level of measurement."""
    if level is Level.NOMINAL:
        return lambda c, k: Fraction(c != k)
    if level is Level.INTERVAL:
        return lambda c, k: (Fraction(c) - Fraction(k)) ** 2
    return _ordinal_difference(margins)


def _ordinal_difference(margins: Mapping[Any, Fraction]) -> Delta:
    """Ordinal difference: how many pairable values lie between c and k (inclusive, ends halved).

    Values are ranked by their natural order; the distance grows with the number of values
    observed between them, not with their numeric gap, which is what an ordinal rubric
    justifies.
    """
    ranked = sorted(margins)
    position = {value: i for i, value in enumerate(ranked)}
    cumulative = [Fraction(0)]
    for value in ranked:
        cumulative.append(cumulative[-1] + margins[value])

    def delta(c: Any, k: Any) -> Fraction:
        low, high = sorted((position[c], position[k]))
        between = cumulative[high + 1] - cumulative[low]
        return (between - (margins[c] + margins[k]) / 2) ** 2

    return delta


@dataclass(frozen=True)
class Spread(Generic[Score]):
    """How far apart the evaluators of one item are, and how many there were."""

    count: int
    minimum: Score
    maximum: Score
    range: Score


def spread(values: Iterable[Score | None]) -> Spread[Score] | None:
    """Spread of the given scores (None = not scored); None when nobody scored the item."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    low, high = min(present), max(present)
    return Spread(count=len(present), minimum=low, maximum=high, range=high - low)


def spreads(units: Mapping[U, Iterable[Score | None]]) -> dict[U, Spread[Score]]:
    """Spread per unit, for every unit that at least one evaluator scored."""
    result: dict[U, Spread[Score]] = {}
    for unit, values in units.items():
        item = spread(values)
        if item is not None:
            result[unit] = item
    return result
