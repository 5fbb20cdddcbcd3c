"""Reporting periods: calendar-aligned, clipped to the project, without gaps or overlaps."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.periods import MONTHS_PER_PERIOD, due_date, period_bounds

PROPERTY = settings(database=None, deadline=None, max_examples=200)


def test_quarters_are_calendar_quarters_cut_to_the_project():
    assert period_bounds(date(2024, 2, 15), date(2024, 12, 20), "quarterly") == (
        (date(2024, 2, 15), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), date(2024, 12, 20)),
    )


def test_each_frequency_over_a_calendar_year():
    counts = {f: len(period_bounds(date(2025, 1, 1), date(2025, 12, 31), f))
              for f in MONTHS_PER_PERIOD}
    assert counts == {"monthly": 12, "quarterly": 4, "semi_annual": 2, "annual": 1}


def test_years_roll_over_in_december():
    assert period_bounds(date(2024, 12, 10), date(2025, 1, 5), "monthly") == (
        (date(2024, 12, 10), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 1, 5)))
    assert period_bounds(date(2024, 11, 1), date(2025, 3, 1), "semi_annual") == (
        (date(2024, 11, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 3, 1)))


def test_a_one_day_project_has_one_period():
    day = date(2025, 5, 5)
    assert period_bounds(day, day, "annual") == ((day, day),)


def test_unknown_frequency_and_reversed_dates_are_refused():
    with pytest.raises(ValueError, match="unknown frequency 'weekly'"):
        period_bounds(date(2025, 1, 1), date(2025, 2, 1), "weekly")
    with pytest.raises(ValueError, match="before it starts"):
        period_bounds(date(2025, 2, 1), date(2025, 1, 1), "monthly")


def test_due_date_adds_the_days_and_refuses_negative_ones():
    assert due_date(date(2025, 3, 31), 30) == date(2025, 4, 30)
    assert due_date(date(2025, 3, 31), 0) == date(2025, 3, 31)
    with pytest.raises(ValueError, match="cannot be due before"):
        due_date(date(2025, 3, 31), -1)


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@PROPERTY
@given(start=days, length=st.integers(0, 3000), frequency=st.sampled_from(list(MONTHS_PER_PERIOD)))
def test_periods_cover_the_project_exactly_and_stay_within_one_block(start, length, frequency):
    end = start + timedelta(days=length)
    bounds = period_bounds(start, end, frequency)
    assert bounds[0][0] == start
    assert bounds[-1][1] == end
    months = MONTHS_PER_PERIOD[frequency]
    for (first, last), following in zip(bounds, (*bounds[1:], (None, None)), strict=True):
        assert first <= last
        if following[0] is not None:
            assert following[0] == last + timedelta(days=1)
        assert (first.year, (first.month - 1) // months) == (last.year, (last.month - 1) // months)
