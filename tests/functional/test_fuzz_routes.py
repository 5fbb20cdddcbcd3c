"""Nothing answers 500 to bad input: random strings, NUL bytes, huge numbers, CR/LF and
over-long values in the query string and the form of every route, as each role.

Every route is probed as every role; Hypothesis chooses the field names (the route's own
form fields and the query parameters the pages read) and the values. ``FUZZ_EXAMPLES`` sets
the examples per route and role (10 on SQLite, a sample of 3 on PostgreSQL).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from page_forms import page_forms
from role_world import MATRIX, ROLES, World, build_world

from seed.factories import DEFAULT_PASSWORD

DEFAULT_EXAMPLES = 3 if os.environ.get("TEST_DATABASE_URL") else 10
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", DEFAULT_EXAMPLES))  # per route and role

# query parameters the list and report pages read, beside each page's own form fields
COMMON_FIELDS = ["q", "page", "period", "provisional", "status", "kind", "next", "year",
                 "country", "theme", "verdict", "project", "programme"]

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda s: s + "\x00"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["\r\nSet-Cookie: x=1", "%", "_", "\\", "'; DROP TABLE users;--",
                     "=1+2", "../../etc/passwd", "NaN", "Infinity", "-0", "1e309", "0x10",
                     "9" * 40, "2024-02-30", "٣", "𝟘", "\u202e", " ", ""]),
    st.integers(min_value=1000, max_value=200_000).map(lambda n: "x" * n),
)

SWEEP = ["bad\x00value", "9" * 40, "line\r\nbreak", "x" * 100_000, "-1", "=cmd|' /C calc'!A0"]

ROUTES = sorted((endpoint, method) for endpoint, methods in MATRIX.items()
                for method in methods if endpoint not in ("static", "auth.logout"))
_FIELDS: dict[str, list[str]] = {}


@pytest.fixture
def world(session: Any) -> World:
    return build_world(session)


def _url(app: Flask, endpoint: str, ids: dict[str, Any]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **{k: ids[k] for k in rule.arguments})


def _fields(app: Flask, admin: Any, endpoint: str, url: str) -> list[str]:
    """The names a page's own forms post, read once per endpoint, beside the common ones."""
    if endpoint not in _FIELDS:
        names: set[str] = set()
        if "GET" in MATRIX[endpoint]:
            page = admin.get(url)
            if page.mimetype == "text/html":
                for form in page_forms(page.get_data(as_text=True), url):
                    names.update(n for n, _v in form.fields)
                    names.update(form.required)
            page.close()
        _FIELDS[endpoint] = sorted(names)
    return _FIELDS[endpoint] + COMMON_FIELDS


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_500_to_hostile_input(app: Flask, world: World, role: str) -> None:
    admin = app.test_client()
    admin.post("/login", data={"email": world.users["admin"].email, "password": DEFAULT_PASSWORD})
    client = app.test_client()

    def sign_in() -> None:
        if role != "anonymous":
            signed_in = client.post("/login", data={"email": world.users[role].email,
                                                    "password": DEFAULT_PASSWORD})
            assert signed_in.status_code == 302

    sign_in()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def probe(endpoint: str, method: str, data: Any) -> None:
        url = _url(app, endpoint, world.ids_a)
        names = _fields(app, admin, endpoint, url)
        params = data.draw(st.dictionaries(st.sampled_from(names), HOSTILE, min_size=1,
                                           max_size=4), label="params")
        if method == "GET":
            response = client.get(urlsplit(url).path, query_string=params)
        else:
            response = client.post(url, data=params)
        response.close()
        assert response.status_code < 500, (method, url, params, response.status_code)

    for endpoint, method in ROUTES:
        url = _url(app, endpoint, world.ids_a)
        names = _fields(app, admin, endpoint, url)
        for value in SWEEP:  # every field at once with each kind of bad value
            params = dict.fromkeys(names, value)
            if method == "GET":
                response = client.get(urlsplit(url).path, query_string=params)
            else:
                response = client.post(url, data=params)
            response.close()
            assert response.status_code < 500, (method, url, repr(value)[:40],
                                                response.status_code)
        probe(endpoint, method)
        if role != "anonymous" and client.get("/account").status_code != 200:
            sign_in()  # a probe ended the session (a new password, a new language): go on
