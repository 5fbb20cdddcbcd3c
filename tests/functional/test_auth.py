"""Sign-in, sessions and their end, throttling, and the audit of each."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import AuditEvent
from app.auth.models import Role, User
from seed.factories import DEFAULT_PASSWORD


def _actions(session: Any) -> list[str]:
    session.expire_all()
    return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_login_starts_a_session_and_is_audited(client: Any, auth: Any, make_user: Any,
                                               session: Any) -> None:
    user = make_user(Role.OFFICER)
    response = auth.login(user.email.upper())  # emails are case-insensitive
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    assert _actions(session)[-1] == "login.success"


def test_failed_login_is_refused_and_audited(client: Any, auth: Any, make_user: Any,
                                             session: Any) -> None:
    user = make_user(Role.OFFICER)
    response = auth.login(user, password="wrong-password-entirely")
    assert response.status_code == 200
    assert b"not correct" in response.data
    assert client.get("/dashboard").status_code == 302
    event = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "login.failure"
    assert event.changes == {"email": [None, user.email]}


def test_inactive_user_cannot_sign_in(auth: Any, make_user: Any) -> None:
    user = make_user(Role.OFFICER, active=False)
    assert auth.login(user).status_code == 200


def test_login_issues_a_new_session(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user(Role.OFFICER)
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        sess["sid"] = "fixed"
    auth.login(user)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["sid"] != "fixed"


def _cookie(client: Any) -> str:
    cookie = client.get_cookie("pvetrack_session")
    assert cookie is not None
    return str(cookie.value)


def _replay(app: Any, cookie: str, url: str = "/dashboard") -> Any:
    other = app.test_client()
    other.set_cookie("pvetrack_session", cookie)
    return other.get(url)


def test_logout_ends_every_session_and_old_cookie_is_refused(
    app: Any, client: Any, auth: Any, make_user: Any, session: Any
) -> None:
    user = make_user(Role.OFFICER)
    auth.login(user)
    stolen = _cookie(client)
    second = app.test_client()
    second.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert _replay(app, stolen).status_code == 200
    assert auth.logout().status_code == 302
    replay = _replay(app, stolen)
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]
    assert second.get("/dashboard").status_code == 302  # the other device too
    assert "logout" in _actions(session)


def test_password_change_ends_other_sessions_but_keeps_this_one(
    app: Any, client: Any, auth: Any, make_user: Any, session: Any
) -> None:
    user = make_user(Role.OFFICER)
    auth.login(user)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    old_cookie = _cookie(client)
    response = client.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD,
        "new_password": "a quiet river under snow 42",
        "confirm": "a quiet river under snow 42",
    })
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert _replay(app, old_cookie).status_code == 302
    assert "user.password_change" in _actions(session)
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}
                      ).status_code == 200
    assert fresh.post("/login", data={"email": user.email,
                                      "password": "a quiet river under snow 42"}).status_code == 302


def test_password_change_needs_the_current_password(client: Any, login_as: Any) -> None:
    login_as(Role.EVALUATOR)
    response = client.post("/account/password", data={
        "current_password": "not my password at all",
        "new_password": "a quiet river under snow 42",
        "confirm": "a quiet river under snow 42",
    })
    assert response.status_code == 422
    assert b"current password is not correct" in response.data


def test_deactivation_ends_the_users_sessions(
    app: Any, client: Any, auth: Any, make_user: Any, session: Any
) -> None:
    victim = make_user(Role.OFFICER)
    victim_client = app.test_client()
    victim_client.post("/login", data={"email": victim.email, "password": DEFAULT_PASSWORD})
    assert victim_client.get("/dashboard").status_code == 200
    auth.login(make_user(Role.ADMIN))
    response = client.post(f"/admin/users/{victim.id}/deactivate", data={"reason": "left"})
    assert response.status_code == 302
    assert victim_client.get("/dashboard").status_code == 302
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "user.deactivate")).one()
    assert event.reason == "left" and event.entity_id == str(victim.id)


@pytest.mark.parametrize(("key", "age_setting"), [
    ("seen", "SESSION_IDLE_TIMEOUT"), ("iat", "SESSION_ABSOLUTE_TIMEOUT")])
def test_idle_and_absolute_timeouts(app: Any, client: Any, login_as: Any, key: str,
                                    age_setting: str) -> None:
    login_as(Role.OFFICER)
    limit = app.config[age_setting].total_seconds()
    with client.session_transaction() as sess:
        sess[key] = int(time.time() - limit + 60)
    assert client.get("/dashboard").status_code == 200
    with client.session_transaction() as sess:
        sess[key] = int(time.time() - limit - 5)
        if key == "iat":
            sess["seen"] = int(time.time())
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_ten_failures_per_account_give_429(app: Any, make_user: Any, session: Any) -> None:
    user = make_user(Role.OFFICER)
    for i in range(10):
        other_ip = app.test_client()
        response = other_ip.post("/login", data={"email": user.email, "password": "bad" * 5},
                                 environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        assert response.status_code == 200
    blocked = app.test_client().post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert blocked.status_code == 429
    assert "login.throttled" in _actions(session)


def test_ten_failures_per_ip_give_429(client: Any, make_user: Any) -> None:
    users = [make_user(Role.OFFICER) for _ in range(11)]
    for user in users[:10]:
        assert client.post("/login", data={"email": user.email, "password": "bad" * 5}
                           ).status_code == 200
    response = client.post("/login", data={"email": users[10].email,
                                            "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed" in response.data


def test_user_language_is_saved_and_used(client: Any, login_as: Any, session: Any) -> None:
    user = login_as(Role.OFFICER)
    response = client.post("/language", data={"locale": "ru", "next": "/dashboard"})
    assert response.status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'lang="ru"' in page and "Панель" in page
    session.expire_all()
    assert session.get(User, user.id).locale.value == "ru"
    assert "user.locale" in _actions(session)


def test_anonymous_language_switch(client: Any) -> None:
    client.post("/language", data={"locale": "ru", "next": "/login"})
    assert "Войти" in client.get("/login").get_data(as_text=True)


def test_open_redirect_after_login_is_refused(client: Any, make_user: Any) -> None:
    user = make_user(Role.OFFICER)
    response = client.post("/login?next=//evil.example/x",
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"].endswith("/dashboard")
