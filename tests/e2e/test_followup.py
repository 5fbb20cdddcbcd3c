"""A manager finds a talk shop, records and verifies a follow-up, and sees the status change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser import sign_in

pytestmark = pytest.mark.e2e



def test_manager_turns_a_talk_shop_into_a_followed_up_event(page: Any, live_server: str) -> None:
    from playwright.sync_api import expect

    sign_in(page, live_server, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up of events")

    # The event and its recommendations, as the workshop report gives them.
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Recognising and responding to radicalisation, Almaty")
    page.get_by_label("Start date").fill("2016-03-29")
    page.get_by_label("End date").fill("2016-03-31")
    page.get_by_label("City").fill("Almaty")
    page.get_by_label("Country").fill("KZ")
    page.get_by_role("button", name="Save").click()
    for number, text in (("1", "Sponsor research on the drivers of radicalisation."),
                         ("2", "Establish youth movements against radicalisation.")):
        page.get_by_role("link", name="Add recommendation").click()
        page.get_by_label("Number").fill(number)
        page.get_by_label("Text").fill(text)
        page.get_by_role("button", name="Save").click()

    # A talk shop, with its reasons: each recommendation and the days since the event.
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Talk shop")
    expect(verdict).to_contain_text("not one of the 2 recommendations due by")
    why = page.locator("section.why")
    expect(why.get_by_role("heading")).to_have_text("Why it is a talk shop")
    expect(why.locator("tbody tr")).to_have_count(2)
    expect(why).to_contain_text("Sponsor research on the drivers of radicalisation.")

    # The manager records what was done about the first recommendation.
    first = page.locator("article.recommendation").first
    first.get_by_role("link", name="Record follow-up").click()
    expect(page.get_by_role("radio", name="Done")).to_be_checked()
    page.get_by_label("Date", exact=True).fill("2017-02-01")
    page.get_by_label("Kind").select_option("programme_launched")
    page.get_by_label("What was done or promised").fill(
        "A regional research network on radicalisation was launched.")
    page.get_by_label("Evidence (web address)").fill("https://example.org/network")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/followup/events/\d+#rec-\d+$"))
    expect(page.locator(".verdict")).to_contain_text("Talk shop")
    expect(page.locator(".verdict")).to_contain_text("1 action awaits verification.")

    # ... and verifies it: who and when are recorded and the verified rate moves.
    first = page.locator("article.recommendation").first
    first.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status")).to_contain_text("Follow-up action verified.")
    first = page.locator("article.recommendation").first
    expect(first.locator(".badge-verified")).to_have_text("Verified")
    expect(first).to_contain_text("by Marat Manager on")
    expect(page.locator(".stats")).to_contain_text("50%")
    expect(page.locator(".verdict")).to_contain_text("Followed up: 1 of the 2 recommendations")
    expect(page.locator("section.why")).to_have_count(0)
