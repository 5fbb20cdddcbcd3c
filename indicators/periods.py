"""Reporting periods of a project: calendar-aligned blocks clipped to the project's dates.

A quarterly project running from 15 February 2024 to 31 December 2025 reports on
15 Feb–31 Mar 2024, then on calendar quarters, the last one ending on 31 December 2025.
Blocks are aligned on January: months start each month, quarters in January, April, July
and October, half-years in January and July, years in January. The first and the last
period are cut to the project's start and end, so the periods cover the project exactly,
without gaps or overlaps.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

MONTHS_PER_PERIOD = MappingProxyType(
    {"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}
)
"""Length of a reporting period in months, per frequency (the stored frequency values)."""


def _block_start(day: date, months: int) -> date:
    month = (day.month - 1) // months * months + 1
    return date(day.year, month, 1)


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s (``day`` is a first of month)."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def period_bounds(start: date, end: date, frequency: str) -> tuple[tuple[date, date], ...]:
    """The (start, end) of each reporting period from ``start`` to ``end``, both inclusive."""
    if frequency not in MONTHS_PER_PERIOD:
        allowed = ", ".join(MONTHS_PER_PERIOD)
        raise ValueError(f"unknown frequency {frequency!r} (allowed: {allowed})")
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    months = MONTHS_PER_PERIOD[frequency]
    bounds = []
    block = _block_start(start, months)
    while block <= end:
        following = _add_months(block, months)
        bounds.append((max(block, start), min(following - timedelta(days=1), end)))
        block = following
    return tuple(bounds)


def due_date(end: date, days: int) -> date:
    """When the report of a period ending on ``end`` is due, ``days`` later."""
    if days < 0:
        raise ValueError(f"a report cannot be due before its period ends: {days} days")
    return end + timedelta(days=days)
