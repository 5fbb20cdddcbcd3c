"""On the documented dataset: the Almaty 2016 workshop is a talk shop until a manager
records and verifies a follow-up for one of its recommendations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser import live_server, sign_in

from app.audit import Actor
from seed import loader

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def documented_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("e2e-story"), "e2e_story",
                     lambda session: loader.load(session, Actor.system())) as (base, _):
        yield base


def test_almaty_2016_talk_shop_gets_its_first_verified_follow_up(
    browser: Any, documented_server: str
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, documented_server, "manager", wait=True)
    page.goto(f"{documented_server}/followup/report")
    page.get_by_role("link", name=re.compile("^Recognizing and Responding to Radicalization")
                     ).first.click()

    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Talk shop")
    expect(verdict).to_contain_text("not one of the 6 recommendations due by")
    why = page.locator("section.why")
    expect(why.locator("tbody tr")).to_have_count(6)
    expect(why).to_contain_text("Support national action plans")
    expect(page.locator(".provenance").first).to_contain_text("Almaty, 29-31 March 2016")

    sixth = page.locator("article.recommendation").nth(5)
    sixth.get_by_role("link", name="Record follow-up").click()
    page.get_by_label("Date", exact=True).fill("2023-06-01")
    page.get_by_label("Kind").select_option("policy_adopted")
    page.get_by_label("What was done or promised").fill(
        "A national programme on countering extremism was adopted (recorded for the test).")
    page.get_by_label("Evidence (web address)").fill("https://example.org/programme")
    page.get_by_role("button", name="Save").click()
    # recorded but not verified: still a talk shop, and the sentence says what waits
    expect(page.locator(".verdict")).to_contain_text("Talk shop")
    expect(page.locator(".verdict")).to_contain_text("1 action awaits verification.")

    sixth = page.locator("article.recommendation").nth(5)
    sixth.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("Follow-up action verified.")
    expect(page.locator(".verdict")).to_contain_text("Weak follow-up")
    expect(page.locator("section.why tbody tr")).to_have_count(5)
    expect(page.locator("article.recommendation").nth(5).locator(".badge-verified")
           ).to_have_text("Verified")
    page.close()
