"""Helpers shared by several test modules (importable because tests/support is on the path)."""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from app import create_app
from app.config import normalise_database_url

TEST_SECRET = "test-secret-key-that-is-long-enough-for-production-0123"


#: Parallel workers the Redis test databases are shared out among (see redis_test_url).
MAX_WORKERS = 4


def worker_index() -> int:
    """The pytest-xdist worker this process is (``gw0`` → 0); 0 when the suite runs alone."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def redis_test_url(environment_variable: str, database: int) -> str:
    """The Redis database a test module may flush: ``environment_variable`` when set, else
    ``database`` (12 to 15) moved down by 4 for each parallel worker, so that workers never
    clear each other's keys."""
    explicit = os.environ.get(environment_variable)
    if explicit:
        return explicit
    index = worker_index()
    if index >= MAX_WORKERS:
        raise RuntimeError(f"at most {MAX_WORKERS} parallel workers have Redis databases")
    return f"redis://127.0.0.1:6379/{database - 4 * index}"


def redis_or_skip(url: str) -> Any:
    """A connection to the Redis database at ``url``. Where Redis does not answer, the test
    fails on CI (which always has it) and is skipped elsewhere."""
    import pytest
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(url)
    try:
        connection.ping()
    except RedisDown:
        if os.environ.get("CI") or os.environ.get("PVE_E2E_REQUIRED"):
            pytest.fail(f"Redis is not answering at {url}; CI always has it")
        pytest.skip(f"Redis is not answering at {url}")
    return connection


@contextmanager
def job_queue(app: Flask, url: str) -> Iterator[Any]:
    """``app`` with its job queue on the Redis database at ``url``, emptied before and after."""
    connection = redis_or_skip(url)
    connection.flushdb()
    app.config["REDIS_URL"] = url
    try:
        yield connection
    finally:
        app.config["REDIS_URL"] = None
        connection.flushdb()


def pg_admin_url(url: str) -> str:
    return re.sub(r"/[^/]+$", "/postgres", url)


def recreate_pg_database(url: str) -> None:
    """Drop and create the database named in ``url`` (a fresh, empty one)."""
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(pg_admin_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def drop_pg_database(url: str) -> None:
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(pg_admin_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def fresh_database_url(tmp_path: Path, suffix: str) -> str:
    """An empty database for tests that need their own (migrations, the browser)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / (suffix + '.db')}"
    url = normalise_database_url(base)
    parsed = sa.engine.make_url(url)
    fresh = parsed.set(database=f"{parsed.database}_{suffix}").render_as_string(
        hide_password=False)
    recreate_pg_database(fresh)
    return fresh


# The key that encrypts sensitive evidence in tests (a Fernet key: 32 bytes, base64).
TEST_EVIDENCE_KEY = "a2V5LWZvci10ZXN0cy1vbmx5LW5vdC1zZWNyZXQtMzI="
# Where test apps store evidence files: one directory per test run (contents are addressed by
# their digest, so apps and tests can share it).
TEST_EVIDENCE_DIR = tempfile.mkdtemp(prefix="pvetrack-evidence-")
# Where test apps keep the files of background jobs.
TEST_JOBS_DIR = tempfile.mkdtemp(prefix="pvetrack-jobs-")


def best_time(run: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """(the best of ``repeat`` timings after a warm-up, in seconds; the last result)."""
    result = run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def on_each_database(tmp_path: Path, name: str,
                     run: Callable[[str, str], list[str]]) -> list[str]:
    """Runs a benchmark on SQLite, and on a database of its own on PostgreSQL when
    ``TEST_DATABASE_URL`` is set (dropped afterwards); returns the lines it printed."""
    lines = run("SQLite", f"sqlite:///{tmp_path / (name + '.db')}")
    if os.environ.get("TEST_DATABASE_URL"):
        url = fresh_database_url(tmp_path, name)
        try:
            lines += run("PostgreSQL", url)
        finally:
            drop_pg_database(url)
    return lines


def app_test_config(url: str, **extra: Any) -> dict[str, Any]:
    return {
        "ENV": "testing",
        "DATABASE_URL": url,
        "SECRET_KEY": TEST_SECRET,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_PROFILE": "fast",
        "REDIS_URL": None,
        "EVIDENCE_DIR": TEST_EVIDENCE_DIR,
        "EVIDENCE_KEYS": TEST_EVIDENCE_KEY,
        "JOBS_DIR": TEST_JOBS_DIR,
        # Imports stay in the request whatever their size, as the import tests expect;
        # tests/functional/test_jobs.py lowers it to send a file to a job.
        "IMPORT_BACKGROUND_ROWS": 1_000_000,
        **extra,
    }



def make_app_with_failing_route(url: str) -> Flask:
    app = create_app(app_test_config(url))

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail of the failure")

    boom._public = True  # type: ignore[attr-defined]
    return app
