"""A person signs in, opens the dashboard, switches to Russian and signs out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser import sign_in

pytestmark = pytest.mark.e2e




def test_sign_in_dashboard_russian_sign_out(page: Any, live_server: str) -> None:
    from playwright.sync_api import expect

    sign_in(page, live_server, "manager")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Marat Manager")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Programmes")

    page.get_by_role("button", name="RU").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")
    expect(page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Программы", exact=True)).to_be_visible()

    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Вход в PVE Track")
    page.goto(f"{live_server}/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_officer_menu_on_a_phone(browser: Any, live_server: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "officer")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    page.get_by_text("Menu").click()
    expect(nav).to_be_visible()
    expect(nav).not_to_contain_text("Audit trail")  # officers do not see the audit trail
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    context.close()
