"""Indicator identification: indicators, their reporting periods and their targets."""

from __future__ import annotations

import enum
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit, records
from app.audit import Actor
from app.db import utcnow
from app.errors import ServiceError, ValidationFailed
from app.frameworks.models import (
    TOTAL_CODE,
    ActivityKind,
    ActivitySource,
    DisaggregationCategory,
    DisaggregationType,
    Frequency,
    Indicator,
    IndicatorType,
    ReportingPeriod,
    Target,
)
from app.frameworks.periods import assert_unlocked
from app.frameworks.services import check_result
from app.programmes.models import Project
from indicators import bank
from indicators.periods import due_date, period_bounds
from indicators.types import Calculation, Cumulation, Direction, Measure

# Records other packages keep against an indicator hold it in the framework. Data collection,
# which sits above this package, registers the count of its reported values here.
IN_USE_CHECKS: list[Callable[[Session, Indicator], int]] = []

INDICATOR_FIELDS = [
    "result_id", "code", "name", "definition", "type", "measure", "unit", "direction",
    "calculation", "numerator_label", "denominator_label", "cumulation", "frequency",
    "baseline_value", "baseline_date", "baseline_note", "target_value", "data_source",
    "collection_method", "means_of_verification", "responsible", "bank_code", "sensitive",
    "activity_source", "activity_kind", "min_value", "max_value", "whole_numbers",
    "allow_negative", "allow_over_whole",
]
ENUMS: dict[str, type[enum.Enum]] = {
    "type": IndicatorType, "measure": Measure, "direction": Direction,
    "calculation": Calculation, "cumulation": Cumulation, "frequency": Frequency,
    "activity_source": ActivitySource, "activity_kind": ActivityKind,
}
REQUIRED_ENUMS = {"type", "measure", "direction", "calculation", "cumulation"}
DEFAULT_DUE_DAYS = 30


def total_category_id(session: Session) -> int:
    """The category that holds totals (reference data every database has)."""
    return session.execute(
        sa.select(DisaggregationCategory.id).join(DisaggregationType).where(
            DisaggregationType.code == TOTAL_CODE, DisaggregationCategory.code == TOTAL_CODE)
    ).scalar_one()


def _enums(values: dict[str, Any]) -> None:
    errors: dict[str, list[Any]] = {}
    for field, enum_cls in ENUMS.items():
        raw = values.get(field)
        if raw in (None, ""):
            values[field] = None
            if field in REQUIRED_ENUMS:
                errors[field] = [_l("This field is required.")]
            continue
        try:
            values[field] = enum_cls(raw)
        except ValueError:
            errors[field] = [_l("Unknown value: %(v)s", v=raw)]
    if errors:
        raise ValidationFailed(errors)


def _rules(values: dict[str, Any]) -> None:
    errors: dict[str, list[Any]] = {}
    if values["calculation"] is Calculation.RATIO:
        for part in ("numerator_label", "denominator_label"):
            if not values.get(part):
                errors[part] = [_l("A ratio needs what it counts above and below the line.")]
    else:
        values["numerator_label"] = values["denominator_label"] = None
    if values["activity_source"] is not None and values["type"] is not IndicatorType.OUTPUT:
        errors["activity_source"] = [_l("Only output indicators count activities or "
                                        "participants from the activity log.")]
    if values["activity_kind"] is not None and values["activity_source"] is None:
        errors["activity_kind"] = [_l("A kind of activity only narrows an indicator that "
                                      "counts activities or participants.")]
    code = values.get("bank_code")
    if code and bank.get(code) is None:
        errors["bank_code"] = [_l("The indicator bank has no indicator %(code)s.", code=code)]
    for field in ("baseline_value", "target_value", "min_value", "max_value"):
        number = values.get(field)
        if number is not None and (not isinstance(number, Decimal) or not number.is_finite()):
            errors[field] = [_l("Give a number, not %(v)s.", v=number)]
    low, high = values.get("min_value"), values.get("max_value")
    if (isinstance(low, Decimal) and isinstance(high, Decimal) and low.is_finite()
            and high.is_finite() and low > high):
        errors["max_value"] = [_l("The maximum cannot be below the minimum.")]
    if errors:
        raise ValidationFailed(errors)


def _disaggregations(session: Session, ids: list[int]) -> list[DisaggregationType]:
    chosen = list(session.scalars(sa.select(DisaggregationType).where(
        DisaggregationType.id.in_(ids), DisaggregationType.code != TOTAL_CODE)
        .order_by(DisaggregationType.id))) if ids else []
    unknown = sorted(set(ids) - {t.id for t in chosen})
    if unknown:
        raise ValidationFailed({"disaggregations": [
            _l("Unknown disaggregation: %(v)s", v=", ".join(map(str, unknown)))]})
    return chosen


def _indicator_values(session: Session, project: Project, values: dict[str, Any],
                      indicator: Indicator | None = None) -> dict[str, Any]:
    values = {f: values.get(f) for f in INDICATOR_FIELDS}
    values["sensitive"] = bool(values["sensitive"])
    values["bank_code"] = (values["bank_code"] or "").strip().upper() or None
    records.require(values, "code", "name")
    _enums(values)
    _rules(values)
    check_result(session, project, values["result_id"])
    taken = sa.select(Indicator.id).where(Indicator.project_id == project.id,
                                          Indicator.code == values["code"])
    if indicator is not None:
        taken = taken.where(Indicator.id != indicator.id)
    if session.scalar(taken) is not None:
        raise ValidationFailed({"code": [_l("This code is already used in this project: "
                                            "%(code)s", code=values["code"])]})
    return values


