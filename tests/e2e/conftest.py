"""A live server on its own database, and a real Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import live_server as serve

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not path:
        pytest.fail("The browser tests need Debian's chromium: apt-get install chromium "
                    "(.ci/run installs it).")
    return path


@pytest.fixture(scope="module")
def live_server(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own for each test module: what one module's journey leaves behind (a
    user who switched to Russian, say) never meets another's, whatever order they run in."""
    name = f"e2e_{request.module.__name__.rpartition('.')[2].removeprefix('test_')}"
    with serve(tmp_path_factory.mktemp(name), name) as (base, _data):
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Tests wait on conditions (an element, a URL, a text), never for a fixed time; these are only
# the limits after which a condition that never comes fails the test. They are generous
# because a busy CI machine can take seconds to serve a page; a condition met sooner returns
# at once.
ACTION_TIMEOUT = 30_000
ASSERTION_TIMEOUT = 20_000


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import expect

    expect.set_options(timeout=ASSERTION_TIMEOUT)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    page.set_default_navigation_timeout(ACTION_TIMEOUT)
    yield page
    context.close()


# When the browser drops a connection while the development server streams a static file (a
# favicon fetched as the page navigates away), werkzeug leaves the file for the garbage
# collector, which warns in whichever test runs next. Only that case is ignored; any other
# unclosed file or unraisable exception still fails the suite.
STATIC_FILE_LEFT_OPEN = [
    pytest.mark.filterwarnings(r"ignore:unclosed file <_io\.BufferedReader name='[^']*/app/static/"
                               r":ResourceWarning"),
    pytest.mark.filterwarnings(r"ignore:Exception ignored in. <_io\.FileIO name='[^']*/app/static/"
                               r":pytest.PytestUnraisableExceptionWarning"),
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            for mark in STATIC_FILE_LEFT_OPEN:
                item.add_marker(mark)
