"""Reading an uploaded CSV or XLSX file safely, one row at a time.

A file is refused whole, before any row is read, when it is not what it says it is (a PDF
renamed .csv, a CSV renamed .xlsx), when it is an XLSX whose members would unpack to more
than ``MAX_UNCOMPRESSED_BYTES`` or at a ratio above ``MAX_RATIO`` (a zip bomb), or when its
header names unknown columns or misses required ones. Cells are refused one by one when they
hold a formula: XLSX formula cells, and text starting with = + - @ that is not a number.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.errors import ServiceError
from app.exports import FORMULA_START

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # all members of an XLSX together, unpacked
MAX_RATIO = 100  # unpacked size / packed size of any one member
MAX_MEMBERS = 2000
# openpyxl holds the shared strings in memory, whereas it streams the sheet itself
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
SNIFF = 8192


class FileRefused(ServiceError):
    """The whole file is refused: wrong type, wrong content, too large when unpacked."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".", 1))
    except ValueError:
        return False
    return True


def formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula (CSV injection), unless it is a number."""
    return text.startswith(FORMULA_START) and not is_number(text.strip())


def unescape(text: str) -> str:
    """Text the templates escaped with a leading apostrophe ("'=x" is the text "=x")."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START and text[1:2] else text


FORMULA_MESSAGE = _l("Formulas are not accepted: type the value itself (a cell may not start "
                     "with =, +, - or @ unless it is a number).")


