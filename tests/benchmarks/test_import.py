"""How fast a CSV of 1,000,000 indicator values is imported, next to a raw driver bulk load.

A fresh database (SQLite, and PostgreSQL when ``TEST_DATABASE_URL`` is set) gets one project
with 400 monthly indicators over 100 periods, each disaggregated by sex, age group, country
and target group (25 categories with the total): 1,000,000 values. The CSV holding them is
imported through the same service as the browser and ``flask monitoring import``, in one
transaction; then the values are deleted and the same rows are loaded with the driver alone
(COPY on PostgreSQL, ``executemany`` on SQLite) into the same table, in the same run. Printed:
rows per second of both, their ratio (the aim is at least 0.3 of the raw load) and the peak
memory of the process (the aim is under 500 MB). Only the row counts are asserted.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from app import create_app
from app.audit import Actor
from app.cli import alembic_config
from app.db import db, utcnow
from app.frameworks.models import (
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
    indicator_disaggregations,
)
from app.monitoring.imports import run_import
from app.monitoring.models import DataValue
from app.programmes.models import Programme, Project
from tests_support import app_test_config, drop_pg_database, fresh_database_url

INDICATORS, PERIODS = 400, 100
TYPES = ("sex", "age_group", "country", "target_group")
ROWS = 1_000_000
RAW_COLUMNS = ("indicator_id", "period_id", "category_id", "value", "entered_at", "version",
               "illustrative")


def _month(index: int) -> tuple[dt.date, dt.date]:
    year, month = 2017 + index // 12, index % 12 + 1
    start = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _set_up(session: Any) -> tuple[Project, list[tuple[str, int]], list[tuple[int, dt.date,
                                                                              dt.date]],
                                   list[tuple[str, str, int]]]:
    programme = Programme(code="BENCH", title="Import benchmark", countries=["KG"],
                          currency="USD", illustrative=True)
    session.add(programme)
    session.flush()
    project = Project(programme_id=programme.id, code="BENCH-1", title="Import benchmark",
                      countries=["KG"], illustrative=True,
                      start_date=_month(0)[0], end_date=_month(PERIODS - 1)[1])
    session.add(project)
    session.flush()
    session.execute(sa.insert(Indicator), [
        {"project_id": project.id, "code": f"I{i:03d}", "position": i, "name": f"Benchmark {i}",
         "type": "output", "measure": "number", "direction": "increase", "calculation": "sum",
         "cumulation": "non_cumulative", "frequency": "monthly", "version": 1,
         "illustrative": True} for i in range(INDICATORS)])
    indicators = list(session.execute(sa.select(Indicator.code, Indicator.id).where(
        Indicator.project_id == project.id).order_by(Indicator.code)).all())
    types = session.scalars(sa.select(DisaggregationType.id).where(
        DisaggregationType.code.in_(TYPES))).all()
    session.execute(sa.insert(indicator_disaggregations),
                    [{"indicator_id": i, "type_id": t} for _c, i in indicators for t in types])
    session.execute(sa.insert(ReportingPeriod), [
        {"project_id": project.id, "frequency": "monthly", "start_date": s, "end_date": e,
         "due_date": e + dt.timedelta(days=30), "state": "open", "version": 1}
        for s, e in map(_month, range(PERIODS))])
    periods = list(session.execute(sa.select(
        ReportingPeriod.id, ReportingPeriod.start_date, ReportingPeriod.end_date).where(
        ReportingPeriod.project_id == project.id).order_by(ReportingPeriod.start_date)).all())
    categories = list(session.execute(
        sa.select(DisaggregationType.code, DisaggregationCategory.code, DisaggregationCategory.id)
        .join(DisaggregationType).where(DisaggregationType.code.in_(("total", *TYPES)))
        .order_by(DisaggregationType.id, DisaggregationCategory.position)).all())
    session.commit()
    assert len(indicators) * len(periods) * len(categories) == ROWS
    return project, indicators, periods, categories


def _rows(indicators: list[Any], periods: list[Any], categories: list[Any]) -> Iterator[
        tuple[int, Any, Any, int]]:
    """(row number, indicator, period, category) for every value, in file order."""
    n = 0
    for period in periods:
        for indicator in indicators:
            for category in categories:
                n += 1
                yield n, indicator, period, category


def _value(n: int) -> int:
    return (n * 7919) % 5000


def _write_csv(path: Path, indicators: list[Any], periods: list[Any],
               categories: list[Any]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "period_start", "period_end", "disaggregation", "category",
                         "value"])
        for n, (code, _i), (_p, start, end), (type_code, category, _c) in _rows(
                indicators, periods, categories):
            writer.writerow([code, start.isoformat(), end.isoformat(), type_code, category,
                             _value(n)])


def _raw_load(engine: sa.Engine, indicators: list[Any], periods: list[Any],
              categories: list[Any]) -> float:
    """The same rows, ids already known, loaded by the driver alone; returns seconds."""
    now = utcnow()
    rows = ((i, p, c, _value(n), now, 1, False) for n, (_code, i), (p, _s, _e), (_t, _k, c)
            in _rows(indicators, periods, categories))
    raw: Any = engine.raw_connection()
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY data_values ({', '.join(RAW_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.execute("BEGIN")
            insert = "INSERT INTO data_values ({}) VALUES (?, ?, ?, ?, ?, ?, ?)".format(  # noqa: S608 - constant column names
                ", ".join(RAW_COLUMNS))
            cursor.executemany(
                insert,
                ((i, p, c, v, now.replace(tzinfo=None).isoformat(" "), 1, 0)
                 for i, p, c, v, _now, _one, _false in rows))
        raw.commit()
        return time.perf_counter() - started
    finally:
        raw.close()


def _reset_peak_memory() -> bool:
    """Start the process's peak resident size afresh (Linux), so that the peak read after
    the import is the import's own and not that of the benchmarks run before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_memory_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count(DataValue.id))).scalar_one())


DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.mark.parametrize("database", DATABASES)
def test_import_a_million_values(database: str, tmp_path: Path) -> None:
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'bench.db'}"
    else:
        url = fresh_database_url(tmp_path, "bench_import")
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    try:
        with app.app_context():
            engine = db.engine
            with db.standalone_session() as session:
                project, indicators, periods, categories = _set_up(session)
            path = tmp_path / "values.csv"
            _write_csv(path, indicators, periods, categories)
            size = path.stat().st_size

            with db.standalone_session() as session, path.open("rb") as stream:
                fresh_peak = _reset_peak_memory()
                started = time.perf_counter()
                report = run_import(session, Actor.system(), session.merge(project), stream,
                                    path.name, dry_run=False)
                seconds = time.perf_counter() - started
                peak = _peak_memory_mb()
            assert report.ok and report.written, report.errors[:5]
            assert (report.new, report.changed, report.unchanged) == (ROWS, 0, 0)
            assert _count(engine) == ROWS

            with engine.begin() as conn:
                conn.execute(sa.delete(DataValue))
            raw_seconds = _raw_load(engine, indicators, periods, categories)
            assert _count(engine) == ROWS
    finally:
        app.extensions["pvetrack_db"].engine.dispose()
        if database == "postgresql":
            drop_pg_database(url)

    print(f"\n[import {database}] {ROWS:,} values from a {size / 1e6:.0f} MB CSV")
    print(f"  import (check, stage, write):           {seconds:6.1f} s  "
          f"{ROWS / seconds:>9,.0f} rows/s")
    print(f"  raw driver bulk load ({'COPY' if database == 'postgresql' else 'executemany'}):"
          f"{' ' * (8 if database == 'postgresql' else 1)}{raw_seconds:6.1f} s  "
          f"{ROWS / raw_seconds:>9,.0f} rows/s")
    print(f"  ratio import / raw: {raw_seconds / seconds:.2f} (aim: at least 0.3)")
    print(f"  peak memory (resident) {'during the import' if fresh_peak else 'of the process'}: "
          f"{peak:.0f} MB (aim: under 500 MB)")
