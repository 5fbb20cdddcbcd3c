"""The JSON API as a token-holding script uses it: tokens made on the account page, the IPTT
figures read and a period's values written, refusals (401, 403, 404, 412, 422, 428, 429) as
problem details, pagination, ETags and the OpenAPI document.

The world (tests/support/monitoring_data.py): a project of 2024–2025 with quarterly periods,
all open, and indicators N (a number by sex), R (a ratio), Q (qualitative) and two counted
from the activity log; its officer is a member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from monitoring_data import DataSetup, build

from app.api import access
from app.api.problems import from_exception
from app.audit import Actor, AuditEvent
from app.auth import tokens
from app.auth.models import MemberRole, Role
from app.auth.tokens import ApiToken, TokenScope
from app.frameworks.models import ResultTheme
from app.monitoring.models import Activity, DataValue
from indicators.bank import Theme
from seed.factories import (
    ActivityFactory,
    ActivityParticipantsFactory,
    EventFactory,
    FollowUpActionFactory,
    MemberFactory,
    ProjectFactory,
    RecommendationFactory,
    ResultFactory,
    TargetFactory,
    UserFactory,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def world(session: Any) -> DataSetup:
    return build(session)


def _secret(session: Any, user: Any, scope: TokenScope = TokenScope.READ_WRITE,
            name: str = "sync", **kwargs: Any) -> str:
    _token, secret = tokens.create_token(session, Actor(user.id), user, name, scope, 30,
                                         **kwargs)
    return secret


def _bearer(secret: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **headers}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    assert response.mimetype == PROBLEM
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


# --- tokens -----------------------------------------------------------------------------

def test_a_token_is_made_on_the_account_page_shown_once_and_stored_as_a_digest(
        app: Flask, client: Any, auth: Any, session: Any, world: DataSetup) -> None:
    auth.login(world.officer)
    made = client.post("/account/tokens", data={"name": "field sync", "scope": "read-write",
                                                 "days": "90"})
    assert made.status_code == 201
    secret = re.search(r'id="new-token">(pvt_[A-Za-z0-9_-]+)<', made.get_data(as_text=True))
    assert secret is not None
    stored = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == world.officer.id)
                             ).one()
    assert stored.digest == hashlib.sha256(secret[1].encode()).hexdigest()
    assert secret[1] not in (stored.digest, stored.hint) and secret[1].startswith(stored.hint)
    assert stored.name == "field sync" and stored.scope is TokenScope.READ_WRITE
    assert (stored.expires_at - stored.created_at).days == 90
    page = client.get("/account").get_data(as_text=True)
    assert "field sync" in page and secret[1] not in page
    assert session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.entity == "api_token")) == "api_token.create"

    api = app.test_client()  # no cookies
    assert api.get("/api/v1/projects", headers=_bearer(secret[1])).status_code == 200
    session.expire_all()
    assert session.get(ApiToken, stored.id).last_used_at is not None
    assert client.post(f"/account/tokens/{stored.id}/revoke").status_code == 302
    body = _problem(api.get("/api/v1/projects", headers=_bearer(secret[1])), 401)
    assert "revoked" in body["detail"]


def test_a_token_name_is_required_and_named_in_the_refusal(
        client: Any, auth: Any, world: DataSetup) -> None:
    auth.login(world.officer)
    refused = client.post("/account/tokens", data={"name": " ", "scope": "read", "days": "30"})
    assert refused.status_code == 422
    assert "pvt_" not in refused.get_data(as_text=True)


def test_no_one_revokes_another_users_token(client: Any, auth: Any, session: Any,
                                            world: DataSetup) -> None:
    _secret(session, world.officer)
    token_id = session.scalar(sa.select(ApiToken.id))
    auth.login(world.manager)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert session.get(ApiToken, token_id).revoked_at is None


def test_an_expired_token_a_wrong_one_and_an_inactive_users_get_401(
        client: Any, session: Any, world: DataSetup) -> None:
    old = _secret(session, world.officer, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
    assert "expired" in _problem(client.get("/api/v1/projects", headers=_bearer(old)),
                                 401)["detail"]
    _problem(client.get("/api/v1/projects", headers=_bearer("pvt_" + "x" * 43)), 401)
    missing = _problem(client.get("/api/v1/projects"), 401)
    assert "Authorization: Bearer" in missing["detail"]
    live = _secret(session, world.officer)
    world.officer.active = False
    session.commit()
    response = client.get("/api/v1/projects", headers=_bearer(live))
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_no_credential_for_the_api(
        client: Any, auth: Any, world: DataSetup) -> None:
    """No redirect to sign in, and no cookie stands in for a token (nor makes a write)."""
    auth.login(world.officer)
    _problem(client.get("/api/v1/projects"), 401)
    _problem(client.put(f"/api/v1/periods/{world.period.id}/values",
                        json={"rows": [{"indicator_id": 1, "value": "1", "version": 0}]}), 401)


# --- the done-when script ---------------------------------------------------------------

def _iptt_cell(body: dict[str, Any], code: str, period_id: int) -> dict[str, Any] | None:
    for table in body["tables"]:
        columns = [p["id"] for p in table["periods"]]
        for row in table["rows"]:
            if row["indicator_code"] == code and row["category"] is None:
                cell: dict[str, Any] | None = row["cells"][columns.index(period_id)]
                return cell
    raise AssertionError(f"no row {code}")


def test_a_script_writes_a_periods_values_and_reads_them_in_the_iptt(
        client: Any, session: Any, world: DataSetup) -> None:
    secret = _secret(session, world.officer, name="district sync")
    n, r = world.indicators["N"], world.indicators["R"]
    period = world.period
    saved = client.put(f"/api/v1/periods/{period.id}/values", headers=_bearer(secret), json={
        "rows": [{"indicator_id": n.id, "value": "12", "version": 0},
                 {"indicator_id": r.id, "numerator": "3", "denominator": "4", "version": 0}]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    body = saved.get_json()
    assert body["saved"] == 2
    assert {(v["indicator_id"], v["value"], v["numerator"], v["provisional"])
            for v in body["values"]} == {(n.id, "12", None, True), (r.id, None, "3", True)}

    trail = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "data_values.save")).one()
    assert trail.user_id == world.officer.id
    assert "district sync" in str(trail.changes["via"])

    # The period is open: its values are provisional, counted only on request, and marked.
    approved = client.get(f"/api/v1/values?project={world.project.id}",
                          headers=_bearer(secret)).get_json()
    assert approved["items"] == []
    provisional = client.get(f"/api/v1/values?project={world.project.id}&provisional=true",
                             headers=_bearer(secret)).get_json()["items"]
    assert sorted(v["value"] or v["numerator"] for v in provisional) == ["12", "3"]
    assert all(v["provisional"] for v in provisional)

    iptt = client.get(f"/api/v1/projects/{world.project.id}/iptt?provisional=true",
                      headers=_bearer(secret)).get_json()
    assert iptt["provisional"] is True
    cell = _iptt_cell(iptt, "N", period.id)
    assert cell is not None and cell["actual"] == "12" and cell["provisional"] is True
    ratio = _iptt_cell(iptt, "R", period.id)
    assert ratio is not None and ratio["actual"] == "75"  # 3 of 4, as a percentage
    plain = client.get(f"/api/v1/projects/{world.project.id}/iptt",
                       headers=_bearer(secret)).get_json()
    assert _iptt_cell(plain, "N", period.id)["actual"] is None  # type: ignore[index]


def test_a_batch_with_one_bad_row_saves_nothing_and_names_the_row(
        client: Any, session: Any, world: DataSetup) -> None:
    secret = _secret(session, world.officer)
    n, r = world.indicators["N"], world.indicators["R"]
    url = f"/api/v1/periods/{world.period.id}/values"
    body = _problem(client.put(url, headers=_bearer(secret), json={"rows": [
        {"indicator_id": n.id, "value": "12", "version": 0},
        {"indicator_id": r.id, "numerator": "5", "denominator": "4", "version": 0},
        {"indicator_id": n.id, "value": "abc", "version": 0,
         "category_id": world.categories[("sex", "female")]}]}), 422)
    rows = {item["row"] for item in body["errors"]}
    assert rows == {1, 2}
    assert any("abc" in item["detail"] for item in body["errors"])
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 0
    unknown = _problem(client.put(url, headers=_bearer(secret), json={"rows": [
        {"indicator_id": 2**31 - 1, "value": "1", "version": 0}]}), 422)
    assert unknown["errors"][0]["row"] == 0 and unknown["errors"][0]["field"] == "indicator_id"
    schema = _problem(client.put(url, headers=_bearer(secret), json={"rows": []}), 422)
    assert schema["errors"][0]["field"] == "rows"


def test_a_stale_version_is_refused_with_412_and_a_missing_one_with_428(
        client: Any, session: Any, world: DataSetup) -> None:
    secret = _secret(session, world.officer)
    n = world.indicators["N"]
    url = f"/api/v1/periods/{world.period.id}/values"
    first = client.put(url, headers=_bearer(secret), json={"rows": [
        {"indicator_id": n.id, "value": "12", "version": 0}]})
    assert first.status_code == 200
    version = first.get_json()["values"][0]["version"]
    stale = _problem(client.put(url, headers=_bearer(secret), json={"rows": [
        {"indicator_id": n.id, "value": "13", "version": 0}]}), 412)
    assert stale["errors"][0]["row"] == 0
    _problem(client.put(url, headers=_bearer(secret), json={"rows": [
        {"indicator_id": n.id, "value": "13"}]}), 428)
    session.expire_all()
    assert session.scalar(sa.select(DataValue.value)) == 12
    fresh = client.put(url, headers=_bearer(secret), json={"rows": [
        {"indicator_id": n.id, "value": "13", "version": version}]})
    assert fresh.status_code == 200
    assert fresh.get_json()["values"][0]["value"] == "13"


def test_read_only_tokens_never_write_and_evaluators_never_enter(
        client: Any, session: Any, world: DataSetup) -> None:
    reader = _secret(session, world.officer, TokenScope.READ)
    url = f"/api/v1/periods/{world.period.id}/values"
    rows = {"rows": [{"indicator_id": world.indicators["N"].id, "value": "1", "version": 0}]}
    _problem(client.put(url, headers=_bearer(reader), json=rows), 403)
    assert client.get(url.replace("/values", "").replace("/periods/", "/periods?project=")
                      .split("?")[0], headers=_bearer(reader)).status_code == 200
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 0


def test_another_projects_records_are_404(client: Any, session: Any,
                                          world: DataSetup) -> None:
    other = ProjectFactory()
    session.commit()
    secret = _secret(session, world.officer)
    for url in (f"/api/v1/projects/{other.id}", f"/api/v1/projects/{other.id}/iptt",
                f"/api/v1/periods?project={other.id}"):
        _problem(client.get(url, headers=_bearer(secret)), 404)


# --- activities -------------------------------------------------------------------------

def test_an_activity_is_recorded_and_changed_with_if_match(
        client: Any, session: Any, world: DataSetup) -> None:
    secret = _secret(session, world.officer, name="field app")
    made = client.post(f"/api/v1/projects/{world.project.id}/activities",
                       headers=_bearer(secret), json={
        "kind": "workshop", "title": "Dialogue in Osh", "start_date": "2024-02-10",
        "country": "kg", "cost": "150.5",
        "participants": [{"sex": "female", "age_group": "15_24", "count": 7}]})
    assert made.status_code == 201, made.get_data(as_text=True)
    activity = made.get_json()
    assert activity["country"] == "KG" and activity["cost"] == "150.5"
    assert activity["participants"] == [{"sex": "female", "age_group": "15_24", "count": 7}]
    url = f"/api/v1/activities/{activity['id']}"
    change = {"kind": "workshop", "title": "Dialogue in Osh and Jalal-Abad",
              "start_date": "2024-02-10"}
    _problem(client.put(url, headers=_bearer(secret), json=change), 428)
    _problem(client.put(url, headers=_bearer(secret, **{"If-Match": '"99"'}), json=change), 412)
    done = client.put(url, headers=_bearer(secret, **{"If-Match": f'"{activity["version"]}"'}),
                      json=change)
    assert done.status_code == 200
    assert done.get_json()["version"] == activity["version"] + 1
    session.expire_all()
    assert session.get(Activity, activity["id"]).title == "Dialogue in Osh and Jalal-Abad"
    assert session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.entity == "activity")) == 2
    bad = _problem(client.post(f"/api/v1/projects/{world.project.id}/activities",
                               headers=_bearer(secret), json={
        "kind": "picnic", "title": "x", "start_date": "2024-02-10"}), 422)
    assert bad["errors"][0]["field"] == "kind"


# --- lists, pages, ETags ----------------------------------------------------------------

def test_a_cursor_walks_every_period_once(client: Any, session: Any, world: DataSetup) -> None:
    secret = _secret(session, world.officer)
    seen: list[int] = []
    url = f"/api/v1/periods?project={world.project.id}&limit=3"
    while url:
        body = client.get(url, headers=_bearer(secret)).get_json()
        assert len(body["items"]) <= 3
        seen += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        url = f"/api/v1/periods?project={world.project.id}&limit=3&cursor={cursor}" \
            if cursor else ""
    assert seen == sorted(p.id for p in world.periods)  # eight quarters, 2024–2025
    assert len(seen) == 8
    bad = _problem(client.get("/api/v1/periods?cursor=bm90LWEtY3Vyc29y",
                              headers=_bearer(secret)), 400)
    assert bad["errors"][0]["field"] == "cursor"
    big = _problem(client.get("/api/v1/periods?limit=500", headers=_bearer(secret)), 422)
    assert big["errors"][0]["field"] == "limit"


def test_an_unchanged_answer_is_304_and_a_write_changes_its_etag(
        client: Any, session: Any, world: DataSetup) -> None:
    secret = _secret(session, world.officer)
    url = f"/api/v1/values?project={world.project.id}&provisional=true"
    first = client.get(url, headers=_bearer(secret))
    tag = first.headers["ETag"]
    again = client.get(url, headers=_bearer(secret, **{"If-None-Match": tag}))
    assert again.status_code == 304 and again.data == b""
    client.put(f"/api/v1/periods/{world.period.id}/values", headers=_bearer(secret), json={
        "rows": [{"indicator_id": world.indicators["N"].id, "value": "4", "version": 0}]})
    changed = client.get(url, headers=_bearer(secret, **{"If-None-Match": tag}))
    assert changed.status_code == 200 and changed.headers["ETag"] != tag


def test_too_many_calls_get_429_with_retry_after(app: Flask, client: Any, session: Any,
                                                 world: DataSetup) -> None:
    secret = _secret(session, world.officer)
    kept = app.extensions["api_limiter"]
    app.extensions["api_limiter"] = access.TokenLimiter("memory://", 2)
    try:
        for _ in range(2):
            assert client.get("/api/v1/projects", headers=_bearer(secret)).status_code == 200
        refused = client.get("/api/v1/projects", headers=_bearer(secret))
        _problem(refused, 429)
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        other = _secret(session, world.manager)  # a token of its own count
        assert client.get("/api/v1/projects", headers=_bearer(other)).status_code == 200
    finally:
        app.extensions["api_limiter"] = kept


# --- errors and the document ------------------------------------------------------------

def test_every_error_under_api_is_a_problem(app: Flask, client: Any, session: Any,
                                            world: DataSetup) -> None:
    secret = _secret(session, world.officer)
    _problem(client.get("/api/v1/no-such-thing", headers=_bearer(secret)), 404)
    _problem(client.get("/api/v2/projects"), 404)
    wrong = client.delete("/api/v1/projects", headers=_bearer(secret))
    _problem(wrong, 405)
    assert "GET" in wrong.headers["Allow"]
    _problem(client.get("/api/v1/projects/99999999999", headers=_bearer(secret)), 404)
    with app.test_request_context("/api/v1/projects"):
        failed = from_exception(RuntimeError("secret detail"))
    assert failed.status_code == 500 and failed.mimetype == PROBLEM
    assert "secret detail" not in failed.get_data(as_text=True)
    page = client.get("/no-such-page")  # pages keep their HTML error page
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_writes_need_no_csrf_token_but_a_bearer_one(app: Flask, client: Any, session: Any,
                                                    world: DataSetup, csrf_on: None) -> None:
    secret = _secret(session, world.officer)
    _problem(client.post(f"/api/v1/projects/{world.project.id}/activities",
                         json={"kind": "workshop", "title": "t", "start_date": "2024-01-05"}),
             401)
    made = client.post(f"/api/v1/projects/{world.project.id}/activities",
                       headers=_bearer(secret),
                       json={"kind": "workshop", "title": "t", "start_date": "2024-01-05"})
    assert made.status_code == 201


def test_the_follow_up_report_is_for_managers(client: Any, session: Any,
                                              world: DataSetup) -> None:
    EventFactory()
    EventFactory()
    session.commit()
    _problem(client.get("/api/v1/followup-report",
                        headers=_bearer(_secret(session, world.officer))), 403)
    body = client.get("/api/v1/followup-report",
                      headers=_bearer(_secret(session, world.manager))).get_json()
    assert body["totals"]["events"] == 2 and body["totals"]["none_recorded"] == 2
    assert {e["status"] for e in body["events"]} == {"none_recorded"}
    assert all("nothing to follow up" in e["reason"] for e in body["events"])


def test_the_openapi_document_covers_every_route(app: Flask, client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearer"] == {"type": "http",
                                                               "scheme": "bearer"}
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in {"api.openapi", "api.docs"}:
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented
    put = doc["paths"]["/api/v1/periods/{period_id}/values"]["put"]
    assert "application/problem+json" in put["responses"]["412"]["content"]
    assert "ValueRow" in doc["components"]["schemas"]
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/v1/periods/{period_id}/values" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from elsewhere
    assert 'href="/">Back to PVE Track</a>' in html
    assert 'href="/account#tokens">Your access tokens</a>' in html  # where tokens are made


def test_a_follow_up_action_is_recorded_and_a_stale_change_refused(
        client: Any, session: Any, world: DataSetup) -> None:
    from seed.factories import RecommendationFactory

    recommendation = RecommendationFactory(event=EventFactory(project_id=world.project.id))
    session.commit()
    secret = _secret(session, world.officer, name="ministry feed")
    made = client.post(f"/api/v1/recommendations/{recommendation.id}/followup-actions",
                       headers=_bearer(secret), json={
        "kind": "plan_adopted", "state": "planned", "description": "Draft regional plan"})
    assert made.status_code == 201, made.get_data(as_text=True)
    action = made.get_json()
    assert action["state"] == "planned" and action["recommendation_id"] == recommendation.id
    url = f"/api/v1/followup-actions/{action['id']}"
    change = {"kind": "plan_adopted", "state": "done", "action_date": "2024-05-02",
              "description": "Regional plan adopted"}
    _problem(client.put(url, headers=_bearer(secret), json=change), 428)
    stale = action["version"] + 5
    _problem(client.put(url, headers=_bearer(secret, **{"If-Match": str(stale)}), json=change),
             412)
    done = client.put(url, headers=_bearer(secret, **{"If-Match": str(action["version"])}),
                      json=change)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["state"] == "done"
    trail = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity == "followup_action").order_by(AuditEvent.id)).all()
    assert [t.action for t in trail] == ["followup_action.create", "followup_action.update"]
    assert all("ministry feed" in str(t.changes["via"]) for t in trail)
    no_date = _problem(client.post(
        f"/api/v1/recommendations/{recommendation.id}/followup-actions",
        headers=_bearer(secret), json={"kind": "other", "state": "done",
                                       "description": "Something"}), 422)
    assert no_date["errors"][0]["field"] == "action_date"


def test_the_documentation_page_speaks_the_readers_language(
        client: Any, auth: Any, session: Any, world: DataSetup) -> None:
    from app.auth.models import Locale

    world.officer.locale = Locale.RU
    session.commit()
    auth.login(world.officer)
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<html lang="ru"' in html and "Операции" in html
    assert '<ul lang="en">' in html  # the reference generated from the code stays English
    assert ">Вернуться в PVE Track</a>" in html


# --- one record by its id ---------------------------------------------------------------

def _one_of_each(session: Any, world: DataSetup) -> dict[str, tuple[str, int]]:
    """A record of each kind the API reads one at a time: list URL and id."""
    result = ResultFactory(project=world.project, toc_if="if young people meet officials",
                           toc_then="then trust grows", toc_because="because they are heard",
                           themes=[ResultTheme(theme=Theme.YOUTH),
                                   ResultTheme(theme=Theme.WOMEN)])
    indicator = world.indicators["N"]
    TargetFactory(indicator=indicator, period=world.period, value=12)
    activity = ActivityFactory(project=world.project, title="Dialogue in Osh")
    ActivityParticipantsFactory(activity=activity)
    event = EventFactory(project_id=world.project.id)
    recommendation = RecommendationFactory(event=event)
    action = FollowUpActionFactory(recommendation=recommendation)
    session.commit()
    project = f"project={world.project.id}&provisional=true&limit=200"
    return {"results": (project, result.id), "indicators": (project, indicator.id),
            "periods": (project, world.period.id), "activities": (project, activity.id),
            "events": (project, event.id),
            "recommendations": (f"event={event.id}", recommendation.id),
            "followup-actions": (f"recommendation={recommendation.id}", action.id)}


def test_each_record_read_by_its_id_is_the_record_of_the_list(
        client: Any, session: Any, world: DataSetup) -> None:
    records = _one_of_each(session, world)
    secret = _secret(session, world.officer, TokenScope.READ)
    for kind, (query, ident) in records.items():
        one = client.get(f"/api/v1/{kind}/{ident}", headers=_bearer(secret))
        assert one.status_code == 200, (kind, one.get_data(as_text=True)[:300])
        listed = client.get(f"/api/v1/{kind}?{query}", headers=_bearer(secret)).get_json()
        assert one.get_json() == next(item for item in listed["items"] if item["id"] == ident)
        again = client.get(f"/api/v1/{kind}/{ident}",
                           headers=_bearer(secret, **{"If-None-Match": one.headers["ETag"]}))
        assert again.status_code == 304, kind
        _problem(client.get(f"/api/v1/{kind}/{2**31 - 1}", headers=_bearer(secret)), 404)


def test_a_result_carries_its_theory_of_change_and_themes(
        client: Any, session: Any, world: DataSetup) -> None:
    _query, ident = _one_of_each(session, world)["results"]
    secret = _secret(session, world.officer, TokenScope.READ)
    body = client.get(f"/api/v1/results/{ident}", headers=_bearer(secret)).get_json()
    assert body["themes"] == ["women", "youth"]
    assert (body["toc_if"], body["toc_then"], body["toc_because"]) == (
        "if young people meet officials", "then trust grows", "because they are heard")
    indicator = client.get(f"/api/v1/indicators/{world.indicators['N'].id}",
                           headers=_bearer(secret)).get_json()
    assert [(t["period_id"], t["value"]) for t in indicator["targets"]] == [
        (world.period.id, "12")]


def test_results_are_listed_with_their_themes_in_a_fixed_number_of_queries(
        client: Any, session: Any, world: DataSetup, count_queries: Any) -> None:
    secret = _secret(session, world.officer, TokenScope.READ)
    url = f"/api/v1/results?project={world.project.id}&limit=200"

    def add(count: int) -> None:
        for _ in range(count):
            ResultFactory(project=world.project, themes=[ResultTheme(theme=Theme.ONLINE)])
        session.commit()

    add(2)
    client.get(url, headers=_bearer(secret))  # the token's first use is recorded once
    with count_queries() as few:
        assert len(client.get(url, headers=_bearer(secret)).get_json()["items"]) >= 2
    add(10)
    with count_queries() as many:
        items = client.get(url, headers=_bearer(secret)).get_json()["items"]
    assert len(items) >= 12 and all(item["themes"] == ["online"] for item in items[-12:])
    assert many.count == few.count


def test_a_client_reads_an_activity_then_changes_it_at_the_version_it_read(
        client: Any, session: Any, world: DataSetup) -> None:
    _query, ident = _one_of_each(session, world)["activities"]
    secret = _secret(session, world.officer)
    url = f"/api/v1/activities/{ident}"
    read = client.get(url, headers=_bearer(secret))
    version = read.get_json()["version"]
    change = {"kind": "workshop", "title": "Dialogue in Osh and Batken",
              "start_date": "2024-03-01"}
    done = client.put(url, headers=_bearer(secret, **{"If-Match": f'"{version}"'}), json=change)
    assert done.status_code == 200, done.get_data(as_text=True)[:300]
    after = client.get(url, headers=_bearer(secret, **{"If-None-Match": read.headers["ETag"]}))
    assert after.status_code == 200
    assert after.get_json()["title"] == "Dialogue in Osh and Batken"
    assert after.get_json()["version"] == version + 1
    # a second client still holding the first reading is refused, and nothing is lost
    _problem(client.put(url, headers=_bearer(secret, **{"If-Match": f'"{version}"'}),
                        json={**change, "title": "Stale"}), 412)
    session.expire_all()
    assert session.get(Activity, ident).title == "Dialogue in Osh and Batken"


def test_an_evaluator_of_another_project_finds_no_record_of_this_one(
        client: Any, session: Any, world: DataSetup) -> None:
    records = _one_of_each(session, world)
    stranger = UserFactory(role=Role.EVALUATOR)
    MemberFactory(user=stranger, project=ProjectFactory(), role=MemberRole.EVALUATOR)
    session.commit()
    secret = _secret(session, stranger, TokenScope.READ)
    for kind in ("results", "indicators", "periods", "activities"):
        body = _problem(client.get(f"/api/v1/{kind}/{records[kind][1]}",
                                   headers=_bearer(secret)), 404)
        assert "Dialogue" not in str(body)
    # the follow-up is open to every role, as on the pages
    assert client.get(f"/api/v1/events/{records['events'][1]}",
                      headers=_bearer(secret)).status_code == 200
