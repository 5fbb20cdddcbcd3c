"""Saving a period's values from the data entry grid: validated, version-checked, audited.

Each row of the form carries the version of the value it was rendered from and a digest of
what it showed. A row whose value someone else saved meanwhile is refused when the person
changed it too, with the other's value shown; a row the person left alone is skipped.
Nothing is written while any row is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.errors import ServiceError, quoted
from app.frameworks.models import Indicator, ReportingPeriod
from app.frameworks.periods import label as period_label
from app.monitoring import periods, rules
from app.monitoring.grid import FIELDS, Grid, Row, build_grid, fingerprint, kind_of, show
from app.monitoring.models import DataValue
from app.weblinks import is_web_address, normalise_web_address

MAX_NUMBER = Decimal("1e14")  # Numeric(18, 4)
LIMITS = {"text": 5000, "comment": 2000, "evidence_url": 500}


class GridRefused(ServiceError):
    """Some rows were refused; ``errors`` and ``conflicts`` are keyed by row key."""

    def __init__(self, message: Any, errors: dict[str, list[Any]],
                 conflicts: dict[str, dict[str, Any]]) -> None:
        super().__init__(message)
        self.errors = errors
        self.conflicts = conflicts


@dataclass
class Posted:
    """What the form sent for one row: raw strings, the version and the digest it showed."""

    values: dict[str, str]
    version: int | None
    seen: str | None


@dataclass
class Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return all(self.values.get(f) is None for f in ("value", "numerator", "denominator",
                                                          "text"))


def posted_rows(grid: Grid, form: Mapping[str, str]) -> dict[str, Posted]:
    """The rows of ``grid`` that the form carries (fields named ``<row key>-<field>``)."""
    result = {}
    for row in grid.rows():
        if row.computed is not None or f"{row.key}-version" not in form:
            continue
        raw_version = form.get(f"{row.key}-version", "")
        result[row.key] = Posted(
            {f: form.get(f"{row.key}-{f}", "") for f in FIELDS},
            int(raw_version) if raw_version.isdigit() else None,
            form.get(f"{row.key}-seen") or None)
    return result


def parse_number(raw: str | None) -> Decimal | None:
    """A number as people type it: "1 234,5" or "1234.5"; ``None`` when blank.

    Raises ``ValueError`` with the reason when it is not a usable number.
    """
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(str(_l("“%(v)s” is not a number.", v=quoted(raw)))) from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ValueError(str(_l("“%(v)s” is not a number that can be stored.",
                                v=quoted(raw))))
    if -number.as_tuple().exponent > 4:  # type: ignore[operator]
        raise ValueError(str(_l("Use at most four decimal places: %(v)s.", v=quoted(raw))))
    return number


def parse_row(indicator: Indicator, raw: Mapping[str, str | None]) -> Parsed:
    """Check one row's raw values against what the indicator takes."""
    parsed = Parsed()
    kind = kind_of(indicator)
    for name in ("value", "numerator", "denominator"):
        try:
            parsed.values[name] = parse_number(raw.get(name))
        except ValueError as exc:
            parsed.errors.append(str(exc))
            parsed.values[name] = None
    for name in ("text", "comment", "evidence_url"):
        text = (raw.get(name) or "").replace("\r\n", "\n").strip()
        parsed.values[name] = text or None
        if len(text) > LIMITS[name]:
            parsed.errors.append(_l("At most %(n)d characters.", n=LIMITS[name]))
    values = parsed.values
    if kind == "ratio":
        if values["value"] is not None:
            parsed.errors.append(_l("This indicator is a ratio: give the numerator and the "
                                    "denominator, not a value."))
        if (values["numerator"] is None) != (values["denominator"] is None):
            parsed.errors.append(_l("Give the numerator and the denominator together."))
        elif values["denominator"] is not None and values["denominator"] < 0:
            parsed.errors.append(_l("The denominator cannot be negative."))
        elif values["denominator"] == 0 and values["numerator"]:
            parsed.errors.append(_l("The denominator cannot be 0 when the numerator is not."))
    elif values["numerator"] is not None or values["denominator"] is not None:
        parsed.errors.append(_l("This indicator takes one value, not a numerator and a "
                                "denominator."))
    if kind == "text":
        if values["value"] is not None:
            parsed.errors.append(_l("This indicator is qualitative: describe the result in "
                                    "words."))
    elif values["text"] is not None:
        parsed.errors.append(_l("This indicator takes a number, not text."))
    url = values["evidence_url"] = normalise_web_address(values["evidence_url"])
    if url and not is_web_address(url):
        parsed.errors.append(_l("The evidence link must be a web address starting with "
                                "https:// or http://."))
    if parsed.empty and (values["comment"] or url):
        parsed.errors.append(_l("A comment or evidence link needs a value to go with."))
    return parsed


