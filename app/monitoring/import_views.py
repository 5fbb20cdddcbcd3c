"""Bulk import in the browser: templates to download, a file to check and import."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.monitoring.blueprint import bp
from app.monitoring.data_forms import UploadForm
from app.monitoring.imports import background, run_import, xlsform
from app.monitoring.imports import templates as import_templates
from app.programmes.models import Project
from app.web import current_actor, get_or_404

ROWS = {"values": import_templates.value_rows, "activities": import_templates.activity_rows}


@bp.route("/projects/<int:project_id>/import", methods=["GET", "POST"])
def import_page(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("data.enter", project)
    form = UploadForm()
    report, refused, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        dry_run = request.form.get("mode") != "import"
        filename = upload.filename or ""
        try:
            rows = background.count_rows(upload.stream, filename)
            if rows > current_app.config["IMPORT_BACKGROUND_ROWS"]:
                # A large file is checked and written by a job; its page shows the progress.
                job = background.start(db.session, current_actor(), project,
                                       upload.stream.read(), filename, rows, dry_run=dry_run)
                return redirect(url_for("jobs.job_page", job_id=job.id))
            report = run_import(db.session, current_actor(), project, upload.stream,
                                filename, dry_run=dry_run)
        except ServiceError as exc:
            db.session.rollback()
            refused, status = str(exc.message), 422
        else:
            status = 200 if report.ok else 422
    elif request.method == "POST":
        status = 422
    return render_template("monitoring/import.html", project=project, form=form, report=report,
                           refused=refused,
                           max_mb=(request.max_content_length or 0) // (1024 * 1024)), status


@bp.get("/projects/<int:project_id>/import/<kind>.<fmt>")
def import_template(project_id: int, kind: str, fmt: str) -> Any:
    project = get_or_404(Project, project_id)
    authorize("data.enter", project)
    if kind not in ROWS or fmt not in {"csv", "xlsx"}:
        abort(404)
    code = "".join(c if c.isalnum() or c in "-_." else "_" for c in project.code)
    name = f"{code}-{kind}.{fmt}"
    # Read every row inside the request and end its transaction before the response is sent:
    # a generator that queried while the file streams would hold the database (on SQLite, a
    # lock that stops every other request) after the request's own teardown.
    rows = list(ROWS[kind](db.session, project))
    db.session.rollback()
    if fmt == "csv":
        response = Response(import_templates.as_csv(iter(rows)), mimetype="text/csv")
    else:
        response = Response(import_templates.as_xlsx(rows, kind), mimetype=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/projects/<int:project_id>/import/xlsform.xlsx")
def import_xlsform(project_id: int) -> Any:
    """The project's XLSForm for KoboToolbox and ODK Collect."""
    project = get_or_404(Project, project_id)
    authorize("data.enter", project)
    code = "".join(c if c.isalnum() or c in "-_." else "_" for c in project.code)
    data = xlsform.form_bytes(db.session, project)
    db.session.rollback()
    response = Response(data, mimetype=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response.headers["Content-Disposition"] = f'attachment; filename="{code}-xlsform.xlsx"'
    return response
