"""The follow-up report counted in SQL and read a page at a time; its exports streamed.

The totals and the charts' bars are grouped in SQL, and only one page of events is read: the
totals must still equal ``indicators.followup.portfolio_totals`` over every event's row, the
pages must list every event once, in the report's order, and an export streamed from the
database cursor in small batches must hold every row.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from followup_data import generate, insert, organisation_pool

from app.auth.models import Role
from app.followup import views_report
from app.followup.assess import settings_from
from app.followup.exports import COLUMNS
from app.followup.models import Event
from app.followup.portfolio import build_report
from app.followup.report import ReportFilters
from indicators.followup import FollowUpStatus, portfolio_totals, portfolio_totals_by

AS_OF = dt.date(2020, 6, 1)
EVENTS = 23
EVENT_LINK = re.compile(r'href="/followup/events/(\d+)\?')


@pytest.fixture
def many(session: Any) -> list[Any]:
    pool = organisation_pool(session)
    events = generate(EVENTS, seed=7, organisations=len(pool))
    insert(session, events, pool)
    # Costs in a second currency: they must not be added to the first.
    session.execute(sa.update(Event).where(Event.id.in_([e.id for e in events[::3]]),
                                           Event.cost.is_not(None)).values(currency="EUR"))
    session.commit()
    return events


def _ids_on(html: str) -> list[int]:
    return [int(i) for i in EVENT_LINK.findall(html)]


def test_totals_and_charts_equal_the_reference_over_every_row(
    session: Any, app: Flask, many: list[Any]
) -> None:
    report = build_report(session, AS_OF, settings_from(app.config))
    assert len(report.rows) == EVENTS
    assert report.totals == portfolio_totals(row.result for row in report.rows)
    assert {row.status for row in report.rows} >= {FollowUpStatus.TALK_SHOP,
                                                   FollowUpStatus.FOLLOWED_UP}
    expected_cost: dict[str, Decimal] = {}
    for row in report.rows:
        if row.status is FollowUpStatus.TALK_SHOP and row.cost is not None:
            expected_cost[row.currency or ""] = expected_cost.get(row.currency or "", 0) + row.cost
    assert report.talk_shop_cost == expected_cost
    assert set(expected_cost) == {"EUR", "USD"}

    charts = {chart.name: chart for chart in report.charts}
    pairs: dict[str, list[tuple[str, Any]]] = {"organiser": [], "funder": [], "country": [],
                                               "year": []}
    for row in report.rows:
        for name, ids in (("organiser", row.organiser_ids), ("funder", row.funder_ids)):
            pairs[name] += [(str(i), row.result) for i in ids] or [("", row.result)]
        pairs["country"].append((row.country or "", row.result))
        pairs["year"].append((str(row.start_date.year), row.result))
    for name, chart_pairs in pairs.items():
        expected = portfolio_totals_by(chart_pairs)
        bars = {bar.key: bar.totals for bar in charts[name].bars}
        assert len(bars) + charts[name].hidden == len(expected), name
        assert bars == {key: expected[key] for key in bars}, name


def test_pages_list_every_event_once_in_the_report_order(
    client: Any, login_as: Any, session: Any, app: Flask, many: list[Any],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.MANAGER)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    order = [row.id for row in build_report(session, AS_OF, settings_from(app.config)).rows]
    for base in ("/followup/report", "/followup/"):
        seen: list[int] = []
        for number in range(1, 6):
            html = client.get(f"{base}?as_of={AS_OF}&page={number}").get_data(as_text=True)
            page = _ids_on(html)
            assert page == order[(number - 1) * 5:number * 5], (base, number)
            seen += page
        assert seen == order, base
        # A page past the last shows the last, however far past.
        for past in (99, 999_999_999):
            html = client.get(f"{base}?as_of={AS_OF}&page={past}").get_data(as_text=True)
            assert _ids_on(html) == order[20:], (base, past)


def test_a_status_filter_pages_and_counts_only_its_events(
    client: Any, login_as: Any, session: Any, app: Flask, many: list[Any],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.MANAGER)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    filters = ReportFilters(status=FollowUpStatus.TALK_SHOP)
    talk_shops = [row.id for row in build_report(session, AS_OF, settings_from(app.config),
                                                 filters).rows]
    assert len(talk_shops) > 2
    last = -(-len(talk_shops) // 2)
    for base in ("/followup/report", "/followup/"):
        html = client.get(f"{base}?as_of={AS_OF}&status=talk_shop&page=2").get_data(
            as_text=True)
        assert _ids_on(html) == talk_shops[2:4], base
        html = client.get(f"{base}?as_of={AS_OF}&status=talk_shop&page={last + 5}").get_data(
            as_text=True)
        assert _ids_on(html) == talk_shops[(last - 1) * 2:], base


def test_streamed_csv_holds_every_row_across_cursor_batches(
    client: Any, login_as: Any, session: Any, app: Flask, many: list[Any],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.MANAGER)
    monkeypatch.setattr(views_report, "EXPORT_BATCH", 4)
    response = client.get(f"/followup/report.csv?as_of={AS_OF}")
    assert response.is_streamed
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    report = build_report(session, AS_OF, settings_from(app.config))
    assert [int(r["event_id"]) for r in rows] == [row.id for row in report.rows]
    assert [r["status"] for r in rows] == [row.status.value for row in report.rows]
    assert [r["recommendations"] for r in rows] == [
        str(row.recommendations) for row in report.rows]
    assert list(rows[0]) == [key for key, _heading, _fmt in COLUMNS]


def test_a_stream_the_client_leaves_returns_its_connection(
    client: Any, login_as: Any, app: Flask, many: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A download abandoned after its first lines (the client went away) gives its database
    connection back at once, without waiting for the garbage collector."""
    login_as(Role.MANAGER)
    monkeypatch.setattr(views_report, "EXPORT_BATCH", 2)
    monkeypatch.setattr(views_report, "STREAM_CHUNK", 1)  # every line a chunk of its own
    pool = app.extensions["pvetrack_db"].engine.pool
    gc.disable()
    try:
        before = pool.checkedout()
        response = client.get(f"/followup/report.csv?as_of={AS_OF}", buffered=False)
        lines = iter(response.response)
        next(lines), next(lines)
        response.close()
        assert pool.checkedout() == before
    finally:
        gc.enable()


def test_xlsx_written_row_by_row_keeps_its_formats(
    client: Any, login_as: Any, session: Any, app: Flask, many: list[Any],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.MANAGER)
    monkeypatch.setattr(views_report, "EXPORT_BATCH", 4)
    response = client.get(f"/followup/report.xlsx?as_of={AS_OF}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    report = build_report(session, AS_OF, settings_from(app.config))
    assert sheet.max_row == EVENTS + 1
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [r.id for r in report.rows]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    formats = {key: fmt for key, _heading, fmt in COLUMNS}
    keys = [key for key, _heading, _fmt in COLUMNS]
    start = sheet.cell(row=2, column=keys.index("start_date") + 1)
    rate = sheet.cell(row=2, column=keys.index("follow_up_rate") + 1)
    assert start.number_format == formats["start_date"]
    assert rate.number_format == formats["follow_up_rate"]
