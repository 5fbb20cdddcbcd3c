"""Signed-cookie sessions bound to the user's session version, with two timeouts.

A session is valid while the user is active, its version equals the user's current
session version (logout, password change and deactivation bump it, so every older cookie
is refused), it is younger than the absolute timeout, and it was used within the idle
timeout.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from flask import session
from sqlalchemy.orm import Session

from app.auth.models import User


def start(user: User) -> None:
    """A new session on login: nothing of the previous one survives."""
    session.clear()
    session.permanent = True
    now = int(time.time())
    session.update(uid=user.id, sv=user.session_version, sid=secrets.token_urlsafe(16),
                   iat=now, seen=now)


def end() -> None:
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def resume(db_session: Session, idle: timedelta, absolute: timedelta) -> tuple[User | None, str]:
    """The user of the current session, or None and why it is not valid any more."""
    uid = session.get("uid")
    if uid is None:
        return None, ""
    now = int(time.time())
    user = db_session.get(User, uid)
    reason = ""
    if user is None or not user.active:
        reason = "inactive"
    elif session.get("sv") != user.session_version:
        reason = "revoked"
    elif now - int(session.get("iat", 0)) > absolute.total_seconds():
        reason = "expired"
    elif now - int(session.get("seen", 0)) > idle.total_seconds():
        reason = "idle"
    if reason:
        end()
        return None, reason
    if now - int(session.get("seen", 0)) >= 30:
        session["seen"] = now
    return user, ""
