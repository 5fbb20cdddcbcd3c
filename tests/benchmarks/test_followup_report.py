"""How fast the follow-up report is at 1,000 and 10,000 events, next to one hand-written query.

Each event has 10 recommendations and about 3 follow-up actions per recommendation (0 to 6),
written with bulk INSERTs into a fresh database: SQLite, and PostgreSQL when
``TEST_DATABASE_URL`` is set. The report's service call (``build_report``: the per-event
figures, the talk-shop rule, organisers and funders, totals and charts) and one hand-written
SQL query giving the same per-event figures and statuses are timed in the same run, best of
five after a warm-up; the figures of both are compared. Nothing asserts a time: the times and
ratios are printed (``make bench``). The aim: the report within 2x the query, and its time
growing with the data no faster than linearly.
"""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from followup_data import generate, insert, organisation_pool

from app import create_app
from app.cli import alembic_config
from app.db import UTCDateTime, db
from app.followup.assess import verified_before
from app.followup.portfolio import build_report
from indicators.followup import FollowUpSettings
from tests_support import app_test_config, best_time, on_each_database

SIZES = (1_000, 10_000)
AS_OF = dt.date(2026, 1, 1)
SETTINGS = FollowUpSettings()

HAND_WRITTEN = sa.text("""
SELECT e.id,
       COALESCE(f.recommendations, 0) AS recommendations,
       COALESCE(f.due, 0) AS due,
       COALESCE(f.followed_up, 0) AS followed_up,
       COALESCE(f.verified, 0) AS verified,
       COALESCE(f.implemented, 0) AS implemented,
       f.first_done,
       CASE WHEN COALESCE(f.recommendations, 0) = 0 THEN 'none_recorded'
            WHEN COALESCE(f.due, 0) = 0 THEN 'pending'
            WHEN COALESCE(f.verified, 0) = 0 THEN 'talk_shop'
            WHEN f.verified * :q < f.due * :p THEN 'weak'
            ELSE 'followed_up' END AS status
FROM events AS e
LEFT JOIN (
    SELECT r.event_id,
           COUNT(*) AS recommendations,
           SUM(r.is_due) AS due,
           SUM(r.is_due * COALESCE(d.followed, 0)) AS followed_up,
           SUM(r.is_due * COALESCE(d.counting, 0)) AS verified,
           SUM(CASE WHEN r.status = 'implemented' THEN 1 ELSE 0 END) AS implemented,
           MIN(d.first_done) AS first_done
    FROM (
        SELECT r.id, r.event_id, r.status,
               CASE WHEN (r.due_date IS NOT NULL AND r.due_date <= :as_of)
                      OR (r.due_date IS NULL AND ev.end_date <= :judged_before)
                    THEN 1 ELSE 0 END AS is_due
        FROM recommendations AS r JOIN events AS ev ON ev.id = r.event_id
    ) AS r
    LEFT JOIN (
        -- per recommendation, its done actions after the event and by the day: one counts
        -- when verified by the end of the day and not a meeting; one not yet verified
        -- still shows the recommendation as followed up
        SELECT x.recommendation_id,
               MAX(x.counts) AS counting,
               MAX(CASE WHEN x.counts = 1 OR x.unverified = 1 THEN 1 ELSE 0 END) AS followed,
               MIN(CASE WHEN x.counts = 1 THEN x.action_date END) AS first_done
        FROM (
            SELECT a.recommendation_id, a.action_date,
                   CASE WHEN a.verified_at < :verified_before AND a.kind <> 'meeting_held'
                        THEN 1 ELSE 0 END AS counts,
                   CASE WHEN a.verified_at IS NULL OR a.verified_at >= :verified_before
                        THEN 1 ELSE 0 END AS unverified
            FROM followup_actions AS a
            JOIN recommendations AS ar ON ar.id = a.recommendation_id
            JOIN events AS ae ON ae.id = ar.event_id
            WHERE a.state = 'done' AND a.action_date <= :as_of
              AND a.action_date > ae.end_date
        ) AS x
        GROUP BY x.recommendation_id
    ) AS d ON d.recommendation_id = r.id
    GROUP BY r.event_id
) AS f ON f.event_id = e.id
""").bindparams(
    sa.bindparam("as_of", type_=sa.Date()),
    sa.bindparam("judged_before", type_=sa.Date()),
    sa.bindparam("verified_before", type_=UTCDateTime()),
).columns(first_done=sa.Date())


def _params() -> dict[str, Any]:
    p, q = Fraction(SETTINGS.weak_threshold).as_integer_ratio()
    return {"as_of": AS_OF, "judged_before": AS_OF - dt.timedelta(days=SETTINGS.grace_days),
            "verified_before": verified_before(AS_OF), "p": p, "q": q}


def _figures(row: Any) -> tuple[Any, ...]:
    return (row.recommendations, row.due, row.followed_up, row.verified, row.implemented,
            row.first_done, row.status)


