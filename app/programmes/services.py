"""Organisations, programmes, projects and project membership."""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.auth.models import MemberRole, ProjectMember, Role, User
from app.auth.permissions import project_scope
from app.db import utcnow
from app.errors import ServiceError, StaleEdit, ValidationFailed
from app.programmes.donors import TAG_FIELDS, check_donors, check_tags, describe_donors, set_donors
from app.programmes.models import Organisation, Programme, Project

T = TypeVar("T", Organisation, Programme, Project)

ORGANISATION_FIELDS = ["name", "acronym", "kind", "country"]
PROGRAMME_FIELDS = ["code", "title", "description", "lead_organisation_id", "countries",
                    "start_date", "end_date", "currency", "budget", "status", "iati_identifier",
                    *TAG_FIELDS]
PROJECT_FIELDS = ["programme_id", "code", "title", "description", "implementer_id", "countries",
                  "start_date", "end_date", "budget", "status", "iati_identifier"]


def visible_projects(user: User) -> sa.Select[Project]:
    """The projects a user may see, as a query to filter and page further."""
    return sa.select(Project).where(project_scope(user, Project.id))


def _unique(session: Session, model: Any, field: str, value: Any, exclude_id: int | None) -> None:
    if value is None:
        return
    query = sa.select(model.id).where(getattr(model, field) == value)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session.scalar(query) is not None:
        raise ValidationFailed({field: [_l("This value is already used: %(v)s", v=value)]})


