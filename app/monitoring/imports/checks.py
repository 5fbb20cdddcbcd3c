"""The checks of one row of a values import, with the project's lookup tables.

``check_row`` is the thorough path: it names every problem of a row with its column. The
import tries a fast path first (``import_values.FastPath``) and falls back on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from app.errors import quoted
from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    PeriodState,
    ReportingPeriod,
)
from app.monitoring.entry import MAX_NUMBER, parse_number
from app.monitoring.grid import kind_of
from app.monitoring.imports.files import unescape
from app.monitoring.rules import describe
from app.programmes.models import Project
from indicators.validation import Rules, check

REQUIRED = ("indicator", "period_start", "period_end", "disaggregation", "category")
OPTIONAL = ("indicator_name", "category_name", "value", "numerator", "denominator", "text",
            "comment", "evidence_url")
COLUMNS = REQUIRED + OPTIONAL
LIMITS = {"text": 5000, "comment": 2000, "evidence_url": 500}
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    kind: str
    computed: bool
    types: frozenset[str]
    rules: Rules = field(default_factory=Rules)


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    state: PeriodState


class Lookups:
    """The project's indicators, periods and categories, keyed as the file names them."""

    def __init__(self, session: Session, project: Project) -> None:
        indicators = session.scalars(sa.select(Indicator).where(
            Indicator.project_id == project.id).options(selectinload(Indicator.disaggregations)))
        self.indicators = {i.code.lower(): IndicatorInfo(
            i.id, kind_of(i), i.activity_source is not None,
            frozenset(t.code for t in i.disaggregations) | {TOTAL_CODE}, i.rules)
            for i in indicators}
        self.periods: dict[tuple[date, date], PeriodInfo] = {
            (p.start_date, p.end_date): PeriodInfo(p.id, p.state)
            for p in session.scalars(sa.select(ReportingPeriod).where(
                ReportingPeriod.project_id == project.id))}
        self.categories = {(t.lower(), c.lower()): i for i, t, c in session.execute(
            sa.select(DisaggregationCategory.id, DisaggregationType.code,
                      DisaggregationCategory.code).join(DisaggregationType))}
        self.period_text: dict[tuple[str, str], PeriodInfo | None] = {}

    def period(self, start: str, end: str) -> PeriodInfo | None:
        key = (start, end)
        if key not in self.period_text:
            try:
                found = self.periods.get((date.fromisoformat(start), date.fromisoformat(end)))
            except (TypeError, ValueError):
                found = None
            self.period_text[key] = found
        return self.period_text[key]


def number_text(raw: str) -> str:
    """A staged number in plain notation; raises ``ValueError`` with the reason."""
    try:
        number: Decimal | None = Decimal(raw)
    except InvalidOperation:
        number = None
    if (number is None or not number.is_finite() or abs(number) >= MAX_NUMBER
            or number != number.quantize(FOUR_PLACES)):
        number = parse_number(raw)  # "1 234,5" is fine; otherwise it raises with the reason
        assert number is not None
    return format(number, "f")


def _get(cells: list[str | None], position: int | None) -> str:
    """A cell as the user meant it: trimmed, and without the apostrophe a template put before
    a code that would read as a formula."""
    if position is None:
        return ""
    cell = cells[position]
    return unescape(cell.strip()) if cell else ""


def check_row(number: int, cells: list[str | None], col: dict[str, int | None],
               lookups: Lookups, error: Callable[..., None]) -> Any:
    code = _get(cells, col["indicator"])
    indicator = lookups.indicators.get(code.lower())
    period = lookups.period(_get(cells, col["period_start"]), _get(cells, col["period_end"]))
    type_code = _get(cells, col["disaggregation"]).lower() or TOTAL_CODE
    category = lookups.categories.get((type_code, _get(cells, col["category"]).lower()
                                       or TOTAL_CODE))
    ok = True
    if indicator is None:
        error(number, "indicator", _l("The project has no indicator “%(code)s”.",
                                      code=quoted(code)))
        ok = False
    elif indicator.computed:
        error(number, "indicator", _l("%(code)s is computed from the activity log: import the "
                                      "activities instead.", code=code))
        ok = False
    if period is None:
        error(number, "period_start", _l("The project has no reporting period from %(start)s to "
                                         "%(end)s (dates as 2025-01-31).",
                                         start=quoted(_get(cells, col["period_start"])),
                                         end=quoted(_get(cells, col["period_end"]))))
        ok = False
    elif period.state == PeriodState.APPROVED:
        error(number, "period_start", _l("The period is approved and locked."))
        ok = False
    elif period.state == PeriodState.SUBMITTED:
        error(number, "period_start", _l("The period was submitted and awaits a decision."))
        ok = False
    if category is None or (indicator is not None and type_code not in indicator.types):
        error(number, "category", _l("“%(type)s / %(category)s” is not a category of this "
                                     "indicator.", type=quoted(type_code),
                                     category=quoted(_get(cells, col["category"]))))
        ok = False
    parts: dict[str, str | None] = {}
    for name in ("value", "numerator", "denominator"):
        raw = _get(cells, col[name])
        try:
            parts[name] = number_text(raw) if raw else None
        except ValueError as exc:
            error(number, name, exc)
            ok = False
    texts = {name: _get(cells, col[name]).replace("\r\n", "\n") or None
             for name in ("text", "comment", "evidence_url")}
    for name, text in texts.items():
        if text and len(text) > LIMITS[name]:
            error(number, name, _l("At most %(n)d characters.", n=LIMITS[name]))
            ok = False
    if not ok or indicator is None or period is None or category is None:
        return None
    if parts["value"] is None and parts["numerator"] is None and texts["text"] is None:
        return False  # no value: nothing to import from this row
    if not _fits(number, indicator.kind, parts, texts, error):
        return None
    where = (f"{code} · {_get(cells, col['period_start'])}–{_get(cells, col['period_end'])}"
             f" · {_get(cells, col['category']) or TOTAL_CODE}")
    broken = check(indicator.rules, **{name: Decimal(text) for name, text in parts.items()
                                       if text is not None})
    for found in broken:
        error(number, found.field, describe(found, where))
    if broken:
        return None
    return (number, indicator.id, period.id, category, parts["value"], parts["numerator"],
            parts["denominator"], texts["text"], texts["comment"], texts["evidence_url"])


def _fits(number: int, kind: str, parts: dict[str, str | None], texts: dict[str, str | None],
          error: Callable[..., None]) -> bool:
    if kind == "ratio":
        if parts["value"] is not None:
            error(number, "value", _l("This indicator is a ratio: give numerator and "
                                      "denominator."))
            return False
        if parts["numerator"] is None or parts["denominator"] is None:
            error(number, "denominator", _l("Give the numerator and the denominator together."))
            return False
        if Decimal(parts["denominator"]) < 0:
            error(number, "denominator", _l("The denominator cannot be negative."))
            return False
    elif parts["numerator"] is not None or parts["denominator"] is not None:
        error(number, "numerator", _l("This indicator takes one value, not a numerator and a "
                                      "denominator."))
        return False
    if kind == "text" and parts["value"] is not None:
        error(number, "value", _l("This indicator is qualitative: give text."))
        return False
    if kind != "text" and texts["text"] is not None:
        error(number, "text", _l("This indicator takes a number, not text."))
        return False
    url = texts["evidence_url"]
    if url and not url.lower().startswith(("https://", "http://")):
        error(number, "evidence_url", _l("The evidence link must start with https:// or "
                                         "http://."))
        return False
    return True
