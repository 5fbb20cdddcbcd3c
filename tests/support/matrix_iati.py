"""Role matrix rows of IATI: a project's activity file is downloaded by its members and staff,
a programme's by anyone who may open the programme (it holds only the projects they may
export); the import is for staff."""

from __future__ import annotations

from typing import Any

A, F, L = "allowed", "forbidden", "login"
MEMBERS = (L, A, A, A, A)  # staff, and the officer and evaluator of project A
STAFF = (L, A, A, F, F)

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "iati.project_export": {"GET": MEMBERS},
    "iati.programme_export": {"GET": MEMBERS},
    "iati.import_page": {"GET": STAFF, "POST": STAFF},
    "iati.import_confirm": {"POST": STAFF},
}

OTHER_PROJECT: list[tuple[str, str]] = [
    ("iati.project_export", "GET"),
    ("iati.programme_export", "GET"),
]


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return {}, {}
