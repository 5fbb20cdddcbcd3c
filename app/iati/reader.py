"""Reads an IATI activity file one activity at a time (``lxml.etree.iterparse``), clearing
each activity once read, so a file of thousands of activities never sits in memory.

A file that is not IATI (empty, not XML, an HTML page, another root element) or that is of a
version other than 2.01-2.03 is refused as a whole (``FileRefused``); an activity whose values
cannot be read is returned with the problems found, each naming the activity and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from lxml import etree

from app.iati import codes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class FileRefused(Exception):
    """The file as a whole is not one this import reads; the message says why."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class PeriodData:
    start: date
    end: date
    target: Decimal | None = None
    actual: Decimal | None = None


@dataclass
class IndicatorData:
    where: str  # "result 1, indicator 2", for messages
    code: str | None
    title: str
    title_ru: str | None
    description: str | None
    measure: str
    ascending: bool
    baseline: Decimal | None = None
    baseline_date: date | None = None
    periods: list[PeriodData] = field(default_factory=list)


@dataclass
class ResultData:
    where: str
    type: str
    code: str | None
    title: str
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class ActivityData:
    position: int
    identifier: str
    reporting_ref: str | None = None
    title: str = ""
    description: str | None = None
    status: str | None = None
    dates: dict[str, date] = field(default_factory=dict)
    countries: list[str] = field(default_factory=list)
    currency: str | None = None
    budgets: list[tuple[str, Decimal, str | None]] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    results: list[ResultData] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.identifier or str(_l("activity %(n)d", n=self.position))


def _text(element: etree._Element | None, lang: str | None = None) -> str | None:
    """The English narrative of ``element`` (one without a language, or ``en``), or the one
    in ``lang`` when asked; 1.x-style plain text is not read."""
    if element is None:
        return None
    narratives = element.findall("narrative")
    if lang is not None:
        found = [n for n in narratives if n.get(XML_LANG) == lang]
    else:
        found = ([n for n in narratives if n.get(XML_LANG) in (None, "en")]
                 or narratives[:1])
    text = (found[0].text or "").strip() if found else ""
    return text or None


def _decimal(raw: str | None, where: str, problems: list[str]) -> Decimal | None:
    if raw is None or not raw.strip():
        return None
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(str(_l("%(where)s: %(value)s is not a number", where=where,
                               value=repr(raw))))
        return None
    return value


def _date(raw: str | None, where: str, problems: list[str]) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        problems.append(str(_l("%(where)s: %(value)s is not a date", where=where,
                               value=repr(raw))))
        return None


def _indicator(node: etree._Element, where: str, problems: list[str]) -> IndicatorData:
    code = None
    for reference in node.findall("reference"):
        if reference.get("vocabulary") == codes.REPORTING_ORG_VOCABULARY and reference.get("code"):
            code = reference.get("code")
    title = _text(node.find("title"))
    if title is None:
        problems.append(str(_l("%(where)s: the title is empty", where=where)))
    indicator = IndicatorData(
        where=where, code=code, title=title or "", title_ru=_text(node.find("title"), "ru"),
        description=_text(node.find("description")),
        measure=node.get("measure") or codes.MEASURE_UNIT,
        ascending=node.get("ascending", "1") not in ("0", "false"))
    baselines = node.findall("baseline")
    if baselines:
        baseline = baselines[0]
        indicator.baseline = _decimal(baseline.get("value"), str(_l(
            "%(where)s, baseline value", where=where)), problems)
        indicator.baseline_date = _date(baseline.get("iso-date"), str(_l(
            "%(where)s, baseline date", where=where)), problems)
    for number, period in enumerate(node.findall("period"), start=1):
        here = str(_l("%(where)s, period %(n)d", where=where, n=number))
        start = _date(_attr(period, "period-start"), here + " " + str(_l("start")), problems)
        end = _date(_attr(period, "period-end"), here + " " + str(_l("end")), problems)
        if start is None or end is None:
            if not any(p.startswith(here) for p in problems):
                problems.append(str(_l("%(where)s: the start or end date is missing",
                                       where=here)))
            continue
        if end < start:
            problems.append(str(_l("%(where)s: the period ends before it starts", where=here)))
            continue
        data = PeriodData(start, end)
        target = period.find("target")
        if target is not None:
            data.target = _decimal(target.get("value"), here + " " + str(_l("target")),
                                   problems)
        actual = period.find("actual")
        if actual is not None:
            data.actual = _decimal(actual.get("value"), here + " " + str(_l("actual")),
                                   problems)
        indicator.periods.append(data)
    return indicator