def _run(name: str, url: str) -> list[str]:
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    lines = [f"\nFollow-up report on {name} (as of {AS_OF}; best of 5 after a warm-up)",
             f"{'events':>7} {'recs':>7} {'actions':>8} {'insert s':>9} {'report s':>9} "
             f"{'SQL s':>8} {'report/SQL':>10}"]
    timings: dict[int, tuple[float, float]] = {}
    with app.app_context(), db.standalone_session() as session:
        organisations = organisation_pool(session, 30)
        done = 0
        for size in SIZES:
            events = generate(size - done, seed=size, recommendations=10, actions=3.0)
            start = time.perf_counter()
            insert(session, events, organisations, themes=False)
            session.commit()
            inserted = time.perf_counter() - start
            done = size
            session.execute(sa.text("ANALYZE"))
            session.commit()
            counts = session.execute(sa.text(
                "SELECT (SELECT COUNT(*) FROM recommendations), "
                "(SELECT COUNT(*) FROM followup_actions)")).one()
            report_s, report = best_time(lambda: build_report(session, AS_OF, SETTINGS))
            sql_s, rows = best_time(lambda: session.execute(HAND_WRITTEN, _params()).all())
            by_id = {row.id: _figures(row) for row in rows}
            assert len(report.rows) == len(by_id) == size
            for item in report.rows:
                m = item.metrics
                first = (None if m.days_to_first_follow_up is None
                         else item.end_date + dt.timedelta(days=m.days_to_first_follow_up))
                assert (m.recommendations, m.due, m.followed_up, m.verified, m.implemented, first,
                        item.status.value) == by_id[item.id], item.id
            timings[size] = (report_s, sql_s)
            lines.append(f"{size:>7} {counts[0]:>7} {counts[1]:>8} {inserted:>9.2f} "
                         f"{report_s:>9.3f} {sql_s:>8.3f} {report_s / sql_s:>9.2f}x")
    app.extensions["pvetrack_db"].engine.dispose()
    (small_report, small_sql), (large_report, large_sql) = timings[SIZES[0]], timings[SIZES[1]]
    lines.append(f"growth with {SIZES[1] // SIZES[0]}x the data: "
                 f"report {large_report / small_report:.1f}x, SQL {large_sql / small_sql:.1f}x")
    return lines


def test_followup_report_speed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = on_each_database(tmp_path, "bench_followup", _run)
    with capsys.disabled():
        print("\n".join(lines))


# The report's page, the events list and the CSV export through the app, at the size of the
# documented dataset (17 events) and 10x and 100x that, as ``flask seed --synthetic`` makes.
SCALES = (1, 10, 100)
SCALE_EVENTS = 17
PAGES = {"report": f"/followup/report?as_of={AS_OF}", "events": f"/followup/?as_of={AS_OF}",
         "csv": f"/followup/report.csv?as_of={AS_OF}"}


def _signed_in_client(app: Any) -> Any:
    from app.audit import Actor
    from app.auth import services as auth_services
    from app.auth.models import Role

    password = "Quartz-lamp-river-7741"
    with app.app_context(), db.standalone_session() as session:
        auth_services.create_user(session, Actor.system(), email="manager@bench.example",
                                  name="Report Reader", role=Role.MANAGER, password=password,
                                  hash_profile="fast")
        session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": "manager@bench.example",
                                           "password": password})
    assert response.status_code == 302
    return client


def _csv_peak(client: Any) -> tuple[int, int]:
    """(peak bytes traced while the CSV is produced and read, its size in bytes)."""
    tracemalloc.start()
    try:
        response = client.get(PAGES["csv"])
        size = sum(len(chunk) for chunk in response.response)
        peak = tracemalloc.get_traced_memory()[1]
        response.close()
    finally:
        tracemalloc.stop()
    return peak, size


def _run_pages(name: str, url: str) -> list[str]:
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    lines = [f"\nFollow-up pages on {name} (as of {AS_OF}; best of 5 after a warm-up)",
             f"{'scale':>5} {'events':>7} {'report ms':>10} {'events ms':>10} {'CSV ms':>8} "
             f"{'CSV KiB':>8} {'CSV peak KiB':>13}"]
    timings: dict[int, dict[str, float]] = {}
    client = _signed_in_client(app)  # requests run outside the set-up's app context
    with app.app_context(), db.standalone_session() as session:
        organisations = organisation_pool(session, 30)
        session.commit()
    done = 0
    for scale in SCALES:
        size = SCALE_EVENTS * scale
        with app.app_context(), db.standalone_session() as session:
            insert(session, generate(size - done, seed=scale, recommendations=4, actions=2.0),
                   organisations, themes=False)
            session.commit()
            session.execute(sa.text("ANALYZE"))
            session.commit()
        done = size
        times = {}
        for key, path in PAGES.items():
            times[key], _response = best_time(lambda path=path: client.get(path).data)
        peak, csv_size = _csv_peak(client)
        timings[scale] = times
        lines.append(f"{scale:>4}x {size:>7} {times['report'] * 1000:>10.1f} "
                     f"{times['events'] * 1000:>10.1f} {times['csv'] * 1000:>8.1f} "
                     f"{csv_size / 1024:>8.0f} {peak / 1024:>13.0f}")
    app.extensions["pvetrack_db"].engine.dispose()
    first, last = timings[SCALES[0]], timings[SCALES[-1]]
    lines.append(f"growth with {SCALES[-1] // SCALES[0]}x the data: " + ", ".join(
        f"{key} {last[key] / first[key]:.1f}x" for key in PAGES))
    return lines


def test_followup_pages_at_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = on_each_database(tmp_path, "bench_followup_pages", _run_pages)
    with capsys.disabled():
        print("\n".join(lines))
