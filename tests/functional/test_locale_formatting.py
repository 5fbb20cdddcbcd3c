"""Pages say counted things, dates, percentages and sources the way their language does: the
three Russian plural forms, a month and year as «сентябрь 2013», «16,7 %» in Russian and
"16.7%" in English, and a source document by its title, never its file name."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from app.auth.models import Locale, Role
from app.followup.models import DatePrecision, EventRole
from app.frameworks.models import BudgetCategory, ResultLevel
from indicators.followup import ActionState
from seed.factories import (
    BudgetLineFactory,
    EventFactory,
    EventOrganisationFactory,
    FollowUpActionFactory,
    IndicatorFactory,
    OrganisationFactory,
    ProjectFactory,
    RecommendationFactory,
    ResultFactory,
)

NBSP = "\u00a0"
FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{4,}\.txt\b")


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # ASCII white space only: a non-breaking space is part of what is checked
    return re.sub(r"[ \t\r\n]+", " ", response.get_data(as_text=True))


def test_a_russian_page_counts_one_two_and_five_in_their_own_forms(
        client: FlaskClient, login_as: Any, session: Any) -> None:
    project = ProjectFactory()
    goal = ResultFactory(project=project, code="G")
    outcome = ResultFactory(project=project, level=ResultLevel.OUTCOME, parent=goal, code="1")
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, parent=outcome,
                           code="1.1")
    for result, count in ((goal, 1), (outcome, 2), (output, 5)):
        for _ in range(count):
            IndicatorFactory(project=project, result=result)
    session.commit()
    login_as(Role.MANAGER, locale=Locale.RU)
    page = _page(client, f"/projects/{project.id}/framework/results")
    assert '<html lang="ru"' in page
    found = re.findall(r"(\d+) (индикатор[а-я]*)", page)
    assert sorted(found) == [("1", "индикатор"), ("2", "индикатора"), ("5", "индикаторов")]


def _talk_shop(title: str, organiser: Any, start: dt.date, **kwargs: Any) -> Any:
    event = EventFactory(title=title, start_date=start, end_date=start, cost=None, **kwargs)
    EventOrganisationFactory(event=event, organisation=organiser, role=EventRole.ORGANISER)
    RecommendationFactory(event=event)  # due long ago, nothing done: a talk shop
    return event


def test_english_counts_agree_with_their_number_on_the_follow_up_pages(
        client: FlaskClient, login_as: Any, session: Any) -> None:
    unrcca = OrganisationFactory(name="UNRCCA", acronym="UNRCCA")
    _talk_shop("Almaty workshop", unrcca, dt.date(2016, 3, 29))
    session.commit()
    login_as(Role.MANAGER)
    events = _page(client, "/followup/")
    assert "1 event ·" in events
    report = _page(client, "/followup/report")
    # the chart's bar: its title and its description read every count in agreement
    assert re.search(r"<title>[^<]*UNRCCA[^<]*: 1 event, 1 talk shop</title>", report)
    assert re.search(r"UNRCCA[^<;]* — 1 event, 1 talk shop", report)
    assert '<span class="stat-n">1</span><span>event</span>' in report
    assert '<span class="stat-n">1</span><span>talk shop</span>' in report
    for wrong in ("1 events", "1 talk shops", "1 talk shop shops"):
        assert wrong not in events + report, wrong

    _talk_shop("Bishkek conference", unrcca, dt.date(2017, 11, 10))
    session.commit()
    assert "2 events ·" in _page(client, "/followup/")
    report = _page(client, "/followup/report")
    assert re.search(r"<title>[^<]*UNRCCA[^<]*: 2 events, 2 talk shops</title>", report)


def test_a_month_and_year_reads_as_the_month_that_stands_alone(
        client: FlaskClient, login_as: Any, session: Any) -> None:
    EventFactory(title="Dushanbe seminar", start_date=dt.date(2013, 9, 1),
                 end_date=dt.date(2013, 9, 30), date_precision=DatePrecision.MONTH)
    session.commit()
    login_as(Role.MANAGER, locale=Locale.RU)
    russian = _page(client, "/followup/")
    assert "сентябрь 2013" in russian
    assert "сент. 2013" not in russian and "сентября 2013" not in russian
    client.post("/language", data={"locale": "en", "next": "/"})
    english = _page(client, "/followup/")
    assert "September 2013" in english and "Sep 2013" not in english


@pytest.mark.parametrize(("locale", "expected"), [
    (Locale.EN, "16.7%"),
    (Locale.RU, f"16,7{NBSP}%"),
])
def test_a_percentage_is_written_the_way_of_the_page_s_language(
        client: FlaskClient, login_as: Any, session: Any, locale: Locale, expected: str) -> None:
    project = ProjectFactory(budget=Decimal(600))
    BudgetLineFactory(project=project, planned=Decimal(500))
    BudgetLineFactory(project=project, planned=Decimal(100),
                      category=BudgetCategory.MONITORING_EVALUATION)
    session.commit()
    login_as(Role.MANAGER, locale=locale)
    page = _page(client, f"/projects/{project.id}/framework/budget")
    # 100 of 600 for monitoring and evaluation; the lines' own shares: 83.3 % and 16.7 %
    assert f'<span class="stat-n">{expected}</span>' in page
    assert page.count(expected) >= 2
    for wrong in ("16.7 %", "16,7%", "16,7 %", "16.67"):
        assert wrong not in page, wrong


def test_provenance_names_each_source_by_its_title_and_never_by_a_file_name(
        client: FlaskClient, login_as: Any, session: Any) -> None:
    event = EventFactory(title="Almaty workshop on radicalisation", illustrative=False,
                         source_document="001_436a3518ccd8ed53.txt; 999_0123456789abcdef.txt",
                         source_locator="Agenda, day 1",
                         source_passage="The participants agreed to meet again.")
    recommendation = RecommendationFactory(event=event, illustrative=False,
                                           source_document="003_c0298f46aeeae6bd.txt")
    FollowUpActionFactory(recommendation=recommendation, evidence_url=None,
                          source_document="002_7657b3fa1ce70616.txt",
                          state=ActionState.DONE, action_date=dt.date(2023, 6, 1))
    session.commit()
    login_as(Role.ADMIN)
    page = _page(client, f"/followup/events/{event.id}")
    assert "Workshop report: Recognizing and Responding to Radicalization" in page
    assert "source document" in page  # the document without a title
    assert "Report of the NATO Advanced Research Workshop" in page  # the action's source
    assert not FILE_NAME.search(page), FILE_NAME.search(page)
    recommendation_page = _page(client, f"/followup/recommendations/{recommendation.id}")
    assert "Regional Conference on Preventing Violent Extremism" in recommendation_page
    assert not FILE_NAME.search(recommendation_page)

    response = client.get(f"/followup/events/{event.id}/dossier.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_page.extract_text()
                    for pdf_page in PdfReader(io.BytesIO(response.data)).pages)
    flat = "".join(text.split())
    assert "WorkshopreportRecognizingandRespondingtoRadicalization".lower() in re.sub(
        r"[^A-Za-z]", "", flat).lower()
    assert not re.search(r"\d{3}_[0-9a-f]{4,}\.txt", flat)
