"""The follow-up report for managers, and its CSV and XLSX exports."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, render_template, request

from app.auth.permissions import authorize
from app.db import db
from app.followup import exports, upcoming
from app.followup.assess import settings_from
from app.followup.blueprint import bp
from app.followup.pages import requested_as_of
from app.followup.portfolio import FollowUpReport, build_report
from app.followup.report import ReportFilters
from app.followup.report_choices import filter_choices
from app.pagination import Page, paginate


def _report(with_charts: bool = False) -> FollowUpReport:
    authorize("followup.report")
    return build_report(db.session, requested_as_of(), settings_from(),
                        ReportFilters.from_args(request.args), with_charts=with_charts)


def _page(rows: list[Any]) -> Page:
    size = int(current_app.config["PAGE_SIZE"])
    number = request.args.get("page", 1, type=int) or 1
    number = max(1, min(number, max(1, -(-len(rows) // size))))
    return Page(items=rows[(number - 1) * size:number * size], number=number, size=size,
                total=len(rows))


@bp.get("/report")
def report() -> Any:
    report = _report(with_charts=True)
    return render_template("followup/report.html", report=report, page=_page(report.rows),
                           filters=report.filters, as_of=report.as_of,
                           choices=filter_choices(db.session))


def _filename(report: FollowUpReport, extension: str) -> str:
    return f"followup-report-{report.as_of.isoformat()}.{extension}"


@bp.get("/report.csv")
def report_csv() -> Any:
    report = _report()
    return Response(exports.to_csv(report), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={_filename(report, 'csv')}"})


@bp.get("/report.xlsx")
def report_xlsx() -> Any:
    report = _report()
    return Response(
        exports.to_xlsx(report),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={_filename(report, 'xlsx')}"})


@bp.get("/recommendations/due")
def due_recommendations() -> Any:
    """Recommendations coming due within ``?within=`` days (90 by default), nothing done yet."""
    authorize("followup.view")
    within = request.args.get("within", 90, type=int) or 90
    within = max(1, min(within, 3650))
    today = requested_as_of()
    query = upcoming.due_soon_query(today, within, settings_from())
    return render_template("followup/due.html", page=paginate(db.session, query),
                           within=within, today=today, due_of=upcoming.due_of(settings_from()))
