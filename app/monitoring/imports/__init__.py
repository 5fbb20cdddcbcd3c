"""Bulk import of a project's values or activities from a CSV or XLSX file.

The file says what it holds by its header (the values template has an ``indicator`` column,
the activities template a ``title`` column). One transaction: committed only when every row
is right and it is not a dry run; a dry run counts what would be new, changed and unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit import Actor
from app.monitoring.imports import activities as import_activities
from app.monitoring.imports import submissions
from app.monitoring.imports import values as import_values
from app.monitoring.imports.files import FileRefused, ImportReport, check_header, open_table
from app.programmes.models import Project

KINDS = {
    "values": (import_values.REQUIRED, import_values.OPTIONAL, import_values.import_values),
    "activities": (import_activities.REQUIRED, import_activities.OPTIONAL,
                   import_activities.import_activities),
}


def detect(header: list[str], filename: str) -> str:
    if "indicator" in header:
        return "values"
    if "title" in header:
        return "activities"
    raise FileRefused(_l("The first row of %(name)s is neither the values template's header nor "
                         "the activities template's. Download a template and keep its first "
                         "row.", name=filename))


def run_import(session: Session, actor: Actor, project: Project, stream: IO[bytes],
               filename: str, *, dry_run: bool,
               progress: Callable[[int], None] | None = None) -> ImportReport:
    """Check the whole file, then write it all or nothing. Raises ``FileRefused`` when the
    file as such is refused; row errors are in the report."""
    table = open_table(stream, filename)
    try:
        source = submissions.source_of(table.header)
        if source is not None:
            report = ImportReport("submissions", filename, dry_run)
            submissions.import_submissions(session, actor, project, table, source, report,
                                           progress)
            return _finish(session, report)
        kind = detect(table.header, filename)
        required, optional, importer = KINDS[kind]
        index = check_header(table, required, optional, filename)
        report = ImportReport(kind, filename, dry_run)
        importer(session, actor, project, table, index, report, progress)
    except BaseException:
        session.rollback()
        raise
    finally:
        table.close()
    return _finish(session, report)


def _finish(session: Session, report: ImportReport) -> ImportReport:
    if report.written:
        session.commit()
    else:
        session.rollback()
    return report
