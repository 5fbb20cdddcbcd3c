"""The project's XLSForm for KoboToolbox and ODK: one form whose first question asks what the
officer reports, an activity or a period's indicator values, with the project's own choices.

Question names are what the submissions export uses as column headers, so the importer
(``submissions.py``) reads them back: an indicator value's name carries the indicator, the
disaggregation type and the category codes (``v.<indicator>.<type>.<category>.<part>``), each
code escaped to the letters, digits and underscores that XForm names and the exports of both
tools keep unchanged. Labels are in English and Russian.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from app.frameworks import periods as period_labels
from app.frameworks.labels import ACTIVITY_KIND
from app.frameworks.models import (
    TOTAL_CODE,
    ActivityKind,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
    Result,
    ResultLevel,
)
from app.monitoring.grid import kind_of
from app.monitoring.imports.activities import AGE_COLUMN, PARTICIPANT_COLUMNS, SEX_COLUMN
from app.monitoring.labels import AGE_GROUP, SEX
from app.monitoring.periods import EDITABLE
from app.programmes.models import Project
from indicators import bank

LANGUAGES = (("en", "English (en)"), ("ru", "Russian (ru)"))
PARTS = {"value": "value", "numerator": "num", "denominator": "den", "text": "text"}
ACTIVITY_GROUP = "activity"
VALUES_GROUP = "values"
_SAFE = re.compile(r"[A-Za-z0-9]")
_TOKEN = re.compile(r"__|_x([0-9a-f]{6})|_([0-9a-f]{4})")


def escape(code: str) -> str:
    """A code as part of an XForm name: letters and digits kept, "_" doubled, anything else
    as "_" and four hex digits ("1.1" → "1_002e1")."""
    return "".join(c if _SAFE.fullmatch(c) else "__" if c == "_" else f"_{ord(c):04x}"
                   if ord(c) <= 0xFFFF else f"_x{ord(c):06x}" for c in code)


def unescape(name: str) -> str:
    return _TOKEN.sub(lambda m: "_" if m.group(0) == "__" else chr(int(m.group(1) or m.group(2),
                                                                         16)), name)


def value_name(indicator: str, type_code: str, category: str, part: str) -> str:
    return ".".join(["v", escape(indicator), escape(type_code), escape(category), PARTS[part]])


def parse_value_name(name: str) -> tuple[str, str, str, str] | None:
    """(indicator, type, category, part) of a value question's name, or None."""
    pieces = name.split(".")
    reverse = {short: part for part, short in PARTS.items()}
    if len(pieces) != 5 or pieces[0] != "v" or pieces[4] not in reverse:
        return None
    return (unescape(pieces[1]), unescape(pieces[2]), unescape(pieces[3]), reverse[pieces[4]])


def period_choice(start: Any, end: Any) -> str:
    return f"p{start.isoformat()}_{end.isoformat()}"


def _both(text: Any) -> tuple[str, str]:
    """A translatable label in English and in Russian."""
    labels = []
    for code, _ in LANGUAGES:
        with force_locale(code):
            labels.append(str(text) if not callable(text) else str(text()))
    return labels[0], labels[1]


@dataclass
class Form:
    """The three sheets, and what the importer needs to read labels back."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # any label, lower case -> name
    choice_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # list -> label->name

    def question(self, kind: str, name: str, label: tuple[str, str], **more: str) -> None:
        row = {"type": kind, "name": name, "label::English (en)": label[0],
               "label::Russian (ru)": label[1], **more}
        self.survey.append(row)
        if not kind.startswith("end"):
            self.labels.setdefault(name.lower(), name)
            for text in label:
                self.labels.setdefault(text.strip().lower(), name)

    def choice(self, list_name: str, name: str, label: tuple[str, str]) -> None:
        self.choices.append({"list_name": list_name, "name": name,
                             "label::English (en)": label[0], "label::Russian (ru)": label[1]})
        known = self.choice_labels.setdefault(list_name, {})
        known[name.lower()] = name
        for text in label:
            known.setdefault(text.strip().lower(), name)


def _number_constraint(indicator: Indicator) -> tuple[str, str, str]:
    """(type, constraint, message) of a value question, from the indicator's rules."""
    rules = indicator.rules
    parts = []
    if not rules.allow_negative:
        parts.append(". >= 0")
    if rules.minimum is not None:
        parts.append(f". >= {_plain(rules.minimum)}")
    if rules.maximum is not None:
        parts.append(f". <= {_plain(rules.maximum)}")
    kind = "integer" if rules.whole_numbers else "decimal"
    return kind, " and ".join(parts), ""


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _indicator_names(indicator: Indicator) -> tuple[str, str]:
    russian = indicator.name
    found = bank.get(indicator.bank_code) if indicator.bank_code else None
    if found is not None:
        russian = bank.localised(found, "ru").name
    return f"{indicator.code} {indicator.name}", f"{indicator.code} {russian}"


