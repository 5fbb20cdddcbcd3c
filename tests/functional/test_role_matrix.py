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

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask import Flask

from app.auth.models import MemberRole, Role
from seed.factories import MemberFactory, OrganisationFactory, ProgrammeFactory, ProjectFactory

ROLES = ("anonymous", "admin", "manager", "officer", "evaluator")
A, F, L = "allowed", "forbidden", "login"  # L: redirected to sign in
PUBLIC = (A, A, A, A, A)
SIGNED_IN = (L, A, A, A, A)
STAFF = (L, A, A, F, F)
ADMIN = (L, A, F, F, F)

# endpoint -> {method: expected outcome per role, in the order of ROLES}
FOUNDATION: dict[str, dict[str, tuple[str, ...]]] = {
    "static": {"GET": PUBLIC},
    "reports.index": {"GET": PUBLIC},
    "reports.healthz": {"GET": PUBLIC},
    "reports.dashboard": {"GET": SIGNED_IN},
    "reports.audit_log": {"GET": STAFF},
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": {"POST": SIGNED_IN},
    "auth.set_language": {"POST": PUBLIC},
    "auth.account": {"GET": SIGNED_IN},
    "auth.change_password": {"POST": SIGNED_IN},
    "auth.users": {"GET": ADMIN},
    "auth.user_new": {"GET": ADMIN, "POST": ADMIN},
    "auth.user_edit": {"GET": ADMIN, "POST": ADMIN},
    "auth.user_deactivate": {"POST": ADMIN},
    "auth.user_activate": {"POST": ADMIN},
    "programmes.organisations": {"GET": SIGNED_IN},
    "programmes.organisation_new": {"GET": STAFF, "POST": STAFF},
    "programmes.organisation_edit": {"GET": STAFF, "POST": STAFF},
    "programmes.programmes": {"GET": STAFF},
    "programmes.programme_new": {"GET": STAFF, "POST": STAFF},
    "programmes.programme_detail": {"GET": SIGNED_IN},
    "programmes.programme_edit": {"GET": STAFF, "POST": STAFF},
    "programmes.projects": {"GET": SIGNED_IN},
    "programmes.project_new": {"GET": STAFF, "POST": STAFF},
    "programmes.project_detail": {"GET": SIGNED_IN},
    "programmes.project_edit": {"GET": STAFF, "POST": STAFF},
    "programmes.project_members": {"GET": STAFF, "POST": STAFF},
    "programmes.project_member_remove": {"POST": STAFF},
}

# Endpoints on another project (B) than the one the officer and evaluator work on (A):
# they may neither read nor change anything there.
FOUNDATION_OTHER_PROJECT = [
    ("programmes.project_detail", "GET"),
    ("programmes.project_edit", "GET"),
    ("programmes.project_edit", "POST"),
    ("programmes.project_members", "GET"),
    ("programmes.project_members", "POST"),
    ("programmes.project_member_remove", "POST"),
    ("programmes.programme_detail", "GET"),
]


def _domain_modules() -> list[ModuleType]:
    support = Path(__file__).resolve().parents[1] / "support"
    return [importlib.import_module(m.name) for m in pkgutil.iter_modules([str(support)])
            if m.name.startswith("matrix_")]


DOMAINS = _domain_modules()
MATRIX = {**FOUNDATION}
OTHER_PROJECT = list(FOUNDATION_OTHER_PROJECT)
for _module in DOMAINS:
    overlap = MATRIX.keys() & _module.ROWS.keys()
    assert not overlap, f"{_module.__name__} repeats rows: {overlap}"
    MATRIX.update(_module.ROWS)
    OTHER_PROJECT += _module.OTHER_PROJECT


@dataclass
class World:
    users: dict[str, Any]
    ids_a: dict[str, int]
    ids_b: dict[str, int]


@pytest.fixture
def world(session: Any, make_user: Any) -> World:
    org = OrganisationFactory()
    programme_a, programme_b = ProgrammeFactory(), ProgrammeFactory()
    project_a = ProjectFactory(programme=programme_a)
    project_b = ProjectFactory(programme=programme_b)
    users = {role.value: make_user(role) for role in Role}
    MemberFactory(user=users["officer"], project=project_a, role=MemberRole.OFFICER)
    MemberFactory(user=users["evaluator"], project=project_a, role=MemberRole.EVALUATOR)
    other_a = MemberFactory(project=project_a, role=MemberRole.OFFICER)
    other_b = MemberFactory(project=project_b, role=MemberRole.OFFICER)
    target = make_user(Role.OFFICER)
    session.commit()
    common = {"org_id": org.id, "user_id": target.id, "filename": "app.css"}
    ids_a = {**common, "programme_id": programme_a.id, "project_id": project_a.id,
             "member_id": other_a.id}
    ids_b = {**common, "programme_id": programme_b.id, "project_id": project_b.id,
             "member_id": other_b.id}
    context = {"project_a": project_a, "project_b": project_b, "users": users}
    for module in DOMAINS:
        extra_a, extra_b = module.make_ids(session, context)
        ids_a.update(extra_a)
        ids_b.update(extra_b)
    session.commit()
    return World(users=users, ids_a=ids_a, ids_b=ids_b)


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
