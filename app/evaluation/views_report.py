"""The evaluation report of a project: page, CSV and XLSX."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, g, render_template, request

from app.auth.permissions import authorize, can_see_sensitive
from app.db import db
from app.evaluation import exports
from app.evaluation.blueprint import bp
from app.evaluation.models import ScoreAspect
from app.evaluation.pages import bands, load_project, today
from app.evaluation.report import EvaluationReport, build_report, periods_of
from app.evidence import services as evidence_services
from app.evidence.models import SubjectKind
from app.web import wants_provisional

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(project_id: int) -> EvaluationReport:
    project = load_project(project_id)
    authorize("evaluation.report", project)
    return build_report(db.session, project, bands(), today(),
                        include_provisional=wants_provisional())


@bp.get("/projects/<int:project_id>/report")
def report(project_id: int) -> Any:
    report = _report(project_id)
    return render_template("evaluation/report.html", report=report, project=report.project,
                           periods=periods_of(report), rating_aspect=ScoreAspect.CRITERION,
                           aspects=[ScoreAspect.ACHIEVEMENT, ScoreAspect.DATA_QUALITY],
                           may_see_sensitive=can_see_sensitive(g.user, report.project))


def _download(report: EvaluationReport, body: Any, mimetype: str, extension: str) -> Response:
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", report.project.code)
    name = f"evaluation-{code}-{today().isoformat()}.{extension}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _evidence(report: EvaluationReport) -> dict[tuple[int, int], list[str]]:
    """(indicator, period) -> its evidence files as "title (file name)". Sensitive files are
    left out unless the reader may see them and asks (``?sensitive=1``)."""
    wanted = request.args.get("sensitive") == "1"
    named: dict[tuple[int, int], list[str]] = {}
    for file in evidence_services.project_files(db.session, report.project.id,
                                                SubjectKind.VALUE):
        if file.sensitive and not (wanted and can_see_sensitive(g.user, file)):
            continue
        key = (file.subject_id, file.subject_part_id or 0)
        named.setdefault(key, []).append(f"{file.title} ({file.filename})")
    return named


@bp.get("/projects/<int:project_id>/report.csv")
def report_csv(project_id: int) -> Any:
    report = _report(project_id)
    return _download(report, exports.to_csv(report, _evidence(report)), "text/csv", "csv")


@bp.get("/projects/<int:project_id>/report.xlsx")
def report_xlsx(project_id: int) -> Any:
    report = _report(project_id)
    return _download(report, exports.to_xlsx(report, _evidence(report)), XLSX, "xlsx")
