"""The one permission function every view and service asks: ``can(user, action, target)``.

Global rules say which roles may do an action at all; object rules narrow project-level
actions to the members of that project. Admins and managers see everything; officers and
evaluators see only the projects they are members of, in their member role.

Both facts the decision needs are known here: the user's role and their project memberships
(``ProjectMember``, the grant of a role on a project). A target says which projects it belongs
to through ``project_ids()`` (a project: itself; a programme: its projects), so this module
decides for programmes and projects without importing them.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa
from flask import abort, g

from app.auth.models import MemberRole, ProjectMember, Role, User

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.MANAGER})

# action -> roles allowed in general. Project actions then check membership.
RULES: dict[str, frozenset[Role]] = {
    "dashboard.view": EVERYONE,
    "account.edit_own": EVERYONE,
    "users.manage": frozenset({Role.ADMIN}),
    "audit.view": STAFF,
    "organisations.view": EVERYONE,
    "organisations.edit": STAFF,
    "programmes.list": STAFF,
    "programme.view": EVERYONE,
    "programmes.edit": STAFF,
    "projects.list": EVERYONE,
    "project.view": EVERYONE,
    "project.edit": STAFF,
    "project.members.manage": STAFF,
    # results framework (goal setting, resource allocation, indicator identification)
    "framework.view": EVERYONE,
    "framework.edit": STAFF,
    "indicator_bank.view": EVERYONE,
    # data collection
    "data.view": EVERYONE,
    "data.enter": frozenset({Role.ADMIN, Role.MANAGER, Role.OFFICER}),
    "period.submit": frozenset({Role.ADMIN, Role.MANAGER, Role.OFFICER}),
    "period.decide": STAFF,  # approve, return, lock exception
    "activity.record": frozenset({Role.ADMIN, Role.MANAGER, Role.OFFICER}),
    "tasks.view": EVERYONE,
    # follow-up of recommendations
    "followup.view": EVERYONE,
    "followup.edit": STAFF,  # events and recommendations
    "followup.record": frozenset({Role.ADMIN, Role.MANAGER, Role.OFFICER}),  # actions
    "followup.verify": STAFF,  # and reject what a focal point reported
    "followup.report_back": STAFF,  # send and revoke report-back links
    "followup.report": STAFF,
    "recommendations.link": STAFF,
    # evaluation
    "evaluation.score": frozenset({Role.ADMIN, Role.EVALUATOR}),
    "evaluation.view_scores": frozenset({Role.ADMIN, Role.MANAGER, Role.EVALUATOR}),
    "evaluation.consensus": STAFF,
    "evaluation.report": STAFF,
    # IATI: a project's activity file (approved figures only); importing activity files
    "iati.export": EVERYONE,
    "iati.import": STAFF,
}

# Project-level actions open to members, and which member role each needs.
MEMBER_ACTIONS: dict[str, frozenset[MemberRole]] = {
    "project.view": frozenset(MemberRole),
    "programme.view": frozenset(MemberRole),
    "framework.view": frozenset(MemberRole),
    "data.view": frozenset(MemberRole),
    "data.enter": frozenset({MemberRole.OFFICER}),
    "period.submit": frozenset({MemberRole.OFFICER}),
    "activity.record": frozenset({MemberRole.OFFICER}),
    "followup.record": frozenset({MemberRole.OFFICER}),  # on the event's project
    "evaluation.score": frozenset({MemberRole.EVALUATOR}),
    "evaluation.view_scores": frozenset({MemberRole.EVALUATOR}),
    "iati.export": frozenset(MemberRole),
}


@runtime_checkable
class ProjectScoped(Protocol):
    """Anything that belongs to projects: a project, a programme."""

    def project_ids(self) -> Collection[int]: ...


def member_roles(user: User) -> dict[int, MemberRole]:
    """project id -> the user's role there; loaded once per user object."""
    cached: dict[int, MemberRole] | None = getattr(user, "_member_roles", None)
    if cached is None:
        cached = {m.project_id: m.role for m in user.memberships}
        user._member_roles = cached  # type: ignore[attr-defined]
    return cached


def sensitive_projects(user: User) -> frozenset[int]:
    """The projects whose sensitive data the user's membership allows; loaded once per user."""
    cached: frozenset[int] | None = getattr(user, "_sensitive_projects", None)
    if cached is None:
        cached = frozenset(m.project_id for m in user.memberships if m.sensitive_access)
        user._sensitive_projects = cached  # type: ignore[attr-defined]
    return cached


def can_see_sensitive(user: User | None, target: Any) -> bool:
    """Do no harm: sensitive evidence is open to administrators and to the members of its
    project whose membership allows sensitive data. The caller first checks that the user
    may see the record at all."""
    if user is None or not user.active:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.MANAGER or not isinstance(target, ProjectScoped):
        return False
    allowed = sensitive_projects(user)
    return any(project_id in allowed for project_id in target.project_ids())


def can(user: User | None, action: str, target: Any = None) -> bool:
    if user is None or not user.active:
        return False
    allowed = RULES.get(action)
    if allowed is None:
        raise KeyError(f"unknown permission {action!r}")
    if user.role not in allowed:
        return False
    if user.role in STAFF:
        return True
    needed = MEMBER_ACTIONS.get(action)
    if needed is None:
        return True  # an action open to the role as such
    if not isinstance(target, ProjectScoped):
        return False  # member actions need the object they act on
    roles = member_roles(user)
    return any(roles.get(project_id) in needed for project_id in target.project_ids())


def can_change_own(user: User | None, action: str, target: Any, owner_id: int | None) -> bool:
    """Staff change any record of ``action``; others only the records they made themselves,
    and only while they may still do ``action`` on ``target``."""
    if user is None or not can(user, action, target):
        return False
    return user.role in STAFF or (owner_id is not None and owner_id == user.id)


def authorize(action: str, target: Any = None) -> None:
    """Abort with 403 unless the signed-in user may do ``action`` (on ``target``)."""
    if not can(g.get("user"), action, target):
        abort(403)


def authorize_any(action: str) -> None:
    """Abort with 403 unless the user's role may do ``action`` on some project at all: for
    pages that list several projects, each then narrowed to the user's own."""
    user = g.get("user")
    if user is None or not user.active or user.role not in RULES[action]:
        abort(403)


def project_scope(user: User, project_id: Any) -> sa.ColumnElement[bool]:
    """The SQL condition on a project id column for the projects ``user`` may see."""
    if user.role in STAFF:
        return sa.true()
    return project_id.in_(
        sa.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id))
