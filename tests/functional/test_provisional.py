"""Values of periods not yet approved are left out of results, reports and exports unless the
reader asks for them, and are then marked on the page and in every export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.auth.models import MemberRole, Role
from app.evaluation.models import ScoreState
from app.frameworks.models import Frequency, PeriodState
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    MemberFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    UserFactory,
)


def _project(session: Any) -> tuple[Any, list[Any]]:
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    periods = [ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                      start_date=dt.date(2024, m, 1),
                                      end_date=dt.date(2024, m + 2, 28), state=state)
               for m, state in ((1, PeriodState.APPROVED), (4, PeriodState.SUBMITTED))]
    indicator = IndicatorFactory(project=project, code="P.1", name="Sessions held",
                                 frequency=Frequency.QUARTERLY, target_value=Decimal(100))
    evaluator = UserFactory(role=Role.EVALUATOR)
    MemberFactory(user=evaluator, project=project, role=MemberRole.EVALUATOR)
    for period, value in zip(periods, (20, 30), strict=True):
        DataValueFactory(indicator=indicator, period=period, value=Decimal(value))
        IndicatorScoreFactory(indicator=indicator, period=period, evaluator=evaluator,
                              state=ScoreState.FINAL, justification="Checked.")
    session.commit()
    return project, periods


def test_results_count_approved_values_unless_asked(client: FlaskClient, login_as: Any,
                                                     session: Any) -> None:
    project, _periods = _project(session)
    login_as(Role.MANAGER)
    page = client.get(f"/projects/{project.id}/results").get_data(as_text=True)
    card = page[page.index("Sessions held"):]
    assert "<dd>20 " in card and "badge-provisional" not in card
    assert "Include provisional values" in page
    page = client.get(f"/projects/{project.id}/results?provisional=1").get_data(as_text=True)
    card = page[page.index("Sessions held"):]
    assert "<dd>50 " in card and "badge-provisional" in card
    assert "Show approved values only" in page


def test_report_exports_mark_provisional_figures(client: FlaskClient, login_as: Any,
                                                 session: Any) -> None:
    project, _periods = _project(session)
    login_as(Role.MANAGER)

    def rows(query: str) -> dict[str, dict[str, str]]:
        body = client.get(f"/evaluation/projects/{project.id}/report.csv{query}").get_data(
            as_text=True)
        return {r["period_start"]: r for r in csv.DictReader(io.StringIO(body))
                if r["aspect"] == "achievement"}

    approved = rows("")
    # the submitted quarter shows no value of its own; the actual to date stays at 20
    assert approved["2024-04-01"]["actual"] == ""
    assert Decimal(approved["2024-04-01"]["to_date"]) == 20
    assert {r["provisional"] for r in approved.values()} == {"no"}
    counted = rows("?provisional=1")
    assert Decimal(counted["2024-04-01"]["actual"]) == 30
    assert Decimal(counted["2024-04-01"]["to_date"]) == 50
    assert counted["2024-04-01"]["provisional"] == "yes"
    assert counted["2024-01-01"]["provisional"] == "no"

    book = load_workbook(io.BytesIO(client.get(
        f"/evaluation/projects/{project.id}/report.xlsx?provisional=1").data))
    scores, about = book.worksheets[0], book.worksheets[1]
    heads = [c.value for c in scores[1]]
    marked = [row[heads.index("Provisional")] for row in scores.iter_rows(min_row=2,
                                                                            values_only=True)]
    assert "yes" in marked and "no" in marked
    assert any(r[1] == "approved values and provisional ones (marked)"
               for r in about.iter_rows(values_only=True))
    page = client.get(f"/evaluation/projects/{project.id}/report").get_data(as_text=True)
    assert "report.csv\"" in page and "provisional=1" not in page.split("report.csv")[0][-200:]
    page = client.get(f"/evaluation/projects/{project.id}/report?provisional=1").get_data(
        as_text=True)
    assert "report.csv?provisional=1" in page
