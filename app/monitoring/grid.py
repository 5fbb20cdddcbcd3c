"""The data entry grid of one period: its indicators × their categories, with stored values,
values computed from the activity log, and totals checked against their categories.

Built in a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.frameworks.indicator_services import total_category_id
from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
)
from app.monitoring import computed
from app.monitoring.labels import DISAGGREGATION
from app.monitoring.models import DataValue
from indicators.aggregate import CHECKABLE, check_disaggregation
from indicators.types import Calculation, Measure, Observation

FIELDS = ("value", "numerator", "denominator", "text", "comment", "evidence_url")


def kind_of(indicator: Indicator) -> str:
    """How a value of the indicator is entered: "ratio", "text" or "number"."""
    if indicator.calculation == Calculation.RATIO:
        return "ratio"
    return "text" if indicator.measure == Measure.QUALITATIVE else "number"


def show(number: Decimal | None) -> str:
    """A stored number as typed: 300, not 300.0000."""
    if number is None:
        return ""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fingerprint(values: dict[str, str]) -> str:
    """A short digest of a row as shown, to tell later whether the person changed it."""
    joined = "\x1f".join((values.get(f) or "").replace("\r\n", "\n").strip() for f in FIELDS)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@dataclass
class Row:
    """One indicator × category of the period."""

    indicator: Indicator
    category: DisaggregationCategory
    type: DisaggregationType
    stored: DataValue | None = None
    entered_by: str | None = None
    computed: Decimal | None = None
    mismatches: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.indicator.id}-{self.category.id}"

    @property
    def is_total(self) -> bool:
        return self.type.code == TOTAL_CODE

    @property
    def version(self) -> int:
        return self.stored.version if self.stored else 0

    def shown(self) -> dict[str, str]:
        """The row's stored values as the form shows them."""
        value = self.stored
        if value is None:
            return dict.fromkeys(FIELDS, "")
        return {"value": show(value.value), "numerator": show(value.numerator),
                "denominator": show(value.denominator), "text": value.text or "",
                "comment": value.comment or "", "evidence_url": value.evidence_url or ""}


@dataclass
class Block:
    """One indicator and its rows: the total first, then each disaggregation's categories."""

    indicator: Indicator
    rows: list[Row]
    computed: bool

    @property
    def kind(self) -> str:
        return kind_of(self.indicator)


@dataclass
class Grid:
    period: ReportingPeriod
    blocks: list[Block]

    def rows(self) -> list[Row]:
        return [row for block in self.blocks for row in block.rows]

    def totals(self) -> list[Row]:
        return [block.rows[0] for block in self.blocks]

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows() if r.key == key), None)

    @property
    def mismatch_count(self) -> int:
        return sum(len(row.mismatches) for row in self.totals())


def period_indicators(period: ReportingPeriod) -> sa.Select[Indicator]:
    """The project's indicators reported in this period: those of its frequency, those
    without a frequency, and any that already has a value in it."""
    has_values = sa.select(DataValue.indicator_id).where(DataValue.period_id == period.id)
    return (sa.select(Indicator)
            .where(Indicator.project_id == period.project_id,
                   sa.or_(Indicator.frequency == period.frequency, Indicator.frequency.is_(None),
                          Indicator.id.in_(has_values)))
            .options(selectinload(Indicator.disaggregations)
                     .selectinload(DisaggregationType.categories))
            .order_by(Indicator.position, Indicator.code))


def build_grid(session: Session, period: ReportingPeriod) -> Grid:
    indicators = list(session.scalars(period_indicators(period)))
    total_id = total_category_id(session)
    total = session.get_one(DisaggregationCategory, total_id,
                            options=[selectinload(DisaggregationCategory.type)])
    stored: dict[tuple[int, int], tuple[DataValue | None, str | None]] = {
        (v.indicator_id, v.category_id): (v, name) for v, name in session.execute(
        sa.select(DataValue, User.name).outerjoin(User, User.id == DataValue.entered_by_id)
        .where(DataValue.period_id == period.id))}
    figures = computed.activity_values(session, indicators, [period.id])
    blocks = []
    for indicator in indicators:
        is_computed = indicator.activity_source is not None
        rows = []
        for dtype, category in [(total.type, total)] + [
                (t, c) for t in indicator.disaggregations for c in t.categories]:
            value, name = stored.get((indicator.id, category.id), (None, None))
            row = Row(indicator, category, dtype, value, name)
            if is_computed and computed.computable(indicator, dtype.code):
                row.computed = figures.get(
                    (indicator.id, period.id, dtype.code, category.code), Decimal(0))
            rows.append(row)
        block = Block(indicator, rows, is_computed)
        if not is_computed:
            check_block(block, period)
        blocks.append(block)
    return Grid(period, blocks)


def _observation(row: Row, period: ReportingPeriod, category: str | None) -> Observation | None:
    value = row.stored
    if value is None:
        return None
    try:
        return Observation(period.start_date, end=period.end_date, category=category,
                           value=value.value, numerator=value.numerator,
                           denominator=value.denominator)
    except ValueError:
        return None  # half a ratio: refused when entered, so only in legacy data


def check_block(block: Block, period: ReportingPeriod) -> None:
    """Note beside the total row each disaggregation whose categories disagree with it."""
    calculation = Calculation(block.indicator.calculation)
    total_row = block.rows[0]
    total_row.mismatches = []
    if calculation not in CHECKABLE or block.kind == "text":
        return
    total = _observation(total_row, period, None)
    if total is None:
        return
    breakdowns: dict[str, list[Observation]] = {}
    for row in block.rows[1:]:
        observation = _observation(row, period, row.category.code)
        if observation is not None:
            breakdowns.setdefault(row.type.code, []).append(observation)
    for mismatch in check_disaggregation(total, breakdowns, calculation):
        total_row.mismatches.append(str(_mismatch_text(
            mismatch.disaggregation, mismatch.field, mismatch.actual, mismatch.expected)))


def _mismatch_text(disaggregation: str, part: str, actual: Decimal, expected: Decimal) -> Any:
    name = DISAGGREGATION.get(disaggregation, disaggregation)
    if part == "value":
        return _l("%(name)s: the categories add up to %(actual)s, the total is %(expected)s.",
                  name=name, actual=show(actual), expected=show(expected))
    return _l("%(name)s: the categories' %(part)s adds up to %(actual)s, the total's is "
              "%(expected)s.", name=name, part=_l("numerator") if part == "numerator"
              else _l("denominator"), actual=show(actual), expected=show(expected))
