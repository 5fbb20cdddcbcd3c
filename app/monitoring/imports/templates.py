"""Templates for bulk data entry, one per project: the rows to fill in, with what is stored.

The values template lists every hand-entered indicator × category × period still open for
entry; the activities template lists the logged activities. Filled in and imported again,
an untouched template changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
    Result,
)
from app.monitoring.grid import show
from app.monitoring.imports.activities import AGE_COLUMN, PARTICIPANT_COLUMNS, SEX_COLUMN
from app.monitoring.imports.files import formula_like
from app.monitoring.models import Activity, DataValue
from app.monitoring.periods import EDITABLE
from app.programmes.models import Project

VALUE_COLUMNS = ["indicator", "indicator_name", "period_start", "period_end", "disaggregation",
                 "category", "category_name", "value", "numerator", "denominator", "text",
                 "comment", "evidence_url"]
ACTIVITY_COLUMNS = ["kind", "title", "start_date", "end_date", "country", "place", "output",
                    "cost", "description", *PARTICIPANT_COLUMNS]


def _safe(text: str | None) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run: every cell of user
    data, codes included (the importers read the apostrophe back, ``files.unescape``)."""
    if not text:
        return ""
    return "'" + text if formula_like(text) else text


def value_rows(session: Session, project: Project) -> Iterator[list[str]]:
    indicators = list(session.scalars(
        sa.select(Indicator).where(Indicator.project_id == project.id,
                                   Indicator.activity_source.is_(None))
        .options(selectinload(Indicator.disaggregations)
                 .selectinload(DisaggregationType.categories))
        .order_by(Indicator.position, Indicator.code)))
    periods = list(session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == project.id, ReportingPeriod.state.in_(EDITABLE))
        .order_by(ReportingPeriod.start_date, ReportingPeriod.frequency)))
    total = session.scalars(sa.select(DisaggregationCategory).join(DisaggregationType).where(
        DisaggregationType.code == TOTAL_CODE, DisaggregationCategory.code == TOTAL_CODE)
        .options(selectinload(DisaggregationCategory.type))).one()
    stored = {(v.indicator_id, v.period_id, v.category_id): v for v in session.scalars(
        sa.select(DataValue).where(DataValue.period_id.in_([p.id for p in periods])))}
    yield VALUE_COLUMNS
    for period in periods:
        for indicator in indicators:
            if indicator.frequency not in (None, period.frequency):
                continue
            categories = [total] + [c for t in indicator.disaggregations for c in t.categories]
            for category in categories:
                value = stored.get((indicator.id, period.id, category.id))
                yield [_safe(indicator.code), _safe(indicator.name),
                       period.start_date.isoformat(), period.end_date.isoformat(),
                       _safe(category.type.code), _safe(category.code), _safe(category.name),
                       show(value.value) if value else "",
                       show(value.numerator) if value else "",
                       show(value.denominator) if value else "",
                       _safe(value.text) if value else "", _safe(value.comment) if value else "",
                       _safe(value.evidence_url) if value else ""]


def activity_rows(session: Session, project: Project) -> Iterator[list[str]]:
    codes = dict(session.execute(sa.select(Result.id, Result.code).where(
        Result.project_id == project.id)).all())
    yield ACTIVITY_COLUMNS
    activities = session.scalars(sa.select(Activity).where(Activity.project_id == project.id)
                                 .options(selectinload(Activity.participants))
                                 .order_by(Activity.start_date, Activity.id))
    for activity in activities:
        counts = {f"{SEX_COLUMN[p.sex]}_{AGE_COLUMN[p.age_group]}": str(p.count)
                  for p in activity.participants}
        yield [activity.kind.value, _safe(activity.title), activity.start_date.isoformat(),
               activity.end_date.isoformat() if activity.end_date else "",
               _safe(activity.country), _safe(activity.place),
               _safe(codes.get(activity.result_id)) if activity.result_id else "",
               show(activity.cost), _safe(activity.description),
               *[counts.get(column, "") for column in PARTICIPANT_COLUMNS]]


def as_csv(rows: Iterator[list[str]]) -> Iterator[str]:
    """CSV text, row by row, with a byte order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def as_xlsx(rows: Iterable[list[str]], sheet: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    page: Any = book.create_sheet(sheet)
    for row in rows:
        page.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
