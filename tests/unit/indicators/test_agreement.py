"""Krippendorff's alpha against published worked examples, its edge cases and invariants."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.agreement import (
    Level,
    Spread,
    coincidence_matrix,
    krippendorff_alpha,
    spread,
    spreads,
    units_from_coders,
    units_from_ratings,
)

NA = None

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability". Annenberg School for
# Communication, University of Pennsylvania (ScholarlyCommons asc_papers/43).
# Section A, "Binary or dichotomous data, two observers, no missing data": 10 units.
K2011_A = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]
# Section B, "Nominal data, two observers, no missing data": 12 units, values a-e.
K2011_B = [
    list("aabbdcccedda"),
    list("babbbccceddd"),
]
# Section C onwards, "... any number of observers, missing data": observers A-D x 12 units,
# values 1-5, the same data reused in the later sections for the other metrics.
K2011_C: list[list[int | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]

# Hayes, A. F. & Krippendorff, K. (2007). "Answering the call for a standard reliability
# measure for coding data". Communication Methods and Measures 1(1), 77-89, Table 1:
# five observers rate the tone of 40 news articles, 0 (sure loser) to 3 (likely winner),
# with missing judgments. The KALPHA output printed in the article gives ordinal
# alpha = .7598. Rows are units (articles), columns observers obs1-obs5.
HAYES_2007: list[list[int | None]] = [
    [1, 1, 2, NA, 2], [1, 1, 0, 1, NA], [2, 3, 3, 3, NA], [NA, 0, 0, NA, 0],
    [0, 0, 0, NA, 0], [0, 0, 0, NA, 0], [1, 0, 2, NA, 1], [1, NA, 2, 0, NA],
    [2, 2, 2, NA, 2], [2, 1, 1, 1, NA], [NA, 1, 0, 0, NA], [0, 0, 0, 0, NA],
    [1, 2, 2, 2, NA], [3, 3, 2, 2, 3], [1, 1, 1, NA, 1], [1, 1, 1, NA, 1],
    [2, 1, 2, NA, 2], [1, 2, 3, 3, NA], [1, 1, 0, 1, NA], [0, 0, 0, NA, 0],
    [0, 0, 1, 1, NA], [0, 0, NA, 0, 0], [2, 3, 3, 3, NA], [0, 0, 0, 0, NA],
    [1, 2, NA, 2, 2], [0, 1, 1, 1, NA], [0, 0, 0, 1, 0], [1, 2, 1, 2, NA],
    [1, 1, 2, 2, NA], [1, 1, 2, NA, 2], [1, 1, 0, NA, 0], [2, 1, 2, 1, NA],
    [2, 2, NA, 2, 2], [3, 2, 2, 2, NA], [2, 2, 2, NA, 2], [2, 2, 3, NA, 2],
    [2, 2, 2, NA, 2], [2, 2, NA, 1, 2], [2, 2, 2, 2, NA], [1, 1, 1, NA, 1],
]  # fmt: skip

# The three-coder, fifteen-unit example of the Wikipedia article "Krippendorff's alpha"
# (section "A computational example"), which prints nominal 0.691 and interval 0.811.
WIKIPEDIA: list[list[int | None]] = [
    [NA, NA, NA, NA, NA, 3, 4, 1, 2, 1, 1, 3, 3, NA, 3],
    [1, NA, 2, 1, 3, 3, 4, 3, NA, NA, NA, NA, NA, NA, NA],
    [NA, NA, 2, 1, 3, 4, 4, NA, 2, 1, 1, 3, 3, NA, 4],
]


def alpha3(units: dict[int, list[object]], level: Level | str) -> Decimal:
    value = krippendorff_alpha(units, level)
    assert value is not None
    return round(value, 3)


@pytest.mark.parametrize(
    ("rows", "level", "published"),
    [
        (K2011_A, Level.NOMINAL, "0.095"),  # Krippendorff 2011, section A
        (K2011_B, Level.NOMINAL, "0.692"),  # Krippendorff 2011, section B
        (K2011_C, Level.NOMINAL, "0.743"),  # Krippendorff 2011, section C
        (K2011_C, Level.ORDINAL, "0.815"),  # Krippendorff 2011, ordinal metric on data C
        (K2011_C, Level.INTERVAL, "0.849"),  # Krippendorff 2011, interval metric on data C
        (WIKIPEDIA, Level.NOMINAL, "0.691"),
        (WIKIPEDIA, Level.INTERVAL, "0.811"),
    ],
)
def test_published_values(rows: list[list[object]], level: Level, published: str) -> None:
    assert alpha3(units_from_coders(rows), level) == Decimal(published)


def test_hayes_krippendorff_2007_ordinal() -> None:
    units = dict(enumerate(HAYES_2007, start=1))
    value = krippendorff_alpha(units, Level.ORDINAL)
    assert value is not None
    assert round(value, 3) == Decimal("0.760")
    assert round(value, 4) == Decimal("0.7598")  # printed to four decimals in the article


def test_ordinal_is_the_default_level() -> None:
    units = units_from_coders(K2011_C)
    assert krippendorff_alpha(units) == krippendorff_alpha(units, Level.ORDINAL)
    assert krippendorff_alpha(units, "interval") == krippendorff_alpha(units, Level.INTERVAL)


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="ratio"):
        krippendorff_alpha({1: [1, 2]}, "ratio")


def test_coincidence_matrix_of_krippendorff_2011_section_c() -> None:
    # The coincidence table printed in section C; unit 12 (one value) is left out.
    third = Fraction(1, 3)
    expected = {
        (1, 1): 7, (1, 2): 4 * third, (1, 3): third, (1, 4): third,
        (2, 1): 4 * third, (2, 2): 10, (2, 3): 4 * third, (2, 4): third,
        (3, 1): third, (3, 2): 4 * third, (3, 3): 8, (3, 4): third,
        (4, 1): third, (4, 2): third, (4, 3): third, (4, 4): 4,
        (5, 5): 3,
    }  # fmt: skip
    matrix = coincidence_matrix(units_from_coders(K2011_C))
    assert matrix == expected
    assert sum(matrix.values()) == 40  # n: pairable values


# --- undefined and degenerate cases -------------------------------------------------------


def test_no_units_is_undefined() -> None:
    assert krippendorff_alpha({}) is None


def test_units_with_fewer_than_two_values_are_dropped() -> None:
    assert krippendorff_alpha({1: [3, NA, NA], 2: [NA, NA, NA], 3: [4]}) is None
    base = units_from_coders(K2011_C)
    padded: dict[Any, list[Any]] = {
        **base,
        "solo": [NA, 4, NA, NA],
        "empty": [NA, NA, NA, NA],
    }
    assert krippendorff_alpha(padded, Level.INTERVAL) == krippendorff_alpha(base, Level.INTERVAL)


@pytest.mark.parametrize("level", list(Level))
def test_a_single_value_used_throughout_is_undefined(level: Level) -> None:
    # every evaluator always says 4: no expected disagreement, nothing to measure against
    assert krippendorff_alpha({1: [4, 4, 4], 2: [4, 4], 3: [4, NA]}, level) is None


def test_systematic_disagreement_is_negative() -> None:
    units = {1: [1, 4], 2: [4, 1], 3: [1, 4], 4: [4, 1]}
    value = krippendorff_alpha(units, Level.ORDINAL)
    assert value is not None
    assert value < 0


def test_ordinal_distance_follows_ranks_not_numbers() -> None:
    # Moving the top value from 4 to 400 changes the interval alpha but not the ordinal one.
    near = {1: [1, 2], 2: [2, 4], 3: [4, 4], 4: [1, 1], 5: [2, 2]}
    far = {u: [400 if v == 4 else v for v in values] for u, values in near.items()}
    assert krippendorff_alpha(near, Level.ORDINAL) == krippendorff_alpha(far, Level.ORDINAL)
    assert krippendorff_alpha(near, Level.INTERVAL) != krippendorff_alpha(far, Level.INTERVAL)


def test_decimal_and_int_values_give_the_same_alpha() -> None:
    units = units_from_coders(K2011_C)
    as_decimal = {u: [None if v is None else Decimal(v) for v in vs] for u, vs in units.items()}
    assert krippendorff_alpha(as_decimal, Level.INTERVAL) == Decimal(
        "0.8491071428571428571428571429"
    )


# --- input helpers ---------------------------------------------------------------------------


def test_units_from_coders_transposes() -> None:
    assert units_from_coders([[1, 2, NA], [1, NA, 3]]) == {0: [1, 1], 1: [2, NA], 2: [NA, 3]}
    assert units_from_coders([]) == {}


def test_units_from_coders_refuses_ragged_rows() -> None:
    with pytest.raises(ValueError, match="one entry per unit"):
        units_from_coders([[1, 2, 3], [1, 2]])


def test_units_from_ratings_groups_rows() -> None:
    rows = [("ind-1", "ann", 3), ("ind-1", "bob", 4), ("ind-2", "ann", 2), ("ind-1", "cy", NA)]
    assert units_from_ratings(rows) == {"ind-1": [3, 4, NA], "ind-2": [2]}


def test_units_from_ratings_refuses_a_coder_rating_a_unit_twice() -> None:
    with pytest.raises(ValueError, match="more than once"):
        units_from_ratings([("ind-1", "ann", 3), ("ind-1", "ann", 4)])


# --- spread ------------------------------------------------------------------------------------


def test_spread_of_an_item() -> None:
    assert spread([2, NA, 4, 1, NA]) == Spread(count=3, minimum=1, maximum=4, range=3)
    assert spread([3]) == Spread(count=1, minimum=3, maximum=3, range=0)
    assert spread([Decimal("2.5"), Decimal("3")]) == Spread(
        2, Decimal("2.5"), Decimal("3"), Decimal("0.5")
    )


def test_spread_of_an_unscored_item_is_none() -> None:
    assert spread([]) is None
    assert spread([NA, NA]) is None


def test_spreads_per_unit_skip_unscored_units() -> None:
    assert spreads({"a": [1, 4], "b": [NA, NA], "c": [2, 2, 3]}) == {
        "a": Spread(2, 1, 4, 3),
        "c": Spread(3, 2, 3, 1),
    }


# --- properties --------------------------------------------------------------------------------

scores = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
matrices = st.integers(min_value=2, max_value=5).flatmap(
    lambda coders: st.lists(
        st.lists(scores, min_size=coders, max_size=coders), min_size=1, max_size=15
    )
)
levels = st.sampled_from(Level)


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=2, max_value=5)),
        min_size=1,
        max_size=15,
    ),
    levels,
)
def test_perfect_agreement_is_one_when_defined(units: list[tuple[int, int]], level: Level) -> None:
    data = {i: [value] * coders for i, (value, coders) in enumerate(units)}
    value = krippendorff_alpha(data, level)
    if len({v for v, _coders in units}) == 1:
        assert value is None
    else:
        assert value == 1


@given(matrices, levels, st.data())
def test_alpha_ignores_coder_labels_and_unit_order(
    matrix: list[list[int | None]], level: Level, data: st.DataObject
) -> None:
    units = dict(enumerate(matrix))
    expected = krippendorff_alpha(units, level)
    # relabel coders: the same permutation of columns in every unit
    order = data.draw(st.permutations(range(len(matrix[0]))))
    relabelled = {u: [values[c] for c in order] for u, values in units.items()}
    # reorder (and rename) units
    keys = data.draw(st.permutations(list(units)))
    reordered = {f"unit-{k}": units[k] for k in keys}
    assert krippendorff_alpha(relabelled, level) == expected
    assert krippendorff_alpha(reordered, level) == expected


@given(matrices, levels, st.randoms(use_true_random=False))
def test_alpha_depends_only_on_the_values_given_to_each_unit(
    matrix: list[list[int | None]], level: Level, rnd: random.Random
) -> None:
    units = dict(enumerate(matrix))
    shuffled = {u: rnd.sample(values, len(values)) for u, values in units.items()}
    assert krippendorff_alpha(shuffled, level) == krippendorff_alpha(units, level)


@given(matrices, levels)
def test_alpha_is_at_most_one(matrix: list[list[int | None]], level: Level) -> None:
    value = krippendorff_alpha(dict(enumerate(matrix)), level)
    assert value is None or value <= 1


@given(matrices)
def test_spread_bounds(matrix: list[list[int | None]]) -> None:
    for unit, item in spreads(dict(enumerate(matrix))).items():
        present = [v for v in matrix[unit] if v is not None]
        assert item.count == len(present)
        assert 1 <= item.minimum <= item.maximum <= 4
        assert item.range == item.maximum - item.minimum
