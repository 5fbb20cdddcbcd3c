"""Import of the submissions KoboToolbox or ODK Central export for the project's XLSForm.

Each submission (a row of the export) becomes the rows of the bulk importer: an activity row,
or one values row per answered indicator question of the chosen period. Those rows go through
the same checks and the same all-or-nothing write as a bulk file (``activities.py``,
``values.py``); a problem is reported at the submission's row of the export, under its
question, with the submission's id. The id of every imported submission is kept
(``FieldSubmission``) with a digest of its answers: a submission imported before is skipped,
one edited since is refused with its id.

Headers: Kobo's (``group/field`` or ``field``, ``_uuid``, ``_id``, ``_submission_time``,
``_validation_status``) and ODK Central's (``group-field``, ``KEY``, ``meta-instanceID``,
``SubmissionDate``, ``ReviewState``); XML values or labels, in either language.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.errors import quoted
from app.monitoring.imports import activities as import_activities
from app.monitoring.imports import values as import_values
from app.monitoring.imports import xlsform
from app.monitoring.imports.files import ImportReport, Table
from app.monitoring.imports.templates import ACTIVITY_COLUMNS, VALUE_COLUMNS
from app.monitoring.models import FieldSubmission
from app.programmes.models import Project

KOBO_MARKS = {"_uuid", "_submission_time", "_validation_status"}
ODK_MARKS = {"key", "submissiondate", "meta-instanceid"}
# An edit keeps the first id: ODK Central in KEY, KoboToolbox in meta/rootUuid (the edit's
# own instanceID and _uuid are new).
ID_COLUMNS = {"kobo": ("meta/rootuuid", "meta/instanceid", "_uuid"),
              "odk": ("key", "meta-instanceid")}
REJECTED = {"validation_status_not_approved", "not approved", "rejected"}
_BARE_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SOURCE_NAMES = {"kobo": "KoboToolbox", "odk": "ODK Central"}


def source_of(header: list[str]) -> str | None:
    """"kobo" or "odk" when the (lower-case) header is a submissions export."""
    names = set(header)
    if names & KOBO_MARKS:
        return "kobo"
    if len(names & ODK_MARKS) >= 2 or "reviewstate" in names:
        return "odk"
    return None


@dataclass
class Submission:
    row: int
    id: str
    answers: dict[str, str]  # question name -> answer as exported
    headers: dict[str, str]  # question name -> the export's header


@dataclass
class Origin:
    """Where a row handed to a bulk importer came from."""

    row: int
    submission: str
    columns: dict[str, str] = field(default_factory=dict)  # importer column -> export header


def _named(submission: str, problem: Any) -> Any:
    return _l("Submission %(id)s: %(problem)s", id=submission, problem=str(problem))


class _Report(ImportReport):
    """A bulk importer's report that names the export's row, question and submission."""

    def __init__(self, kind: str, filename: str, dry_run: bool,
                 origins: dict[int, Origin], target: ImportReport) -> None:
        super().__init__(kind, filename, dry_run)
        self.origins = origins
        self.target = target

    def error(self, row: int, column: str, message: Any) -> None:
        super().error(row, column, message)
        origin = self.origins.get(row)
        if origin is None:
            self.target.error(row, column, message)
            return
        self.target.error(origin.row, origin.columns.get(column, column),
                          _named(origin.submission, message))

    def duplicates(self, total: int, listed: list[tuple[int, int]], message: Any) -> None:
        super().duplicates(total, listed, message)
        for first, later in listed:
            one, other = self.origins[first], self.origins[later]
            self.target.error(other.row, other.columns.get("indicator", "indicator"), _l(
                "Submission %(id)s gives the same indicator, period and category as "
                "submission %(other)s (row %(row)d).", id=other.submission,
                other=one.submission, row=one.row))
        self.target.error_count += max(total - len(listed), 0)


def _question(header: str, form: xlsform.Form, separator: str) -> str | None:
    """The question a header stands for: its name after any group path, or its label."""
    pieces = header.split(separator)
    for start in range(len(pieces)):
        candidate = separator.join(pieces[start:]).strip()
        if start == len(pieces) - 1 and xlsform.parse_value_name(candidate):
            return candidate
        if candidate in form.labels:
            return form.labels[candidate]
    last = pieces[-1].strip()
    return last if xlsform.parse_value_name(last) else None


def _names(table: Table, form: xlsform.Form, source: str) -> dict[int, str]:
    separator = "/" if source == "kobo" else "-"
    found = {}
    for position, header in enumerate(table.header):
        name = _question(header, form, separator)
        if name is None and source == "odk":
            name = _question(header, form, "/")
        if name is not None:
            found[position] = name
    return found


def _choice(form: xlsform.Form, list_name: str, answer: str) -> str:
    return form.choice_labels.get(list_name, {}).get(answer.strip().lower(), answer.strip())


def digest(kind: str, rows: list[list[str]]) -> str:
    return hashlib.sha256(json.dumps([kind, rows], ensure_ascii=False).encode()).hexdigest()


@dataclass
class Converted:
    activities: list[list[str]] = field(default_factory=list)
    activity_origins: dict[int, Origin] = field(default_factory=dict)
    values: list[list[str]] = field(default_factory=list)
    value_origins: dict[int, Origin] = field(default_factory=dict)
    taken: list[tuple[str, str, str]] = field(default_factory=list)  # id, kind, digest


def _activity_row(sub: Submission, form: xlsform.Form) -> tuple[list[str], dict[str, str]]:
    answers = dict(sub.answers)
    answers["kind"] = _choice(form, "kind", answers.get("kind", ""))
    output = answers.get("output", "").strip()
    if output:
        known = form.choice_labels.get("output", {})
        answers["output"] = known.get(output.lower(), output.split(" ")[0])
    row = [answers.get(c, "").strip() for c in ACTIVITY_COLUMNS]
    return row, {c: sub.headers.get(c, c) for c in ACTIVITY_COLUMNS}


def _value_rows(sub: Submission, form: xlsform.Form,
                report: ImportReport) -> list[tuple[list[str], dict[str, str]]] | None:
    period = sub.answers.get("period", "").strip()
    dates = _DATE.findall(period)
    if len(dates) != 2:
        problem = (_l("Choose the reporting period.") if not period else
                   _l("“%(v)s” is not a reporting period of the form.", v=quoted(period)))
        report.error(sub.row, sub.headers.get("period", "period"), _named(sub.id, problem))
        return None
    grouped: dict[tuple[str, str, str], dict[str, tuple[str, str]]] = {}
    for name, answer in sub.answers.items():
        parsed = xlsform.parse_value_name(name)
        if parsed is None or not answer.strip():
            continue
        indicator, type_code, category, part = parsed
        grouped.setdefault((indicator, type_code, category), {})[part] = (
            answer.strip(), sub.headers[name])
    comment = sub.answers.get("comment", "").strip()
    rows = []
    for (indicator, type_code, category), parts in sorted(grouped.items()):
        cells = {"indicator": indicator, "period_start": dates[0], "period_end": dates[1],
                 "disaggregation": type_code, "category": category, "comment": comment}
        columns = {"period_start": sub.headers.get("period", "period"),
                   "comment": sub.headers.get("comment", "comment")}
        first = next(iter(parts.values()))[1]
        for column in ("indicator", "category", "disaggregation"):
            columns[column] = first
        for part, (answer, header) in parts.items():
            cells[part] = answer
            columns[part] = header
        rows.append(([cells.get(c, "") for c in VALUE_COLUMNS], columns))
    return rows


def _read(table: Table, form: xlsform.Form, source: str,
          report: ImportReport) -> list[Submission]:
    names = _names(table, form, source)
    ids = [table.header.index(c) for c in ID_COLUMNS[source] if c in table.header]
    status = [table.header.index(c) for c in ("_validation_status", "reviewstate")
              if c in table.header]
    found = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        if not any(cells):
            continue
        text = [(c or "").strip() for c in cells] + [""] * (len(table.header) - len(cells))
        submission = next((text[i] for i in ids if text[i]), "")
        if _BARE_UUID.fullmatch(submission):
            submission = "uuid:" + submission
        if not submission:
            report.error(number, ID_COLUMNS[source][-1], _l(
                "The submission has no id: export the submissions with their metadata."))
            continue
        if submission in seen:
            report.error(number, ID_COLUMNS[source][-1], _l(
                "Submission %(id)s is also in row %(row)d.", id=submission, row=seen[submission]))
            continue
        seen[submission] = number
        if any(text[i].lower() in REJECTED for i in status):
            report.skipped += 1
            continue
        answers = {name: text[p] for p, name in names.items() if text[p]}
        headers = {name: table.header[p] for p, name in names.items()}
        found.append(Submission(number, submission, answers, headers))
    for cell_error in table.cell_errors:
        report.error(cell_error.row, cell_error.column, cell_error.message)
    return found


def _convert(session: Session, project: Project, subs: list[Submission], form: xlsform.Form,
             report: ImportReport) -> Converted:
    stored = dict(session.execute(sa.select(
        FieldSubmission.submission_id, FieldSubmission.digest).where(
        FieldSubmission.project_id == project.id,
        FieldSubmission.submission_id.in_([s.id for s in subs] or [""]))).all())
    out = Converted()
    for sub in subs:
        kind = _choice(form, "report", sub.answers.get("report", ""))
        if kind == "activity":
            row, columns = _activity_row(sub, form)
            made = [(row, columns)]
        elif kind == "values":
            made = _value_rows(sub, form, report) or []
        else:
            problem = _l("“%(v)s” is neither an activity nor indicator values.",
                         v=quoted(sub.answers.get("report", "")))
            report.error(sub.row, sub.headers.get("report", "report"), _named(sub.id, problem))
            continue
        signature = digest(kind, [row for row, _ in made])
        if sub.id in stored:
            if stored[sub.id] == signature:
                report.unchanged_submissions += 1
            else:
                report.error(sub.row, sub.headers.get("report", "report"), _l(
                    "Submission %(id)s was imported before and has been edited since. Its "
                    "changes were not imported: enter them in PVE Track, or remove the row "
                    "from the export.", id=sub.id))
            continue
        out.taken.append((sub.id, kind, signature))
        for row, columns in made:
            if kind == "activity":
                number = len(out.activities) + 2
                out.activities.append(row)
                out.activity_origins[number] = Origin(sub.row, sub.id, columns)
            else:
                number = len(out.values) + 2
                out.values.append(row)
                out.value_origins[number] = Origin(sub.row, sub.id, columns)
    return out


def _table(header: list[str], rows: list[list[str]]) -> Table:
    cells: list[list[str | None]] = [list(row) for row in rows]
    return Table(list(header), iter(enumerate(cells, start=2)), "csv", [], lambda: None)


def import_submissions(session: Session, actor: Actor, project: Project, table: Table,
                       source: str, report: ImportReport,
                       progress: Callable[[int], None] | None = None) -> ImportReport:
    """Check every submission, then write them all (unless a dry run or any is wrong)."""
    form = xlsform.build(session, project)
    subs = _read(table, form, source, report)
    report.rows = len(subs) + report.skipped
    converted = _convert(session, project, subs, form, report)
    parts = []
    if converted.activities:
        part = _Report("activities", report.filename, report.dry_run,
                       converted.activity_origins, report)
        import_activities.import_activities(
            session, actor, project, _table(ACTIVITY_COLUMNS, converted.activities),
            {c: i for i, c in enumerate(ACTIVITY_COLUMNS)}, part, progress)
        parts.append(part)
    if converted.values:  # checked even after other errors, so that every problem is named
        part = _Report("values", report.filename, report.dry_run, converted.value_origins,
                       report)
        import_values.import_values(
            session, actor, project, _table(VALUE_COLUMNS, converted.values),
            {c: i for i, c in enumerate(VALUE_COLUMNS)}, part, progress)
        parts.append(part)
    for part in parts:
        report.new += part.new
        report.changed += part.changed
        report.unchanged += part.unchanged
        report.skipped += part.skipped
    report.new_submissions = len(converted.taken)
    report.errors.sort(key=lambda e: e.row)  # in the order of the export, whoever found them
    if report.error_count or report.dry_run or not converted.taken:
        return report
    for submission, kind, signature in converted.taken:
        session.add(FieldSubmission(
            project_id=project.id, submission_id=submission[:200], source=source, kind=kind,
            digest=signature, filename=report.filename[:300], imported_by_id=actor.user_id))
    session.flush()
    audit.record(session, actor, "field_submissions.import", "project", project.id, {
        "source": [None, SOURCE_NAMES[source]], "file": [None, report.filename],
        "submissions": [None, [s for s, _, _ in converted.taken]],
        "new": [None, report.new], "changed": [None, report.changed]})
    report.written = True
    return report
