"""The report cache against a real Redis: a committed write is seen on the next read, a
rolled-back one changes nothing, parameters do not collide, and permissions are still checked."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.audit import Actor
from app.auth.models import Role
from app.cache import ANY, EXTENSION, RedisStore, ReportCache
from app.followup import services, views_report
from app.followup import views as followup_views
from app.followup.models import EventKind
from app.frameworks.models import Frequency, PeriodState
from app.jobs.models import Job, JobState
from app.monitoring import approval
from app.reports import portfolio
from seed.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    ProjectFactory,
    ReportingPeriodFactory,
)
from tests_support import redis_test_url

REDIS_URL = redis_test_url("TEST_REDIS_URL", 14)


@pytest.fixture
def report_cache(app: Flask) -> Iterator[ReportCache]:
    cache: ReportCache = app.extensions[EXTENSION]
    store = RedisStore(REDIS_URL, f"pvetrack:test:{uuid.uuid4().hex}")
    try:
        store.redis.ping()
    except Exception as exc:
        if os.environ.get("CI") or os.environ.get("PVE_E2E_REQUIRED"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    original, cache.store = cache.store, store
    try:
        yield cache
    finally:
        cache.store = original
        keys = list(store.redis.scan_iter(f"{store.prefix}:*"))
        if keys:
            store.redis.delete(*keys)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the portfolio's figures were computed rather than read from the cache."""
    calls: list[int] = []
    original = portfolio._aggregates

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(portfolio, "_aggregates", counting)
    return calls


def _awaiting(page: str) -> int:
    found = re.search(r'<span class="stat-n">(\d+)</span><span>reports? awaiting approval', page)
    assert found, "the dashboard shows the reports awaiting approval"
    return int(found.group(1))


@pytest.fixture
def open_period(session: Any) -> Any:
    project = ProjectFactory(code="CACHE-1")
    period = ReportingPeriodFactory(
        project=project, frequency=Frequency.QUARTERLY, start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 3, 31), due_date=dt.date(2024, 4, 30), state=PeriodState.OPEN)
    session.commit()
    return period


def test_a_committed_write_is_seen_on_the_next_read(
        client: FlaskClient, login_as: Any, session: Any, open_period: Any,
        report_cache: ReportCache, computed: list[int]) -> None:
    manager = login_as(Role.MANAGER)
    before = _awaiting(client.get("/dashboard").get_data(as_text=True))
    again = _awaiting(client.get("/dashboard").get_data(as_text=True))
    assert again == before and len(computed) == 1  # the second read came from the cache

    approval.submit(session, Actor(user_id=manager.id, ip=None), open_period,
                    open_period.version)
    session.commit()

    after = _awaiting(client.get("/dashboard").get_data(as_text=True))
    assert after == before + 1
    assert len(computed) == 2


def test_a_rolled_back_write_raises_no_generation(
        client: FlaskClient, login_as: Any, session: Any, open_period: Any,
        report_cache: ReportCache, computed: list[int]) -> None:
    login_as(Role.MANAGER)
    before = _awaiting(client.get("/dashboard").get_data(as_text=True))
    generations = report_cache.generations([ANY, "reporting_periods"])

    open_period.state = PeriodState.SUBMITTED
    session.flush()  # written, then undone
    session.rollback()

    assert report_cache.generations([ANY, "reporting_periods"]) == generations
    assert _awaiting(client.get("/dashboard").get_data(as_text=True)) == before
    assert len(computed) == 1


def test_a_commit_raises_the_generations_of_the_tables_it_changed(
        session: Any, open_period: Any, report_cache: ReportCache) -> None:
    before = report_cache.generations([ANY, "reporting_periods", "events"])
    open_period.due_date = dt.date(2024, 5, 31)
    session.commit()
    after = report_cache.generations([ANY, "reporting_periods", "events"])
    assert after[ANY] == before[ANY] + 1
    assert after["reporting_periods"] == before["reporting_periods"] + 1
    assert after["events"] == before["events"]


def test_different_parameters_do_not_collide(report_cache: ReportCache) -> None:
    first = report_cache.get_or_compute("sample", ("a", 1), lambda: "one")
    second = report_cache.get_or_compute("sample", ("a", 2), lambda: "two")
    other = report_cache.get_or_compute("other", ("a", 1), lambda: "three")
    assert (first, second, other) == ("one", "two", "three")
    assert report_cache.get_or_compute("sample", ("a", 1), lambda: "recomputed") == "one"
    assert report_cache.get_or_compute("sample", ("a", 2), lambda: "recomputed") == "two"


