"""The IPTT pages of a project and of a programme, and their XLSX, CSV and PDF downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, current_app, flash, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.utils import secure_filename

from app.auth.permissions import authorize, can
from app.db import db
from app.frameworks.models import ResultLevel
from app.frameworks.pages import load_project
from app.programmes.models import Programme, Project
from app.reports import documents, iptt, iptt_exports
from app.reports.blueprint import bp
from app.web import get_or_404, record_id
from indicators.types import StatusBands

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bands() -> StatusBands:
    config = current_app.config
    return StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"])


def _day(name: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        flash(_("%(value)s is not a date like 2025-12-31; the filter is ignored.",
                value=raw[:40]), "warning")
        return None


def requested_filters() -> iptt.Filters:
    levels = frozenset(ResultLevel(v) for v in request.args.getlist("level")
                       if v in {level.value for level in ResultLevel})
    disaggregations = tuple(dict.fromkeys(
        i for i in (record_id(v) for v in request.args.getlist("disaggregation"))
        if i is not None))
    start, end = _day("from"), _day("to")
    if start and end and start > end:
        flash(_("The period range ends before it starts; it is ignored."), "warning")
        start = end = None
    return iptt.Filters(start=start, end=end, levels=levels, disaggregations=disaggregations,
                        include_provisional=request.args.get("provisional") == "1",
                        as_of=_day("as_of"))


def _programme_projects(programme: Programme) -> list[Project]:
    return [p for p in sorted(programme.projects, key=lambda p: p.code)
            if can(g.user, "framework.view", p)]


def _render(projects: list[Project], subject: Any, kind: str) -> Any:
    filters = requested_filters()
    tracking = iptt.load(db.session, projects, bands(), filters)
    return render_template("reports/iptt.html", tracking=tracking, subject=subject, kind=kind,
                           choices=iptt.disaggregation_choices(db.session, projects),
                           levels=list(ResultLevel))


def _download(projects: list[Project], code: str, fmt: str, title: str) -> Response:
    filters = requested_filters()
    tracking = iptt.load(db.session, projects, bands(), filters)
    today = date.today()
    who = g.user.name
    if fmt == "xlsx":
        body: Any = iptt_exports.to_xlsx(tracking, who, today)
        mimetype = XLSX
    elif fmt == "csv":
        body, mimetype = iptt_exports.to_csv(tracking), "text/csv; charset=utf-8"
    else:
        body = documents.pdf("documents/iptt.html", title=title, landscape=True,
                             as_of=filters.as_of or today, produced_by=who, tracking=tracking,
                             notes=iptt_exports.about_lines(tracking, who, today))
        mimetype = "application/pdf"
    name = secure_filename(f"iptt-{code}-{(filters.as_of or today).isoformat()}.{fmt}")
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name or "iptt." + fmt}"',
        "Cache-Control": "no-store"})


@bp.get("/projects/<int:project_id>/iptt")
def project_iptt(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    return _render([project], project, "project")


@bp.get("/projects/<int:project_id>/iptt.<any(xlsx, csv, pdf):fmt>")
def project_iptt_file(project_id: int, fmt: str) -> Any:
    project = load_project(project_id, "framework.view")
    return _download([project], project.code, fmt,
                     _("Indicator tracking table: %(code)s", code=project.code))


def _programme(programme_id: int) -> tuple[Programme, list[Project]]:
    programme = get_or_404(Programme, programme_id,
                           selectinload(Programme.projects).joinedload(Project.programme),
                           joinedload(Programme.lead_organisation))
    authorize("programme.view", programme)
    return programme, _programme_projects(programme)


@bp.get("/programmes/<int:programme_id>/iptt")
def programme_iptt(programme_id: int) -> Any:
    programme, projects = _programme(programme_id)
    return _render(projects, programme, "programme")


@bp.get("/programmes/<int:programme_id>/iptt.<any(xlsx, csv, pdf):fmt>")
def programme_iptt_file(programme_id: int, fmt: str) -> Any:
    programme, projects = _programme(programme_id)
    return _download(projects, programme.code, fmt,
                     _("Indicator tracking table: %(code)s", code=programme.code))
