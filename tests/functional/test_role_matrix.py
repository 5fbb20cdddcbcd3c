"""Every endpoint, every role: who may read and act, down to the project.

The matrix must name every endpoint of ``app.url_map``; a new view without a row fails
``test_every_endpoint_is_in_the_matrix``. The rows of the foundation are below; each domain
adds its own in ``tests/support/matrix_<domain>.py``, a module with

- ``ROWS``: endpoint -> {method: outcome per role, in the order of ``ROLES``};
- ``OTHER_PROJECT``: (endpoint, method) pairs that an officer or evaluator of project A must
  be refused on project B;
- ``make_ids(session, world)``: creates what its URLs need and returns the URL arguments
  for project A and for project B (``world`` has ``project_a``, ``project_b``, ``users``).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from role_world import MATRIX, OTHER_PROJECT, ROLES, World, build_world

A, F, L = "allowed", "forbidden", "login"  # L: redirected to sign in


@pytest.fixture
def world(session: Any) -> World:
    return build_world(session)


def _url(app: Flask, endpoint: str, ids: dict[str, int]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{k: ids[k] for k in rule.arguments})


def _outcome(response: Any) -> str:
    if response.status_code == 403:
        return F
    if response.status_code == 302 and "/login?next=" in response.headers["Location"]:
        return L
    assert response.status_code < 500, response.data[:300]
    return A


def _request(client: Any, method: str, url: str) -> Any:
    response = client.get(url) if method == "GET" else client.post(url, data={})
    response.close()  # static files stream from disk
    return response


def test_every_endpoint_is_in_the_matrix(app: Flask) -> None:
    in_app = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    in_matrix = {(e, m) for e, methods in MATRIX.items() for m in methods}
    assert in_app - in_matrix == set(), "endpoints missing from the role matrix"
    assert in_matrix - in_app == set(), "matrix rows for endpoints that do not exist"


CASES = [
    pytest.param(endpoint, method, role, expected[i], id=f"{endpoint}-{method}-{role}")
    for endpoint, methods in MATRIX.items()
    for method, expected in methods.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("endpoint", "method", "role", "expected"), CASES)
def test_role_matrix(app: Flask, client: Any, auth: Any, world: World,
                     endpoint: str, method: str, role: str, expected: str) -> None:
    if role != "anonymous":
        assert auth.login(world.users[role]).status_code == 302
    response = _request(client, method, _url(app, endpoint, world.ids_a))
    assert _outcome(response) == expected, f"{role} {method} {endpoint}: {response.status_code}"


@pytest.mark.parametrize("role", ["officer", "evaluator"])
@pytest.mark.parametrize(("endpoint", "method"), OTHER_PROJECT)
def test_members_of_project_a_cannot_touch_project_b(
    app: Flask, client: Any, auth: Any, world: World, endpoint: str, method: str, role: str
) -> None:
    auth.login(world.users[role])
    response = _request(client, method, _url(app, endpoint, world.ids_b))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["officer", "evaluator"])
def test_lists_show_members_only_their_projects(
    app: Flask, client: Any, auth: Any, world: World, session: Any, role: str
) -> None:
    from app.programmes.models import Project

    a = session.get(Project, world.ids_a["project_id"])
    b = session.get(Project, world.ids_b["project_id"])
    auth.login(world.users[role])
    for url in ("/projects", "/dashboard"):
        body = client.get(url).get_data(as_text=True)
        assert a.code in body
        assert b.code not in body
