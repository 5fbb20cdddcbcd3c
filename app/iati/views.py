"""IATI pages: the activity file of a project or a programme, and the import for managers
(upload → dry-run report → confirm)."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, url_for
from sqlalchemy.orm import joinedload, selectinload

from app.auth.permissions import authorize, can
from app.db import db
from app.iati import background, export
from app.iati.forms import IatiConfirmForm, IatiUploadForm
from app.iati.importer import ImportReport, run_import
from app.iati.reader import FileRefused, count
from app.jobs import services as jobs
from app.programmes.models import Programme, ProgrammeDonor, Project
from app.web import current_actor, get_or_404

bp = Blueprint("iati", __name__)
STORED = re.compile(r"in-[0-9a-f]{32}\.xml")
BACKGROUND_BYTES = 2 * 1024 * 1024  # larger files are imported by a job, with its progress


def _download(document: bytes, code: str) -> Response:
    return Response(document, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{export.filename(code)}"'})


@bp.get("/projects/<int:project_id>/iati.xml")
def project_export(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("iati.export", project)
    return _download(export.build(db.session, [project]), project.code)


@bp.get("/programmes/<int:programme_id>/iati.xml")
def programme_export(programme_id: int) -> Any:
    programme = get_or_404(Programme, programme_id,
                           selectinload(Programme.donors).joinedload(ProgrammeDonor.organisation),
                           joinedload(Programme.lead_organisation))
    authorize("iati.export", programme)
    # Only the projects this reader may export themselves.
    projects = [p for p in export.programme_projects(db.session, programme)
                if can(g.user, "iati.export", p)]
    return _download(export.build(db.session, projects), programme.code)


def _programme_choices() -> list[tuple[Any, str]]:
    return [("", "—")] + [(p.id, f"{p.code} — {p.title}") for p in db.session.execute(
        sa.select(Programme.id, Programme.code, Programme.title).order_by(Programme.code))]


def _threshold() -> int:
    return int(current_app.config.get("IATI_BACKGROUND_BYTES") or BACKGROUND_BYTES)


def _run(stored: str, filename: str, programme: Programme | None, *,
         dry_run: bool) -> ImportReport | Response:
    path = jobs.jobs_dir() / stored
    if path.stat().st_size > _threshold():
        with path.open("rb") as handle:
            try:
                activities = count(handle)
            except FileRefused:
                activities = 0
        job = background.start(db.session, current_actor(), stored, filename, activities,
                               programme, dry_run=dry_run)
        return redirect(url_for("jobs.job_page", job_id=job.id))  # type: ignore[return-value]
    with path.open("rb") as handle:
        report = run_import(db.session, current_actor(), handle, filename,
                            programme=programme, dry_run=dry_run)
    if not dry_run or not report.ok:
        path.unlink(missing_ok=True)
    return report


@bp.route("/iati/import", methods=["GET", "POST"])
def import_page() -> Any:
    authorize("iati.import")
    form = IatiUploadForm()
    form.programme_id.choices = _programme_choices()
    report, stored, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        filename = (upload.filename or "activities.xml").rsplit("/", 1)[-1][:200]
        stored = jobs.store_input(upload.stream.read(), ".xml")
        programme = (db.session.get(Programme, form.programme_id.data)
                     if form.programme_id.data else None)
        outcome = _run(stored, filename, programme, dry_run=True)
        if isinstance(outcome, Response):
            return outcome
        report = outcome
        status = 200 if report.ok else 422
    elif form.is_submitted():
        status = 422
    confirm = IatiConfirmForm(formdata=None, stored=stored,
                              filename=report.filename if report else "",
                              programme_id=form.programme_id.data or "")
    return render_template("iati/import.html", form=form, report=report, confirm=confirm,
                           stored=stored), status


@bp.post("/iati/import/confirm")
def import_confirm() -> Any:
    authorize("iati.import")
    form = IatiConfirmForm()
    stored = form.stored.data or ""
    if not form.validate_on_submit():
        abort(400)
    if not STORED.fullmatch(stored) or not (jobs.jobs_dir() / stored).is_file():
        upload = IatiUploadForm(formdata=None)
        upload.programme_id.choices = _programme_choices()
        return render_template("iati/import.html", form=upload, report=None, confirm=None,
                               stored=None, expired=True), 422
    programme = None
    if form.programme_id.data:
        try:
            programme = db.session.get(Programme, int(form.programme_id.data))
        except ValueError:
            abort(400)
        if programme is None:
            abort(400)
    outcome = _run(stored, form.filename.data or "activities.xml", programme, dry_run=False)
    if isinstance(outcome, Response):
        return outcome
    upload = IatiUploadForm(formdata=None)
    upload.programme_id.choices = _programme_choices()
    return render_template("iati/import.html", form=upload, report=outcome, confirm=None,
                           stored=None), 200 if outcome.ok else 422
