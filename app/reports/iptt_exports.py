"""The IPTT as files: XLSX laid out for reading, and CSV with one line per row and period.

Both carry the figures of ``app.reports.iptt`` as they are; nothing is computed here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.exports import neutral
from app.frameworks import labels as fw_labels
from app.reports.iptt import Cell, Row, Table, Tracking

PERCENT = Decimal("0.0001")
NUMBER_FORMAT = "#,##0.##"
PERCENT_FORMAT = "0%"
PROVISIONAL_FILL = PatternFill("solid", fgColor="FFF4D6")
HEAD_FILL = PatternFill("solid", fgColor="E8EDF3")
THIN = Side(style="thin", color="B7C0CC")

CSV_COLUMNS = [
    "project_code", "frequency", "result_level", "result_code", "result", "indicator_code",
    "indicator", "unit", "cumulation", "disaggregation", "category", "baseline", "lop_target",
    "actual_to_date", "to_date_as_of", "progress", "status", "period_start", "period_end",
    "period_target", "period_actual", "period_met", "provisional",
]
TEXT = {"result", "indicator", "unit", "result_code", "indicator_code", "category",
        "disaggregation", "project_code"}


def _ratio(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PERCENT)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_records(tracking: Tracking) -> Iterator[dict[str, Any]]:
    for project in tracking.projects:
        for table in project.tables:
            for group in table.groups:
                for row in group.rows:
                    about = {
                        "project_code": project.project.code,
                        "frequency": table.frequency.value if table.frequency else None,
                        "result_level": group.result.level.value if group.result else None,
                        "result_code": group.result.code if group.result else None,
                        "result": group.result.statement if group.result else None,
                        "indicator_code": row.indicator.code, "indicator": row.indicator.name,
                        "unit": row.indicator.unit,
                        "cumulation": row.indicator.cumulation.value,
                        "disaggregation": row.category.type.code if row.category else "total",
                        "category": row.category.code if row.category else "total",
                        "baseline": row.baseline, "lop_target": row.lop_target,
                        "actual_to_date": row.to_date, "to_date_as_of": row.as_of,
                        "progress": _ratio(row.progress), "status": row.status.value,
                    }
                    shown = [(p, c) for p, c in zip(table.periods, row.cells, strict=True)
                             if c is not None]
                    if not shown:
                        yield {**about, "provisional": "yes" if row.provisional else "no"}
                    for period, cell in shown:
                        yield {**about, "period_start": period.start_date,
                               "period_end": period.end_date, "period_target": cell.target,
                               "period_actual": cell.actual, "period_met": _ratio(cell.met),
                               "provisional": "yes" if cell.provisional else "no"}


def to_csv(tracking: Tracking) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in csv_records(tracking):
        writer.writerow([neutral(_text(record.get(key))) if key in TEXT
                         else _text(record.get(key)) for key in CSV_COLUMNS])
    return out.getvalue()


def type_label(disaggregation: Any) -> str:
    return str(fw_labels.DISAGGREGATION.get(disaggregation.code, disaggregation.name))


def period_label(start: date, end: date) -> str:
    return f"{format_date(start, 'd MMM y')} – {format_date(end, 'd MMM y')}"


FIXED = [  # (heading, width)
    (lambda: _("Result"), 38),
    (lambda: _("Code"), 9),
    (lambda: _("Indicator"), 42),
    (lambda: _("Unit"), 12),
    (lambda: _("Baseline"), 11),
    (lambda: _("Life-of-project target"), 13),
    (lambda: _("Actual to date"), 12),
    (lambda: _("As of"), 12),
    (lambda: _("%(sign)s of life-of-project target", sign="%"), 12),
    (lambda: _("Status"), 12),
]


def _write_number(sheet: Worksheet, row: int, column: int, value: Decimal | None,
                  fmt: str = NUMBER_FORMAT, provisional: bool = False) -> None:
    cell = sheet.cell(row=row, column=column,
                      value=None if value is None else float(value))
    cell.number_format = fmt
    if provisional and value is not None:
        cell.fill = PROVISIONAL_FILL
        cell.font = Font(italic=True)


def _table_block(sheet: Worksheet, start_row: int, table: Table, heading: str,
                 rows: list[tuple[Any, Row]]) -> int:
    """Write one table; returns the next free row."""
    sheet.cell(row=start_row, column=1, value=heading).font = Font(bold=True, size=12)
    head, sub = start_row + 1, start_row + 2
    for index, (title, _width) in enumerate(FIXED, start=1):
        cell = sheet.cell(row=head, column=index, value=title())
        sheet.merge_cells(start_row=head, start_column=index, end_row=sub, end_column=index)
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    column = len(FIXED) + 1
    for period in table.periods:
        cell = sheet.cell(row=head, column=column,
                          value=period_label(period.start_date, period.end_date))
        sheet.merge_cells(start_row=head, start_column=column, end_row=head,
                          end_column=column + 2)
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for offset, title in enumerate((_("Target"), _("Actual"), _("%(sign)s met", sign="%"))):
            sub_cell = sheet.cell(row=sub, column=column + offset, value=title)
            sub_cell.font, sub_cell.fill = Font(bold=True), HEAD_FILL
            sub_cell.border = Border(bottom=THIN)
        column += 3
    line = sub + 1
    for result_text, row in rows:
        name = row.indicator.name
        if row.category is not None:
            name = f"    {type_label(row.category.type)}: {row.category.name}"
        values: list[Any] = [result_text, row.indicator.code, name, row.indicator.unit]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=index, value=neutral(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, str) and cell.data_type == "f":
                cell.data_type = "s"
        _write_number(sheet, line, 5, row.baseline)
        _write_number(sheet, line, 6, row.lop_target)
        _write_number(sheet, line, 7, row.to_date, provisional=row.provisional)
        as_of = sheet.cell(row=line, column=8, value=row.as_of)
        as_of.number_format = "yyyy-mm-dd"
        _write_number(sheet, line, 9, row.progress if row.basis and row.basis.value == "project"
                      else None, PERCENT_FORMAT, row.provisional)
        sheet.cell(row=line, column=10, value=str(fw_labels.STATUS[row.status]))
        column = len(FIXED) + 1
        for cell_value in row.cells:
            _cell_block(sheet, line, column, cell_value)
            column += 3
        if row.category is None:
            for index in range(1, 4):
                sheet.cell(row=line, column=index).font = Font(bold=index == 3)
        line += 1
    return line + 1


def _cell_block(sheet: Worksheet, line: int, column: int, cell: Cell | None) -> None:
    if cell is None:
        for offset in range(3):
            sheet.cell(row=line, column=column + offset).fill = PatternFill(
                "solid", fgColor="F2F2F2")
        return
    _write_number(sheet, line, column, cell.target)
    _write_number(sheet, line, column + 1, cell.actual, provisional=cell.provisional)
    _write_number(sheet, line, column + 2, cell.met, PERCENT_FORMAT, cell.provisional)


def _result_text(group_result: Any) -> str:
    if group_result is None:
        return _("Not linked to a result")
    return (f"{fw_labels.RESULT_LEVEL[group_result.level]} {group_result.code}: "
            f"{group_result.statement}")


def _sheet(workbook: Workbook, title: str, tracking: Tracking, type_id: int | None,
           first: bool) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    line = 1
    frozen = False
    for project in tracking.projects:
        for table in project.tables:
            rows = [(_result_text(group.result), row) for group in table.groups
                    for row in group.rows
                    if (row.category is None) or row.category.type_id == type_id]
            if type_id is not None:
                keep = {row.indicator.id for _r, row in rows if row.category is not None}
                rows = [(r, row) for r, row in rows if row.indicator.id in keep]
            if not rows:
                continue
            frequency = (str(fw_labels.FREQUENCY[table.frequency]) if table.frequency
                         else _("Without a reporting frequency"))
            heading = f"{project.project.code} — {project.project.title} · {frequency}"
            start = line
            line = _table_block(sheet, line, table, heading, rows)
            if not frozen:
                sheet.freeze_panes = sheet.cell(row=start + 3, column=4)
                frozen = True
    for index, (_title, width) in enumerate(FIXED, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    widest = max((len(t.periods) for p in tracking.projects for t in p.tables), default=0)
    for index in range(len(FIXED) + 1, len(FIXED) + 1 + widest * 3):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    if line == 1:
        sheet.cell(row=1, column=1, value=_("No indicator matches the filters."))


def about_lines(tracking: Tracking, produced_by: str, produced_on: date) -> list[tuple[str, str]]:
    """What the figures mean and as of when: the About sheet, and the notes of the PDF."""
    filters = tracking.filters
    levels = ", ".join(str(fw_labels.RESULT_LEVEL[level]) for level in sorted(
        filters.levels, key=lambda level: list(fw_labels.RESULT_LEVEL).index(level)))
    return [
        (_("Projects"), "; ".join(f"{p.project.code} — {p.project.title}"
                                  for p in tracking.projects)),
        (_("As of"), format_date(filters.as_of or produced_on, "long")),
        (_("Produced"), _("%(date)s by %(who)s", date=format_date(produced_on, "long"),
                          who=produced_by)),
        (_("Values counted"), _("approved values and provisional ones (marked)")
         if filters.include_provisional else _("approved values only")),
        (_("Periods"), _("all") if not (filters.start or filters.end) else
         _("from %(start)s to %(end)s",
           start=format_date(filters.start, "long") if filters.start else "…",
           end=format_date(filters.end, "long") if filters.end else "…")),
        (_("Result levels"), levels or _("all")),
        (_("Disaggregations"), ", ".join(type_label(d) for d in tracking.disaggregations)
         or _("totals only")),
        (_("Target, Actual"), _("A period's actual is the value reported for it; for a "
                                "cumulative indicator it is the running figure to the end "
                                "of the period.")),
        (_("%(sign)s met", sign="%"),
         _("How far the period's actual goes from the baseline to the period's target, in the "
           "indicator's direction (100 % = target reached).")),
        (_("Actual to date"), _("The figure to the end of the last reported period shown, "
                                "following the indicator's cumulation.")),
        (_("%(sign)s of life-of-project target", sign="%"), _("Progress from the baseline to the "
                                             "life-of-project target.")),
        (_("Status"), _("Progress compared with the share of the project's time elapsed by "
                        "the end of that period.")),
        (_("Provisional"), _("Values of periods not yet approved, in italics on a "
                             "yellow ground.")),
    ]


def to_xlsx(tracking: Tracking, produced_by: str, produced_on: date) -> bytes:
    workbook = Workbook()
    _sheet(workbook, _("Totals"), tracking, None, first=True)
    for disaggregation in tracking.disaggregations:
        _sheet(workbook, type_label(disaggregation), tracking, disaggregation.id, first=False)
    about = workbook.create_sheet(_("About these figures"))
    for label, text in about_lines(tracking, produced_by, produced_on):
        about.append([label, neutral(text)])
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 100
    for (label_cell, text_cell) in about.iter_rows():
        label_cell.font = Font(bold=True)
        label_cell.alignment = text_cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