@dataclass
class Table:
    """The header of a file and an iterator over its data rows (row number, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str | None]]]
    format: str
    cell_errors: list[RowError]  # formula cells found so far, filled while rows are read
    close: Callable[[], Any]  # lets go of the file (the caller's stream stays open)


def _sniff_text(head: bytes, filename: str) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise FileRefused(_l("%(name)s is a zip or Excel file, not CSV: save it as .xlsx or "
                             "export it as CSV.", name=filename))
    if head.startswith(b"%PDF") or b"\x00" in head:
        raise FileRefused(_l("%(name)s is not a text file: upload the CSV or XLSX template "
                             "filled in.", name=filename))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileRefused(_l("%(name)s is not UTF-8 text: save the CSV as UTF-8.",
                             name=filename)) from None


def _csv_rows(stream: IO[bytes], filename: str) -> tuple[list[str], Iterator[Any], Any]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    first = text.readline(65536)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    reader = csv.reader(text, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str | None]]]:
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):
                yield number, list(cells)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise FileRefused(_l("Row %(row)d of %(name)s cannot be read: %(reason)s",
                                 row=number + 1, name=filename, reason=str(exc))) from None

    return header, rows(), text.detach


def check_zip(stream: IO[bytes], filename: str) -> None:
    """Refuse an XLSX that is not a workbook or that would unpack to too much (zip bomb)."""
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise FileRefused(_l("%(name)s is not an Excel workbook (.xlsx).", name=filename)) from None
    members = archive.infolist()
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileRefused(_l("%(name)s is not an Excel workbook (.xlsx).", name=filename))
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    too_dense = [m for m in members
                 if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)]
    strings = sum(m.file_size for m in members if m.filename == "xl/sharedStrings.xml")
    if (len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or too_dense
            or strings > MAX_SHARED_STRINGS_BYTES
            or (total > 1024 * 1024 and total > MAX_RATIO * max(packed, 1))):
        raise FileRefused(_l("%(name)s would unpack to far more than it weighs (a zip bomb, or "
                             "a workbook too large to read safely); it was not opened.",
                             name=filename))
    stream.seek(0)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_rows(stream: IO[bytes], filename: str,
               errors: list[RowError]) -> tuple[list[str], Iterator[Any], Any]:
    import openpyxl

    check_zip(stream, filename)
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception:
        raise FileRefused(_l("%(name)s is not an Excel workbook (.xlsx).", name=filename)) from None
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows()
    header: list[str] = []
    for cells in iterator:
        header = [_cell_text(c.value) or "" for c in cells]
        break

    def rows() -> Iterator[tuple[int, list[str | None]]]:
        for number, cells in enumerate(iterator, start=2):
            values: list[str | None] = []
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    column = header[index] if index < len(header) else str(index + 1)
                    errors.append(RowError(number, column, str(FORMULA_MESSAGE)))
                    values.append(None)
                else:
                    values.append(_cell_text(cell.value))
            yield number, values

    return header, rows(), book.close


def open_table(stream: IO[bytes], filename: str) -> Table:
    """Open ``stream`` as the CSV or XLSX its name says, after checking its content."""
    name = (filename or "").lower()
    head = stream.read(SNIFF)
    stream.seek(0)
    if not head:
        raise FileRefused(_l("%(name)s is empty.", name=filename))
    errors: list[RowError] = []
    if name.endswith(".csv"):
        _sniff_text(head, filename)
        header, rows, close = _csv_rows(stream, filename)
        fmt = "csv"
    elif name.endswith(".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            raise FileRefused(_l("%(name)s is not an Excel workbook (.xlsx).", name=filename))
        header, rows, close = _xlsx_rows(stream, filename, errors)
        fmt = "xlsx"
    else:
        raise FileRefused(_l("Upload a .csv or an .xlsx file (the templates on this page)."))
    return Table([h.strip().lower() for h in header], rows, fmt, errors, close)


def check_header(table: Table, required: Sequence[str], optional: Sequence[str],
                 filename: str) -> dict[str, int]:
    """Column name -> index; refuse a header with unknown, repeated or missing columns."""
    known = set(required) | set(optional)
    while table.header and table.header[-1] == "":
        table.header.pop()
    unknown = [h or "(blank)" for h in table.header if h not in known]
    missing = [c for c in required if c not in table.header]
    repeated = sorted({h for h in table.header if table.header.count(h) > 1})
    if unknown or missing or repeated:
        raise FileRefused(_l(
            "The first row of %(name)s is not the template's header. Unknown columns: "
            "%(unknown)s. Missing columns: %(missing)s. Repeated: %(repeated)s. Download the "
            "template and keep its first row.", name=filename,
            unknown=", ".join(unknown) or "—", missing=", ".join(missing) or "—",
            repeated=", ".join(repeated) or "—"))
    return {h: i for i, h in enumerate(table.header)}


MAX_REPORTED_ERRORS = 100


@dataclass
class ImportReport:
    """What an import found and did. Nothing is written when ``errors`` is not empty."""

    kind: str  # "values" or "activities"
    filename: str
    dry_run: bool
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows without a value: nothing to import
    errors: list[RowError] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS
    error_count: int = 0  # every problem found, listed or not
    bad_rows: int = 0  # rows with at least one problem, duplicates included
    duplicate_rows: int = 0  # rows that repeat the key of an earlier row
    written: bool = False
    new_submissions: int = 0  # field submissions taken in by this import
    unchanged_submissions: int = 0  # field submissions imported before, left alone
    _last_bad_row: int = field(default=-1, repr=False)

    def error(self, row: int, column: str, message: Any) -> None:
        self.error_count += 1
        if row != self._last_bad_row:  # a row's problems are reported one after another
            self.bad_rows += 1
            self._last_bad_row = row
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def duplicates(self, total: int, listed: list[tuple[int, int]], message: Any) -> None:
        """``total`` rows repeat an earlier row's key; ``listed`` names some as (first row,
        later row), ``message`` says it for one of them."""
        self.duplicate_rows += total
        self.error_count += total
        self.bad_rows += total  # a duplicate passed every other check: no row counted twice
        for first, later in listed:
            if len(self.errors) < MAX_REPORTED_ERRORS:
                self.errors.append(RowError(later, "indicator", str(message(first))))

    def summary(self) -> list[str]:
        """What was wrong, in sentences, for the page and the command line alike."""
        lines = []
        others = self.bad_rows - self.duplicate_rows
        if others:
            lines.append(ngettext("%(num)d row has a problem.", "%(num)d rows have problems.",
                                  others))
        if self.duplicate_rows:
            lines.append(ngettext(
                "%(num)d row repeats the indicator, period and category of an earlier row.",
                "%(num)d rows repeat the indicator, period and category of an earlier row.",
                self.duplicate_rows))
        lines.append(ngettext("%(num)d problem in all. Correct the file and try again.",
                              "%(num)d problems in all. Correct the file and try again.",
                              self.error_count))
        return lines

    @property
    def ok(self) -> bool:
        return self.error_count == 0