def _attr(parent: etree._Element, tag: str) -> str | None:
    child = parent.find(tag)
    return None if child is None else child.get("iso-date")


def _activity(node: etree._Element, position: int) -> ActivityData:
    identifier = (node.findtext("iati-identifier") or "").strip()
    activity = ActivityData(position=position, identifier=identifier)
    problems = activity.problems
    if not identifier:
        problems.append(str(_l("the iati-identifier is empty")))
    reporting = node.find("reporting-org")
    activity.reporting_ref = None if reporting is None else reporting.get("ref")
    activity.title = _text(node.find("title")) or ""
    if not activity.title:
        problems.append(str(_l("the title is empty")))
    descriptions = node.findall("description")
    general = [d for d in descriptions if d.get("type") in (None, "1")] or descriptions
    activity.description = _text(general[0]) if general else None
    status = node.find("activity-status")
    activity.status = None if status is None else status.get("code")
    for day in node.findall("activity-date"):
        kind = day.get("type") or ""
        parsed = _date(day.get("iso-date"), str(_l("activity-date of type %(t)s", t=kind)),
                       problems)
        if parsed is not None:
            activity.dates[kind] = parsed
    activity.countries = [(c.get("code") or "").upper() for c in node.findall("recipient-country")
                          if c.get("code")]
    activity.currency = node.get("default-currency")
    for budget in node.findall("budget"):
        value = budget.find("value")
        if value is None:
            continue
        amount = _decimal(value.text, str(_l("budget value")), problems)
        if amount is not None:
            activity.budgets.append((budget.get("type") or "1", amount, value.get("currency")))
    activity.parents = [r.get("ref") or "" for r in node.findall("related-activity")
                        if r.get("type") == "1"]
    for r_number, result in enumerate(node.findall("result"), start=1):
        where = str(_l("result %(n)d", n=r_number))
        code = None
        for reference in result.findall("reference"):
            if reference.get("vocabulary") == codes.REPORTING_ORG_VOCABULARY:
                code = reference.get("code") or None
        title = _text(result.find("title"))
        if title is None:
            problems.append(str(_l("%(where)s: the title is empty", where=where)))
        data = ResultData(where=where, type=result.get("type") or "9", code=code,
                          title=title or "")
        for i_number, indicator in enumerate(result.findall("indicator"), start=1):
            here = str(_l("result %(r)d, indicator %(i)d", r=r_number, i=i_number))
            data.indicators.append(_indicator(indicator, here, problems))
        activity.results.append(data)
    return activity


def _check_root(element: etree._Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() == "html" or tag.lower().endswith("}html"):
        raise FileRefused(_l("This is an HTML page, not an IATI activity file."))
    if tag != "iati-activities":
        raise FileRefused(_l("This is not an IATI activity file: its root element is "
                             "<%(tag)s>, not <iati-activities>.", tag=tag))
    version = (element.get("version") or "").strip()
    if version.startswith("1"):
        raise FileRefused(_l("This file is IATI version %(v)s; only versions 2.01, 2.02 and "
                             "2.03 are read. Convert it to version 2 first.", v=version))
    if version not in codes.SUPPORTED_VERSIONS:
        raise FileRefused(_l("This file says it is IATI version %(v)s; only versions 2.01, "
                             "2.02 and 2.03 are read.", v=version or "?"))
    return version


def read(stream: IO[bytes]) -> Iterator[ActivityData | str]:
    """First the file's version, then its activities one by one."""
    head = stream.read(2048)
    stream.seek(0)
    if not head.strip():
        raise FileRefused(_l("The file is empty."))
    looks_html = b"<html" in head.lower() or b"<!doctype html" in head.lower()
    parser = etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    depth = 0
    position = 0
    try:
        for event, element in parser:
            if event == "start":
                depth += 1
                if depth == 1:
                    yield _check_root(element)
                continue
            depth -= 1
            if depth == 1 and element.tag == "iati-activity":
                position += 1
                yield _activity(element, position)
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        if looks_html and position == 0:
            raise FileRefused(_l("This is an HTML page, not an IATI activity file.")) from exc
        if position == 0 and depth <= 1:
            raise FileRefused(_l("This file is not XML, so not an IATI activity file "
                                 "(%(error)s).", error=str(exc))) from exc
        raise FileRefused(_l("The XML of this file is broken after activity %(n)d "
                             "(%(error)s).", n=position, error=str(exc))) from exc


def count(stream: IO[bytes]) -> int:
    """How many activities the file holds (a refused file raises ``FileRefused``)."""
    total = sum(1 for item in read(stream) if not isinstance(item, str))
    stream.seek(0)
    return total
