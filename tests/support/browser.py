"""Helpers for the browser tests: a live server on a database of its own, and signing in."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from app import create_app
from app.cli import DEMO_USERS, alembic_config, load_demo_users
from app.db import db
from seed.factories.base import use_session
from tests_support import app_test_config, drop_pg_database, fresh_database_url

T = TypeVar("T")


@contextmanager
def live_server(folder: Path, name: str,
                set_up: Callable[[Session], T] | None = None) -> Iterator[tuple[str, T | None]]:
    """Serve the app, with CSRF on, from a fresh database holding the demo users and
    whatever ``set_up`` writes (its return value is handed to the test)."""
    url = fresh_database_url(folder, name)
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url, WTF_CSRF_ENABLED=True))
    data = None
    with app.app_context():
        load_demo_users("fast")
        if set_up is not None:
            with db.standalone_session() as session:
                use_session(session)
                try:
                    data = set_up(session)
                finally:
                    use_session(None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", data
    finally:
        server.shutdown()
        app.extensions["pvetrack_db"].engine.dispose()
        if os.environ.get("TEST_DATABASE_URL"):
            drop_pg_database(url)


def sign_in(page: Any, base: str, role: str, wait: bool = False) -> None:
    """Sign in on the login page as the demo user of ``role``."""
    email, _name, _role, password = next(u for u in DEMO_USERS if u[2].value == role)
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if wait:
        page.wait_for_url(re.compile(r"/dashboard$"))


def submit(page: Any, name: str = "Save") -> None:
    """Press a form's button and wait for the page the server answers with (the redirect
    after a save, or the form again with its errors) before the test goes on."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=name, exact=True).click()
