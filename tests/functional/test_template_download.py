"""Downloading an import template holds no database transaction once the file is sent: the
next request can write at once (on SQLite a held read transaction blocked every writer, and
on PostgreSQL each download left a connection idle in a transaction)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from browser import live_server
from monitoring_data import build

from app.cli import DEMO_USERS
from app.config import normalise_database_url


def _signed_in_opener(base: str, email: str, password: str) -> Any:
    """A real HTTP client with a cookie jar, signed in through the sign-in form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login") as response:
        page = response.read().decode()
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    token = found.group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    with opener.open(f"{base}/login", data=body.encode()):
        pass
    return opener


def test_a_template_downloaded_from_a_real_server_leaves_the_database_free(
        tmp_path: Path) -> None:
    def set_up(session: Any) -> Any:
        return build(session, code="TPL-2").project.id

    with live_server(tmp_path, "template_live", set_up) as (base, project_id):
        email, _name, _role, password = next(u for u in DEMO_USERS if u[2].value == "manager")
        opener = _signed_in_opener(base, email, password)
        with opener.open(f"{base}/projects/{project_id}/import/values.csv") as response:
            body = response.read()
        assert body.decode("utf-8").startswith("\ufeff")
        # at once, a write from another request: signing in again, which records it
        started = time.monotonic()
        again = _signed_in_opener(base, email, password)
        assert time.monotonic() - started < 3  # a held lock made SQLite wait 5 s, then fail
        with again.open(f"{base}/dashboard") as response:
            assert response.status == 200
        if os.environ.get("TEST_DATABASE_URL"):
            url = sa.engine.make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
            name = f"{url.database}_template_live"
            engine = sa.create_engine(url.set(database=name))
            try:
                with engine.connect() as conn:
                    idle = conn.execute(sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :name "
                        "AND state = 'idle in transaction' AND pid <> pg_backend_pid()"),
                        {"name": name}).scalar()
            finally:
                engine.dispose()
            assert idle == 0