def _add_periods(session: Session, actor: Actor, project: Project, frequency: Frequency,
                 due_days: int | None) -> list[ReportingPeriod]:
    """Create the project's periods at ``frequency`` unless it has some (no commit)."""
    existing = list(session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == project.id, ReportingPeriod.frequency == frequency)
        .order_by(ReportingPeriod.start_date)))
    if existing or project.start_date is None or project.end_date is None:
        return existing
    if due_days is None:
        due_days = (current_app.config["REPORT_DUE_DAYS"] if has_app_context()
                    else DEFAULT_DUE_DAYS)
    periods = [ReportingPeriod(project_id=project.id, frequency=frequency, start_date=start,
                               end_date=end, due_date=due_date(end, due_days))
               for start, end in period_bounds(project.start_date, project.end_date,
                                               frequency.value)]
    session.add_all(periods)
    session.flush()
    audit.record(session, actor, "periods.create", "project", project.id, {
        "frequency": [None, frequency.value], "periods": [None, len(periods)]})
    return periods


def ensure_periods(session: Session, actor: Actor, project: Project, frequency: Any,
                   due_days: int | None = None) -> list[ReportingPeriod]:
    """The project's reporting periods at ``frequency``, created from its dates when it has
    none; each report is due ``due_days`` (setting ``REPORT_DUE_DAYS``) after its period."""
    try:
        frequency = Frequency(frequency)
    except ValueError:
        raise ValidationFailed({"frequency": [_l("Unknown value: %(v)s", v=frequency)]}) from None
    if project.start_date is None or project.end_date is None:
        raise ServiceError(_l("Give the project a start and an end date first: its reporting "
                              "periods are made from them."), "frequency")
    periods = _add_periods(session, actor, project, frequency, due_days)
    session.commit()
    return periods


def create_indicator(session: Session, actor: Actor, project: Project,
                     values: dict[str, Any]) -> Indicator:
    types = _disaggregations(session, list(values.get("disaggregations") or []))
    values = _indicator_values(session, project, values)
    last = session.scalar(sa.select(sa.func.max(Indicator.position)).where(
        Indicator.project_id == project.id))
    indicator = Indicator(project_id=project.id, position=(last or 0) + 1, **values)
    indicator.disaggregations = types
    if indicator.frequency is not None:
        _add_periods(session, actor, project, indicator.frequency, None)
    extra: dict[str, Any] = {"project_id": [None, project.id]}
    if types:
        extra["disaggregations"] = [None, [t.code for t in types]]
    return records.create(session, actor, indicator, "indicator", INDICATOR_FIELDS, extra)


def update_indicator(session: Session, actor: Actor, indicator: Indicator, version: int | None,
                     values: dict[str, Any]) -> Indicator:
    project = session.get_one(Project, indicator.project_id)
    types = _disaggregations(session, list(values.get("disaggregations") or []))
    values = _indicator_values(session, project, values, indicator)
    records.check_version(indicator, version, INDICATOR_FIELDS)
    extra: dict[str, list[Any]] = {}
    old = [t.code for t in indicator.disaggregations]
    if old != [t.code for t in types]:
        extra["disaggregations"] = [old, [t.code for t in types]]
        indicator.disaggregations = types
    if values["frequency"] is not None:
        _add_periods(session, actor, project, values["frequency"], None)
    return records.update(session, actor, indicator, "indicator", INDICATOR_FIELDS, version,
                          values, extra)


def delete_indicator(session: Session, actor: Actor, indicator: Indicator,
                     version: int | None) -> None:
    if any(check(session, indicator) for check in IN_USE_CHECKS):
        raise ServiceError(_l("%(code)s has reported values and stays in the framework.",
                              code=indicator.code))
    records.delete(session, actor, indicator, "indicator", INDICATOR_FIELDS, version)


def indicator_periods(session: Session, indicator: Indicator) -> list[ReportingPeriod]:
    if indicator.frequency is None:
        return []
    return list(session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == indicator.project_id,
        ReportingPeriod.frequency == indicator.frequency).order_by(ReportingPeriod.start_date)))


def set_targets(session: Session, actor: Actor, indicator: Indicator, version: int | None,
                targets: dict[int, Decimal | None]) -> Indicator:
    """Set the indicator's total target for each period given (None removes it): all or none."""
    records.check_version(indicator, version, INDICATOR_FIELDS)
    periods = {p.id: p for p in indicator_periods(session, indicator)}
    errors: dict[str, list[Any]] = {}
    total = total_category_id(session)
    existing = {t.period_id: t for t in session.scalars(sa.select(Target).where(
        Target.indicator_id == indicator.id, Target.category_id == total))}
    for period_id, value in targets.items():
        if period_id not in periods:
            errors[f"p{period_id}"] = [_l("Period number %(id)s is not a reporting period of "
                                          "this indicator.", id=period_id)]
        elif value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
            errors[f"p{period_id}"] = [_l("Give a number, not %(v)s.", v=value)]
        elif (existing[period_id].value if period_id in existing else None) != value:
            try:
                assert_unlocked(periods[period_id])
            except ServiceError as exc:
                errors[f"p{period_id}"] = [exc.message]
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, list[Any]] = {}
    for period_id, value in targets.items():
        target = existing.get(period_id)
        old = target.value if target else None
        if old == value:
            continue
        changes[periods[period_id].start_date.isoformat()] = [
            audit.to_jsonable(old), audit.to_jsonable(value)]
        if value is None:
            session.delete(target)
        elif target is None:
            session.add(Target(indicator_id=indicator.id, period_id=period_id,
                               category_id=total, value=value))
        else:
            target.value = value
    if changes:
        indicator.updated_at = utcnow()  # the targets are part of the indicator's version
        audit.record(session, actor, "indicator.targets", "indicator", indicator.id, changes)
        session.commit()
    return indicator
