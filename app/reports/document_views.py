"""Documents to download: a project's logframe (PDF, Word) and an event's dossier (PDF)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, g, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from app.auth.permissions import authorize
from app.db import db
from app.evaluation import labels as evaluation_labels
from app.evaluation.models import ScoreAspect
from app.evaluation.pages import bands, today
from app.evaluation.pages import load_project as load_evaluated_project
from app.evaluation.report import build_report as build_evaluation
from app.evaluation.report import periods_of
from app.evidence import services as evidence_services
from app.followup import labels as followup_labels
from app.followup.assess import settings_from
from app.followup.pages import requested_as_of
from app.followup.portfolio import build_report as build_followup
from app.followup.reason import reason
from app.followup.report import ReportFilters
from app.formatting import percent
from app.frameworks.pages import load_project
from app.programmes.models import Organisation
from app.reports import documents, dossier, logframe, logframe_docx
from app.reports.blueprint import bp
from app.web import wants_provisional

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(body: bytes, name: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{secure_filename(name) or "document"}"',
        "Cache-Control": "no-store"})


@bp.get("/projects/<int:project_id>/logframe.pdf")
def project_logframe_pdf(project_id: int) -> Any:
    return _logframe(project_id, "pdf")


@bp.get("/projects/<int:project_id>/logframe.docx")
def project_logframe_docx(project_id: int) -> Any:
    return _logframe(project_id, "docx")


def _logframe(project_id: int, fmt: str) -> Response:
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




@bp.get("/followup/report.pdf")
def followup_report_pdf() -> Any:
    authorize("followup.report")
    as_of = requested_as_of()
    filters = ReportFilters.from_args(request.args)
    report = build_followup(db.session, as_of, settings_from(), filters, with_charts=True)
    body = documents.pdf("documents/followup_report.html", title=_("Follow-up report"),
                         as_of=as_of, produced_by=g.user.name, report=report,
                         fl=followup_labels, percent=percent, follow_up_reason=reason,
                         filter_lines=filter_lines(filters))
    return attachment(body, f"followup-report-{as_of.isoformat()}.pdf", "application/pdf")


def filter_lines(filters: ReportFilters) -> list[str]:
    """The filters of the report, as the document states them."""
    lines = []
    for role, organisation_id in ((_("Organiser"), filters.organiser),
                                  (_("Funder"), filters.funder)):
        if organisation_id is not None:
            organisation = db.session.get(Organisation, organisation_id)
            lines.append(f"{role}: {organisation.label if organisation else organisation_id}")
    if filters.country:
        lines.append(f"{_('Country')}: {filters.country}")
    if filters.theme:
        lines.append(f"{_('Theme')}: {followup_labels.THEME[filters.theme]}")
    if filters.year:
        lines.append(f"{_('Year')}: {filters.year}")
    if filters.status:
        lines.append(f"{_('Follow-up status')}: "
                     f"{followup_labels.FOLLOW_UP_STATUS[filters.status]}")
    if filters.q:
        lines.append(f"{_('Search')}: {filters.q}")
    return lines


@bp.get("/evaluation/projects/<int:project_id>/report.pdf")
def evaluation_report_pdf(project_id: int) -> Any:
    project = load_evaluated_project(project_id)
    authorize("evaluation.report", project)
    day = today()
    report = build_evaluation(db.session, project, bands(), day,
                              include_provisional=wants_provisional())
    body = documents.pdf(
        "documents/evaluation.html",
        title=_("Evaluation report: %(code)s", code=project.code), as_of=day,
        produced_by=g.user.name, report=report, periods=periods_of(report),
        rating_aspect=ScoreAspect.CRITERION,
        aspects=[ScoreAspect.ACHIEVEMENT, ScoreAspect.DATA_QUALITY], ev=evaluation_labels,
        format_decimal=format_decimal)
    return attachment(body, f"evaluation-{project.code}-{day.isoformat()}.pdf",
                      "application/pdf")
