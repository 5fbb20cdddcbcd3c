"""The synthetic generator at 10x and 100x the documented dataset, and the follow-up report
and results page on what it wrote.

On the run's database (PostgreSQL when ``TEST_DATABASE_URL`` is set, SQLite otherwise) and
at each scale, a fresh database is filled by ``flask seed --synthetic``'s generator (the
factories, one row at a time, as a user's data would arrive) and the run prints rows written
per second, then the time of the follow-up report and of one project's results page. Times
are printed, not asserted; the counts are.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from app import create_app
from app.audit import Actor
from app.cli import alembic_config
from app.db import db
from app.followup.portfolio import build_report
from app.programmes.models import Project
from app.reports import results as results_page
from indicators.followup import FollowUpSettings
from indicators.types import StatusBands
from seed import synthetic
from tests_support import app_test_config, drop_pg_database, fresh_database_url


def _best(call: Any, rounds: int = 3) -> float:
    call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.parametrize("scale", [10, 100])
def test_generate_and_read_at_scale(tmp_path: Path, scale: int) -> None:
    url = fresh_database_url(tmp_path, f"bench_synthetic_{scale}")
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    sizes = synthetic.Sizes.scaled(scale)
    try:
        with app.app_context():
            start = time.perf_counter()
            counts = synthetic.generate(db.session, Actor.system(), sizes, seed=scale)
            generated = time.perf_counter() - start
            rows = sum(counts.values())
            assert counts["programmes"] == sizes.programmes
            assert counts["events"] == sizes.events
            session = db.session
            report_s = _best(lambda: build_report(session, dt.date(2026, 1, 1),
                                                  FollowUpSettings()))
            project = session.scalars(sa.select(Project).limit(1)).one()
            page_s = _best(lambda: results_page.load(session, project, StatusBands(),
                                                     dt.date(2026, 1, 1)))
            report = build_report(session, dt.date(2026, 1, 1), FollowUpSettings())
            assert len(report.rows) == sizes.events
        print(f"\n[{url.split(':')[0]}] synthetic x{scale}: {rows:,} records in {generated:.1f} s "
              f"({rows / generated:,.0f} records/s); follow-up report over {sizes.events:,} "
              f"events {report_s * 1000:.1f} ms; one project's results page {page_s * 1000:.1f} ms")
    finally:
        app.extensions["pvetrack_db"].engine.dispose()
        if os.environ.get("TEST_DATABASE_URL"):
            drop_pg_database(url)
