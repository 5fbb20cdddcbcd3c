"""Role matrix rows of the reports and documents: a project's tracking table and logframe are
read by the project's members and staff, a programme's tracking table by anyone who may open
the programme (it shows only the projects they may see), an event's dossier by everyone who
reads events, the follow-up and evaluation reports' PDFs by staff, as their pages are."""

from __future__ import annotations

from typing import Any

A, F, L = "allowed", "forbidden", "login"
SIGNED_IN = (L, A, A, A, A)
MEMBERS = (L, A, A, A, A)  # staff, and the officer and evaluator of project A
STAFF = (L, A, A, F, F)

ORDER = 2  # uses the event of the follow-up rows

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "reports.project_iptt": {"GET": MEMBERS},
    "reports.project_iptt_file": {"GET": MEMBERS},
    "reports.programme_iptt": {"GET": SIGNED_IN},
    "reports.programme_iptt_file": {"GET": SIGNED_IN},
    "reports.project_logframe_pdf": {"GET": MEMBERS},
    "reports.project_logframe_docx": {"GET": MEMBERS},
    "reports.event_dossier": {"GET": SIGNED_IN},
    "reports.followup_report_pdf": {"GET": STAFF},
    "reports.evaluation_report_pdf": {"GET": STAFF},
    "followup.due_recommendations": {"GET": SIGNED_IN},
}

OTHER_PROJECT: list[tuple[str, str]] = [
    ("reports.project_iptt", "GET"),
    ("reports.project_iptt_file", "GET"),
    ("reports.programme_iptt", "GET"),
    ("reports.programme_iptt_file", "GET"),
    ("reports.project_logframe_pdf", "GET"),
    ("reports.project_logframe_docx", "GET"),
    ("reports.evaluation_report_pdf", "GET"),
]


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return {}, {}
