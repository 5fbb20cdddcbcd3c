"""The evaluation report as a table: CSV and XLSX, the same rows in each.

One row per finalised score and aspect (an indicator score gives an achievement row and a
data-quality row), with the item's spread and consensus and the indicator results the score
judged. The XLSX file adds a sheet with the agreement (Krippendorff's alpha) and the drafts
not yet finalised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.evaluation import labels
from app.evaluation.models import ScoreAspect
from app.evaluation.report import Consensus, EvaluationReport, ScoreLine
from app.exports import neutral
from app.frameworks.labels import STATUS
from indicators.agreement import Spread
from indicators.types import Status

# (key, heading, spreadsheet number format)
COLUMNS: list[tuple[str, Any, str | None]] = [
    ("item", _l("Item"), None),
    ("period_start", _l("Period start"), "yyyy-mm-dd"),
    ("period_end", _l("Period end"), "yyyy-mm-dd"),
    ("indicator_code", _l("Indicator code"), None),
    ("indicator", _l("Indicator"), None),
    ("criterion", _l("Criterion"), None),
    ("aspect", _l("Aspect"), None),
    ("evaluator", _l("Evaluator"), None),
    ("score", _l("Score"), "0"),
    ("justification", _l("Justification"), None),
    ("finalised_at", _l("Finalised"), None),
    ("evaluators", _l("Evaluators"), "0"),
    ("spread_min", _l("Lowest score"), "0"),
    ("spread_max", _l("Highest score"), "0"),
    ("consensus", _l("Consensus score"), "0"),
    ("consensus_reason", _l("Consensus reason"), None),
    ("consensus_by", _l("Consensus by"), None),
    ("baseline", _l("Baseline"), None),
    ("target", _l("Period target"), None),
    ("actual", _l("Value in the period"), None),
    ("to_date", _l("Actual to date"), None),
    ("lop_target", _l("Life-of-project target"), None),
    ("progress", _l("Progress"), "0.0%"),
    ("status", _l("Status"), None),
    ("provisional", _l("Provisional"), None),
    ("evidence_files", _l("Evidence files"), None),
]
PROGRESS = Decimal("0.0001")
# Free text that a spreadsheet must never run as a formula.
TEXT = {"indicator", "evaluator", "justification", "consensus_reason", "consensus_by",
        "evidence_files"}


def _row(line: ScoreLine, aspect: ScoreAspect, spread: Spread[int] | None,
         consensus: Consensus | None, **item: Any) -> dict[str, Any]:
    return {
        **item, "aspect": aspect.value, "evaluator": line.evaluator,
        "score": line.values[aspect], "justification": line.justification,
        "finalised_at": line.finalised_at.isoformat(timespec="seconds")
        if line.finalised_at else None,
        "evaluators": spread.count if spread else None,
        "spread_min": spread.minimum if spread else None,
        "spread_max": spread.maximum if spread else None,
        "consensus": consensus.value if consensus else None,
        "consensus_reason": consensus.reason if consensus else None,
        "consensus_by": consensus.decided_by if consensus else None,
    }


def records(report: EvaluationReport,
            evidence: Mapping[tuple[int, int], Sequence[str]] | None = None,
            ) -> Iterator[dict[str, Any]]:
    """Every row of the table as plain values, keyed by the column keys. ``evidence`` names the
    files of each (indicator, period) the reader may see (see ``views_report``)."""
    evidence = evidence or {}
    for item in report.items:
        result = item.result
        about = {
            "item": "indicator", "period_start": item.period.start_date,
            "period_end": item.period.end_date, "indicator_code": item.indicator.code,
            "indicator": item.indicator.name, "criterion": None,
            "baseline": result.baseline, "target": result.target, "actual": result.actual,
            "to_date": result.to_date, "lop_target": result.lop_target,
            "progress": result.progress.quantize(PROGRESS) if result.progress is not None
            else None,
            "status": result.status.value,
            "provisional": "yes" if result.provisional else "no",
            "evidence_files": "; ".join(evidence.get((item.indicator.id, item.period.id), ()))
            or None,
        }
        for line in item.scores:
            for aspect in (ScoreAspect.ACHIEVEMENT, ScoreAspect.DATA_QUALITY):
                yield _row(line, aspect, item.spread(aspect), item.consensus.get(aspect),
                           **about)
    empty = dict.fromkeys(("period_start", "period_end", "indicator_code", "indicator",
                           "baseline", "target", "actual", "to_date", "lop_target",
                           "progress", "status", "provisional", "evidence_files"))
    for criterion in report.criteria:
        for line in criterion.scores:
            yield _row(line, ScoreAspect.CRITERION, criterion.spread(), criterion.consensus,
                       **empty, item="project", criterion=criterion.criterion.value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _csv_cell(key: str, value: Any) -> str:
    text = _text(value)
    return str(neutral(text)) if isinstance(value, str) else text


def to_csv(report: EvaluationReport,
           evidence: Mapping[tuple[int, int], Sequence[str]] | None = None) -> str:
    """CSV; free text that starts like a formula gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([key for key, _heading, _fmt in COLUMNS])
    for values in records(report, evidence):
        writer.writerow([_csv_cell(key, values[key]) for key, _heading, _fmt in COLUMNS])
    return out.getvalue()


def _alpha(value: Decimal | None) -> Any:
    return None if value is None else float(value.quantize(Decimal("0.0001")))


def to_xlsx(report: EvaluationReport,
            evidence: Mapping[tuple[int, int], Sequence[str]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_l("Scores"))
    sheet.append([str(heading) for _key, heading, _fmt in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for values in records(report, evidence):
        values["aspect"] = str(labels.ASPECT[ScoreAspect(values["aspect"])])
        if values["status"]:
            values["status"] = str(STATUS[Status(values["status"])])
        if values["provisional"]:
            values["provisional"] = str(_l("yes") if values["provisional"] == "yes" else _l("no"))
        sheet.append([neutral(values[key]) for key, _heading, _fmt in COLUMNS])
    for index, (key, _heading, fmt) in enumerate(COLUMNS, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if fmt:
                cell.number_format = fmt
            if key in {"justification", "consensus_reason"}:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key in TEXT and cell.data_type == "f":
                cell.data_type = "s"  # text that starts with "=" stays text
    agreement = report.agreement
    about = workbook.create_sheet(str(_l("Agreement")))
    about.append([str(_l("Project")), f"{report.project.code} {report.project.title}"])
    about.append([str(_l("Indicator figures")),
                  str(_l("approved values and provisional ones (marked)")
                      if report.include_provisional else _l("approved values only"))])
    about.append([str(_l("Krippendorff's alpha (ordinal), all finalised scores")),
                  _alpha(agreement.alpha)])
    for aspect in ScoreAspect:
        about.append([str(labels.ASPECT[aspect]), _alpha(agreement.by_aspect[aspect])])
    about.append([str(_l("Reading")), str(labels.AGREEMENT_BAND[agreement.band])])
    about.append([str(_l("Evaluators")), agreement.evaluators])
    about.append([str(_l("Items scored")), agreement.items])
    about.append([str(_l("Items scored by two or more evaluators")), agreement.paired_items])
    for name, count in report.drafts:
        about.append([str(_l("Drafts not yet finalised: %(name)s", name=name)), count])
    for cell in about["A"]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
