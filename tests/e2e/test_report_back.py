"""A manager sends a report-back link; the focal point opens it on a phone in Russian and
reports a done action with a file; the manager verifies it and the event's verdict changes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from browser import live_server as serve
from browser import sign_in

from seed.factories import EventFactory, RecommendationFactory

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% order of the ministry on youth councils\ntrailer << >>\n%%EOF\n"


def _set_up(session: Any) -> Any:
    event = EventFactory(title="Dialogue with youth councils, Bishkek",
                         start_date=dt.date(2024, 1, 8), end_date=dt.date(2024, 1, 10))
    RecommendationFactory(event=event, number="1", text="Fund the youth councils in every "
                          "region.", focal_name="Aigerim Sadykova",
                          focal_email="a.sadykova@ministry.example",
                          focal_organisation="Ministry of Youth")
    session.commit()
    return event.id, session.get_bind()


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with serve(tmp_path_factory.mktemp("report-back"), "report_back", _set_up) as (base, data):
        yield base, data


def test_a_focal_point_reports_back_from_a_phone_and_the_verdict_changes(
        browser: Any, page: Any, server: tuple[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base, (event_id, engine) = server
    sign_in(page, base, "manager", wait=True)
    page.goto(f"{base}/followup/events/{event_id}")
    expect(page.locator(".verdict")).to_contain_text("Talk shop")

    page.locator("article.recommendation").first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/followup/recommendations/\d+$"))
    links = page.locator("#report-back")
    links.get_by_label("In Russian").check()
    links.get_by_role("button", name="Send a report-back link").click()
    expect(page.get_by_role("status")).to_contain_text(
        "A report-back link was sent to a.sadykova@ministry.example.")
    expect(page.locator("#report-back tbody tr")).to_have_count(1)
    expect(page.locator("#report-back tbody")).to_contain_text("Active")

    with engine.connect() as connection:
        text = connection.scalar(sa.text("SELECT text FROM mail_messages "
                                         "WHERE kind = 'report_back'"))
    assert "Уважаем" in text  # written in the language the manager chose
    path = re.search(r"https?://[^/\s]+(/followup/report-back/\S+)", text).group(1)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                is_mobile=True, has_touch=True)
    try:
        focal = phone.new_page()
        focal.goto(base + path)
        expect(focal.get_by_role("heading", level=1)).to_have_text(
            "Report back on a recommendation")
        focal.get_by_role("button", name="RU").click()
        expect(focal.get_by_role("heading", level=1)).to_have_text("Отчёт по рекомендации")
        expect(focal.locator("main")).to_contain_text("Dialogue with youth councils, Bishkek")
        expect(focal.locator("main")).to_contain_text("Fund the youth councils in every region.")
        # Nothing of the manager's pages: no navigation, no other record.
        expect(focal.get_by_role("navigation", name="Main")).to_have_count(0)
        width = focal.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px phone"

        focal.locator("input[name=state][value=done]").check()
        focal.locator("input[name=action_date]").fill("2024-06-15")
        focal.locator("select[name=kind]").select_option("funding_committed")
        focal.locator("textarea[name=description]").fill(
            "Бюджет на молодёжные советы утверждён во всех областях.")
        pdf = tmp_path / "prikaz.pdf"
        pdf.write_bytes(PDF)
        focal.locator("input[name=file]").set_input_files(str(pdf))
        focal.locator("input[name=file_title]").fill("Приказ министерства № 12")
        focal.get_by_role("button", name="Отправить отчёт").click()
        expect(focal.get_by_role("status")).to_contain_text("Спасибо: ваш отчёт записан.")
        focal.screenshot(path=str(tmp_path / "focal-point-ru-390.png"), full_page=True)
    finally:
        phone.close()

    page.goto(f"{base}/followup/events/{event_id}")
    expect(page.locator(".verdict")).to_contain_text("Talk shop")
    expect(page.locator(".verdict")).to_contain_text("1 action awaits verification.")
    first = page.locator("article.recommendation").first
    expect(first).to_contain_text("Бюджет на молодёжные советы")
    first.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("Follow-up action verified.")
    expect(page.locator(".verdict")).to_contain_text("Followed up")
