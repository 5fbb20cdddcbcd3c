"""Users: create, edit, (de)activate, passwords, language, login and logout."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.auth import passwords
from app.auth.models import Locale, MemberRole, ProjectMember, Role, User
from app.auth.throttle import LoginThrottle
from app.db import utcnow
from app.errors import ServiceError, StaleEdit, ValidationFailed

USER_FIELDS = ["email", "name", "role", "locale", "active"]


class LoginThrottled(ServiceError):
    pass


class LoginFailed(ServiceError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_email_free(session: Session, email: str, exclude_id: int | None = None) -> None:
    query = sa.select(User.id).where(User.email == email)
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    if session.scalar(query) is not None:
        raise ValidationFailed({"email": [_l("A user with this email already exists.")]})


def _check_password(password: str, email: str, name: str, field: str = "password") -> None:
    problems = passwords.password_problems(password, email, name)
    if problems:
        raise ValidationFailed({field: list(problems)})


def create_user(
    session: Session,
    actor: Actor,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    locale: Locale = Locale.EN,
    hash_profile: str = "strong",
) -> User:
    email = normalise_email(email)
    _check_email_free(session, email)
    _check_password(password, email, name)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        locale=locale,
        active=True,
        password_hash=passwords.hash_password(password, hash_profile),
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", user.id, audit.snapshot(user, USER_FIELDS))
    session.commit()
    return user


def _current(user: User) -> dict[str, Any]:
    return {f: getattr(user, f) for f in USER_FIELDS}


def update_user(
    session: Session, actor: Actor, user: User, *, version: int, values: dict[str, Any]
) -> User:
    if version != user.version:
        raise StaleEdit(
            _l("Someone else changed this user after you opened the form. "
               "Their values are shown below; nothing of yours was saved."),
            _current(user),
        )
    if "email" in values:
        values["email"] = normalise_email(values["email"])
        _check_email_free(session, values["email"], exclude_id=user.id)
    if user.id == actor.user_id and values.get("role", user.role) != user.role:
        raise ValidationFailed({"role": [_l("You cannot change your own role.")]})
    changes = audit.apply_changes(user, values)
    if "role" in changes:
        changes.update(_follow_role(session, user))
    if changes:
        audit.record(session, actor, "user.update", "user", user.id, changes)
        session.commit()
    return user


def _follow_role(session: Session, user: User) -> dict[str, list[Any]]:
    """An officer who becomes an evaluator (or the other way) holds that role on each of their
    projects too: memberships never keep a role the person no longer has. Staff keep their
    memberships untouched (they see every project); should they become an officer or
    evaluator again, the memberships take that role."""
    if user.role not in (Role.OFFICER, Role.EVALUATOR):
        return {}
    role = MemberRole(user.role.value)
    members = session.scalars(sa.select(ProjectMember).where(
        ProjectMember.user_id == user.id, ProjectMember.role != role)).all()
    if not members:
        return {}
    before = sorted(f"{m.project_id}:{m.role.value}" for m in members)
    for member in members:
        member.role = role
    user.__dict__.pop("_member_roles", None)  # the permission cache of this user object
    return {"memberships": [before, sorted(f"{m.project_id}:{role.value}" for m in members)]}


def set_active(session: Session, actor: Actor, user: User, active: bool, reason: str = "") -> User:
    if user.id == actor.user_id and not active:
        raise ServiceError(_l("You cannot deactivate your own account."))
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.session_version += 1  # ends every session of this user
    audit.record(session, actor, "user.activate" if active else "user.deactivate", "user",
                 user.id, {"active": [not active, active]}, reason=reason)
    session.commit()
    return user


def set_password(
    session: Session, actor: Actor, user: User, new_password: str, hash_profile: str = "strong"
) -> None:
    """Set a new password (by an admin or after checking the old one) and end all sessions."""
    _check_password(new_password, user.email, user.name, field="new_password")
    user.password_hash = passwords.hash_password(new_password, hash_profile)
    user.password_changed_at = utcnow()
    user.session_version += 1
    audit.record(session, actor, "user.password_change", "user", user.id)
    session.commit()


def change_own_password(
    session: Session, actor: Actor, user: User, current: str, new: str, hash_profile: str = "strong"
) -> None:
    if not passwords.verify_password(user.password_hash, current, hash_profile):
        raise ValidationFailed({"current_password": [_l("Your current password is not correct.")]})
    set_password(session, actor, user, new, hash_profile)


def set_locale(session: Session, actor: Actor, user: User, locale: Locale) -> None:
    if user.locale != locale:
        audit.record(session, actor, "user.locale", "user", user.id,
                     {"locale": [user.locale.value, locale.value]})
        user.locale = locale
        session.commit()


def authenticate(
    session: Session,
    throttle: LoginThrottle,
    *,
    email: str,
    password: str,
    ip: str,
    hash_profile: str = "strong",
) -> User:
    email = normalise_email(email)
    actor = Actor(user_id=None, ip=ip)
    if throttle.blocked(email, ip):
        audit.record(session, actor, "login.throttled", "user", None, {"email": [None, email]})
        session.commit()
        raise LoginThrottled(
            _l("Too many failed sign-in attempts. Wait a few minutes and try again."))
    user = session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        passwords.verify_password(passwords.dummy_hash(hash_profile), password, hash_profile)
        ok = False
    else:
        ok = passwords.verify_password(user.password_hash, password, hash_profile) and user.active
    if not ok:
        throttle.register_failure(email, ip)
        audit.record(session, actor, "login.failure", "user", user.id if user else None,
                     {"email": [None, email]})
        session.commit()
        raise LoginFailed(_l("The email or password is not correct, or the account is inactive."))
    assert user is not None
    if passwords.hasher(hash_profile).check_needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password, hash_profile)
    user.last_login_at = utcnow()
    audit.record(session, Actor(user.id, ip), "login.success", "user", user.id)
    session.commit()
    return user


def logout(session: Session, actor: Actor, user: User) -> None:
    user.session_version += 1
    audit.record(session, actor, "logout", "user", user.id)
    session.commit()
