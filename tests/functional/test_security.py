"""The security baseline: CSRF, headers, no state change over GET, limits, error pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from role_world import domain_modules

from app import create_app
from app.audit import AuditEvent
from app.auth.models import Role
from app.config import DEV_SECRET_KEY, ConfigError
from app.db import Base
from seed.factories import MemberFactory, OrganisationFactory, ProjectFactory

# The one POST of the pages that takes no CSRF token, on purpose: the one-click unsubscribe
# of mail clients (RFC 8058) sends none, and the signed link is the proof
# (test_unsubscribe_is_the_only_page_without_a_csrf_token).
CSRF_EXEMPT_PAGES = {"mail.unsubscribe"}


def _post_rules(app: Flask) -> list[Any]:
    """The pages' POST routes. The JSON API takes no cookie and so needs no CSRF token: a
    POST there without a bearer token is refused with 401 (tests/functional/test_api.py)."""
    return [r for r in app.url_map.iter_rules()
            if "POST" in r.methods and not r.rule.startswith("/api/")
            and r.endpoint not in CSRF_EXEMPT_PAGES]


def test_unsubscribe_is_the_only_page_without_a_csrf_token(app: Flask) -> None:
    csrf = app.extensions["csrf"]
    exempt = {rule.endpoint for rule in app.url_map.iter_rules()
              if "POST" in rule.methods and not rule.rule.startswith("/api/")
              and f"{app.view_functions[rule.endpoint].__module__}."
                  f"{app.view_functions[rule.endpoint].__name__}" in csrf._exempt_views}
    assert exempt == CSRF_EXEMPT_PAGES


def _fill(rule: Any) -> str:
    return re.sub(r"<(?:int:)?(\w+)>", "1", rule.rule)


def test_every_post_route_rejects_a_missing_csrf_token(app: Flask, client: Any,
                                                        login_as: Any, csrf_on: None) -> None:
    login_as(Role.ADMIN)
    assert client.get("/dashboard").status_code == 200
    rules = _post_rules(app)
    assert len(rules) >= 10
    for rule in rules:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(_fill(rule), data={"x": "1"}, headers=headers)
            assert response.status_code == 400, f"{rule.rule} accepted a POST without a token"
            assert b"security token" in response.data


@pytest.mark.usefixtures("csrf_on")
def test_htmx_request_with_header_token_passes(client: Any) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/language", data={"locale": "ru"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 302
    assert client.post("/language", data={"locale": "ru"},
                       headers={"HX-Request": "true", "X-CSRFToken": "forged"}).status_code == 400


CSP_DIRECTIVES = ["default-src 'self'", "object-src 'none'", "base-uri 'none'",
                  "frame-ancestors 'none'"]


def test_headers_on_public_and_signed_in_pages(client: Any, login_as: Any) -> None:
    public = client.get("/login")
    for directive in CSP_DIRECTIVES:
        assert directive in public.headers["Content-Security-Policy"]
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert public.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in public.headers
    with client.get("/static/app.css") as static:
        assert static.headers.get("Cache-Control") != "no-store"
    login_as(Role.OFFICER)
    page = client.get("/dashboard")
    assert page.headers["Cache-Control"] == "no-store"
    for directive in CSP_DIRECTIVES:
        assert directive in page.headers["Content-Security-Policy"]


def test_no_inline_script_or_remote_asset_in_pages(client: Any, login_as: Any) -> None:
    login_as(Role.ADMIN)
    for url in ("/login", "/dashboard", "/admin/users", "/projects"):
        body = client.get(url).get_data(as_text=True)
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body) is None, url
        assert re.search(r'(src|href)="(https?:)?//', body) is None, url


def _data_fingerprint(session: Any) -> dict[str, Any]:
    """Rows per table. Opening a large document asks for a print job: the job and the audit
    record of asking for it are the only rows a GET may add."""
    session.expire_all()
    counts = {t.name: session.execute(sa.select(sa.func.count()).select_from(t)).scalar()
              for t in Base.metadata.sorted_tables if t.name != "jobs"}
    counts["audit_events"] = session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action != "job.create"))
    return counts


def _domain_ids(session: Any, make_user: Any, project: Any) -> dict[str, Any]:
    """The URL arguments that each domain's role-matrix module (tests/support) creates."""
    world = {"project_a": project, "project_b": ProjectFactory(),
             "users": {role.value: make_user(role) for role in Role}}
    ids: dict[str, Any] = {}
    other: dict[str, Any] = {}
    # In the order the role matrix builds them: later modules use the records of earlier ones.
    for module in sorted(domain_modules(), key=lambda m: getattr(m, "ORDER", 0)):
        extra, extra_other = module.make_ids(session, {**world, "ids_a": ids, "ids_b": other})
        ids.update(extra)
        other.update(extra_other)
    session.commit()
    return ids


