"""Role matrix rows of field collection: the project's XLSForm for KoboToolbox and ODK is for
those who enter its data (staff, and the officer of project A); the submissions come back
through the import page, whose rows are in ``matrix_monitoring``."""

from __future__ import annotations

from typing import Any

A, F, L = "allowed", "forbidden", "login"
ENTER = (L, A, A, A, F)  # staff, and the officer of project A

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "monitoring.import_xlsform": {"GET": ENTER},
}

OTHER_PROJECT: list[tuple[str, str]] = [("monitoring.import_xlsform", "GET")]


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return {}, {}
