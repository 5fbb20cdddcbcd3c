"""The SMART check of one indicator: what its plan still lacks before data can be collected.

An indicator is only measurable when someone knows where it starts, where it should go, where
its data come from, who collects them, how often, and how the figures can be checked. The check
works on a plain :class:`IndicatorPlan` and lists the missing elements, in a fixed order, so
that the web application can show them beside the indicator and in the completeness view.

Blank text (only spaces) counts as missing. Qualitative indicators have no numeric scale: their
baseline may be a note instead of a value, and a numeric target does not apply to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from indicators.types import Measure


class Missing(StrEnum):
    """An element of the indicator's plan that is not recorded yet."""

    BASELINE = "baseline"
    TARGET = "target"
    DATA_SOURCE = "data_source"
    RESPONSIBLE = "responsible"
    FREQUENCY = "frequency"
    MEANS_OF_VERIFICATION = "means_of_verification"


@dataclass(frozen=True)
class IndicatorPlan:
    """What the SMART check needs to know about one indicator."""

    measure: Measure = Measure.NUMBER
    baseline_value: Decimal | None = None
    baseline_note: str | None = None
    target_value: Decimal | None = None
    data_source: str | None = None
    responsible: str | None = None
    frequency: str | None = None
    means_of_verification: str | None = None


def _given(text: str | None) -> bool:
    return bool(text and text.strip())


def missing(plan: IndicatorPlan) -> tuple[Missing, ...]:
    """The elements the plan lacks, in the order of :class:`Missing`; empty when complete."""
    qualitative = Measure(plan.measure) is Measure.QUALITATIVE
    found = []
    if plan.baseline_value is None and not (qualitative and _given(plan.baseline_note)):
        found.append(Missing.BASELINE)
    if plan.target_value is None and not qualitative:
        found.append(Missing.TARGET)
    if not _given(plan.data_source):
        found.append(Missing.DATA_SOURCE)
    if not _given(plan.responsible):
        found.append(Missing.RESPONSIBLE)
    if not _given(plan.frequency):
        found.append(Missing.FREQUENCY)
    if not _given(plan.means_of_verification):
        found.append(Missing.MEANS_OF_VERIFICATION)
    return tuple(found)


def is_smart(plan: IndicatorPlan) -> bool:
    """Whether nothing is missing from the plan."""
    return not missing(plan)
