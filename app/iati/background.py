"""A large IATI file is imported by a job: the upload is kept under JOBS_DIR, the job reads
it with ``run_import`` (all or nothing, as in the request) and keeps the report."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit import Actor
from app.errors import ServiceError
from app.iati.importer import ImportReport, run_import
from app.jobs import services as jobs
from app.programmes.models import Programme

KIND = "iati_import"


def to_summary(report: ImportReport) -> dict[str, Any]:
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
    fields["created"], fields["updated"] = dict(report.created), dict(report.updated)
    fields["summary"] = report.summary()
    return fields


def from_summary(summary: dict[str, Any]) -> ImportReport:
    given = {k: v for k, v in summary.items() if k not in ("summary", "stored", "programme_id")}
    given["created"], given["updated"] = Counter(given["created"]), Counter(given["updated"])
    return ImportReport(**given)


def start(session: Session, actor: Actor, stored: str, filename: str, activities: int,
          programme: Programme | None, *, dry_run: bool) -> Any:
    return jobs.enqueue(session, actor, KIND, params={
        "file": stored, "filename": filename, "dry_run": dry_run, "activities": activities,
        "programme_id": None if programme is None else programme.id})


def perform(session: Session, actor: Actor, params: dict[str, Any],
            progress: jobs.Progress) -> jobs.Outcome:
    path = jobs.jobs_dir() / Path(params["file"]).name
    programme = None
    if params.get("programme_id") is not None:
        programme = session.get(Programme, params["programme_id"])
        if programme is None:
            raise ServiceError(_l("The programme of this import no longer exists."))
    total = int(params["activities"])
    progress(0, total)
    with path.open("rb") as handle:
        report = run_import(session, actor, handle, params["filename"], programme=programme,
                            dry_run=bool(params["dry_run"]),
                            progress=lambda done: progress(done, total))
    if not params["dry_run"]:
        path.unlink(missing_ok=True)
    summary = to_summary(report)
    if params["dry_run"]:  # the confirmation on the job's page imports the kept file
        summary["stored"], summary["programme_id"] = params["file"], params.get("programme_id")
    if not report.ok:
        path.unlink(missing_ok=True)
        raise jobs.JobFailed(" ".join(report.summary() + report.problems[:5]), summary)
    progress(report.activities, total)
    return jobs.Outcome(summary=summary)


jobs.register(KIND, perform, title=_l("IATI import"), result_template="iati/_report.html",
              result_context=lambda summary: {
                  "report": from_summary(summary), "stored": summary.get("stored"),
                  "programme_id": summary.get("programme_id")})
