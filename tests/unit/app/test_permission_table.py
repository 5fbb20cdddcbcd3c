"""The permission module with plain objects (no database): each rule of who may do what, written
out by hand, so that a change to the table or the checks fails a test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask, g
from werkzeug.exceptions import Forbidden

from app.auth.models import MemberRole, ProjectMember, Role, User
from app.auth.models import ProjectMember as PM
from app.auth.permissions import (
    authorize,
    authorize_any,
    can,
    can_change_own,
    can_see_sensitive,
    member_roles,
    project_scope,
    sensitive_projects,
)


@dataclass
class Target:
    ids: tuple[int, ...]

    def project_ids(self) -> tuple[int, ...]:
        return self.ids


P1, P2, BOTH = Target((1,)), Target((2,)), Target((2, 1))


def person(role: Role, memberships: dict[int, MemberRole] | None = None,
           active: bool = True) -> User:
    user = User(id=7, email="x@example.org", name="X", role=role, active=active)
    user.memberships = [ProjectMember(project_id=p, role=r)
                        for p, r in (memberships or {}).items()]
    return user


OFFICER = {1: MemberRole.OFFICER}
EVALUATOR = {1: MemberRole.EVALUATOR}

# (role, memberships, action, target) -> allowed, written out by hand
CASES = [
    # administrators: everything, users included
    (Role.ADMIN, None, "users.manage", None, True),
    (Role.ADMIN, None, "evaluation.score", P2, True),
    (Role.ADMIN, None, "data.enter", P2, True),
    # managers: every project, but not users, and they do not score
    (Role.MANAGER, None, "users.manage", None, False),
    (Role.MANAGER, None, "audit.view", None, True),
    (Role.MANAGER, None, "period.decide", P2, True),
    (Role.MANAGER, None, "evaluation.score", P1, False),
    (Role.MANAGER, None, "evaluation.view_scores", P2, True),
    (Role.MANAGER, None, "followup.verify", P2, True),
    # officers: their projects, for what officers do
    (Role.OFFICER, OFFICER, "data.enter", P1, True),
    (Role.OFFICER, OFFICER, "data.enter", P2, False),
    (Role.OFFICER, OFFICER, "data.enter", BOTH, True),  # one of its projects is theirs
    (Role.OFFICER, OFFICER, "period.submit", P1, True),
    (Role.OFFICER, OFFICER, "activity.record", P1, True),
    (Role.OFFICER, OFFICER, "followup.record", P1, True),
    (Role.OFFICER, OFFICER, "data.view", P1, True),
    (Role.OFFICER, OFFICER, "data.view", P2, False),
    (Role.OFFICER, OFFICER, "period.decide", P1, False),
    (Role.OFFICER, OFFICER, "evaluation.score", P1, False),
    (Role.OFFICER, OFFICER, "evaluation.view_scores", P1, False),
    (Role.OFFICER, OFFICER, "framework.edit", P1, False),
    (Role.OFFICER, OFFICER, "followup.verify", P1, False),
    (Role.OFFICER, OFFICER, "audit.view", None, False),
    (Role.OFFICER, OFFICER, "dashboard.view", None, True),  # open to the role as such
    (Role.OFFICER, OFFICER, "followup.view", None, True),
    (Role.OFFICER, OFFICER, "data.view", None, False),  # a member action needs its object
    (Role.OFFICER, OFFICER, "data.view", object(), False),  # ... one that has projects
    (Role.OFFICER, None, "project.view", P1, False),
    # evaluators: their projects, to read and score
    (Role.EVALUATOR, EVALUATOR, "evaluation.score", P1, True),
    (Role.EVALUATOR, EVALUATOR, "evaluation.score", P2, False),
    (Role.EVALUATOR, EVALUATOR, "evaluation.view_scores", P1, True),
    (Role.EVALUATOR, EVALUATOR, "framework.view", P1, True),
    (Role.EVALUATOR, EVALUATOR, "data.enter", P1, False),
    (Role.EVALUATOR, EVALUATOR, "period.submit", P1, False),
    (Role.EVALUATOR, EVALUATOR, "followup.record", P1, False),
    (Role.EVALUATOR, EVALUATOR, "evaluation.consensus", P1, False),
    (Role.EVALUATOR, EVALUATOR, "tasks.view", None, True),
    # a project role unlike the user's role: only what both allow
    (Role.OFFICER, EVALUATOR, "data.enter", P1, False),
    (Role.OFFICER, EVALUATOR, "evaluation.score", P1, False),
    (Role.OFFICER, EVALUATOR, "data.view", P1, True),
    (Role.EVALUATOR, OFFICER, "evaluation.score", P1, False),
    (Role.EVALUATOR, OFFICER, "data.enter", P1, False),
    (Role.EVALUATOR, OFFICER, "project.view", P1, True),
]


@pytest.mark.parametrize(("role", "memberships", "action", "target", "allowed"), CASES)
def test_who_may_do_what(role: Role, memberships: dict[int, MemberRole] | None, action: str,
                         target: object, allowed: bool) -> None:
    assert can(person(role, memberships), action, target) is allowed


def test_inactive_people_and_nobody_may_do_nothing() -> None:
    assert can(person(Role.ADMIN, active=False), "dashboard.view") is False
    assert can(None, "dashboard.view") is False


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match=r"no\.such"):
        can(person(Role.ADMIN), "no.such")


def test_changing_ones_own_record() -> None:
    officer = person(Role.OFFICER, OFFICER)
    assert can_change_own(officer, "followup.record", P1, owner_id=7) is True
    assert can_change_own(officer, "followup.record", P1, owner_id=8) is False
    assert can_change_own(officer, "followup.record", P1, owner_id=6) is False
    officer.id = 10**6
    assert can_change_own(officer, "followup.record", P1, owner_id=int("1000000")) is True
    officer.id = 7
    assert can_change_own(officer, "followup.record", P1, owner_id=None) is False
    assert can_change_own(officer, "followup.record", P2, owner_id=7) is False  # not theirs
    assert can_change_own(person(Role.MANAGER), "followup.record", P2, owner_id=8) is True
    assert can_change_own(None, "followup.record", P1, owner_id=7) is False


def test_member_roles_are_read_once_per_user_object() -> None:
    officer = person(Role.OFFICER, OFFICER)
    assert member_roles(officer) == {1: MemberRole.OFFICER}
    officer.memberships.append(PM(project_id=2, role=MemberRole.OFFICER))
    assert member_roles(officer) == {1: MemberRole.OFFICER}  # the cache of this request


@pytest.fixture
def request_context():  # type: ignore[no-untyped-def]
    app = Flask(__name__)
    with app.test_request_context():
        yield


@pytest.mark.usefixtures("request_context")
def test_authorize_refuses_with_403() -> None:
    g.user = person(Role.OFFICER, OFFICER)
    authorize("data.enter", P1)
    with pytest.raises(Forbidden):
        authorize("data.enter", P2)
    g.user = None
    with pytest.raises(Forbidden):
        authorize("dashboard.view")


@pytest.mark.usefixtures("request_context")
def test_authorize_any_asks_the_role_only() -> None:
    g.user = person(Role.OFFICER)  # a member of no project yet
    authorize_any("data.enter")
    with pytest.raises(Forbidden):
        authorize_any("evaluation.score")
    g.user = person(Role.OFFICER, active=False)
    with pytest.raises(Forbidden):
        authorize_any("data.enter")
    g.user = None
    with pytest.raises(Forbidden):
        authorize_any("data.enter")


def test_project_scope_is_everything_for_staff_and_memberships_for_others() -> None:
    import sqlalchemy as sa

    column = sa.column("project_id")
    assert str(project_scope(person(Role.MANAGER), column)) == str(sa.true())
    assert str(project_scope(person(Role.ADMIN), column)) == str(sa.true())
    sql = str(project_scope(person(Role.OFFICER, OFFICER), column).compile(
        compile_kwargs={"literal_binds": True}))
    assert "project_members" in sql and "user_id = 7" in sql and "project_id IN" in sql


def sensitive_person(role: Role, access: dict[int, bool], active: bool = True) -> User:
    user = User(id=8, email="s@example.org", name="S", role=role, active=active)
    user.memberships = [ProjectMember(project_id=p, role=MemberRole.OFFICER,
                                      sensitive_access=allowed) for p, allowed in access.items()]
    return user


# (role, project -> sensitive access, target) -> may see sensitive data, written out by hand
SENSITIVE_CASES = [
    (Role.ADMIN, {}, P2, True),  # administrators, on any project
    (Role.ADMIN, {}, None, True),
    (Role.MANAGER, {}, P1, False),  # managers see every project, but not sensitive data
    (Role.OFFICER, {1: True}, P1, True),  # a member allowed sensitive data of that project
    (Role.OFFICER, {1: True}, BOTH, True),  # one of the target's projects is enough
    (Role.OFFICER, {1: True}, P2, False),  # not of another project
    (Role.OFFICER, {1: False}, P1, False),  # a member without access
    (Role.OFFICER, {1: False, 2: True}, P1, False),
    (Role.OFFICER, {1: True}, None, False),  # nothing that belongs to a project
    (Role.OFFICER, {1: True}, Target(()), False),
    (Role.EVALUATOR, {1: True}, P1, True),
    (Role.EVALUATOR, {}, P1, False),
]


@pytest.mark.parametrize(("role", "access", "target", "allowed"), SENSITIVE_CASES)
def test_who_may_see_sensitive_data(role: Role, access: dict[int, bool],
                                    target: Target | None, allowed: bool) -> None:
    assert can_see_sensitive(sensitive_person(role, access), target) is allowed


def test_inactive_people_and_nobody_see_no_sensitive_data() -> None:
    assert can_see_sensitive(None, P1) is False
    assert can_see_sensitive(sensitive_person(Role.ADMIN, {}, active=False), P1) is False
    assert can_see_sensitive(sensitive_person(Role.OFFICER, {1: True}, active=False),
                             P1) is False


def test_sensitive_projects_are_read_once_per_user_object() -> None:
    user = sensitive_person(Role.OFFICER, {1: True, 2: False})
    assert sensitive_projects(user) == frozenset({1})
    user.memberships.append(ProjectMember(project_id=3, role=MemberRole.OFFICER,
                                          sensitive_access=True))
    assert sensitive_projects(user) == frozenset({1})  # cached for the request
