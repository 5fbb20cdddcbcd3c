"""Documents to download: a project's logframe (PDF, Word) and an event's dossier (PDF)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, g, redirect, request, url_for
from flask_babel import force_locale, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from app.audit import Actor
from app.auth.models import User
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
from app.jobs import services as jobs
from app.jobs.models import JobState
from app.programmes.models import Organisation, Project
from app.reports import documents, dossier, logframe, logframe_docx
from app.reports.blueprint import bp
from app.web import current_actor, wants_provisional

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
    return _by_job(project.id, {"document": "logframe", "fmt": fmt, "project_id": project.id,
                                "permission": "framework.view"})


def _by_job(project_id: int | None, params: dict[str, Any]) -> Response:
    """Documents that grow with a whole project or the portfolio are printed by a job. With a
    queue, the reader waits on the job's page; without one, the job has run by now and its
    file is sent as it is."""
    job = jobs.enqueue(db.session, current_actor(), DOCUMENT, project_id=project_id,
                       params={**params, "locale": str(get_locale() or "en")})
    path = jobs.result_path(job)
    if job.state is JobState.DONE and path is not None and not jobs.queued():
        return attachment(path.read_bytes(), job.result_name or "document",
                          job.result_type or "application/octet-stream")
    return redirect(url_for("jobs.job_page", job_id=job.id))  # type: ignore[return-value]


DOCUMENT = "document"


def print_document(session: Session, actor: Actor, params: dict[str, Any],
                   progress: jobs.Progress) -> jobs.Outcome:
    """The job that prints a logframe or the follow-up report, as the user who asked."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    produced_by = user.name if user else ""
    with force_locale(params.get("locale") or "en"):
        if params["document"] == "logframe":
            return _print_logframe(session, params, produced_by, progress)
        return _print_followup_report(session, params, produced_by, progress)


def _print_logframe(session: Session, params: dict[str, Any], produced_by: str,
                    progress: jobs.Progress) -> jobs.Outcome:
    project = session.get(Project, params["project_id"])
    if project is None:
        raise jobs.JobFailed(_l("The project no longer exists."))
    frame = logframe.load(session, project)
    title = _("Results framework: %(code)s", code=project.code)
    today = date.today()
    fmt = params["fmt"]
    name = f"logframe-{project.code}-{today.isoformat()}.{fmt}"
    if fmt == "docx":
        progress(0, 1)
        body = logframe_docx.to_docx(frame, title=title, produced_by=produced_by,
                                     produced_on=today)
        progress(1, 1)
        return jobs.Outcome(body=body, filename=name, mimetype=DOCX)
    body = documents.pdf("documents/logframe.html", title=title, as_of=today,
                         produced_by=produced_by, logframe=frame, progress=progress)
    return jobs.Outcome(body=body, filename=name, mimetype="application/pdf")


def _print_followup_report(session: Session, params: dict[str, Any], produced_by: str,
                           progress: jobs.Progress) -> jobs.Outcome:
    as_of = date.fromisoformat(params["as_of"])
    filters = ReportFilters.from_args(params["args"])
    report = build_followup(session, as_of, settings_from(), filters, with_charts=True)
    body = documents.pdf("documents/followup_report.html", title=_("Follow-up report"),
                         as_of=as_of, produced_by=produced_by, report=report,
                         fl=followup_labels, percent=percent, follow_up_reason=reason,
                         filter_lines=filter_lines(filters, session), progress=progress)
    return jobs.Outcome(body=body, filename=f"followup-report-{as_of.isoformat()}.pdf",
                        mimetype="application/pdf")


jobs.register(DOCUMENT, print_document, title=_l("Document"))


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
    return _by_job(None, {"document": "followup_report", "as_of": as_of.isoformat(),
                          "args": {k: v for k, v in request.args.items() if k != "as_of"},
                          "permission": "followup.report"})


def filter_lines(filters: ReportFilters, session: Session | None = None) -> list[str]:
    """The filters of the report, as the document states them."""
    session = session or db.session
    lines = []
    for role, organisation_id in ((_("Organiser"), filters.organiser),
                                  (_("Funder"), filters.funder)):
        if organisation_id is not None:
            organisation = session.get(Organisation, organisation_id)
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
