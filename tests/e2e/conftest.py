"""A live server on its own database, and a real Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from werkzeug.serving import make_server

from app import create_app
from app.cli import alembic_config, load_demo_users
from tests_support import app_test_config, drop_pg_database, fresh_database_url

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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = fresh_database_url(tmp_path_factory.mktemp("e2e"), "e2e")
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url, WTF_CSRF_ENABLED=True))
    with app.app_context():
        load_demo_users("fast")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        app.extensions["pvetrack_db"].engine.dispose()
        if os.environ.get("TEST_DATABASE_URL"):
            drop_pg_database(url)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
