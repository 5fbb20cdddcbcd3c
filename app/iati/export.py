"""A project, or the projects of a programme, as an IATI 2.03 ``iati-activities`` file.

The figures (period targets and actuals) come from the app's one loader of indicator figures,
``monitoring.figures``, with approved values only: the same figures the results page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from lxml import etree
from sqlalchemy.orm import Session

from app.frameworks.models import Indicator, Result
from app.iati import codes
from app.iati.identifiers import (
    ReportingOrg,
    activity_identifier,
    programme_identifier,
    reporting_org,
)
from app.monitoring import figures as indicator_figures
from app.programmes.models import Programme, Project
from indicators import bank
from indicators.types import Measure, StatusBands

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = Path(__file__).resolve().parent / "schema" / "iati-activities-schema.xsd"


def _bands() -> StatusBands:
    config = current_app.config
    return StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"])


def number(value: Decimal) -> str:
    """A decimal as IATI writes it: plain digits, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def _narratives(parent: etree._Element, tag: str, english: str | None,
                russian: str | None = None) -> etree._Element | None:
    if not english:
        return None
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "narrative").text = english
    if russian and russian != english:
        etree.SubElement(element, "narrative", {XML_LANG: "ru"}).text = russian
    return element


def _russian_name(indicator: Indicator) -> str | None:
    """The indicator bank's Russian name, when the indicator kept the bank's English one."""
    if not indicator.bank_code:
        return None
    found = bank.get(indicator.bank_code)
    if found is None or found.name != indicator.name:
        return None
    return bank.localised(found, "ru").name


def _org(parent: etree._Element, tag: str, name: str, attrs: dict[str, str]) -> None:
    element = etree.SubElement(parent, tag, attrs)
    etree.SubElement(element, "narrative").text = name


def _date(parent: etree._Element, kind: str, day: date | None) -> None:
    if day is not None:
        etree.SubElement(parent, "activity-date", {"type": kind, "iso-date": day.isoformat()})


def _activity(session: Session, project: Project, org: ReportingOrg,
              loaded: indicator_figures.ProjectFigures, today: date) -> etree._Element:
    programme = project.programme
    activity = etree.Element("iati-activity", {
        XML_LANG: "en", "default-currency": programme.currency,
        "last-updated-datetime": project.updated_at.replace(tzinfo=None, microsecond=0)
        .isoformat() + "Z" if project.updated_at else datetime.now(UTC).isoformat()})
    etree.SubElement(activity, "iati-identifier").text = activity_identifier(project, org)
    _org(activity, "reporting-org", org.name, {"ref": org.ref, "type": org.type})
    _narratives(activity, "title", project.title)
    # The 2.03 schema wants a description: the programme's stands in for a project without one.
    description = _narratives(activity, "description",
                              project.description or programme.description or project.title)
    if description is not None:
        description.set("type", "1")
    for donor in programme.donors:
        _org(activity, "participating-org", donor.organisation.name, {
            "role": codes.ROLE_FUNDING, "type": codes.ORGANISATION_TYPE[donor.organisation.kind]})
    if programme.lead_organisation is not None:
        lead = programme.lead_organisation
        _org(activity, "participating-org", lead.name, {
            "role": codes.ROLE_ACCOUNTABLE, "type": codes.ORGANISATION_TYPE[lead.kind]})
    implementer = project.implementer
    if implementer is not None:
        _org(activity, "participating-org", implementer.name, {
            "role": codes.ROLE_IMPLEMENTING, "type": codes.ORGANISATION_TYPE[implementer.kind]})
    else:  # the schema wants at least one participating organisation
        _org(activity, "participating-org", org.name, {
            "role": codes.ROLE_IMPLEMENTING, "ref": org.ref, "type": org.type})
    etree.SubElement(activity, "activity-status", {"code": str(project.status.iati_code)})
    started = project.start_date is not None and project.start_date <= today
    ended = project.end_date is not None and project.end_date <= today
    _date(activity, codes.ACTUAL_START if started else codes.PLANNED_START, project.start_date)
    _date(activity, codes.ACTUAL_END if ended else codes.PLANNED_END, project.end_date)
    if project.start_date is None and project.end_date is None:  # at least one date is needed
        _date(activity, codes.PLANNED_START, project.created_at.date())
    countries = project.countries or programme.countries or []
    share = _shares(len(countries))
    for country, percentage in zip(countries, share, strict=True):
        etree.SubElement(activity, "recipient-country",
                         {"code": country.upper(), "percentage": percentage})
    etree.SubElement(activity, "sector", {"vocabulary": codes.SECTOR_VOCABULARY_DAC,
                                          "code": codes.PVE_SECTOR, "percentage": "100"})
    if project.budget is not None and project.start_date and project.end_date:
        budget = etree.SubElement(activity, "budget", {"type": "1", "status": "1"})
        etree.SubElement(budget, "period-start", {"iso-date": project.start_date.isoformat()})
        etree.SubElement(budget, "period-end", {"iso-date": project.end_date.isoformat()})
        etree.SubElement(budget, "value", {
            "currency": programme.currency,
            "value-date": project.start_date.isoformat()}).text = number(project.budget)
    etree.SubElement(activity, "related-activity", {
        "ref": programme_identifier(programme, org), "type": "1"})
    _results(session, activity, project, loaded)
    return activity


