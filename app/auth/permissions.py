"""The one permission function every view and service asks: ``can(user, action, target)``.

Global rules say which roles may do an action at all; object rules narrow project-level
actions to the members of that project. Admins and managers see everything; officers and
evaluators see only the projects they are members of, in their member role.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, g

from app.auth.models import MemberRole, ProjectMember, Role, User
from app.programmes.models import Programme, Project

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
    "followup.verify": STAFF,
    "followup.report": STAFF,
    "recommendations.link": STAFF,
    # evaluation
    "evaluation.score": frozenset({Role.ADMIN, Role.EVALUATOR}),
    "evaluation.view_scores": frozenset({Role.ADMIN, Role.MANAGER, Role.EVALUATOR}),
    "evaluation.consensus": STAFF,
    "evaluation.report": STAFF,
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
    "evaluation.score": frozenset({MemberRole.EVALUATOR}),
    "evaluation.view_scores": frozenset({MemberRole.EVALUATOR}),
}


def member_roles(user: User) -> dict[int, MemberRole]:
    """project id -> the user's role there; loaded once per user object."""
    cached: dict[int, MemberRole] | None = getattr(user, "_member_roles", None)
    if cached is None:
        cached = {m.project_id: m.role for m in user.memberships}
        user._member_roles = cached  # type: ignore[attr-defined]
    return cached


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
    roles = member_roles(user)
    if isinstance(target, Project):
        return roles.get(target.id) in needed
    if isinstance(target, Programme):
        ids = _programme_project_ids(target)
        return any(role in needed for pid, role in roles.items() if pid in ids)
    return False  # member actions need the object they act on


def _programme_project_ids(programme: Programme) -> set[int]:
    return {p.id for p in programme.projects}


def authorize(action: str, target: Any = None) -> None:
    """Abort with 403 unless the signed-in user may do ``action`` (on ``target``)."""
    if not can(g.get("user"), action, target):
        abort(403)


def visible_projects(user: User) -> sa.Select[Project]:
    """The projects a user may see, as a query to filter and page further."""
    query = sa.select(Project)
    if user.role in STAFF:
        return query
    return query.where(
        Project.id.in_(sa.select(ProjectMember.project_id).where(ProjectMember.user_id == user.id))
    )
