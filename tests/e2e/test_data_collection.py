"""An officer logs an activity, enters a period's values and submits it; a manager approves
it, and the period is locked for everyone: the officer sees the lock and cannot save."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from browser import live_server, sign_in

from app.audit import Actor
from app.auth.models import User
from app.frameworks import indicator_services
from app.frameworks.models import DisaggregationType, ReportingPeriod
from app.programmes import services as programme_services

pytestmark = pytest.mark.e2e


def _set_up(session: Any) -> dict[str, Any]:
    """A project with an officer, a hand-entered indicator by sex and one computed from the
    activity log, and its quarterly periods, made through the services."""
    system = Actor.system()
    today = dt.date.today()
    programme = programme_services.create_programme(session, system, {
        "code": "E2E-DC", "title": "Peer speakers against recruitment", "countries": ["KG"],
        "currency": "USD", "status": "implementation"})
    project = programme_services.create_project(session, system, {
        "programme_id": programme.id, "code": "E2E-DC-1", "title": "Peer speakers in Osh",
        "countries": ["KG"], "status": "implementation",
        "start_date": dt.date(today.year - 1, 1, 1), "end_date": dt.date(today.year + 1, 12, 31)})
    officer = session.scalar(sa.select(User).where(User.email == "officer@example.org"))
    programme_services.add_member(session, system, project, officer)
    sex = session.scalar(sa.select(DisaggregationType.id).where(DisaggregationType.code == "sex"))
    common = {"type": "output", "measure": "number", "direction": "increase",
              "calculation": "sum", "cumulation": "non_cumulative", "frequency": "quarterly",
              "disaggregations": [sex]}
    trained = indicator_services.create_indicator(session, system, project, {
        **common, "code": "1.1", "name": "Young people trained as peer speakers"})
    indicator_services.create_indicator(session, system, project, {
        **common, "code": "1.2", "name": "Workshop participants",
        "activity_source": "participants"})
    period = session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == project.id).order_by(ReportingPeriod.start_date)).first()
    female, male = (session.scalar(sa.text(
        "SELECT c.id FROM disaggregation_categories c JOIN disaggregation_types t "
        "ON t.id = c.type_id WHERE t.code = 'sex' AND c.code = :c"), {"c": c})
        for c in ("female", "male"))
    return {"project": project.id, "period": period.id, "start": period.start_date,
            "trained": trained.id, "female": female, "male": male}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with live_server(tmp_path_factory.mktemp("e2e-dc"), "e2e_dc", _set_up) as served:
        yield served


def sign_out(page: Any) -> None:
    page.goto(page.url)
    nav = page.get_by_role("navigation", name="Main")
    if not nav.is_visible():
        page.get_by_text("Menu").click()
    nav.get_by_role("button", name="Sign out").click()


def test_officer_reports_manager_approves_and_the_period_locks(
        browser: Any, world: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base, ids = world
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, "officer", wait=True)

    # the activity log: a workshop inside the first period
    page.goto(f"{base}/projects/{ids['project']}/activities/new")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Title").fill("Peer speakers' workshop in Osh")
    page.get_by_label("Start date").fill((ids["start"] + dt.timedelta(days=9)).isoformat())
    page.get_by_label("Women and girls, 15–24").fill("10")
    page.get_by_label("Men and boys, 15–24").fill("8")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activity log")
    expect(page.get_by_role("cell", name="Peer speakers' workshop in Osh")).to_be_visible()

    # the period, from the officer's tasks
    page.goto(f"{base}/tasks")
    page.locator(f"a[href='/periods/{ids['period']}/data']").click()
    expect(page.locator("#row-" + f"{ids['trained']}-{ids['female']}")).to_be_visible()
    participants = page.locator(".dc-indicator", has_text="Workshop participants")
    expect(participants.locator(".dc-total .dc-computed")).to_have_text("18")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    key = f"{ids['trained']}"
    page.get_by_label("Value — 1.1, Total").fill("18")
    page.get_by_label("Value — 1.1, Female").fill("10")
    page.get_by_label("Value — 1.1, Male").fill("8")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("The period was submitted for approval.")).to_be_visible()
    expect(page.locator(".dc-head-badges")).to_contain_text("Submitted")
    sign_out(page)

    # the manager hears of it, approves, and the period locks
    sign_in(page, base, "manager", wait=True)
    page.get_by_text("Menu").click()
    expect(page.locator(".nav-count")).to_contain_text("1")
    page.goto(f"{base}/tasks")
    page.get_by_role("link", name="Review").click()
    page.get_by_role("button", name="Approve and lock").click()
    expect(page.get_by_text("The period is approved and now locked for everyone.")).to_be_visible()
    expect(page.locator(".dc-head-badges")).to_contain_text("Approved · locked")
    sign_out(page)

    # the officer sees the lock and cannot save, even by posting the form anyway
    sign_in(page, base, "officer", wait=True)
    page.goto(f"{base}/periods/{ids['period']}/data")
    expect(page.get_by_text("Approved and locked.")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.locator(f"input[name^='{key}-']")).to_have_count(0)
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(f"{base}/periods/{ids['period']}/data", form={
        "csrf_token": token, f"{key}-{ids['female']}-value": "99",
        f"{key}-{ids['female']}-version": "1"})
    assert response.status == 422
    assert "approved and locked" in response.text()
    page.goto(f"{base}/notifications")
    expect(page.get_by_role("main")).to_contain_text("approved the period")
    page.goto(f"{base}/projects/{ids['project']}/activities")
    logged = page.get_by_role("cell", name=re.compile("Peer speakers' workshop in Osh"))
    expect(logged).to_contain_text("Locked")
    context.close()
