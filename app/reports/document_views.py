"""Documents to download: a project's logframe (PDF, Word) and an event's dossier (PDF)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, g
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from app.auth.permissions import authorize
from app.db import db
from app.evidence import services as evidence_services
from app.followup import labels as followup_labels
from app.followup.assess import settings_from
from app.followup.pages import requested_as_of
from app.frameworks.pages import load_project
from app.reports import documents, dossier, logframe, logframe_docx
from app.reports.blueprint import bp, percent

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(body: bytes, name: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{secure_filename(name) or "document"}"',
        "Cache-Control": "no-store"})


@bp.get("/projects/<int:project_id>/logframe.<any(pdf, docx):fmt>")
def project_logframe(project_id: int, fmt: str) -> Any:
    project = load_project(project_id, "framework.view")
    frame = logframe.load(db.session, project)
    title = _("Results framework: %(code)s", code=project.code)
    today = date.today()
    name = f"logframe-{project.code}-{today.isoformat()}.{fmt}"
    if fmt == "docx":
        return attachment(logframe_docx.to_docx(frame, title=title, produced_by=g.user.name,
                                                produced_on=today), name, DOCX)
    body = documents.pdf("documents/logframe.html", title=title, as_of=today,
                         produced_by=g.user.name, logframe=frame)
    return attachment(body, name, "application/pdf")


@bp.get("/followup/events/<int:event_id>/dossier.pdf")
def event_dossier(event_id: int) -> Any:
    authorize("followup.view")
    event = dossier.load_event(db.session, event_id)
    if event is None:
        abort(404)
    as_of = requested_as_of()
    found = dossier.load(db.session, event, as_of, settings_from(),
                         lambda file: evidence_services.may_see(g.user, file))
    body = documents.pdf("documents/dossier.html", title=_("Event dossier: %(title)s",
                                                           title=event.title),
                         as_of=as_of, produced_by=g.user.name, dossier=found,
                         fl=followup_labels, percent=percent)
    return attachment(body, f"dossier-event-{event.id}-{as_of.isoformat()}.pdf",
                      "application/pdf")


