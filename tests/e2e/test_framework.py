"""A manager builds a project's whole results framework in the browser, CSRF on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser import sign_in, submit

pytestmark = pytest.mark.e2e



def _save(page: Any, name: str = "Save") -> None:
    submit(page, name)


def _add_result(page: Any, link: str, statement: str, toc: tuple[str, str, str]) -> None:
    page.get_by_role("link", name=link).first.click()
    page.get_by_label("Result statement").fill(statement)
    page.get_by_label("If …").fill(toc[0])
    page.get_by_label("then …").fill(toc[1])
    page.get_by_label("because …").fill(toc[2])
    _save(page)


def _indicator_from_bank(page: Any, words: str, code: str, result: str, baseline: str,
                         target: str) -> None:
    from playwright.sync_api import expect

    # the search asks for matches through htmx: type only once the page and htmx have loaded
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Add an indicator").click()
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("Search the bank").fill(words)  # htmx asks for the matches as you type
    page.get_by_role("link", name=f"Use this indicator {code}").click()
    expect(page.get_by_text(f"Copied from the bank: {code}")).to_be_visible()
    page.get_by_label("Result measured").select_option(label=result)
    page.get_by_label("Baseline value").fill(baseline)
    page.get_by_label("Baseline date").fill("2024-12-01")
    page.get_by_label("Life-of-project target").fill(target)
    page.get_by_label("Responsible person").fill("Aigerim, M&E officer")
    _save(page, "Save and set targets")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Targets of")
    inputs = page.locator("input.fw-target-input")
    for index in range(inputs.count()):
        inputs.nth(index).fill(str(int(target) // inputs.count() or 1))
    _save(page, "Save targets")


def test_manager_builds_a_whole_framework(page: Any, live_server: str) -> None:
    from playwright.sync_api import expect

    base = live_server
    sign_in(page, base, "manager")
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.goto(f"{base}/organisations/new")
    page.get_by_label("Name").fill("European Union")
    page.get_by_label("Kind").select_option("donor")
    _save(page)

    page.goto(f"{base}/programmes/new")
    page.get_by_label("Code").fill("E2E-PVE")
    page.get_by_label("Title").fill("Youth resilience in the Fergana Valley")
    page.get_by_label("Donor", exact=True).select_option(label="European Union")
    page.get_by_label("Amount", exact=True).fill("500000")
    page.get_by_label("I. Conditions conducive to the spread of terrorism").check()
    page.get_by_label("Empowering youth").check()
    page.get_by_label("Youth", exact=True).check()
    page.get_by_label("Pull: belonging and social networks").check()
    page.get_by_label("Local", exact=True).check()
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("E2E-PVE")
    expect(page.locator("dl")).to_contain_text("European Union: $500,000.00")
    expect(page.locator("dl")).to_contain_text("Empowering youth")

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Code").fill("E2E-PVE-1")
    page.get_by_label("Title").fill("Peer speakers against violent extremism")
    page.get_by_label("Start date").fill("2025-01-01")
    page.get_by_label("End date").fill("2025-12-31")
    page.get_by_label("Budget").fill("100000")
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("E2E-PVE-1")

    page.get_by_role("link", name="Checklist").click()
    expect(page.locator("#step-resources")).to_contain_text("No budget line yet.")

    page.get_by_role("link", name="1. Resource allocation").click()
    for category, description, amount in (("activities", "Trainings and peer events", "90000"),
                                          ("monitoring_evaluation", "Baseline and endline",
                                           "10000")):
        page.get_by_role("link", name="Add a budget line").click()
        page.get_by_label("Category").select_option(category)
        page.get_by_label("Description").fill(description)
        page.get_by_label("Planned amount").fill(amount)
        _save(page)
    expect(page.locator(".fw-stats")).to_contain_text("10%")

    page.get_by_role("link", name="2. Results chain").click()
    _add_result(page, "Add a goal", "Fewer young people are drawn into violent groups",
                ("young people find belonging", "recruiters find fewer listeners",
                 "isolation is what recruiters exploit"))
    _add_result(page, "Add an outcome", "Young people challenge extremist narratives",
                ("peer speakers are trained", "they speak up", "peers trust peers"))
    _add_result(page, "Add an output", "Peer speakers are trained",
                ("training is offered", "speakers are ready", "skills need practice"))
    chain = page.locator(".fw-tree")
    expect(chain).to_contain_text("G")
    expect(chain).to_contain_text("1.1")
    expect(chain).to_contain_text("peers trust peers")

    page.get_by_role("link", name="Edit 1", exact=True).click()
    page.get_by_role("link", name="Add an assumption").click()
    page.get_by_label("Assumption").fill("Schools keep letting trained speakers in")
    _save(page)
    expect(page.locator("#assumptions")).to_contain_text("Schools keep letting")

    page.get_by_role("link", name="3. Risks").click()
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Category").select_option("do_no_harm")
    page.get_by_label("Risk").fill("Speakers are threatened by recruiters")
    page.get_by_label("Likelihood (1–5)").fill("3")
    page.get_by_label("Impact (1–5)").fill("4")
    page.get_by_label("Mitigation").fill("No names in public; safety plan per speaker")
    page.get_by_label("Owner").fill("Project director")
    page.get_by_label("Review date").fill("2025-06-30")
    _save(page)
    expect(page.locator("table")).to_contain_text("12")

    page.get_by_role("link", name="4. Indicators").click()
    _indicator_from_bank(page, "peer speakers", "PVE-YTH-01", "1.1 — Peer speakers are trained",
                         "0", "200")
    _indicator_from_bank(page, "lead prevention", "PVE-YTH-03",
                         "1 — Young people challenge extremist narratives", "10", "40")
    table = page.locator("table")
    expect(table).to_contain_text("PVE-YTH-01")
    expect(table).to_contain_text("4 of 4")
    expect(table).to_contain_text("2 of 2")
    expect(table.locator(".badge-missing")).to_have_count(0)

    page.get_by_role("link", name="Results", exact=True).click()
    tree = page.locator(".fw-tree")
    expect(tree).to_contain_text("Young people trained as peer speakers")
    expect(tree).to_contain_text("No data")
    expect(page.locator("#gaps")).to_contain_text("None: every step of the set-up is complete.")

    page.get_by_role("link", name="Checklist").click()
    expect(page.get_by_text("The framework is complete: every step is done.")).to_be_visible()
    expect(page.locator(".badge-done")).to_have_count(4)