def _shares(count: int) -> list[str]:
    """Equal percentages that add up to 100 (the last takes the rounding)."""
    if not count:
        return []
    each = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [number(each)] * (count - 1) + [number(Decimal(100) - each * (count - 1))]


def _results(session: Session, activity: etree._Element, project: Project,
             loaded: indicator_figures.ProjectFigures) -> None:
    results = list(session.scalars(sa.select(Result).where(Result.project_id == project.id)
                                   .order_by(Result.position, Result.id)))
    by_result: dict[int, list[Indicator]] = {}
    for indicator in loaded.indicators:
        if indicator.result_id is not None:
            by_result.setdefault(indicator.result_id, []).append(indicator)
    for result in results:
        indicators = by_result.get(result.id, [])
        if not indicators:  # a result without indicators is not valid IATI
            continue
        element = etree.SubElement(activity, "result", {
            "type": codes.RESULT_TYPE[result.level], "aggregation-status": "0"})
        _narratives(element, "title", result.statement)
        etree.SubElement(element, "reference", {
            "vocabulary": codes.REPORTING_ORG_VOCABULARY, "code": result.code})
        for indicator in indicators:
            _indicator(element, indicator, loaded, project)


def _indicator(parent: etree._Element, indicator: Indicator,
               loaded: indicator_figures.ProjectFigures, project: Project) -> None:
    measure = {Measure.PERCENTAGE: codes.MEASURE_PERCENTAGE,
               Measure.QUALITATIVE: codes.MEASURE_QUALITATIVE}.get(indicator.measure,
                                                                   codes.MEASURE_UNIT)
    element = etree.SubElement(parent, "indicator", {
        "measure": measure,
        "ascending": "0" if indicator.direction.value == "decrease" else "1",
        "aggregation-status": "0"})
    _narratives(element, "title", indicator.name, _russian_name(indicator))
    _narratives(element, "description", indicator.definition)
    etree.SubElement(element, "reference", {
        "vocabulary": codes.REPORTING_ORG_VOCABULARY, "code": indicator.code})
    if indicator.baseline_value is not None:
        # The schema wants a year: without a baseline date, the project's first year.
        day = indicator.baseline_date
        year = (day or project.start_date or project.created_at.date()).year
        attrs = {"year": str(year), "value": number(indicator.baseline_value)}
        if day is not None:
            attrs["iso-date"] = day.isoformat()
        baseline = etree.SubElement(element, "baseline", attrs)
        if indicator.baseline_note:
            _narratives(baseline, "comment", indicator.baseline_note)
    for period in loaded.of(indicator).periods:
        if period.target is None and period.value is None:
            continue
        node = etree.SubElement(element, "period")
        etree.SubElement(node, "period-start", {"iso-date": period.start.isoformat()})
        etree.SubElement(node, "period-end", {"iso-date": period.end.isoformat()})
        if period.target is not None:
            etree.SubElement(node, "target", {"value": number(period.target)})
        if period.value is not None:
            etree.SubElement(node, "actual", {"value": number(period.value)})


def build(session: Session, projects: Sequence[Project], today: date | None = None) -> bytes:
    """The ``iati-activities`` document of ``projects``, with approved figures only."""
    org = reporting_org()
    today = today or datetime.now(UTC).date()
    loaded = indicator_figures.load_many(session, projects, _bands())
    root = etree.Element("iati-activities", {
        "version": "2.03",
        "generated-datetime": datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        .isoformat() + "Z"})
    for project in projects:
        root.append(_activity(session, project, org, loaded[project.id], today))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def programme_projects(session: Session, programme: Programme) -> list[Project]:
    return list(session.scalars(sa.select(Project).where(Project.programme_id == programme.id)
                                .order_by(Project.code)))


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(document: bytes) -> list[str]:
    """The schema's complaints about ``document`` (none when it is valid IATI 2.03)."""
    checker = schema()
    checker.validate(etree.fromstring(document))
    return [f"line {e.line}: {e.message}" for e in checker.error_log]


def filename(code: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in code)
    return f"iati-{safe}.xml"
