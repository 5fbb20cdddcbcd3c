"""A large import runs as a job: the upload is kept under JOBS_DIR, the job checks and writes
it with ``run_import`` (all or nothing, as in the request) and keeps the report."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit import Actor
from app.errors import ServiceError
from app.jobs import services as jobs
from app.monitoring.imports import run_import
from app.monitoring.imports.files import ImportReport, RowError, open_table
from app.programmes.models import Project

KIND = "import"


def count_rows(stream: IO[bytes], filename: str) -> int:
    """How many data rows the file holds (a refused file raises ``FileRefused``)."""
    table = open_table(stream, filename)
    try:
        return sum(1 for _ in table.rows)
    finally:
        table.close()
        stream.seek(0)


def to_summary(report: ImportReport) -> dict[str, Any]:
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)
              if f.name not in ("errors", "_last_bad_row")}
    fields["errors"] = [dataclasses.asdict(e) for e in report.errors]
    fields["summary"] = report.summary()
    return fields


def from_summary(summary: dict[str, Any]) -> ImportReport:
    """The report kept by a job, to show with the same template as the request's."""
    given = {k: v for k, v in summary.items() if k not in ("errors", "summary")}
    return ImportReport(**given, errors=[RowError(**e) for e in summary.get("errors", [])])


def start(session: Session, actor: Actor, project: Project, data: bytes, filename: str,
          rows: int, *, dry_run: bool) -> Any:
    name = jobs.store_input(data, Path(filename).suffix.lower()[:10])
    return jobs.enqueue(session, actor, KIND, project_id=project.id, params={
        "project_id": project.id, "file": name, "filename": filename, "dry_run": dry_run,
        "rows": rows})


def perform(session: Session, actor: Actor, params: dict[str, Any],
            progress: jobs.Progress) -> jobs.Outcome:
    project = session.get(Project, params["project_id"])
    path = jobs.jobs_dir() / params["file"]
    try:
        if project is None:
            raise ServiceError(_l("The project of this import no longer exists."))
        total = int(params["rows"])
        progress(0, total)
        with path.open("rb") as handle:
            report = run_import(session, actor, project, handle, params["filename"],
                                dry_run=bool(params["dry_run"]),
                                progress=lambda rows: progress(rows, total))
    finally:
        path.unlink(missing_ok=True)
    summary = to_summary(report)
    if not report.ok:
        raise jobs.JobFailed(" ".join([str(_l("Refused: nothing was written.")),
                                       *summary["summary"]]), summary)
    progress(report.rows, total)
    return jobs.Outcome(summary=summary)


jobs.register(KIND, perform, title=_l("Bulk import"),
              result_template="monitoring/_import_report.html",
              result_context=lambda summary: {"report": from_summary(summary)})
