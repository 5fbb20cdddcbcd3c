"""Evidence pages: the files of one record (with the upload form), a download, a removal."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.models import User
from app.auth.permissions import authorize, can, can_change_own
from app.db import db
from app.errors import ServiceError, StaleEdit
from app.evidence import labels, services
from app.evidence.forms import EvidenceForm, RemoveForm
from app.evidence.models import EvidenceFile, SubjectKind
from app.evidence.storage import KeyMissing
from app.evidence.subjects import SUBJECTS, Subject
from app.web import current_actor, get_or_404

bp = Blueprint("evidence", __name__, url_prefix="/evidence")


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"el": labels, "may_see_file": may_see_file}


def may_see_file(file: EvidenceFile) -> bool:
    """A sensitive file is listed by title only to those who may open it."""
    return services.may_see(g.get("user"), file)


def _load(kind: SubjectKind, subject_id: int, part_id: int | None) -> tuple[Subject, Any]:
    subject = SUBJECTS[kind]
    record = subject.load(db.session, subject_id, part_id)
    if record is None:
        abort(404)
    authorize(subject.view_action, subject.target(record))
    return subject, record


# kind -> the endpoint of its evidence page and the URL arguments naming the record
PAGES: dict[SubjectKind, tuple[str, tuple[str, ...]]] = {
    SubjectKind.VALUE: ("evidence.value_files", ("indicator_id", "period_id")),
    SubjectKind.ACTIVITY: ("evidence.activity_files", ("activity_id",)),
    SubjectKind.EVENT: ("evidence.event_files", ("event_id",)),
    SubjectKind.RECOMMENDATION: ("evidence.recommendation_files", ("recommendation_id",)),
    SubjectKind.ACTION: ("evidence.action_files", ("action_id",)),
}


@bp.app_template_global()
def evidence_url(kind: str, subject_id: int, part_id: int | None = None) -> str:
    """The evidence page of a record, for the links on the records' own pages."""
    endpoint, names = PAGES[SubjectKind(kind)]
    values: dict[str, Any] = dict(zip(names, (subject_id, part_id), strict=False))
    return url_for(endpoint, **values)


@bp.route("/values/<int:indicator_id>/<int:period_id>", methods=["GET", "POST"])
def value_files(indicator_id: int, period_id: int) -> Any:
    return record_files(SubjectKind.VALUE, indicator_id, period_id)


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
def activity_files(activity_id: int) -> Any:
    return record_files(SubjectKind.ACTIVITY, activity_id)


@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
def event_files(event_id: int) -> Any:
    return record_files(SubjectKind.EVENT, event_id)


@bp.route("/recommendations/<int:recommendation_id>", methods=["GET", "POST"])
def recommendation_files(recommendation_id: int) -> Any:
    return record_files(SubjectKind.RECOMMENDATION, recommendation_id)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def action_files(action_id: int) -> Any:
    return record_files(SubjectKind.ACTION, action_id)


def record_files(kind: SubjectKind, subject_id: int, part_id: int | None = None) -> Any:
    """The files of one record, and the form that attaches one."""
    subject, record = _load(kind, subject_id, part_id)
    target = subject.target(record)
    may_attach = can(g.user, subject.attach_action, target)
    form = EvidenceForm()
    status = 200
    if request.method == "POST":
        authorize(subject.attach_action, target)
        if form.validate_on_submit():
            upload = form.file.data
            try:
                data = upload.read()
            finally:
                upload.close()
            values = {name: getattr(form, name).data for name in
                      ("title", "kind", "document_date", "sensitive", "retain_until")}
            try:
                file = services.attach(db.session, current_actor(), subject, record, part_id,
                                       data, upload.filename or "", values)
            except ServiceError as exc:
                db.session.rollback()
                form.apply_error(exc)
                status = 422
            else:
                flash(_("“%(title)s” was attached.", title=file.title), "success")
                return redirect(request.path, code=303)
        else:
            status = 422
    files = services.files_of(db.session, subject.kind, subject_id, part_id)
    shown = [f for f in files if may_see_file(f)]
    closed = subject.closed(record)
    uploader_ids = {f.uploaded_by_id for f in shown if f.uploaded_by_id is not None}
    people = dict(db.session.execute(sa.select(User.id, User.name).where(
        User.id.in_(uploader_ids))).all()) if uploader_ids else {}
    return render_template(
        "evidence/record.html", subject=subject, record=record, files=shown,
        withheld=len(files) - len(shown), form=form, may_attach=may_attach, people=people,
        closed=closed, remove_form=RemoveForm(),
        may_remove=lambda f: not closed and can_change_own(
            g.user, subject.attach_action, target, f.uploaded_by_id)), status


def _file(file_id: int) -> tuple[EvidenceFile, Subject, Any]:
    file = get_or_404(EvidenceFile, file_id)
    subject = services.subject_of(file)
    record = subject.load(db.session, file.subject_id, file.subject_part_id)
    if file.removed_at is not None or record is None:
        abort(404)
    authorize(subject.view_action, subject.target(record))
    return file, subject, record


@bp.get("/files/<int:file_id>")
def download(file_id: int) -> Any:
    file, _subject, _record = _file(file_id)
    if not may_see_file(file):
        abort(403)
    try:
        data = services.read(file)
    except (KeyMissing, FileNotFoundError):
        abort(503)
    services.record_download(db.session, current_actor(), file)
    name = file.filename
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    response = Response(data, mimetype=file.blob.media_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/files/<int:file_id>/remove")
def remove(file_id: int) -> Any:
    file, subject, record = _file(file_id)
    if not may_see_file(file) or not can_change_own(
            g.user, subject.attach_action, subject.target(record), file.uploaded_by_id):
        abort(403)
    form = RemoveForm()
    back = evidence_url(subject.kind, file.subject_id, file.subject_part_id)
    if not form.validate_on_submit():
        abort(400)
    closed = subject.closed(record)
    if closed:  # the record is locked (an approved period): its files stay as they are
        flash(closed, "error")
        return redirect(back, code=303)
    try:
        services.remove(db.session, current_actor(), file, form.version.data)
    except StaleEdit:
        db.session.rollback()
        flash(_("Someone else changed this file after you opened the page; nothing was done."),
              "error")
        return redirect(back, code=303)
    flash(_("“%(title)s” was removed from the record. It is kept until a manager purges "
            "removed files.", title=file.title), "success")
    return redirect(back, code=303)
