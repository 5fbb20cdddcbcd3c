"""Administrators create, edit and deactivate users; stale edits are refused."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.audit import AuditEvent
from app.auth.models import Role, User


def test_admin_creates_a_user_who_can_sign_in(app: Any, client: Any, login_as: Any,
                                               session: Any) -> None:
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "email": "New.Officer@Example.org", "name": "Nodira N", "role": "officer",
        "locale": "ru", "password": "mountain pass in april 7"})
    assert response.status_code == 302
    user = session.scalars(sa.select(User).where(User.email == "new.officer@example.org")).one()
    assert user.role == Role.OFFICER and user.locale.value == "ru"
    assert user.password_hash.startswith("$argon2id$")
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.create")).one()
    assert event.changes["role"] == [None, "officer"]
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": "new.officer@example.org",
                                      "password": "mountain pass in april 7"}).status_code == 302


def test_weak_password_and_duplicate_email_are_refused_beside_the_field(
    client: Any, login_as: Any, make_user: Any, session: Any
) -> None:
    login_as(Role.ADMIN)
    existing = make_user(Role.OFFICER)
    response = client.post("/admin/users/new", data={
        "email": existing.email.upper(), "name": "X Y", "role": "officer", "locale": "en",
        "password": "mountain pass in april 7"})
    assert b"already exists" in response.data
    response = client.post("/admin/users/new", data={
        "email": "fresh@example.org", "name": "X Y", "role": "officer", "locale": "en",
        "password": "password1234"})
    assert b"too common" in response.data
    assert b'aria-invalid="true"' in response.data
    assert session.scalar(sa.select(User).where(User.email == "fresh@example.org")) is None


def test_stale_edit_is_refused_and_shows_the_other_value(
    client: Any, login_as: Any, make_user: Any, session: Any
) -> None:
    login_as(Role.ADMIN)
    target = make_user(Role.OFFICER, name="Original Name")
    form = {"email": target.email, "role": "officer", "locale": "en", "version": target.version}
    first = client.post(f"/admin/users/{target.id}/edit", data={**form, "name": "First Editor"})
    assert first.status_code == 302
    second = client.post(f"/admin/users/{target.id}/edit", data={**form, "name": "Second Editor"})
    assert second.status_code == 409
    assert b"First Editor" in second.data and b"nothing of yours was saved" in second.data
    session.expire_all()
    assert session.get(User, target.id).name == "First Editor"


def test_admin_cannot_deactivate_or_demote_self(client: Any, login_as: Any,
                                                session: Any) -> None:
    admin = login_as(Role.ADMIN)
    client.post(f"/admin/users/{admin.id}/deactivate", data={})
    session.refresh(admin)  # signing in and the refused request may have moved it on
    response = client.post(f"/admin/users/{admin.id}/edit", data={
        "email": admin.email, "name": admin.name, "role": "officer", "locale": "en",
        "version": admin.version})
    assert b"cannot change your own role" in response.data
    session.expire_all()
    refreshed = session.get(User, admin.id)
    assert refreshed.active and refreshed.role == Role.ADMIN


def test_form_fields_carry_no_empty_aria_attributes(client: Any, login_as: Any) -> None:
    login_as(Role.ADMIN)
    body = client.get("/admin/users/new").get_data(as_text=True)
    assert 'aria-describedby="password-help"' in body
    assert '"None"' not in body
    invalid = client.post("/admin/users/new", data={"email": "x"}).get_data(as_text=True)
    assert 'aria-invalid="true"' in invalid
    assert '"None"' not in invalid


def test_a_changed_role_changes_the_project_memberships_too(
        client: Any, login_as: Any, make_user: Any, session: Any) -> None:
    """An officer who becomes an evaluator no longer enters data on their projects: their
    memberships carry the new role, and the audit trail says so."""
    from app.auth.models import MemberRole, ProjectMember
    from seed.factories import MemberFactory, ProjectFactory

    login_as(Role.ADMIN)
    person = make_user(Role.OFFICER)
    project_a, project_b = ProjectFactory(), ProjectFactory()
    MemberFactory(user=person, project=project_a, role=MemberRole.OFFICER)
    MemberFactory(user=person, project=project_b, role=MemberRole.OFFICER)
    session.commit()
    response = client.post(f"/admin/users/{person.id}/edit", data={
        "email": person.email, "name": person.name, "role": "evaluator", "locale": "en",
        "version": person.version})
    assert response.status_code == 302
    session.expire_all()
    roles = session.scalars(sa.select(ProjectMember.role).where(
        ProjectMember.user_id == person.id)).all()
    assert roles == [MemberRole.EVALUATOR, MemberRole.EVALUATOR]
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "user.update", AuditEvent.entity_id == str(person.id))).one()
    assert event.changes["role"] == ["officer", "evaluator"]
    assert event.changes["memberships"] == [
        sorted([f"{project_a.id}:officer", f"{project_b.id}:officer"]),
        sorted([f"{project_a.id}:evaluator", f"{project_b.id}:evaluator"])]
    # promoted to manager, the memberships stay as they are (managers see every project)
    person = session.get(User, person.id)
    client.post(f"/admin/users/{person.id}/edit", data={
        "email": person.email, "name": person.name, "role": "manager", "locale": "en",
        "version": person.version})
    session.expire_all()
    assert session.scalars(sa.select(ProjectMember.role).where(
        ProjectMember.user_id == person.id)).all() == [MemberRole.EVALUATOR] * 2
