"""What every CSV and XLSX export writes into a cell that comes from user data: text that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
written with a leading apostrophe, so that it stays the text that was typed. Numbers, dates and
other values pass unchanged. The importers undo the apostrophe they recognise
(``monitoring.imports.files.unescape``), so an untouched template imports as it was."""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
