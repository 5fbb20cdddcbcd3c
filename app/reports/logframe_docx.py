"""The logframe as a Word document (python-docx): the four-column table many donors' templates
ask for (result, indicators, means of verification, assumptions), then the theory of change
and the risks. Same content as the PDF, from ``app.reports.logframe``."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask_babel import format_date
from flask_babel import gettext as _

from app.formatting import number as _number
from app.frameworks import labels as fw_labels
from app.reports.logframe import Logframe


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _header(table: Any, titles: list[str]) -> None:
    row = table.rows[0]
    for cell, title in zip(row.cells, titles, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
    _repeat_header(row)


def _paragraph(cell: Any, text: str, *, bold: str | None = None, first: bool = False) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    if bold:
        paragraph.add_run(bold + " ").bold = True
    paragraph.add_run(text)


def to_docx(logframe: Logframe, *, title: str, produced_by: str, produced_on: date) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans Condensed"
    style.font.size = Pt(9)
    document.core_properties.title = title
    document.core_properties.author = produced_by
    document.add_heading(title, level=1)
    project = logframe.project
    facts = [(_("Project"), f"{project.code} — {project.title}")]
    if project.programme:
        facts.append((_("Programme"), f"{project.programme.code} — {project.programme.title}"))
    facts.append((_("Produced"), _("%(date)s by %(who)s", date=format_date(produced_on, "long"),
                                   who=produced_by)))
    for label, text in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text)

    document.add_heading(_("Logical framework"), level=2)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    _header(table, [_("Result"), _("Indicators (baseline → target)"),
                    _("Means of verification"), _("Assumptions")])
    for line in logframe.lines:
        cells = table.add_row().cells
        if line.result:
            _paragraph(cells[0], line.result.statement, first=True,
                       bold=f"{fw_labels.RESULT_LEVEL[line.result.level]} {line.result.code}")
        else:
            _paragraph(cells[0], "", bold=_("Not linked to a result"), first=True)
        for index, indicator in enumerate(line.indicators):
            unit = f" ({indicator.unit})" if indicator.unit else ""
            _paragraph(cells[1], f"{indicator.name}{unit}. {_('Baseline')}: "
                       f"{_number(indicator.baseline_value)} → {_('Target')}: "
                       f"{_number(indicator.target_value)}", bold=indicator.code,
                       first=index == 0)
            _paragraph(cells[2], indicator.means_of_verification or indicator.data_source
                       or "—", bold=indicator.code, first=index == 0)
        if not line.indicators:
            _paragraph(cells[1], _("No indicator yet."), first=True)
        assumptions = line.result.assumptions if line.result else []
        for index, assumption in enumerate(assumptions):
            _paragraph(cells[3], f"{assumption.text} "
                       f"({fw_labels.ASSUMPTION_STATUS[assumption.status]})", first=index == 0)
    widths = [Mm(75), Mm(85), Mm(55), Mm(52)]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width

    theories = [line for line in logframe.lines if line.has_theory and line.result]
    if theories:
        document.add_heading(_("Theory of change"), level=2)
        for line in theories:
            result = line.result
            assert result is not None
            document.add_heading(f"{fw_labels.RESULT_LEVEL[result.level]} {result.code}",
                                 level=3)
            for label, statement in ((_("If"), result.toc_if), (_("Then"), result.toc_then),
                                     (_("Because"), result.toc_because)):
                if statement:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(f"{label}: ").bold = True
                    paragraph.add_run(statement)

    document.add_heading(_("Risks"), level=2)
    if logframe.risks:
        risks = document.add_table(rows=1, cols=6)
        risks.style = "Table Grid"
        _header(risks, [_("Risk"), _("Category"), _("Likelihood"), _("Impact"), _("Score"),
                        _("Mitigation")])
        for risk in logframe.risks:
            cells = risks.add_row().cells
            values = [risk.description, str(fw_labels.RISK_CATEGORY[risk.category]),
                      str(risk.likelihood), str(risk.impact), str(risk.score),
                      risk.mitigation or "—"]
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
    else:
        document.add_paragraph(_("No risk recorded."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


