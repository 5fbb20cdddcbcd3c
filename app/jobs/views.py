"""A job's page, its state for the page's script, and the file it produced."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, render_template
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from app.auth.permissions import authorize
from app.db import db
from app.jobs import services
from app.jobs.models import Job, JobState

bp = Blueprint("jobs", __name__)


def _job(job_id: int) -> Job:
    """The job, for the user who asked for it or an administrator; to anyone else it does not
    exist (404, as a notification to anyone but its recipient)."""
    job = db.session.get(Job, job_id)
    if job is None or not services.may_see(g.get("user"), job):
        abort(404)
    return job


def state_text(job: Job) -> str:
    return {
        JobState.QUEUED: _("Waiting for its turn"),
        JobState.RUNNING: _("Running"),
        JobState.DONE: _("Done"),
        JobState.FAILED: _("Failed"),
    }[job.state]


@bp.get("/jobs/<int:job_id>")
def job_page(job_id: int) -> Any:
    job = _job(job_id)
    kind = services.KINDS.get(job.kind)
    shown: dict[str, Any] = {}
    if job.result and kind and kind.result_template and kind.result_context:
        shown = kind.result_context(job.result)
    return render_template("jobs/job.html", job=job, kind=kind, state_text=state_text(job),
                           has_file=services.result_path(job) is not None,
                           result_template=kind.result_template if kind and shown else None,
                           **shown)


@bp.get("/jobs/<int:job_id>.json")
def job_state(job_id: int) -> Any:
    job = _job(job_id)
    progress_text = (_("%(done)d of %(total)d", done=job.done, total=job.total)
                     if job.total else None)
    response = jsonify(state=job.state.value, state_text=state_text(job), done=job.done,
                       total=job.total, progress_text=progress_text, message=job.message,
                       finished=job.finished)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<int:job_id>/download")
def download(job_id: int) -> Any:
    job = _job(job_id)
    # The permission the document needed when it was asked for is checked again now.
    permission = job.params.get("permission")
    if permission:
        authorize(permission, job if job.project_id is not None else None)
    path = services.result_path(job)
    if job.state is not JobState.DONE or path is None:
        abort(404)
    name = secure_filename(job.result_name or "") or "document"
    return Response(path.read_bytes(), mimetype=job.result_type or "application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