def _category_names(category: DisaggregationCategory) -> tuple[str, str]:
    def name() -> str:
        return gettext(category.name) if category.name else category.code
    return _both(name)


def build(session: Session, project: Project) -> Form:
    form = Form()
    form.question("select_one report", "report", _both(_l("What are you reporting?")),
                  required="yes")
    form.choice("report", "activity", _both(_l("An activity held")))
    form.choice("report", "values", _both(_l("Indicator values of a reporting period")))
    _activity_part(session, project, form)
    _values_part(session, project, form)
    return form


def _activity_part(session: Session, project: Project, form: Form) -> None:
    required = _both(_l("This field is required."))
    form.question("begin_group", ACTIVITY_GROUP, _both(_l("Activity")),
                  relevant="${report} = 'activity'")
    form.question("select_one kind", "kind", _both(_l("Kind")), required="yes",
                  **{"required_message::English (en)": required[0],
                     "required_message::Russian (ru)": required[1]})
    for kind in ActivityKind:
        form.choice("kind", kind.value, _both(ACTIVITY_KIND[kind]))
    form.question("text", "title", _both(_l("Title")), required="yes",
                  constraint="string-length(.) <= 300")
    form.question("date", "start_date", _both(_l("Start date")), required="yes")
    later = _both(_l("The end date is before the start date."))
    form.question("date", "end_date", _both(_l("End date")), constraint=". >= ${start_date}",
                  **{"constraint_message::English (en)": later[0],
                     "constraint_message::Russian (ru)": later[1]})
    two = _both(_l("Use a two-letter code."))
    form.question("text", "country", _both(_l("Country (two-letter code)")),
                  constraint="regex(., '^[A-Za-z]{2}$')",
                  **{"constraint_message::English (en)": two[0],
                     "constraint_message::Russian (ru)": two[1]})
    form.question("text", "place", _both(_l("Place")), constraint="string-length(.) <= 200")
    results = list(session.scalars(sa.select(Result).where(
        Result.project_id == project.id, Result.level == ResultLevel.OUTPUT)
        .order_by(Result.position, Result.code)))
    if results:
        form.question("select_one output", "output", _both(_l("Output")))
        for result in results:
            text = f"{result.code} {result.statement}"[:200]
            form.choice("output", result.code, (text, text))
    zero = _both(_l("Give a number of zero or more."))
    messages = {"constraint_message::English (en)": zero[0],
                "constraint_message::Russian (ru)": zero[1]}
    form.question("decimal", "cost", _both(_l("Cost")), constraint=". >= 0", **messages)
    form.question("text", "description", _both(_l("Description")), appearance="multiline")
    form.question("begin_group", "participants", _both(_l("Participants")),
                  appearance="field-list")
    for column, (sex, age) in PARTICIPANT_COLUMNS.items():
        assert column == f"{SEX_COLUMN[sex]}_{AGE_COLUMN[age]}"
        label = _both(lambda sex=sex, age=age: f"{SEX[sex]}, {AGE_GROUP[age]}")
        form.question("integer", column, label, constraint=". >= 0", **messages)
    form.question("end_group", "", ("", ""))
    form.question("end_group", "", ("", ""))


