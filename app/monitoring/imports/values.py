"""Bulk import of indicator values: stream the rows, check each, stage them, then write.

The rows are checked one by one against the project's indicators, periods and categories
(held in small lookup tables), and staged in batches into a temporary table (COPY on
PostgreSQL). The staged rows are then compared with the stored values and written in two
set-based statements, in the same transaction: either every row is imported or none.
Memory stays flat whatever the size of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import UTCDateTime, utcnow
from app.frameworks.models import PeriodState
from app.monitoring.imports import stage
from app.monitoring.imports.checks import (
    COLUMNS,
    LIMITS,
    OPTIONAL,
    REQUIRED,
    Lookups,
    check_row,
    number_text,
)
from app.monitoring.imports.files import FORMULA_MESSAGE, FORMULA_START, ImportReport, Table
from app.monitoring.imports.files import formula_like as _formula_like
from app.programmes.models import Project
from indicators.validation import check

__all__ = ["OPTIONAL", "REQUIRED", "import_values"]
BATCH = 20_000


class _Memo(dict[Any, Any]):
    """Remembers what ``compute`` found for a key (misses are computed again)."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        found = self.compute(key)
        if found is not None:
            self[key] = found
        return found


class FastPath:
    """The common row, checked with a few dictionary look-ups: a known indicator entered by
    hand, an editable period, one of its categories, a plain number or ratio. Anything else
    (and every problem) goes to ``check_row``, which names what is wrong."""

    def __init__(self, col: dict[str, int | None], lookups: Lookups) -> None:
        self.col = col
        self.indicators = _Memo(lambda code: lookups.indicators.get((code or "").lower()))
        self.periods = _Memo(lambda key: self._editable(lookups.period(*key)))
        self.categories = _Memo(lambda key: self._category(lookups, key))
        self.texts = [col[n] for n in ("text", "comment", "evidence_url")]

    @staticmethod
    def _editable(period: Any) -> Any:
        return period if period is not None and period.state in (
            PeriodState.OPEN, PeriodState.RETURNED) else None

    @staticmethod
    def _category(lookups: Lookups, key: tuple[str | None, str | None]) -> Any:
        type_code = (key[0] or "").lower()
        found = lookups.categories.get((type_code, (key[1] or "").lower()))
        return None if found is None or not type_code else (type_code, found)

    def row(self, number: int, cells: list[str | None]) -> tuple[Any, ...] | None:
        col = self.col
        indicator = self.indicators[cells[col["indicator"]]]  # type: ignore[index]
        if indicator is None or indicator.computed or indicator.kind == "text":
            return None
        period = self.periods[(cells[col["period_start"]],  # type: ignore[index]
                               cells[col["period_end"]])]  # type: ignore[index]
        category = self.categories[(cells[col["disaggregation"]],  # type: ignore[index]
                                    cells[col["category"]])]  # type: ignore[index]
        if period is None or category is None or category[0] not in indicator.types:
            return None
        value = numerator = denominator = None
        v, n, d = (cells[col[name]] if col[name] is not None else None  # type: ignore[index]
                   for name in ("value", "numerator", "denominator"))
        if indicator.kind == "ratio":
            if v or not n or not d:
                return None
            numerator, denominator = _plain(n), _plain(d)
            if numerator is None or denominator is None or denominator.startswith("-"):
                return None
        else:
            if n or d or not v:
                return None
            value = _plain(v)
            if value is None:
                return None
        if check(indicator.rules, **{name: Decimal(part) for name, part in (
                ("value", value), ("numerator", numerator), ("denominator", denominator))
                if part is not None}):
            return None  # a broken rule: check_row says which
        text, comment, url = (cells[p] if p is not None else None for p in self.texts)
        if text or not _safe_text(comment, LIMITS["comment"]) or not _safe_text(
                url, LIMITS["evidence_url"]) or (url and not url.startswith(
                    ("https://", "http://"))):
            return None
        return (number, indicator.id, period.id, category[1], value, numerator, denominator,
                None, comment or None, url or None)


def _plain(raw: str) -> str | None:
    if raw.isdigit() and len(raw) < 15:
        return raw
    try:
        return number_text(raw)
    except ValueError:
        return None


def _safe_text(text: str | None, limit: int) -> bool:
    return not text or (text[0] not in FORMULA_START and text[0] != "'"
                        and text == text.strip() and len(text) <= limit)


def check_rows(table: Table, index: dict[str, int], lookups: Lookups,
               report: ImportReport) -> Iterator[tuple[Any, ...]]:
    """Yield a staging row for each valid data row; record the others in ``report``."""
    col = {name: index.get(name) for name in COLUMNS}
    width = len(table.header)
    error = report.error
    fast = FastPath(col, lookups)
    for number, cells in table.rows:
        if table.cell_errors:
            for cell_error in table.cell_errors:
                error(cell_error.row, cell_error.column, cell_error.message)
            table.cell_errors.clear()
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        staged = fast.row(number, cells)
        if staged is not None:
            report.rows += 1
            yield staged
            continue
        if not any(cells):
            continue
        report.rows += 1
        bad = False
        for name, position in col.items():
            cell = cells[position] if position is not None else None
            if cell and cell[0] in FORMULA_START and _formula_like(cell):
                error(number, name, FORMULA_MESSAGE)
                bad = True
        if bad:
            continue
        found = check_row(number, cells, col, lookups, error)
        if found is False:
            report.skipped += 1
        elif found is not None:
            yield found


def import_values(session: Session, actor: Actor, project: Project, table: Table,
                  index: dict[str, int], report: ImportReport,
                  progress: Callable[[int], None] | None = None) -> ImportReport:
    """Check and stage every row, then (unless a dry run, and only without errors) write."""
    lookups = Lookups(session, project)
    connection = session.connection()
    stage.create(connection)
    batch: list[tuple[Any, ...]] = []
    staged = 0
    for row in check_rows(table, index, lookups, report):
        batch.append(row)  # staged even after an error: duplicates are counted too
        if len(batch) >= BATCH:
            stage.load(connection, batch)
            staged += len(batch)
            batch.clear()
            if progress:
                progress(report.rows)
    for cell_error in table.cell_errors:
        report.error(cell_error.row, cell_error.column, cell_error.message)
    stage.load(connection, batch)
    staged += len(batch)
    listed = stage.index(connection)
    if listed:
        report.duplicates(stage.duplicate_count(connection), listed, lambda first: _l(
            "The same indicator, period and category as row %(row)d.", row=first))
    if report.error_count:
        return report
    if report.dry_run:
        report.new, report.changed, report.unchanged = stage.compare(connection)
    else:
        now = sa.literal(utcnow(), UTCDateTime())
        report.new, report.changed = stage.write(connection, actor.user_id, now)
        report.unchanged = staged - report.new - report.changed
    if progress:
        progress(report.rows)
    if report.dry_run or not (report.new or report.changed):
        return report
    audit.record(session, actor, "data_values.import", "project", project.id, {
        "file": [None, report.filename], "new": [None, report.new],
        "changed": [None, report.changed], "unchanged": [None, report.unchanged]})
    report.written = True
    return report

