"""How fast and how big the reports are: the IPTT of a project with 200 indicators over 20
quarters, and the follow-up report of 1,000 events as a PDF next to its HTML page.

On SQLite, and on PostgreSQL when ``TEST_DATABASE_URL`` is set, a fresh database is filled with
bulk INSERTs; each step is timed (best of three after a warm-up) with its peak memory: the
Python heap (tracemalloc), and the resident set of a forked copy of the app process that
serves the request once (its high-water mark, so WeasyPrint's own C allocations count too;
"of app" is the resident set of the process before the request). Nothing is asserted about time or
memory; the figures and ratios are printed (``make bench``). The aim: each PDF within 5x the
HTML page of the same report and under 300 MB.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask, g
from followup_data import generate, insert, organisation_pool

from app import create_app
from app.auth.models import Role, User
from app.cli import alembic_config
from app.db import db
from app.frameworks.indicator_services import total_category_id
from app.frameworks.models import Frequency, Indicator, PeriodState, ReportingPeriod, Target
from app.monitoring.models import DataValue
from app.programmes.models import Project
from seed.factories import ProgrammeFactory, ProjectFactory, UserFactory
from seed.factories.base import use_session
from tests_support import app_test_config, best_time, on_each_database

INDICATORS, QUARTERS, EVENTS = 200, 20, 1_000


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _alone(app: Flask, call: Callable[[], Any]) -> tuple[float, float]:
    """(resident set before, its peak while running ``call``) in a forked copy of this process,
    so that what earlier steps left behind does not count: the peak is what serving this one
    request takes in an app process."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read)
        try:
            app.extensions["pvetrack_db"].engine.dispose(close=False)
            before = _rss_mb("VmRSS")
            _reset_peak()
            call()
            os.write(write, f"{before} {_rss_mb('VmHWM')}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        text = answer.read()
    os.waitpid(child, 0)
    before, peak = (float(x) for x in text.split())
    return before, peak


def _measure(app: Flask, call: Callable[[], Any],
             rounds: int = 3) -> tuple[float, float, float, float, Any]:
    """(best seconds, Python heap peak MB, resident set before and at its peak MB, result).
    The resident set is measured first, in a copy of the process as it is before this step."""
    before, peak = _alone(app, call)
    seconds, result = best_time(call, rounds)
    tracemalloc.start()
    call()
    _current, heap = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, heap / 1e6, before, peak, result


def _project(session: Any) -> Project:
    programme = ProgrammeFactory()
    project: Project = ProjectFactory(programme=programme, code="BENCH-IPTT",
                                      start_date=dt.date(2021, 1, 1),
                                      end_date=dt.date(2025, 12, 31))
    session.flush()
    periods = []
    for number in range(QUARTERS):
        year, quarter = 2021 + number // 4, number % 4
        start = dt.date(year, 3 * quarter + 1, 1)
        end = (dt.date(year + 1, 1, 1) if quarter == 3
               else dt.date(year, 3 * quarter + 4, 1)) - dt.timedelta(days=1)
        periods.append({"project_id": project.id, "frequency": Frequency.QUARTERLY,
                        "start_date": start, "end_date": end,
                        "due_date": end + dt.timedelta(days=30),
                        "state": PeriodState.APPROVED if number < 16 else PeriodState.OPEN,
                        "version": 1})
    period_ids = list(session.scalars(sa.insert(ReportingPeriod).returning(ReportingPeriod.id),
                                      periods))
    indicator_ids = list(session.scalars(sa.insert(Indicator).returning(Indicator.id), [
        {"project_id": project.id, "code": f"B.{i}", "position": i, "name": f"Indicator {i}",
         "type": "output", "measure": "number", "direction": "increase", "calculation": "sum",
         "cumulation": "cumulative" if i % 2 else "non_cumulative",
         "frequency": Frequency.QUARTERLY, "baseline_value": Decimal(0),
         "target_value": Decimal(1000), "illustrative": True, "version": 1}
        for i in range(INDICATORS)]))
    total = total_category_id(session)
    rows = [{"indicator_id": i, "period_id": p, "category_id": total}
            for i in indicator_ids for p in period_ids]
    session.execute(sa.insert(Target), [{**r, "value": Decimal(50)} for r in rows])
    session.execute(sa.insert(DataValue), [
        {**r, "value": Decimal(40 + n % 25), "version": 1, "illustrative": True}
        for n, r in enumerate(rows) if n % QUARTERS < 17])
    session.commit()
    return project


def _call(app: Flask, user: User, endpoint: str, **args: Any) -> Callable[[], Any]:
    path = app.url_map.bind("localhost").build(endpoint, args)

    def run() -> Any:
        with app.test_request_context(path):
            g.user = user
            response = app.make_response(app.view_functions[endpoint](**args))
            return response.get_data()
    return run


def _run(name: str, url: str) -> list[str]:
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    lines = [f"\nReports on {name} (best of 3 after a warm-up; memory: Python heap peak, "
             "peak resident set of an app process serving the request once)",
             f"{'report':<48} {'seconds':>8} {'heap MB':>8} {'RSS MB':>8} {'of app':>7} "
             f"{'bytes':>10}"]

    def line(label: str, figures: tuple[float, float, float, float, Any]) -> float:
        seconds, heap, before, peak, body = figures
        lines.append(f"{label:<48} {seconds:>8.3f} {heap:>8.1f} {peak:>8.0f} {before:>7.0f} "
                     f"{len(body):>10}")
        return seconds

    with app.app_context(), db.standalone_session() as session:
        use_session(session)
        try:
            manager: User = UserFactory(role=Role.MANAGER)
            project = _project(session)
            organisations = organisation_pool(session, 30)
            insert(session, generate(EVENTS, seed=7, recommendations=10, actions=3.0),
                   organisations, themes=False)
            session.commit()
            session.execute(sa.text("ANALYZE"))
            session.commit()
        finally:
            use_session(None)
        manager = session.get(User, manager.id)
        project_id = project.id
        session.expunge_all()
    with app.app_context():
        user = db.session.get(User, manager.id)
        label = f"IPTT, {INDICATORS} indicators x {QUARTERS} quarters"
        html = line(f"{label}: page", _measure(app, _call(app, user, "reports.project_iptt",
                                                     project_id=project_id)))
        line(f"{label}: XLSX", _measure(app, _call(app, user, "reports.project_iptt_file",
                                              project_id=project_id, fmt="xlsx")))
        line(f"{label}: CSV", _measure(app, _call(app, user, "reports.project_iptt_file",
                                             project_id=project_id, fmt="csv")))
        pdf = line(f"{label}: PDF", _measure(app, _call(app, user, "reports.project_iptt_file",
                                                   project_id=project_id, fmt="pdf"), rounds=1))
        lines.append(f"{'IPTT PDF / page':<48} {pdf / html:>7.1f}x")
        html = line(f"Follow-up report, {EVENTS} events: page",
                    _measure(app, _call(app, user, "followup.report")))
        pdf = line(f"Follow-up report, {EVENTS} events: PDF (every event)",
                   _measure(app, _call(app, user, "reports.followup_report_pdf"), rounds=1))
        lines.append(f"{'Follow-up report PDF / page':<48} {pdf / html:>7.1f}x")
    app.extensions["pvetrack_db"].engine.dispose()
    return lines


def test_report_documents_speed_and_memory(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    lines = on_each_database(tmp_path, "bench_documents", _run)
    with capsys.disabled():
        print("\n".join(lines))