def test_no_state_change_over_get(app: Flask, client: Any, login_as: Any, session: Any,
                                  make_user: Any) -> None:
    project = ProjectFactory()
    member = MemberFactory(project=project)
    org = OrganisationFactory()
    session.commit()
    ids = {**_domain_ids(session, make_user, project),
           "project_id": project.id, "programme_id": project.programme_id, "org_id": org.id,
           "user_id": member.user_id, "member_id": member.id, "filename": "app.css"}
    login_as(Role.ADMIN)
    before = _data_fingerprint(session)
    versions = session.execute(sa.select(sa.func.max(sa.text("version"))).select_from(
        sa.table("projects"))).scalar()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:\w+:)?{arg}>", str(ids[arg]), url)
        with client.get(url) as response:
            assert response.status_code < 500, url
    assert _data_fingerprint(session) == before
    assert session.execute(sa.select(sa.func.max(sa.text("version"))).select_from(
        sa.table("projects"))).scalar() == versions


def test_request_size_limit(app: Flask, client: Any) -> None:
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data=too_big, content_type="application/octet-stream")
    assert response.status_code == 413


def test_error_pages_show_no_stack_trace(database_url: str) -> None:
    from tests_support import make_app_with_failing_route

    app = make_app_with_failing_route(database_url)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert "Traceback" not in body and "secret detail" not in body


def test_unknown_page_is_a_friendly_404(client: Any) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_production_refuses_to_start_without_a_real_secret_key(database_url: str) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": database_url,
                    "SECRET_KEY": DEV_SECRET_KEY})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": database_url, "SECRET_KEY": "short"})
    app = create_app({"ENV": "production", "DATABASE_URL": database_url,
                      "SECRET_KEY": "k" * 48})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_percent_and_underscore_in_a_search_are_characters_not_wildcards(
        client: Any, login_as: Any, session: Any) -> None:
    from seed.factories import ProjectFactory

    ProjectFactory(code="P-100", title="Ninety percent of districts")
    ProjectFactory(code="P-200", title="Reach 100% of schools")
    ProjectFactory(code="P_300", title="Underscore code")
    session.commit()
    login_as(Role.ADMIN)
    everyone = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "No users match." in everyone  # no name or address holds a per cent sign
    found = client.get("/projects?q=%25").get_data(as_text=True)
    assert "Reach 100% of schools" in found and "Ninety percent" not in found
    found = client.get("/projects?q=_").get_data(as_text=True)
    assert "Underscore code" in found and "Ninety percent" not in found


def test_a_lost_database_connection_answers_503_with_retry_after(database_url: str) -> None:
    import sqlalchemy as sa

    from app import create_app
    from tests_support import app_test_config

    app = create_app(app_test_config(database_url))

    @app.get("/lost")
    def lost() -> str:
        raise sa.exc.OperationalError("SELECT 1", {}, Exception(
            "server closed the connection unexpectedly"))

    lost._public = True  # type: ignore[attr-defined]
    response = app.test_client().get("/lost")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_data(as_text=True)
    assert "cannot reach its database" in body and "server closed" not in body
    app.extensions["pvetrack_db"].engine.dispose()


@pytest.mark.parametrize("url", ["/projects?q=a%00b", "/followup/?q=%00", "/login?next=%00",
                                 "/admin/users?q=%00"])
def test_a_nul_byte_is_refused_with_a_clear_message(client: Any, login_as: Any,
                                                    url: str) -> None:
    login_as(Role.ADMIN)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_form_is_refused_before_sign_in(client: Any) -> None:
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "abc", "0"])
def test_any_page_number_shows_a_page(client: Any, login_as: Any, page: str) -> None:
    login_as(Role.ADMIN)
    for url in ("/projects", "/audit", "/admin/users", "/followup/"):
        assert client.get(f"{url}?page={page}").status_code == 200, url


@pytest.mark.parametrize("target", ["/dashboard%0d%0aSet-Cookie:%20x=1", "/\\evil.example",
                                    "/projects%00"])
def test_a_next_with_control_characters_goes_to_the_dashboard(client: Any, make_user: Any,
                                                              target: str) -> None:
    user = make_user(Role.OFFICER)
    from seed.factories import DEFAULT_PASSWORD

    response = client.post(f"/login?next={target}",
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    if response.status_code == 400:
        return  # a NUL byte is refused before anything else
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


def test_an_id_larger_than_any_key_is_no_page_and_no_500(client: Any, login_as: Any) -> None:
    """A path or query id beyond what an integer column holds used to reach the database and
    fail there (SQLite: "Python int too large", PostgreSQL: out of range)."""
    from app.auth.models import Role

    login_as(Role.MANAGER)
    huge = "9" * 40
    assert client.get(f"/projects/{huge}").status_code == 404
    assert client.get(f"/projects/{2**31}").status_code == 404
    assert client.get(f"/evaluation/projects/{huge}").status_code == 404
    page = client.get(f"/projects/new?programme={huge}")
    assert page.status_code == 200  # the programme is simply not chosen
