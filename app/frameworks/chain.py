"""Goal setting: the results chain (goal → outcomes → outputs), its order and codes, the theory
of change of each result and the assumptions it rests on."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit, records
from app.audit import Actor
from app.db import utcnow
from app.errors import STALE_MESSAGE, ServiceError, StaleEdit, ValidationFailed
from app.frameworks.models import (
    Assumption,
    AssumptionStatus,
    Indicator,
    Result,
    ResultLevel,
    ResultTheme,
)
from app.programmes.models import Project
from indicators.bank import Theme

RESULT_FIELDS = ["level", "parent_id", "code", "statement", "toc_if", "toc_then", "toc_because"]
RESULT_FORM_FIELDS = [*RESULT_FIELDS, "themes"]  # themes are rows of their own, beside them
ASSUMPTION_FIELDS = ["text", "status", "note"]
PARENT_LEVEL = {ResultLevel.GOAL: None, ResultLevel.OUTCOME: ResultLevel.GOAL,
                ResultLevel.OUTPUT: ResultLevel.OUTCOME}
NEEDS_PARENT = {
    ResultLevel.OUTCOME: _l("Choose the goal this outcome contributes to."),
    ResultLevel.OUTPUT: _l("Choose the outcome this output contributes to."),
}
MAX_CODE = 20


def _codes(session: Session, project_id: int, exclude_id: int | None = None) -> set[str]:
    query = sa.select(Result.code).where(Result.project_id == project_id)
    if exclude_id is not None:
        query = query.where(Result.id != exclude_id)
    return set(session.scalars(query))


def suggest_code(session: Session, project: Project, level: ResultLevel,
                 parent: Result | None) -> str:
    """The next free code: G (G2, …) for goals, 1, 2, … for outcomes, 1.1, 1.2, … for outputs."""
    taken = _codes(session, project.id)
    siblings = session.scalar(sa.select(sa.func.count(Result.id)).where(
        Result.project_id == project.id, Result.level == level,
        Result.parent_id == parent.id if level is ResultLevel.OUTPUT and parent else sa.true()))
    number = (siblings or 0) + 1
    while True:
        if level is ResultLevel.GOAL:
            code = "G" if number == 1 else f"G{number}"
        elif level is ResultLevel.OUTCOME or parent is None:
            code = str(number)
        else:
            code = f"{parent.code}.{number}"
        if code not in taken:
            return code
        number += 1


def _parent(session: Session, project: Project, level: ResultLevel,
            parent_id: int | None) -> Result | None:
    wanted = PARENT_LEVEL[level]
    if wanted is None:
        if parent_id is not None:
            raise ValidationFailed({"parent_id": [_l("A goal is the top of the chain: it has "
                                                     "no parent.")]})
        return None
    if parent_id is None:
        raise ValidationFailed({"parent_id": [NEEDS_PARENT[level]]})
    parent = session.get(Result, parent_id)
    if parent is None or parent.project_id != project.id or parent.level is not wanted:
        raise ValidationFailed({"parent_id": [NEEDS_PARENT[level]]})
    return parent


def _result_values(session: Session, project: Project, values: dict[str, Any],
                   result: Result | None = None) -> dict[str, Any]:
    values = {f: values.get(f) for f in RESULT_FIELDS}
    if result is not None:
        values["level"] = result.level  # the level of a result is fixed once it has one
    try:
        level = ResultLevel(values["level"])
    except ValueError:
        raise ValidationFailed({"level": [_l("Unknown value: %(v)s", v=values["level"])]}) from None
    values["level"] = level
    records.require(values, "statement")
    if result is not None and values["parent_id"] == result.parent_id:
        parent = result.parent  # kept as it is, even where an older chain skips a level
    else:
        parent = _parent(session, project, level, values["parent_id"])
    code = (values["code"] or "").strip() or suggest_code(session, project, level, parent)
    if len(code) > MAX_CODE:
        raise ValidationFailed({"code": [_l("Use at most %(n)d characters.", n=MAX_CODE)]})
    if code in _codes(session, project.id, result.id if result else None):
        raise ValidationFailed({"code": [_l("This code is already used in this project: "
                                            "%(code)s", code=code)]})
    values["code"] = code
    return values


def _themes(values: dict[str, Any]) -> list[Theme]:
    """The themes among ``values`` (``themes``: theme values), each once, in order."""
    known = {t.value: t for t in Theme}
    unknown = [str(v) for v in values.get("themes") or [] if str(v) not in known]
    if unknown:
        raise ValidationFailed({"themes": [_l("Unknown value: %(v)s", v=", ".join(unknown))]})
    return sorted({known[str(v)] for v in values.get("themes") or []})


def _set_themes(result: Result, themes: list[Theme]) -> list[list[str]] | None:
    """Give the result these themes; the change as the audit trail records it, if any."""
    return audit.apply_tags(result, "themes", themes, lambda theme: ResultTheme(theme=theme))


def result_current(result: Result) -> dict[str, Any]:
    """What is stored now, as a stale form shows it beside its fields."""
    current: dict[str, Any] = {f: getattr(result, f) for f in RESULT_FIELDS}
    current["themes"] = [t.theme.value for t in result.themes]
    return current


def _check_version(result: Result, version: int | None, message: Any = None) -> None:
    if version != result.version:
        raise StaleEdit(message or STALE_MESSAGE, result_current(result))


def _siblings(session: Session, result: Result) -> list[Result]:
    return list(session.scalars(sa.select(Result).where(
        Result.project_id == result.project_id, Result.level == result.level,
        Result.parent_id.is_(None) if result.parent_id is None
        else Result.parent_id == result.parent_id).order_by(Result.position, Result.id)))


def _next_position(session: Session, project_id: int, parent_id: int | None,
                   level: ResultLevel) -> int:
    last = session.scalar(sa.select(sa.func.max(Result.position)).where(
        Result.project_id == project_id, Result.level == level,
        Result.parent_id.is_(None) if parent_id is None else Result.parent_id == parent_id))
    return 0 if last is None else last + 1


def create_result(session: Session, actor: Actor, project: Project,
                  values: dict[str, Any]) -> Result:
    themes = _themes(values)
    values = _result_values(session, project, values)
    position = _next_position(session, project.id, values["parent_id"], values["level"])
    result = Result(project_id=project.id, position=position, **values)
    _set_themes(result, themes)
    extra: dict[str, Any] = {"project_id": [None, project.id]}
    if themes:
        extra["themes"] = [None, [t.value for t in themes]]
    return records.create(session, actor, result, "result", RESULT_FIELDS, extra)


def update_result(session: Session, actor: Actor, result: Result, version: int | None,
                  values: dict[str, Any]) -> Result:
    project = session.get_one(Project, result.project_id)
    _check_version(result, version)
    # values without themes leave the result's themes as they are
    themes = _themes(values) if "themes" in values else None
    values = _result_values(session, project, values, result)
    if values["parent_id"] != result.parent_id:
        values["position"] = _next_position(session, project.id, values["parent_id"],
                                            result.level)
    extra: dict[str, list[Any]] = {}
    if themes is not None and (theme_change := _set_themes(result, themes)) is not None:
        extra["themes"] = theme_change
    return records.update(session, actor, result, "result", RESULT_FIELDS, version, values,
                          extra)


def set_result_themes(session: Session, actor: Actor, result: Result, version: int | None,
                      themes: list[str]) -> Result:
    """Save the themes of a result alone (ticked beside the indicator suggestions)."""
    _check_version(result, version, records.STALE_ACTION)
    theme_change = _set_themes(result, _themes({"themes": themes}))
    if theme_change is not None:
        result.updated_at = utcnow()  # a change of its themes is a new version of the result
        audit.record(session, actor, "result.update", "result", result.id,
                     {"themes": theme_change})
        session.commit()
    return result


def move_result(session: Session, actor: Actor, result: Result, version: int | None,
                direction: str) -> Result:
    """Move a result one place up or down among its siblings (all positions or none)."""
    records.check_version(result, version, RESULT_FIELDS, records.STALE_ACTION)
    if direction not in {"up", "down"}:
        raise ServiceError(_l("Move a result up or down, not %(v)s.", v=direction))
    siblings = _siblings(session, result)
    index = siblings.index(result)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise ServiceError(_l("%(code)s is already first.", code=result.code) if direction == "up"
                           else _l("%(code)s is already last.", code=result.code))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    changes = {}
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            changes[sibling.code] = [sibling.position, position]
            sibling.position = position
    audit.record(session, actor, "result.move", "result", result.id, changes)
    session.commit()
    return result


def chain_order(results: list[Result]) -> list[Result]:
    """The results in the order of the chain: each goal, its outcomes, each with its outputs;
    results whose parent is missing come last, in their own order."""
    children: dict[int | None, list[Result]] = {}
    for result in sorted(results, key=lambda r: (r.position, r.id)):
        children.setdefault(result.parent_id, []).append(result)
    ordered: list[Result] = []

    def walk(parent_id: int | None) -> None:
        for child in children.get(parent_id, []):
            ordered.append(child)
            walk(child.id)

    walk(None)
    seen = {r.id for r in ordered}
    return ordered + [r for r in sorted(results, key=lambda r: (r.position, r.id))
                      if r.id not in seen]


def renumber_results(session: Session, actor: Actor, project: Project) -> dict[str, str]:
    """Give every result the code of its place in the chain (G, 1, 1.1, …), all or none."""
    results = list(session.scalars(sa.select(Result).where(Result.project_id == project.id)))
    goals = [r for r in results if r.level is ResultLevel.GOAL]
    codes: dict[int, str] = {}
    outcomes = 0
    for result in chain_order(results):
        parent_code = codes.get(result.parent_id) if result.parent_id else None
        if result.level is ResultLevel.GOAL:
            codes[result.id] = "G" if len(goals) == 1 else f"G{goals.index(result) + 1}"
        elif result.level is ResultLevel.OUTCOME:
            outcomes += 1
            codes[result.id] = str(outcomes)
        else:
            taken = sum(1 for v in codes.values()
                        if parent_code and v.startswith(parent_code + "."))
            codes[result.id] = f"{parent_code}.{taken + 1}" if parent_code else f"0.{result.id}"
    changed = {r.code: codes[r.id] for r in results if r.code != codes[r.id]}
    if changed:
        for result in results:  # two steps, so that no code is ever held twice
            result.code = f"~{result.id}"
        session.flush()
        for result in results:
            result.code = codes[result.id]
        audit.record(session, actor, "result.renumber", "project", project.id,
                     {old: [old, new] for old, new in changed.items()})
        session.commit()
    return changed


def delete_result(session: Session, actor: Actor, result: Result, version: int | None) -> None:
    records.check_version(result, version, RESULT_FIELDS, records.STALE_ACTION)
    children = session.scalar(sa.select(sa.func.count(Result.id)).where(
        Result.parent_id == result.id))
    if children:
        raise ServiceError(_l("%(code)s has results below it; remove or move them first.",
                              code=result.code))
    indicators = session.scalar(sa.select(sa.func.count(Indicator.id)).where(
        Indicator.result_id == result.id))
    if indicators:
        raise ServiceError(_l("%(code)s has indicators; remove them or link them to another "
                              "result first.", code=result.code))
    records.delete(session, actor, result, "result", RESULT_FIELDS, version)


def _assumption_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {f: values.get(f) for f in ASSUMPTION_FIELDS}
    records.require(values, "text")
    try:
        values["status"] = AssumptionStatus(values["status"] or AssumptionStatus.UNTESTED)
    except ValueError:
        raise ValidationFailed({"status": [_l("Unknown value: %(v)s",
                                              v=values["status"])]}) from None
    return values


def create_assumption(session: Session, actor: Actor, result: Result,
                      values: dict[str, Any]) -> Assumption:
    assumption = Assumption(result_id=result.id, **_assumption_values(values))
    return records.create(session, actor, assumption, "assumption", ASSUMPTION_FIELDS,
                          {"result_id": [None, result.id]})


def update_assumption(session: Session, actor: Actor, assumption: Assumption,
                      version: int | None, values: dict[str, Any]) -> Assumption:
    return records.update(session, actor, assumption, "assumption", ASSUMPTION_FIELDS, version,
                          _assumption_values(values))


def delete_assumption(session: Session, actor: Actor, assumption: Assumption,
                      version: int | None) -> None:
    records.delete(session, actor, assumption, "assumption", ASSUMPTION_FIELDS, version)
