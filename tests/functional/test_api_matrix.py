"""The API's role matrix: every route and method, with a read-write token of each role, on
project A (where the officer and evaluator are members) and on project B (where they are
not, and its records do not exist for them); a read-only token never writes."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from matrix_api import API_OTHER_PROJECT, API_ROWS
from role_world import ROLES, World, build_world

from app.audit import Actor
from app.auth import tokens
from app.followup.models import FollowUpAction
from app.monitoring.models import Activity, DataValue

A, F, L = "allowed", "forbidden", "login"


@pytest.fixture
def world(session: Any) -> World:
    return build_world(session)


def _token(session: Any, user: Any, scope: tokens.TokenScope) -> str:
    _token, secret = tokens.create_token(session, Actor(user.id), user, "matrix", scope, 30)
    return secret


def _call(app: Flask, client: Any, session: Any, world: World, ids: dict[str, int],
          endpoint: str, method: str, secret: str | None) -> Any:
    """Call the endpoint on the project of ``ids`` with a body that the API accepts."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{k: ids[k] for k in rule.arguments})
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    if method == "GET":
        if endpoint in {"api.results", "api.indicators", "api.periods", "api.values",
                        "api.activities"}:
            url += f"?project={ids['project_id']}&provisional=true"
        return client.get(url, headers=headers)
    body: dict[str, Any] = {}
    if endpoint == "api.save_values":
        value = session.get(DataValue, ids["value_id"])
        body = {"rows": [{"indicator_id": value.indicator_id, "category_id": value.category_id,
                          "value": "5", "version": value.version}]}
    elif endpoint in {"api.create_activity", "api.update_activity"}:
        body = {"kind": "workshop", "title": "Matrix check", "start_date": "2001-02-03"}
        if endpoint == "api.update_activity":
            headers["If-Match"] = str(session.get(Activity, ids["activity_id"]).version)
    elif endpoint in {"api.create_action", "api.update_action"}:
        body = {"kind": "other", "state": "planned", "description": "Matrix check"}
        if endpoint == "api.update_action":
            headers["If-Match"] = str(session.get(FollowUpAction, ids["action_id"]).version)
    return client.open(url, method=method, json=body, headers=headers)


def _outcome(response: Any) -> str:
    if response.status_code == 401:
        return L
    if response.status_code == 403:
        return F
    if 200 <= response.status_code < 300:
        return A
    return f"answered {response.status_code}: {response.get_data(as_text=True)[:300]}"


CASES = [
    pytest.param(endpoint, method, role, expected[i], id=f"{endpoint}-{method}-{role}")
    for endpoint, methods in API_ROWS.items()
    for method, expected in methods.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("endpoint", "method", "role", "expected"), CASES)
def test_api_role_matrix(app: Flask, client: Any, session: Any, world: World, endpoint: str,
                         method: str, role: str, expected: str) -> None:
    secret = None if role == "anonymous" else _token(session, world.users[role],
                                                     tokens.TokenScope.READ_WRITE)
    response = _call(app, client, session, world, world.ids_a, endpoint, method, secret)
    assert _outcome(response) == expected, f"{role} {method} {endpoint}"
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"


WRITES = [(e, m) for e, methods in API_ROWS.items() for m in methods if m != "GET"]


@pytest.mark.parametrize("role", ["admin", "manager", "officer"])
@pytest.mark.parametrize(("endpoint", "method"), WRITES)
def test_a_read_only_token_never_writes(app: Flask, client: Any, session: Any, world: World,
                                        endpoint: str, method: str, role: str) -> None:
    secret = _token(session, world.users[role], tokens.TokenScope.READ)
    response = _call(app, client, session, world, world.ids_a, endpoint, method, secret)
    assert response.status_code == 403
    assert "only read" in response.get_json()["detail"]


@pytest.mark.parametrize("role", ["officer", "evaluator"])
@pytest.mark.parametrize(("endpoint", "method"), API_OTHER_PROJECT)
def test_project_b_does_not_exist_for_members_of_project_a(
        app: Flask, client: Any, session: Any, world: World, endpoint: str, method: str,
        role: str) -> None:
    secret = _token(session, world.users[role], tokens.TokenScope.READ_WRITE)
    response = _call(app, client, session, world, world.ids_b, endpoint, method, secret)
    assert response.status_code == 404, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("role", ["officer", "evaluator"])
def test_lists_hold_only_the_members_projects(app: Flask, client: Any, session: Any,
                                              world: World, role: str) -> None:
    secret = _token(session, world.users[role], tokens.TokenScope.READ)
    headers = {"Authorization": f"Bearer {secret}"}
    for url, key in (("/api/v1/projects", "id"), ("/api/v1/periods", "project_id"),
                     ("/api/v1/activities", "project_id"),
                     ("/api/v1/programmes", "id")):
        items = client.get(url + "?limit=200", headers=headers).get_json()["items"]
        wanted = world.ids_a["programme_id" if "programmes" in url else "project_id"]
        assert items and {item[key] for item in items} == {wanted}, url
    staff = _token(session, world.users["manager"], tokens.TokenScope.READ)
    everything = client.get("/api/v1/projects?limit=200",
                            headers={"Authorization": f"Bearer {staff}"}).get_json()["items"]
    assert {world.ids_a["project_id"], world.ids_b["project_id"]} <= {
        p["id"] for p in everything}


def test_every_api_route_has_a_row(app: Flask) -> None:
    in_app = {(r.endpoint, m) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
              for m in r.methods - {"HEAD", "OPTIONS"}}
    assert in_app == {(e, m) for e, methods in API_ROWS.items() for m in methods}


def test_the_values_write_of_the_matrix_is_real(app: Flask, client: Any, session: Any,
                                                world: World) -> None:
    """'Allowed' above means saved: the officer's batch writes the value."""
    secret = _token(session, world.users["officer"], tokens.TokenScope.READ_WRITE)
    response = _call(app, client, session, world, world.ids_a, "api.save_values", "PUT", secret)
    assert response.status_code == 200, response.get_data(as_text=True)
    session.expire_all()
    stored = session.scalar(sa.select(DataValue.value).where(
        DataValue.id == world.ids_a["value_id"]))
    assert stored == 5
