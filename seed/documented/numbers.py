"""The documented numbers of a record and the passages they must appear in."""

from __future__ import annotations

from decimal import Decimal

from seed.documented.records import (
    BudgetLine,
    Event,
    Indicator,
    IndicatorValue,
    Provenance,
    Record,
)

# --------------------------------------------------------------------------------------------
# Numbers and provenance of a record
# --------------------------------------------------------------------------------------------


def numbers_in(record: Record) -> list[Decimal]:
    """The documented numbers a record states, for checking them against its passages.

    Counts, values, targets, baselines, scores and amounts are included; identifiers, dates and
    recommendation numbers are not (the numbering of bullet lists is ours). An illustrative
    record states no documented number, so it yields none.
    """
    if record.illustrative:
        return []
    candidates: list[Decimal | None] = []
    if isinstance(record, Event):
        candidates = [
            record.participants_total,
            record.participants_women,
            record.participants_men,
            record.duration_days,
            record.cost,
        ]
    elif isinstance(record, Indicator):
        candidates = [
            record.baseline.value if record.baseline else None,
            record.target.value if record.target else None,
        ]
    elif isinstance(record, IndicatorValue):
        candidates = [record.value, record.numerator, record.denominator]
    elif isinstance(record, BudgetLine):
        candidates = [record.amount, record.equivalent_amount]
    return [number for number in candidates if number is not None]


def number_provenance(record: Record) -> tuple[Provenance, ...]:
    """The passages a record's numbers must appear in: its own and its baseline's/target's."""
    found = list(record.sources)
    if isinstance(record, Indicator):
        for reference in (record.baseline, record.target):
            if reference is not None:
                found.extend(reference.sources)
    return tuple(found)


def provenance_in(record: Record) -> tuple[Provenance, ...]:
    """Every passage a record cites, including those of its notes, baseline and target."""
    found = list(number_provenance(record))
    for note in record.notes:
        found.extend(note.sources)
    return tuple(found)
