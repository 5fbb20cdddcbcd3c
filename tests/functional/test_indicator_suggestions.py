"""Indicator suggestions on a result's indicator step: shown to a manager in the reader's
language, ranked and explained, picked through the bank prefill and saved by the ordinary
indicator service; refused to those who may not edit the framework."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
import sqlalchemy as sa
from suggestion_pages import indicator_page, suggested_codes

from app.audit import AuditEvent
from app.auth.models import Locale, Role
from app.frameworks.models import Indicator, ResultLevel
from seed.factories import IndicatorFactory, ProjectFactory, ResultFactory

CONVICTS = "Convicts take part in rehabilitation events."


def _result(session: Any, statement: str = CONVICTS, **kwargs: Any) -> Any:
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    kwargs.setdefault("level", ResultLevel.OUTPUT)
    result = ResultFactory(project=project, code="1.2", statement=statement, **kwargs)
    session.commit()
    return result


def test_a_manager_sees_ranked_explained_suggestions(client: Any, login_as: Any,
                                                     session: Any) -> None:
    login_as(Role.MANAGER)
    result = _result(session)
    page = indicator_page(client, result)
    assert "Suggested for 1.2" in page
    suggested = suggested_codes(page)
    assert suggested[0] == "PVE-PRS-02" and len(suggested) == 5
    first = page.split("PVE-PRS-02", 1)[1].split("Use this indicator", 1)[0]
    assert "Same idea as “take part”, “convicts”, “rehabilitation” in the statement" in first
    assert "Output indicator: the level of this result" in first
    assert f"bank=PVE-PRS-02&result={result.id}" in page
    third = page.split(suggested[2], 1)[1].split("Use this indicator", 1)[0]
    assert "Outcome indicator: one level from this result" in third  # PVE-PRS-03


def test_picking_a_suggestion_adds_the_bank_indicator(client: Any, login_as: Any,
                                                      session: Any) -> None:
    login_as(Role.MANAGER)
    result = _result(session)
    base = f"/projects/{result.project_id}/framework/indicators/new"
    form = html.unescape(client.get(f"{base}?bank=PVE-PRS-02&result={result.id}")
                         .get_data(as_text=True))
    assert "Copied from the bank: PVE-PRS-02" in form
    assert "bank-suggestions" not in form  # picked: the form is what matters now
    response = client.post(base, data={
        "result_id": result.id, "code": "1.2a",
        "name": "Violent-extremist prisoners enrolled in rehabilitation programmes",
        "type": "output", "measure": "number", "unit": "people", "direction": "increase",
        "calculation": "sum", "cumulation": "cumulative", "frequency": "quarterly",
        "data_source": "Prison service records", "bank_code": "PVE-PRS-02", "version": "0"})
    assert response.status_code == 302
    indicator = session.scalars(sa.select(Indicator)).one()
    assert (indicator.bank_code, indicator.result_id) == ("PVE-PRS-02", result.id)
    assert "indicator.create" in session.scalars(sa.select(AuditEvent.action)).all()


def test_suggestions_in_russian_for_a_russian_statement(client: Any, login_as: Any,
                                                        session: Any) -> None:
    login_as(Role.MANAGER, locale=Locale.RU)
    result = _result(session, "Осуждённые участвуют в реабилитационных мероприятиях.")
    page = indicator_page(client, result)
    assert "Предлагаемые индикаторы для 1.2" in page
    assert suggested_codes(page)[0] == "PVE-PRS-02"
    first = page.split("PVE-PRS-02", 1)[1].split("Использовать этот индикатор", 1)[0]
    assert "Заключённые — насильственные экстремисты" in first  # the bank's Russian name
    assert ("То же понятие, что «участвуют», «осужденные», «реабилитационных» "
            "в формулировке") in first
    assert "Уровень индикатора «Непосредственный результат» — тот же" in first
    assert "Same idea" not in page


def test_themes_come_from_the_chain_and_can_be_chosen(client: Any, login_as: Any,
                                                      session: Any) -> None:
    login_as(Role.MANAGER)
    statement = "Trained messengers publish content and reach young people."
    goal = _result(session, "Fewer young people are drawn to violence.", level=ResultLevel.GOAL)
    output = ResultFactory(project=goal.project, parent=goal, code="1.1",
                           level=ResultLevel.OUTPUT, statement=statement)
    IndicatorFactory(project=goal.project, result=goal, bank_code="PVE-ONL-06")
    session.commit()
    page = indicator_page(client, output)
    assert "Themes of this result: Online" in page
    assert "Theme of this result: Online" in page
    plain = indicator_page(client, output, "&themes=1")  # nothing ticked
    assert "Theme of this result" not in plain
    youth = indicator_page(client, output, "&themes=1&theme=youth&theme=bogus")
    assert "Theme of this result: Youth" in youth and "Theme of this result: Online" not in youth
    assert all(code.startswith("PVE-YTH-") for code in suggested_codes(youth)[:2])


def test_a_statement_sharing_nothing_says_so(client: Any, login_as: Any,
                                             session: Any) -> None:
    login_as(Role.MANAGER)
    page = indicator_page(client, _result(session, "Lorem ipsum dolor sit amet."))
    assert "No indicator in the bank shares a word or an idea with this statement." in page
    assert suggested_codes(page) == []


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EVALUATOR])
def test_others_cannot_see_or_pick_suggestions(client: Any, login_as: Any, session: Any,
                                               role: Role) -> None:
    login_as(role)
    result = _result(session)
    base = f"/projects/{result.project_id}/framework/indicators/new"
    assert client.get(f"{base}?result={result.id}").status_code == 403
    assert client.get(f"{base}?bank=PVE-PRS-02&result={result.id}").status_code == 403
    assert client.post(base, data={"result_id": result.id, "code": "1.2a", "name": "x",
                                   "bank_code": "PVE-PRS-02",
                                   "version": "0"}).status_code == 403
    assert session.scalar(sa.select(sa.func.count(Indicator.id))) == 0