def _values_part(session: Session, project: Project, form: Form) -> None:
    form.question("begin_group", VALUES_GROUP, _both(_l("Indicator values")),
                  relevant="${report} = 'values'")
    form.question("select_one period", "period", _both(_l("Reporting period")), required="yes")
    periods = session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == project.id, ReportingPeriod.state.in_(EDITABLE))
        .order_by(ReportingPeriod.start_date, ReportingPeriod.frequency))
    seen: set[str] = set()
    by_frequency: dict[Any, list[str]] = {}
    for period in periods:
        name = period_choice(period.start_date, period.end_date)
        by_frequency.setdefault(period.frequency, []).append(name)
        if name in seen:
            continue
        seen.add(name)
        form.choice("period", name, _both(lambda p=period: (
            f"{period_labels.label(p)} ({p.start_date.isoformat()} – {p.end_date.isoformat()})")))
    if not seen:  # XLSForm needs a list with a choice; this one says why there is none
        form.choice("period", "none", _both(_l("No period is open for entry")))
    indicators = session.scalars(
        sa.select(Indicator).where(Indicator.project_id == project.id,
                                   Indicator.activity_source.is_(None))
        .options(selectinload(Indicator.disaggregations)
                 .selectinload(DisaggregationType.categories))
        .order_by(Indicator.position, Indicator.code))
    total = session.scalars(sa.select(DisaggregationCategory).join(DisaggregationType).where(
        DisaggregationType.code == TOTAL_CODE, DisaggregationCategory.code == TOTAL_CODE)
        .options(selectinload(DisaggregationCategory.type))).one()
    for number, indicator in enumerate(indicators, start=1):
        names = _indicator_names(indicator)
        more = {}
        if indicator.frequency is not None:  # asked only in the periods of its frequency
            more["relevant"] = " or ".join(
                f"${{period}} = '{name}'" for name in by_frequency.get(indicator.frequency, [])
            ) or "false()"
        form.question("begin_group", f"indicator_{number}", names, appearance="field-list",
                      **more)
        categories = [total] + [c for t in indicator.disaggregations for c in t.categories]
        for category in categories:
            _value_questions(form, indicator, category, names)
        form.question("end_group", "", ("", ""))
    form.question("text", "comment", _both(_l("Comment")), constraint="string-length(.) <= 2000")
    form.question("end_group", "", ("", ""))


def _value_questions(form: Form, indicator: Indicator, category: DisaggregationCategory,
                     names: tuple[str, str]) -> None:
    where = _category_names(category)
    label = (f"{indicator.code}: {where[0]}", f"{indicator.code}: {where[1]}")
    key = (indicator.code, category.type.code, category.code)
    kind = kind_of(indicator)
    if kind == "text":
        form.question("text", value_name(*key, "text"), label,
                      constraint="string-length(.) <= 5000")
        return
    number, constraint, _ = _number_constraint(indicator)
    if kind == "number":
        form.question(number, value_name(*key, "value"), label, constraint=constraint)
        return
    den = value_name(*key, "denominator")
    share = "" if indicator.rules.allow_over_whole else f" and . <= ${{{den}}}"
    numerator = _both(_l("numerator"))
    denominator = _both(_l("denominator"))
    form.question(number, value_name(*key, "numerator"),
                  (f"{label[0]} — {numerator[0]}", f"{label[1]} — {numerator[1]}"),
                  constraint=". >= 0" + share)
    form.question(number, den, (f"{label[0]} — {denominator[0]}",
                                f"{label[1]} — {denominator[1]}"), constraint=". >= 0")


SURVEY_COLUMNS = ["type", "name", "label::English (en)", "label::Russian (ru)", "required",
                  "required_message::English (en)", "required_message::Russian (ru)",
                  "relevant", "constraint", "constraint_message::English (en)",
                  "constraint_message::Russian (ru)", "appearance"]
CHOICE_COLUMNS = ["list_name", "name", "label::English (en)", "label::Russian (ru)"]


def _text(page: Any, value: str) -> Any:
    """A cell stored as text: a label typed as "=HYPERLINK(…)" stays that text in a
    spreadsheet (never a formula) and reaches KoboToolbox and ODK exactly as typed, without
    the apostrophe the CSV exports add (``app.exports.neutral``)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(page, value=value)
    cell.data_type = "s"
    return cell


def _sheet(book: Any, title: str, columns: list[str], rows: Iterator[dict[str, str]]) -> None:
    page = book.create_sheet(title)
    page.append(columns)
    for row in rows:
        page.append([_text(page, str(row.get(c, ""))) for c in columns])


def as_xlsx(form: Form, project: Project, version: Callable[[], str]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    _sheet(book, "survey", SURVEY_COLUMNS, iter(form.survey))
    _sheet(book, "choices", CHOICE_COLUMNS, iter(form.choices))
    code = re.sub(r"[^A-Za-z0-9]+", "_", project.code).strip("_")
    _sheet(book, "settings", ["form_title", "form_id", "version", "default_language"], iter([{
        "form_title": f"PVE Track {project.code}", "form_id": f"pvetrack_{code}",
        "version": version(), "default_language": "English (en)"}]))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def form_bytes(session: Session, project: Project) -> bytes:
    from app.db import utcnow

    return as_xlsx(build(session, project), project, lambda: utcnow().strftime("%Y%m%d%H%M"))
