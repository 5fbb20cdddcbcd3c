"""A manager's dashboard: each figure counted by hand from the world below, and each link
leading to the list behind it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.auth.models import Role
from app.frameworks.models import Frequency, PeriodState
from indicators.followup import ActionState, RecommendationStatus
from seed.factories import (
    DataValueFactory,
    EventFactory,
    FollowUpActionFactory,
    IndicatorFactory,
    ProgrammeFactory,
    ProjectFactory,
    RecommendationFactory,
    ReportingPeriodFactory,
)

TODAY = dt.date.today()


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def world(session: Any) -> dict[str, Any]:
    programme = ProgrammeFactory(code="DASH-PRG", title="Dashboard programme")
    project = ProjectFactory(code="DASH-1", programme=programme, start_date=dt.date(2022, 1, 1),
                             end_date=dt.date(2022, 12, 31))  # ended: all its time elapsed
    year = ReportingPeriodFactory(project=project, frequency=Frequency.ANNUAL,
                                  start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 12, 31),
                                  due_date=dt.date(2023, 1, 31), state=PeriodState.APPROVED)
    # progress 95 %, 70 % and 10 % of a target of 100, and one indicator without data
    for code, value in (("ON", 95), ("RISK", 70), ("OFF", 10), ("NONE", None)):
        indicator = IndicatorFactory(project=project, code=code, frequency=Frequency.ANNUAL,
                                     baseline_value=Decimal(0), target_value=Decimal(100))
        if value is not None:
            DataValueFactory(indicator=indicator, period=year, value=Decimal(value))
    late = ProjectFactory(code="DASH-LATE", programme=programme)
    ReportingPeriodFactory(project=late, frequency=Frequency.QUARTERLY, start_date=_days(-120),
                           end_date=_days(-40), due_date=_days(-10), state=PeriodState.OPEN)
    ReportingPeriodFactory(project=late, frequency=Frequency.QUARTERLY, start_date=_days(-39),
                           end_date=_days(-5), due_date=_days(20), state=PeriodState.SUBMITTED)
    talk_shop = EventFactory(title="Dashboard talk shop", start_date=dt.date(2022, 5, 1),
                             end_date=dt.date(2022, 5, 2), cost=Decimal(1000), currency="USD")
    RecommendationFactory(event=talk_shop, text="Nobody did this.")
    followed = EventFactory(title="Dashboard followed event", start_date=dt.date(2022, 6, 1),
                            end_date=dt.date(2022, 6, 2))
    FollowUpActionFactory(recommendation=RecommendationFactory(event=followed),
                          action_date=dt.date(2022, 9, 1),
                          description="A verified decree on youth centres.",
                          verified_at=dt.datetime(2022, 10, 1, tzinfo=dt.UTC))
    pending = EventFactory(title="Dashboard recent event", start_date=_days(-3),
                           end_date=_days(-2))
    due = RecommendationFactory(event=pending, text="Due in a month with nothing done.",
                                due_date=_days(30))
    RecommendationFactory(event=pending, text="Due far ahead.", due_date=_days(120))
    RecommendationFactory(event=pending, text="Due soon but implemented.", due_date=_days(10),
                          status=RecommendationStatus.IMPLEMENTED)
    acted = RecommendationFactory(event=pending, text="Due soon, already acted on.",
                                  due_date=_days(20))
    FollowUpActionFactory(recommendation=acted, action_date=_days(-1), state=ActionState.DONE)
    session.commit()
    return {"project": project, "due": due}


def _stat(page: str, label: str) -> str:
    found = re.search(r'<span class="stat-n">([^<]*)</span><span>' + re.escape(label), page)
    assert found, label
    return found.group(1).strip()


def _link(page: str, label: str) -> str:
    found = re.search(r'<a class="stat[^"]*" href="([^"]+)"><span class="stat-n">[^<]*</span>'
                      r'<span>' + re.escape(label), page)
    assert found, label
    return found.group(1).replace("&amp;", "&")


def test_each_figure_is_counted_and_leads_to_its_list(client: FlaskClient, login_as: Any,
                                                      world: dict[str, Any]) -> None:
    login_as(Role.MANAGER)
    page = client.get("/dashboard").get_data(as_text=True)
    assert _stat(page, "indicators on track · at risk · off track") == "1 · 1 · 1"
    # one of each: the words agree with the number ("1 report overdue", never "1 reports")
    assert _stat(page, "report overdue") == "1" and "reports overdue" not in page
    assert _stat(page, "report awaiting approval") == "1"
    assert _stat(page, "event awaiting a verdict") == "1" and "events awaiting" not in page
    assert _stat(page, "of judged events are talk shops") == "50%"
    assert _stat(page, "spent on talk shops") == "$1,000.00"
    assert _stat(page, "recommendation coming due with nothing done") == "1"
    assert '<span class="muted">within 90 days</span>' in page
    assert "Due in a month with nothing done." in page
    assert "Due far ahead." not in page and "already acted on" not in page
    assert "A verified decree on youth centres." in page

    overdue = client.get(_link(page, "report overdue")).get_data(as_text=True)
    assert "DASH-LATE" in overdue and "Overdue reports" in overdue
    assert overdue.count('class="dc-task ') == 1
    awaiting = client.get(_link(page, "report awaiting approval")).get_data(as_text=True)
    assert awaiting.count('class="dc-task ') == 1
    due = client.get(_link(page, "recommendation coming due with nothing done"))
    text = due.get_data(as_text=True)
    assert "Due in a month with nothing done." in text
    for absent in ("Due far ahead.", "Due soon but implemented.", "already acted on"):
        assert absent not in text
    talk_shops = client.get(_link(page, "of judged events are talk shops")).get_data(
        as_text=True)
    assert "Dashboard talk shop" in talk_shops and "Dashboard followed event" not in talk_shops
    pending = client.get(_link(page, "event awaiting a verdict")).get_data(as_text=True)
    assert "Dashboard recent event" in pending and "Dashboard talk shop" not in pending
    # a project's counts lead to its tracking table
    project = world["project"]
    assert f'href="/projects/{project.id}/iptt" class="status-count status-off_track">1' in page


def test_officers_and_evaluators_see_their_projects_not_the_portfolio(
        client: FlaskClient, login_as: Any, world: dict[str, Any]) -> None:
    login_as(Role.OFFICER)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "report overdue" not in page and "Indicators by programme and project" not in page
    tasks = client.get("/tasks?show=overdue").get_data(as_text=True)
    assert "DASH-LATE" not in tasks  # not a member: the overdue list is not theirs


def test_the_list_of_recommendations_coming_due_reads_its_window(
        client: FlaskClient, login_as: Any, world: dict[str, Any]) -> None:
    login_as(Role.OFFICER)
    page = client.get("/followup/recommendations/due?within=200").get_data(as_text=True)
    assert "Due in a month with nothing done." in page and "Due far ahead." in page
    page = client.get("/followup/recommendations/due?within=7").get_data(as_text=True)
    assert "Due in a month" not in page and "No recommendation comes due" in page
    assert client.get("/followup/recommendations/due?within=abc").status_code == 200


def test_a_recommendation_without_a_due_date_is_due_after_the_grace_period(
        client: FlaskClient, login_as: Any, session: Any, app: Any) -> None:
    grace = int(app.config["FOLLOWUP_GRACE_DAYS"])
    ended = EventFactory(title="Grace event", start_date=_days(-grace + 9),
                         end_date=_days(-grace + 10))  # its recommendations fall due in 10 days
    RecommendationFactory(event=ended, text="Judged after the grace period.")
    session.commit()
    login_as(Role.MANAGER)
    page = client.get("/followup/recommendations/due?within=30").get_data(as_text=True)
    assert "Judged after the grace period." in page
    assert _days(10).strftime("%Y") in page
    page = client.get("/followup/recommendations/due?within=5").get_data(as_text=True)
    assert "Judged after the grace period." not in page
