"""Every endpoint, every role: who may read and act, down to the project.

The matrix must name every endpoint of ``app.url_map``; a new view without a row fails
``test_every_endpoint_is_in_the_matrix``. The rows of the foundation are below; each domain
adds its own in ``tests/support/matrix_<domain>.py``, a module with

- ``ROWS``: endpoint -> {method: outcome per role, in the order of ``ROLES``};
- ``OTHER_PROJECT``: (endpoint, method) pairs that an officer or evaluator of project A must
  be refused on project B;
- ``make_ids(session, world)``: creates what its URLs need and returns the URL arguments
  for project A and for project B (``world`` has ``project_a``, ``project_b``, ``users``,
  and ``ids_a``, ``ids_b``: the arguments made so far);
- optionally ``ORDER``: modules with a higher number are built after the others, so that
  their records can use those of the others (evidence files on the matrix's activity).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from page_forms import page_forms
from role_world import (
    MATRIX,
    NOT_FOUND_TO_OTHERS,
    OTHER_PROJECT,
    PAYLOADS,
    REFUSED_BY_A_RULE,
    ROLES,
    World,
    build_world,
)
from werkzeug.exceptions import HTTPException

from seed.factories import DEFAULT_PASSWORD

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
    """Refused (403), sent to sign in, or allowed: a real success, a page (2xx) or the
    redirect after an action. Anything else (400, 404, 409, 422, 5xx) is neither, and says
    that the test did not reach what it means to check."""
    if response.status_code == 403:
        return F
    if response.status_code == 302 and "/login?next=" in response.headers["Location"]:
        return L
    if 200 <= response.status_code < 400:
        return A
    body = response.get_data(as_text=True)
    errors = re.findall(r'class="[^"]*(?:error|flash)[^"]*"[^>]*>\s*([^<]+?)\s*<', body)
    return f"answered {response.status_code}: {errors or body[:200]}"


# POST endpoint -> the GET endpoint whose page holds its form, found once by reading every page
_FORM_PAGES: dict[str, str] = {}


def _admin_client(app: Flask, world: World) -> Any:
    admin = app.test_client()
    signed_in = admin.post("/login", data={"email": world.users["admin"].email,
                                           "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 302
    return admin


def _find_form_pages(app: Flask, admin: Any, world: World) -> None:
    adapter = app.url_map.bind("localhost")
    for endpoint, methods in MATRIX.items():
        if "GET" not in methods or endpoint == "static":
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if not rule.arguments <= world.ids_a.keys():
            continue
        page = admin.get(_url(app, endpoint, world.ids_a))
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        for form in page_forms(page.get_data(as_text=True), ""):
            if form.method != "POST" or not form.action:
                continue
            try:
                target, _args = adapter.match(urlsplit(form.action).path, method="POST")
            except HTTPException:
                continue
            _FORM_PAGES.setdefault(str(target), endpoint)


def _payload(app: Flask, endpoint: str, url: str, world: World,
             client: Any = None) -> tuple[str, dict[str, Any]]:
    """The URL and data a browser would post: the form on the endpoint's page as the user sees
    it (or, where they may not see the page, as an admin does), with its required fields
    filled; an empty post where no page shows the form."""
    admin = _admin_client(app, world)
    if not _FORM_PAGES:
        _find_form_pages(app, admin, world)
    page_endpoint = endpoint if "GET" in MATRIX[endpoint] else _FORM_PAGES.get(endpoint)
    if page_endpoint is None:
        return url, {}
    page_url = url if page_endpoint == endpoint else _url(app, page_endpoint, world.ids_a)
    page = client.get(page_url) if client is not None else None
    if page is None or page.status_code != 200:
        page = admin.get(page_url)
    for form in page_forms(page.get_data(as_text=True), page_url):
        if form.method == "POST" and urlsplit(form.action).path == url:
            return form.action, form.filled(PAYLOADS.get(endpoint))
    return url, {}


def _request(client: Any, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    response = client.get(url) if method == "GET" else client.post(url, data=data or {})
    response.close()  # static files stream from disk
    return response


def _try(app: Flask, client: Any, world: World, endpoint: str, method: str,
         expected: str) -> str:
    """Request the endpoint of project A as the signed-in client (a POST sends the page's own
    form) and say how it answered."""
    url, data = _url(app, endpoint, world.ids_a), None
    if method == "POST":
        url, data = _payload(app, endpoint, url, world, client)
    response = _request(client, method, url, data)
    if expected == A and endpoint in REFUSED_BY_A_RULE and response.status_code in (409, 422):
        return A
    if endpoint in NOT_FOUND_TO_OTHERS and response.status_code == 404:
        return F
    return _outcome(response)


def test_every_endpoint_is_in_the_matrix(app: Flask) -> None:
    in_app = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    in_matrix = {(e, m) for e, methods in MATRIX.items() for m in methods}
    assert in_app - in_matrix == set(), "endpoints missing from the role matrix"
    assert in_matrix - in_app == set(), "matrix rows for endpoints that do not exist"


# The API's rows are checked with tokens, not sessions, by test_api_matrix.py.
SESSION_MATRIX = {e: methods for e, methods in MATRIX.items() if not e.startswith("api.")}

CASES = [
    pytest.param(endpoint, method, role, expected[i], id=f"{endpoint}-{method}-{role}")
    for endpoint, methods in SESSION_MATRIX.items()
    for method, expected in methods.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("endpoint", "method", "role", "expected"), CASES)
def test_role_matrix(app: Flask, client: Any, auth: Any, world: World,
                     endpoint: str, method: str, role: str, expected: str) -> None:
    if role != "anonymous":
        assert auth.login(world.users[role]).status_code == 302
    outcome = _try(app, client, world, endpoint, method, expected)
    assert outcome == expected, f"{role} {method} {endpoint}: {outcome}"


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


MIXED_CASES = [
    pytest.param(endpoint, method, user_role, member_role,
                 id=f"{endpoint}-{method}-{user_role}-as-{member_role}")
    for endpoint, methods in SESSION_MATRIX.items()
    for method in methods
    for user_role, member_role in (("officer", "evaluator"), ("evaluator", "officer"))
]


@pytest.mark.parametrize(("endpoint", "method", "user_role", "member_role"), MIXED_CASES)
def test_a_project_role_unlike_the_user_role_grants_only_what_both_allow(
        app: Flask, client: Any, auth: Any, world: World, session: Any, endpoint: str,
        method: str, user_role: str, member_role: str) -> None:
    """An officer who is an evaluator on project A (or the other way round) may do there only
    what an officer and an evaluator may both do: read, never enter data nor score."""
    from app.auth.models import MemberRole, ProjectMember

    user = world.users[user_role]
    membership = session.scalars(sa.select(ProjectMember).where(
        ProjectMember.user_id == user.id,
        ProjectMember.project_id == world.ids_a["project_id"])).one()
    membership.role = MemberRole(member_role)
    session.commit()
    outcomes = MATRIX[endpoint][method]
    both = {outcomes[ROLES.index("officer")], outcomes[ROLES.index("evaluator")]}
    expected = A if both == {A} else F
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    if not rule.arguments or endpoint in NOT_FOUND_TO_OTHERS:
        # lists narrowed to the user's projects, and a person's own records, go by the user
        expected = outcomes[ROLES.index(user_role)]
    auth.login(user)
    outcome = _try(app, client, world, endpoint, method, expected)
    assert outcome == expected, f"{user_role} as {member_role}: {method} {endpoint}: {outcome}"
