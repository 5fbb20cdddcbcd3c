"""The permission function on its own: roles, membership, unknown actions."""

from __future__ import annotations

from typing import Any

import pytest

from app.auth.models import MemberRole, Role
from app.auth.permissions import RULES, can
from seed.factories import MemberFactory, ProjectFactory, UserFactory


def test_unknown_action_is_a_programming_error(session: Any) -> None:
    with pytest.raises(KeyError):
        can(UserFactory(role=Role.ADMIN), "no.such.action")


def test_nobody_and_the_inactive_may_do_nothing(session: Any) -> None:
    inactive = UserFactory(role=Role.ADMIN, active=False)
    for action in RULES:
        assert not can(None, action)
        assert not can(inactive, action)


def test_membership_decides_project_access(session: Any) -> None:
    mine, theirs = ProjectFactory(), ProjectFactory()
    officer = UserFactory(role=Role.OFFICER)
    MemberFactory(user=officer, project=mine, role=MemberRole.OFFICER)
    session.flush()
    session.refresh(officer)
    assert can(officer, "project.view", mine)
    assert not can(officer, "project.view", theirs)
    assert can(officer, "programme.view", mine.programme)
    assert not can(officer, "programme.view", theirs.programme)
    assert not can(officer, "project.view")  # member actions need their object
    assert not can(officer, "project.edit", mine)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER])
def test_staff_see_every_project(session: Any, role: Role) -> None:
    project = ProjectFactory()
    staff = UserFactory(role=role)
    assert can(staff, "project.view", project)
    assert can(staff, "project.edit", project)
    assert can(staff, "users.manage") is (role == Role.ADMIN)
