"""The follow-up report as a table: CSV, XLSX and JSON, the same columns in each."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Iterable
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.exports import neutral
from app.followup import labels
from app.followup.portfolio import FollowUpReport
from app.followup.reason import reason
from app.followup.report import EventFigures
from indicators.followup import FollowUpSettings

RATE = Decimal("0.0001")
# (key, heading, spreadsheet number format)
COLUMNS: list[tuple[str, Any, str | None]] = [
    ("event_id", _l("Event number"), None),
    ("title", _l("Event"), None),
    ("kind", _l("Kind"), None),
    ("start_date", _l("Start date"), "yyyy-mm-dd"),
    ("end_date", _l("End date"), "yyyy-mm-dd"),
    ("city", _l("City"), None),
    ("country", _l("Country"), None),
    ("organisers", _l("Organisers"), None),
    ("funders", _l("Funders"), None),
    ("status", _l("Follow-up status"), None),
    ("reason", _l("Why"), None),
    ("recommendations", _l("Recommendations"), "0"),
    ("due", _l("Recommendations due"), "0"),
    ("followed_up", _l("Followed up"), "0"),
    ("follow_up_rate", _l("Follow-up rate"), "0.0%"),
    ("verified", _l("Verified"), "0"),
    ("verified_rate", _l("Verified rate"), "0.0%"),
    ("documented", _l("With documented follow-up"), "0"),
    ("implemented", _l("Implemented"), "0"),
    ("implemented_rate", _l("Implemented rate"), "0.0%"),
    ("done_verified", _l("Verified actions after the event"), "0"),
    ("awaiting_verification", _l("Actions awaiting verification"), "0"),
    ("at_event", _l("Commitments made at the event"), "0"),
    ("meeting_only", _l("Meetings or events held, not counted"), "0"),
    ("days_to_first_follow_up", _l("Days to first follow-up"), "0"),
    ("days_since_event", _l("Days since the event"), "0"),
    ("cost", _l("Cost"), "#,##0.00"),
    ("currency", _l("Currency"), None),
]


def _rate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(RATE)


def record(row: EventFigures, settings: FollowUpSettings) -> dict[str, Any]:
    """One row as plain values, keyed by the column keys."""
    m = row.metrics
    return {
        "event_id": row.id, "title": row.title, "kind": row.kind.value,
        "start_date": row.start_date, "end_date": row.end_date, "city": row.city,
        "country": row.country, "organisers": "; ".join(row.organisers),
        "funders": "; ".join(row.funders), "status": row.status.value,
        "reason": reason(row.status, m, row.as_of, settings),
        "recommendations": m.recommendations, "due": m.due, "followed_up": m.followed_up,
        "follow_up_rate": _rate(m.follow_up_rate), "verified": m.verified,
        "verified_rate": _rate(m.verified_rate), "documented": row.documented,
        "implemented": m.implemented,
        "implemented_rate": _rate(m.implemented_rate),
        "done_verified": m.counted_actions, "awaiting_verification": m.awaiting_verification,
        "at_event": m.at_event, "meeting_only": m.meeting_only,
        "days_to_first_follow_up": m.days_to_first_follow_up,
        "days_since_event": m.days_since_event, "cost": m.cost, "currency": row.currency,
    }


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _text(value: Any) -> str:
    """A CSV cell: text that would run as a formula keeps a leading apostrophe."""
    return _plain(neutral(value))


def csv_lines(report: FollowUpReport, rows: Iterable[EventFigures] | None = None
              ) -> Generator[str, None, None]:
    """The CSV a line at a time: the heading, then one line per row as ``rows`` yields it
    (the report's rows by default), so a streamed export holds one row in memory."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def line(cells: list[str]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(cells)
        return out.getvalue()

    yield line([key for key, _heading, _fmt in COLUMNS])
    for row in report.rows if rows is None else rows:
        values = record(row, report.settings)
        yield line([_text(values[key]) for key, _heading, _fmt in COLUMNS])


def to_csv(report: FollowUpReport) -> str:
    return "".join(csv_lines(report))


def to_json(report: FollowUpReport) -> str:
    totals = report.totals
    document = {
        "as_of": report.as_of.isoformat(),
        "grace_days": report.settings.grace_days,
        "weak_threshold": str(report.settings.weak_threshold),
        "meetings_count": report.settings.meetings_count,
        "filters": report.filters.as_args(),
        "totals": {
            "events": totals.events, "talk_shops": totals.talk_shops, "weak": totals.weak,
            "followed_up": totals.followed_up, "pending": totals.pending,
            "none_recorded": totals.none_recorded,
            "talk_shop_share": _plain(_rate(totals.talk_shop_share)) or None,
            "talk_shop_cost": {c or "": str(v) for c, v in report.talk_shop_cost.items()},
            "talk_shops_without_cost": totals.talk_shops_without_cost,
        },
        "events": [{k: (v if isinstance(v, int | None) else _plain(v))
                    for k, v in record(row, report.settings).items()} for row in report.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_xlsx(report: FollowUpReport, rows: Iterable[EventFigures] | None = None) -> bytes:
    """The workbook, written in openpyxl's write-only mode: each row goes to a temporary
    file as it comes, so memory stays bounded whatever the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_l("Follow-up")))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    def cell(value: Any, fmt: str | None) -> Any:
        if not fmt:
            return value
        formatted = WriteOnlyCell(sheet, value=value)
        formatted.number_format = fmt
        return formatted

    sheet.append([heading(str(text)) for _key, text, _fmt in COLUMNS])
    for row in report.rows if rows is None else rows:
        values = record(row, report.settings)
        values["status"] = str(labels.FOLLOW_UP_STATUS[row.status])
        values["kind"] = str(labels.EVENT_KIND[row.kind])
        sheet.append([cell(neutral(values[key]), fmt) for key, _heading, fmt in COLUMNS])
    about = workbook.create_sheet(str(_l("About")))
    about.append([str(_l("As of")), report.as_of])
    about.append([str(_l("Grace period (days)")), report.settings.grace_days])
    about.append([str(_l("Weak under")), report.settings.weak_threshold])
    for key, value in report.filters.as_args().items():
        about.append([key, neutral(value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