def _check_period(values: dict[str, Any]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ValidationFailed({"end_date": [_l("The end date is before the start date.")]})


def _create(session: Session, actor: Actor, obj: T, entity: str, fields: list[str]) -> T:
    session.add(obj)
    session.flush()
    audit.record(session, actor, f"{entity}.create", entity, obj.id, audit.snapshot(obj, fields))
    session.commit()
    return obj


STALE = _l("Someone else saved this record after you opened the form. Their values are "
           "shown beside yours; nothing of yours was saved. Review and save again.")


def _update(session: Session, actor: Actor, obj: T, entity: str, fields: list[str],
            version: int, values: dict[str, Any]) -> T:
    if version != obj.version:
        raise StaleEdit(STALE, {f: getattr(obj, f) for f in fields})
    changes = audit.apply_changes(obj, values)
    if changes:
        audit.record(session, actor, f"{entity}.update", entity, obj.id, changes)
        session.commit()
    return obj


def create_organisation(session: Session, actor: Actor, values: dict[str, Any]) -> Organisation:
    _unique(session, Organisation, "name", values["name"], None)
    return _create(session, actor, Organisation(**values), "organisation", ORGANISATION_FIELDS)


def update_organisation(session: Session, actor: Actor, org: Organisation, version: int,
                        values: dict[str, Any]) -> Organisation:
    _unique(session, Organisation, "name", values["name"], org.id)
    return _update(session, actor, org, "organisation", ORGANISATION_FIELDS, version, values)


def create_programme(session: Session, actor: Actor, values: dict[str, Any]) -> Programme:
    """Create a programme; ``values["donors"]`` lists (organisation id, amount) pairs."""
    values = dict(values)
    donors = check_donors(session, values.pop("donors", None) or [])
    _unique(session, Programme, "code", values["code"], None)
    _unique(session, Programme, "iati_identifier", values.get("iati_identifier"), None)
    _check_period(values)
    check_tags(values)
    programme = Programme(**values)
    set_donors(programme, donors)
    session.add(programme)
    session.flush()
    changes = audit.snapshot(programme, PROGRAMME_FIELDS)
    if donors:
        changes["donors"] = [None, describe_donors(session, donors)]
    audit.record(session, actor, "programme.create", "programme", programme.id, changes)
    session.commit()
    return programme


def update_programme(session: Session, actor: Actor, programme: Programme, version: int,
                     values: dict[str, Any]) -> Programme:
    values = dict(values)
    donors = check_donors(session, values.pop("donors", None) or [])
    _unique(session, Programme, "code", values["code"], programme.id)
    _unique(session, Programme, "iati_identifier", values.get("iati_identifier"), programme.id)
    _check_period(values)
    check_tags(values)
    if version != programme.version:
        current: dict[str, Any] = {f: getattr(programme, f) for f in PROGRAMME_FIELDS}
        current["donors"] = describe_donors(session, [
            (d.organisation_id, d.amount) for d in programme.donors])
        raise StaleEdit(STALE, current)
    old = [(d.organisation_id, d.amount) for d in programme.donors]
    changes = audit.apply_changes(programme, values)
    if old != donors:
        set_donors(programme, donors)
        changes["donors"] = [describe_donors(session, old), describe_donors(session, donors)]
        programme.updated_at = utcnow()  # the donors are part of the programme's version
    if changes:
        audit.record(session, actor, "programme.update", "programme", programme.id, changes)
        session.commit()
    return programme


def create_project(session: Session, actor: Actor, values: dict[str, Any]) -> Project:
    _unique(session, Project, "code", values["code"], None)
    _unique(session, Project, "iati_identifier", values.get("iati_identifier"), None)
    _check_period(values)
    return _create(session, actor, Project(**values), "project", PROJECT_FIELDS)


def update_project(session: Session, actor: Actor, project: Project, version: int,
                   values: dict[str, Any]) -> Project:
    _unique(session, Project, "code", values["code"], project.id)
    _unique(session, Project, "iati_identifier", values.get("iati_identifier"), project.id)
    _check_period(values)
    return _update(session, actor, project, "project", PROJECT_FIELDS, version, values)


MEMBER_FOR_ROLE = {Role.OFFICER: MemberRole.OFFICER, Role.EVALUATOR: MemberRole.EVALUATOR}


def add_member(session: Session, actor: Actor, project: Project, user: User,
               sensitive_access: bool = False) -> ProjectMember:
    """Make an officer or evaluator a member of a project, in the role they hold."""
    member_role = MEMBER_FOR_ROLE.get(user.role)
    if member_role is None:
        raise ServiceError(_l("Only programme officers and evaluators are project members; "
                              "managers and administrators see every project."), "user_id")
    if not user.active:
        raise ServiceError(_l("%(name)s is not active.", name=user.name), "user_id")
    exists = session.scalar(sa.select(ProjectMember.id).where(
        ProjectMember.project_id == project.id, ProjectMember.user_id == user.id))
    if exists is not None:
        raise ServiceError(_l("%(name)s is already a member of this project.", name=user.name),
                           "user_id")
    member = ProjectMember(project_id=project.id, user_id=user.id, role=member_role,
                           sensitive_access=sensitive_access)
    session.add(member)
    session.flush()
    changes: dict[str, list[Any]] = {"member": [None, f"{user.email} ({member_role.value})"]}
    if sensitive_access:
        changes["sensitive_access"] = [None, True]
    audit.record(session, actor, "project.member_add", "project", project.id, changes)
    session.commit()
    return member


def set_sensitive_access(session: Session, actor: Actor, project: Project,
                         member: ProjectMember, allowed: bool) -> None:
    """Allow or withdraw a member's access to the project's sensitive data (do no harm)."""
    if member.project_id != project.id:
        raise ServiceError(_l("This person is not a member of this project."))
    if member.sensitive_access == allowed:
        return
    audit.record(session, actor, "project.member_sensitive", "project", project.id,
                 {"member": [member.user.email, member.user.email],
                  "sensitive_access": [member.sensitive_access, allowed]})
    member.sensitive_access = allowed
    session.commit()


def remove_member(session: Session, actor: Actor, project: Project, member: ProjectMember) -> None:
    if member.project_id != project.id:
        raise ServiceError(_l("This person is not a member of this project."))
    audit.record(session, actor, "project.member_remove", "project", project.id,
                 {"member": [f"{member.user.email} ({member.role.value})", None]})
    session.delete(member)
    session.commit()
