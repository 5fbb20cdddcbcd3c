"""The follow-up report for managers, and its CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from flask import Response, current_app, render_template, request, stream_with_context

from app.auth.permissions import authorize
from app.cache import cached
from app.db import db
from app.followup import exports, upcoming
from app.followup.assess import settings_from
from app.followup.blueprint import bp
from app.followup.pages import page_number, requested_as_of
from app.followup.portfolio import FollowUpReport, event_rows, report_page
from app.followup.report import EventFigures, ReportFilters
from app.followup.report_choices import filter_choices
from app.pagination import paginate
from indicators.followup import PortfolioTotals

# Rows fetched from the database cursor at a time while an export is written.
EXPORT_BATCH = 500
# Characters of CSV sent to the client at a time.
STREAM_CHUNK = 64 * 1024


@bp.get("/report")
def report() -> Any:
    authorize("followup.report")
    as_of, settings = requested_as_of(), settings_from()
    filters, number = ReportFilters.from_args(request.args), page_number()
    size = int(current_app.config["PAGE_SIZE"])
    # The same for every reader allowed to see it; a committed write changes its key.
    report, page = cached("followup.report_page", (as_of, settings, filters, number, size),
                          lambda: report_page(db.session, as_of, settings, filters, number, size))
    return render_template("followup/report.html", report=report, page=page,
                           filters=report.filters, as_of=report.as_of,
                           choices=filter_choices(db.session))


def _filename(report: FollowUpReport, extension: str) -> str:
    return f"followup-report-{report.as_of.isoformat()}.{extension}"


def _export_header() -> FollowUpReport:
    """The report's settings and filters (no totals: exports list events only)."""
    authorize("followup.report")
    return FollowUpReport(as_of=requested_as_of(), settings=settings_from(),
                          filters=ReportFilters.from_args(request.args), rows=[],
                          totals=PortfolioTotals(), talk_shop_cost={})


def _rows_of_own_session(report: FollowUpReport) -> Generator[EventFigures, None, None]:
    """The report's rows from a server-side cursor, in a session of their own: they are read
    after the view has returned and closed its session. Closing the generator (the stream
    ended, the client went away) closes the cursor, then the session: no connection is left
    behind."""
    with db.standalone_session() as session:
        rows = event_rows(session, report.as_of, report.settings, report.filters,
                          batch=EXPORT_BATCH)
        try:
            yield from rows
        finally:
            rows.close()  # the server-side cursor before its connection


def _streamed_csv(report: FollowUpReport) -> Iterator[str]:
    """The heading at once, before any query, then the rows in chunks of about
    ``STREAM_CHUNK`` characters rather than a write to the socket per line."""
    rows = _rows_of_own_session(report)
    lines = exports.csv_lines(report, rows)
    try:
        yield next(lines)
        chunk: list[str] = []
        size = 0
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size >= STREAM_CHUNK:
                yield "".join(chunk)
                chunk, size = [], 0
        if chunk:
            yield "".join(chunk)
    finally:
        lines.close()
        rows.close()


@bp.get("/report.csv")
def report_csv() -> Any:
    report = _export_header()
    return Response(stream_with_context(_streamed_csv(report)), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f"attachment; filename={_filename(report, 'csv')}"})


@bp.get("/report.xlsx")
def report_xlsx() -> Any:
    report = _export_header()
    rows = event_rows(db.session, report.as_of, report.settings, report.filters,
                      batch=EXPORT_BATCH)
    return Response(
        exports.to_xlsx(report, rows),
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
