"""Resource allocation (budget lines) and the risk register of a project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import records
from app.audit import Actor
from app.errors import ValidationFailed
from app.frameworks.models import BudgetCategory, BudgetLine, Result, Risk, RiskCategory
from app.programmes.models import Project

BUDGET_LINE_FIELDS = ["result_id", "category", "description", "planned", "actual"]
RISK_FIELDS = ["result_id", "category", "description", "likelihood", "impact", "mitigation",
               "owner", "review_date"]


def check_result(session: Session, project: Project, result_id: int | None) -> None:
    """Refuse a result that is not part of this project's results chain."""
    if result_id is None:
        return
    found = session.scalar(sa.select(Result.project_id).where(Result.id == result_id))
    if found != project.id:
        raise ValidationFailed({"result_id": [
            _l("Result number %(id)s is not part of this project.", id=result_id)]})


def _choice(values: dict[str, Any], field: str, enum_cls: Any) -> None:
    try:
        values[field] = enum_cls(values[field])
    except (KeyError, ValueError):
        raise ValidationFailed({field: [
            _l("Unknown value: %(v)s", v=values.get(field))]}) from None


def _amount(values: dict[str, Any], field: str, required: bool) -> None:
    value = values.get(field)
    if value is None:
        if required:
            raise ValidationFailed({field: [_l("This field is required.")]})
        return
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationFailed({field: [
            _l("Give an amount of 0 or more, not %(v)s.", v=value)]})


def _budget_values(session: Session, project: Project, values: dict[str, Any]) -> dict[str, Any]:
    values = {f: values.get(f) for f in BUDGET_LINE_FIELDS}
    records.require(values, "description")
    _choice(values, "category", BudgetCategory)
    _amount(values, "planned", required=True)
    _amount(values, "actual", required=False)
    check_result(session, project, values["result_id"])
    return values


def create_budget_line(session: Session, actor: Actor, project: Project,
                       values: dict[str, Any]) -> BudgetLine:
    values = _budget_values(session, project, values)
    line = BudgetLine(project_id=project.id, **values)
    return records.create(session, actor, line, "budget_line", BUDGET_LINE_FIELDS,
                          {"project_id": [None, project.id]})


def update_budget_line(session: Session, actor: Actor, line: BudgetLine, version: int | None,
                       values: dict[str, Any]) -> BudgetLine:
    project = session.get_one(Project, line.project_id)
    values = _budget_values(session, project, values)
    return records.update(session, actor, line, "budget_line", BUDGET_LINE_FIELDS,
                          version, values)


def delete_budget_line(session: Session, actor: Actor, line: BudgetLine,
                       version: int | None) -> None:
    records.delete(session, actor, line, "budget_line", BUDGET_LINE_FIELDS, version)


def _score(values: dict[str, Any], field: str) -> None:
    value = values.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise ValidationFailed({field: [
            _l("Give a whole number from 1 to 5, not %(v)s.", v=value)]})


def _risk_values(session: Session, project: Project, values: dict[str, Any]) -> dict[str, Any]:
    values = {f: values.get(f) for f in RISK_FIELDS}
    records.require(values, "description")
    _choice(values, "category", RiskCategory)
    _score(values, "likelihood")
    _score(values, "impact")
    check_result(session, project, values["result_id"])
    return values


def create_risk(session: Session, actor: Actor, project: Project, values: dict[str, Any]) -> Risk:
    risk = Risk(project_id=project.id, **_risk_values(session, project, values))
    return records.create(session, actor, risk, "risk", RISK_FIELDS,
                          {"project_id": [None, project.id]})


def update_risk(session: Session, actor: Actor, risk: Risk, version: int | None,
                values: dict[str, Any]) -> Risk:
    project = session.get_one(Project, risk.project_id)
    return records.update(session, actor, risk, "risk", RISK_FIELDS, version,
                          _risk_values(session, project, values))


def delete_risk(session: Session, actor: Actor, risk: Risk, version: int | None) -> None:
    records.delete(session, actor, risk, "risk", RISK_FIELDS, version)