def test_the_portfolio_of_two_days_is_kept_apart(
        app: Flask, session: Any, report_cache: ReportCache) -> None:
    project = ProjectFactory(code="CACHE-2")
    ReportingPeriodFactory(
        project=project, frequency=Frequency.QUARTERLY, start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 3, 31), due_date=dt.date(2024, 4, 30), state=PeriodState.OPEN)
    session.commit()
    bands, settings = portfolio.StatusBands(), portfolio.FollowUpSettings()
    with app.app_context():
        before_due = portfolio.load(session, dt.date(2024, 4, 1), bands, settings)
        after_due = portfolio.load(session, dt.date(2024, 6, 1), bands, settings)
    assert after_due.overdue_reports == before_due.overdue_reports + 1


def test_the_cached_portfolio_is_shown_only_to_those_allowed(
        app: Flask, client: FlaskClient, login_as: Any, make_user: Any, open_period: Any,
        report_cache: ReportCache, computed: list[int]) -> None:
    officer = make_user(Role.OFFICER)
    login_as(Role.MANAGER)
    assert "awaiting approval" in client.get("/dashboard").get_data(as_text=True)
    assert len(computed) == 1  # the portfolio is now in the cache

    anonymous = app.test_client().get("/dashboard")
    assert anonymous.status_code == 302 and "login" in anonymous.headers["Location"]
    other = app.test_client()
    signed_in = other.post("/login", data={"email": officer.email, "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 302
    page = other.get("/dashboard")
    assert page.status_code == 200
    assert "awaiting approval" not in page.get_data(as_text=True)
    assert other.get("/audit").status_code == 403
    assert len(computed) == 1


def _event(title: str) -> dict[str, Any]:
    return {"title": title, "kind": EventKind.WORKSHOP, "start_date": dt.date(2016, 3, 29),
            "end_date": dt.date(2016, 3, 31), "city": "Almaty", "country": "kz",
            "participants_total": None, "participants_women": None, "participants_men": None,
            "cost": None, "currency": None, "report_url": None, "description": None,
            "project_id": None, "organiser_ids": [], "funder_ids": []}


@pytest.mark.parametrize(("url", "name"), [("/followup/report", "report_page"),
                                           ("/followup/", "events_page")])
def test_the_follow_up_pages_show_a_new_event_at_once(
        client: FlaskClient, login_as: Any, session: Any, report_cache: ReportCache,
        monkeypatch: pytest.MonkeyPatch, url: str, name: str) -> None:
    module = views_report if name == "report_page" else followup_views
    calls: list[int] = []
    original = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or original(*a, **k))
    manager = login_as(Role.MANAGER)
    services.create_event(session, Actor(user_id=manager.id, ip=None),
                          _event("Workshop on community policing"))
    first = client.get(url).get_data(as_text=True)
    assert "Workshop on community policing" in first
    assert client.get(url).get_data(as_text=True) == first
    assert len(calls) == 1  # the second read came from the cache

    services.create_event(session, Actor(user_id=manager.id, ip=None),
                          _event("Round table on prison radicalisation"))
    after = client.get(url).get_data(as_text=True)
    assert "Round table on prison radicalisation" in after
    assert "Workshop on community policing" in after
    assert len(calls) == 2
    # Another page number is another entry, not the first page served again.
    assert client.get(url + "?page=2").status_code == 200
    assert len(calls) == 3


def test_the_filter_choices_show_a_new_organiser_at_once(
        client: FlaskClient, login_as: Any, session: Any, report_cache: ReportCache) -> None:
    manager = login_as(Role.MANAGER)
    actor = Actor(user_id=manager.id, ip=None)
    services.create_event(session, actor, _event("Workshop on community policing"))
    assert "Ferghana Valley Forum" not in client.get("/followup/").get_data(as_text=True)
    organiser = OrganisationFactory(name="Ferghana Valley Forum", acronym=None)
    session.commit()
    services.create_event(session, actor, {**_event("Round table"),
                                           "organiser_ids": [organiser.id]})
    page = client.get("/followup/").get_data(as_text=True)
    assert re.search(rf'<option value="{organiser.id}"\s*>Ferghana Valley Forum</option>', page)


def test_a_job_recording_its_progress_keeps_the_cached_reports(
        session: Any, login_as: Any, report_cache: ReportCache) -> None:
    owner = login_as(Role.MANAGER)
    job = Job(kind="document", owner_id=owner.id, params={}, state=JobState.RUNNING)
    session.add(job)
    session.commit()
    before = report_cache.generations([ANY, "jobs"])
    job.done = 3
    session.commit()
    after = report_cache.generations([ANY, "jobs"])
    assert after == {ANY: before[ANY], "jobs": before["jobs"] + 1}
