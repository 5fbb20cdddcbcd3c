"""The evaluation report of a project: page, CSV and XLSX."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, render_template

from app.auth.permissions import authorize
from app.db import db
from app.evaluation import exports
from app.evaluation.blueprint import bp
from app.evaluation.models import ScoreAspect
from app.evaluation.pages import bands, load_project, today
from app.evaluation.report import EvaluationReport, build_report, periods_of
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
                           aspects=[ScoreAspect.ACHIEVEMENT, ScoreAspect.DATA_QUALITY])


def _download(report: EvaluationReport, body: Any, mimetype: str, extension: str) -> Response:
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", report.project.code)
    name = f"evaluation-{code}-{today().isoformat()}.{extension}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/projects/<int:project_id>/report.csv")
def report_csv(project_id: int) -> Any:
    report = _report(project_id)
    return _download(report, exports.to_csv(report), "text/csv", "csv")


@bp.get("/projects/<int:project_id>/report.xlsx")
def report_xlsx(project_id: int) -> Any:
    report = _report(project_id)
    return _download(report, exports.to_xlsx(report), XLSX, "xlsx")
