"""Bulk import of the activity log.

An activity is known by its title and start date within the project: a row with the title
and start date of a logged activity updates it (or leaves it alone when nothing differs),
any other row adds one. Rows are written in batches inside one transaction, which is rolled
back if any row is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.audit import Actor
from app.errors import ValidationFailed, quoted
from app.frameworks.models import ActivityKind, PeriodState, ReportingPeriod, Result
from app.monitoring.activities import (
    ACTIVITY_FIELDS,
    Participants,
    check_values,
    participants_of,
    set_participants,
)
from app.monitoring.imports.files import (
    FORMULA_MESSAGE,
    ImportReport,
    Table,
    formula_like,
    unescape,
)
from app.monitoring.models import Activity, AgeGroup, Sex
from app.programmes.models import Project

SEX_COLUMN = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.UNKNOWN: "sex_unknown"}
AGE_COLUMN = {AgeGroup.UNDER_15: "under_15", AgeGroup.AGE_15_24: "15_24",
              AgeGroup.AGE_25_34: "25_34", AgeGroup.AGE_35_PLUS: "35_plus",
              AgeGroup.UNKNOWN: "age_unknown"}
PARTICIPANT_COLUMNS = {f"{SEX_COLUMN[s]}_{AGE_COLUMN[a]}": (s, a) for s in Sex for a in AgeGroup}
REQUIRED = ("kind", "title", "start_date")
OPTIONAL = ("end_date", "country", "place", "output", "cost", "description",
            *PARTICIPANT_COLUMNS)
BATCH = 500


def _date(raw: str, column: str, number: int, report: ImportReport) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        report.error(number, column, _l("“%(v)s” is not a date like 2025-01-31.",
                                        v=quoted(raw)))
        return None


def _row_values(number: int, cell: Callable[[str], str], results: dict[str, int],
                report: ImportReport) -> tuple[dict[str, Any], Participants] | None:
    before = report.error_count
    kind = cell("kind").lower()
    if kind not in {k.value for k in ActivityKind}:
        report.error(number, "kind", _l("Unknown kind “%(v)s”; use one of: %(kinds)s.",
                                        v=quoted(kind),
                                        kinds=", ".join(k.value for k in ActivityKind)))
    output = unescape(cell("output"))
    if output and output not in results:
        report.error(number, "output", _l("The project has no result “%(code)s”.", code=output))
    cost: Decimal | None = None
    if cell("cost"):
        try:
            cost = Decimal(cell("cost").replace(",", "."))
        except InvalidOperation:
            report.error(number, "cost", _l("“%(v)s” is not a number.",
                                            v=quoted(cell("cost"))))
    participants: Participants = {}
    for column, key in PARTICIPANT_COLUMNS.items():
        raw = cell(column)
        if raw:
            if not raw.isdigit():
                report.error(number, column, _l("Give a whole number of people, not “%(v)s”.",
                                                v=quoted(raw)))
            else:
                participants[key] = int(raw)
    values = {"kind": kind, "title": unescape(cell("title"))[:300],
              "description": unescape(cell("description")) or None,
              "start_date": _date(cell("start_date"), "start_date", number, report),
              "end_date": _date(cell("end_date"), "end_date", number, report),
              "country": unescape(cell("country")) or None,
              "place": unescape(cell("place"))[:200] or None,
              "result_id": results.get(output), "cost": cost}
    if report.error_count > before:
        return None
    try:
        return check_values(values, participants), participants
    except ValidationFailed as exc:
        for column, messages in exc.errors.items():
            report.error(number, column, messages[0])
        return None


def import_activities(session: Session, actor: Actor, project: Project, table: Table,
                      index: dict[str, int], report: ImportReport,
                      progress: Callable[[int], None] | None = None) -> ImportReport:
    results = dict(session.execute(sa.select(Result.code, Result.id).where(
        Result.project_id == project.id)).all())
    locked = list(session.execute(sa.select(ReportingPeriod.start_date, ReportingPeriod.end_date)
                                  .where(ReportingPeriod.project_id == project.id,
                                         ReportingPeriod.state == PeriodState.APPROVED)))
    existing = {(a.title.lower(), a.start_date): a for a in session.scalars(
        sa.select(Activity).where(Activity.project_id == project.id)
        .options(selectinload(Activity.participants)))}
    seen: dict[tuple[str, date], int] = {}
    pending = 0
    for number, raw_cells in table.rows:
        for cell_error in table.cell_errors:
            report.error(cell_error.row, cell_error.column, cell_error.message)
        table.cell_errors.clear()
        if not any(raw_cells):
            continue
        report.rows += 1
        cells = [(c or "").strip() for c in raw_cells]

        def cell(name: str, cells: list[str] = cells) -> str:
            position = index.get(name)
            return cells[position] if position is not None and position < len(cells) else ""

        formulas = [name for name in index if formula_like(cell(name))]
        for name in formulas:
            report.error(number, name, FORMULA_MESSAGE)
        parsed = None if formulas else _row_values(number, cell, results, report)
        if parsed is None:
            continue
        values, participants = parsed
        key = (values["title"].lower(), values["start_date"])
        if key in seen:
            report.error(number, "title", _l("The same title and start date as row %(row)d.",
                                             row=seen[key]))
            continue
        seen[key] = number
        if any(start <= values["start_date"] <= end for start, end in locked):
            report.error(number, "start_date", _l("The activity falls in an approved, locked "
                                                  "period."))
            continue
        activity = existing.get(key)
        if activity is not None and _same(activity, values, participants):
            report.unchanged += 1
            continue
        if activity is None:
            report.new += 1
        else:
            report.changed += 1
        if report.dry_run or report.error_count:
            continue
        if activity is None:
            activity = Activity(project_id=project.id, recorded_by_id=actor.user_id)
        for name in ACTIVITY_FIELDS:
            setattr(activity, name, values[name])
        set_participants(activity, participants)
        session.add(activity)
        pending += 1
        if pending >= BATCH:
            session.flush()
            pending = 0
            if progress:
                progress(report.rows)
    if report.error_count or report.dry_run or not (report.new or report.changed):
        return report
    session.flush()
    audit.record(session, actor, "activities.import", "project", project.id, {
        "file": [None, report.filename], "new": [None, report.new],
        "changed": [None, report.changed], "unchanged": [None, report.unchanged]})
    report.written = True
    return report


def _same(activity: Activity, values: dict[str, Any], participants: Participants) -> bool:
    return (all(getattr(activity, name) == values[name] for name in ACTIVITY_FIELDS)
            and participants_of(activity) == {k: n for k, n in participants.items() if n})