def _stored(row: Row) -> dict[str, Any]:
    value = row.stored
    return {f: getattr(value, f) if value is not None else None for f in FIELDS}


def conflict_of(row: Row) -> dict[str, Any]:
    shown = row.shown()
    return {"values": shown, "by": row.entered_by, "version": row.version,
            "seen": fingerprint(shown)}


def save_values(session: Session, actor: Actor, period: ReportingPeriod,
                posted: Mapping[str, Posted], grid: Grid | None = None) -> int:
    """Write the changed rows; returns how many values were written or removed."""
    periods.assert_editable(period)
    grid = grid or build_grid(session, period)
    errors: dict[str, list[Any]] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    changes: list[tuple[Row, dict[str, Any]]] = []
    for key, form_row in posted.items():
        row = grid.row(key)
        if row is None or row.computed is not None:
            continue
        parsed = parse_row(row.indicator, form_row.values)
        if not parsed.errors:
            where = f"{row.indicator.code} · {period_label(period)} · {row.category.name}"
            parsed.errors.extend(rules.describe(found, where)
                                 for found in rules.violations(row.indicator, parsed.values))
        if parsed.errors:
            errors[key] = parsed.errors
            continue
        if parsed.values == _stored(row):
            continue
        if form_row.version != row.version:
            if form_row.seen == fingerprint(form_row.values):
                continue  # left as it was shown: keep what the other person saved
            conflicts[key] = conflict_of(row)
            continue
        changes.append((row, parsed.values))
    if errors or conflicts:
        raise GridRefused(_l("Nothing was saved: correct the values listed here, then save "
                             "again.") if not conflicts else _l(
            "Someone else saved some of these values after you opened the page. Their values "
            "are shown beside yours; nothing of yours was saved. Review and save again."),
            errors, conflicts)
    return _write(session, actor, period, changes)


def _write(session: Session, actor: Actor, period: ReportingPeriod,
           changes: list[tuple[Row, dict[str, Any]]]) -> int:
    trail: dict[str, list[Any]] = {}
    for row, values in changes:
        label = f"{row.indicator.code}/{row.category.code}"
        before = _figure(row.stored)
        if Parsed(values).empty:
            assert row.stored is not None
            session.delete(row.stored)
            trail[label] = [before, None]
            continue
        value = row.stored or DataValue(indicator_id=row.indicator.id, period_id=period.id,
                                        category_id=row.category.id)
        for name, new in values.items():
            setattr(value, name, new)
        value.entered_by_id = actor.user_id
        value.entered_at = utcnow()
        session.add(value)
        trail[label] = [before, _figure(value)]
    if not changes:
        return 0
    session.flush()  # a lost race raises StaleEdit (app.db.AppSession): nothing is saved
    audit.record(session, actor, "data_values.save", "reporting_period", period.id, trail)
    session.commit()
    return len(changes)


def _figure(value: DataValue | None) -> str | None:
    if value is None:
        return None
    if value.numerator is not None:
        return f"{show(value.numerator)}/{show(value.denominator)}"
    if value.text is not None:
        return value.text[:80]
    return show(value.value) or None
