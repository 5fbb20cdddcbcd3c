"""The lock of a reporting period: once approved, nothing in it changes, whoever asks (a
manager's lock exception reopens it). Targets and data collection both apply it."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.errors import ServiceError
from app.frameworks.models import PeriodState, ReportingPeriod


class PeriodLocked(ServiceError):
    """A change was refused because its period is approved (locked) or awaits a decision."""


def label(period: ReportingPeriod) -> str:
    """"1 Jan 2025 – 31 Mar 2025", in the interface language."""
    return f"{format_date(period.start_date, 'medium')} – {format_date(period.end_date, 'medium')}"


def assert_unlocked(period: ReportingPeriod) -> None:
    """Refuse any change to an approved period, whoever asks."""
    if period.state == PeriodState.APPROVED:
        raise PeriodLocked(_l(
            "The period %(period)s is approved and locked: nothing in it can change. A manager "
            "can reopen it with a lock exception.", period=label(period)))
