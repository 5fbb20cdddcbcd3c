"""The audit trail reads in its reader's language: record types and fields by their labels, an
enum by its label, a boolean as yes or no, dates and amounts written for the locale, and the
person who acted by name; a field it does not know is shown readable, never refused. Its
query count does not grow with its rows."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pending_russian import MessageId, Russian, pending_russian

from app import audit
from app.audit import Actor
from app.auth.models import Locale, Role
from seed.factories import UserFactory

NBSP, NNBSP = "\u00a0", "\u202f"
ACTOR = "Aigerim Sadykova"
# Russian of the labels the trail shows here, used until the catalogue has its own.
RUSSIAN: dict[MessageId, Russian] = {"Indicator score": "Оценка индикатора", "User": "Пользователь"}


@pytest.fixture
def trail(session: Any, app: Flask) -> Any:
    """Audit events of one person, as the services record them."""
    person: Any = UserFactory(name=ACTOR, email="aigerim@example.org", role=Role.MANAGER)
    session.flush()
    actor = Actor(person.id, "10.0.0.7")
    audit.record(session, actor, "budget_line.update", "budget_line", 7, {
        "planned": ["1500.00", "2500.50"], "category": ["personnel", "travel"],
        "co_financing_share": ["a", "b"]})
    audit.record(session, actor, "indicator_score.finalise", "indicator_score", 12,
                 {"state": ["draft", "final"]})
    audit.record(session, actor, "user.deactivate", "user", 31, {"active": [True, False]},
                 reason="Left the organisation")
    audit.record(session, actor, "event.update", "event", 4,
                 {"start_date": ["2024-03-29", "2024-04-02"]})
    audit.record(session, actor, "user.update", "user", 31, {"role": ["officer", "evaluator"]})
    audit.record(session, actor, "followup_action.verify", "followup_action", 9, {
        "verified_by_id": [None, person.id], "verified_at": [None, "2024-05-10T09:30:00+00:00"]})
    session.commit()
    with pending_russian(app, RUSSIAN):
        yield person


def _rows(client: FlaskClient) -> list[list[str]]:
    """The audit table's rows of ``ACTOR``'s events, each as the text of its cells."""
    response = client.get("/audit?user=aigerim")
    assert response.status_code == 200
    body = response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows.append([_text(cell) for cell in cells])
    return rows


def _text(cell: str) -> str:
    """A cell's text; a line break and ASCII white space read as one space (a non-breaking
    space is part of what is checked)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br>|</li>", " ", cell)))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _changes(rows: list[list[str]]) -> str:
    return " | ".join(row[4] for row in rows)


RAW = ("budget_line", "indicator_score", "planned:", "category:", "state:", "active:",
       "start_date", "True", "False", "draft", ": officer", "2024-03-29", "1500.00", "user 5",
       "verified", "T09:30")


def test_the_audit_trail_in_english(client: FlaskClient, login_as: Any, trail: Any) -> None:
    login_as(Role.ADMIN)
    rows = _rows(client)
    assert len(rows) == 6
    assert {row[1] for row in rows} == {f"{ACTOR} aigerim@example.org"}
    records = [row[3] for row in rows]
    assert "Budget line 7" in records and "Indicator score 12" in records
    changes = _changes(rows)
    for shown in ("Planned amount: 1,500 → 2,500.5", "Category: Personnel → Travel",
                  "Co financing share: a → b", "State: Draft → Final", "Active: yes → no",
                  "Reason: Left the organisation", "Start date: Mar 29, 2024 → Apr 2, 2024",
                  "Role: Programme officer → Evaluator", f"Verified by: — → {ACTOR}",
                  "Verified on: — → May 10, 2024, 9:30:00"):
        assert shown in changes, (shown, changes)
    for raw in RAW:
        assert raw not in changes and raw not in records, raw


def test_the_audit_trail_in_russian(client: FlaskClient, login_as: Any, trail: Any) -> None:
    login_as(Role.ADMIN, locale=Locale.RU)
    rows = _rows(client)
    assert len(rows) == 6
    assert {row[1] for row in rows} == {f"{ACTOR} aigerim@example.org"}
    records = [row[3] for row in rows]
    assert "Статья бюджета 7" in records and "Мероприятие 4" in records
    changes = _changes(rows)
    for shown in (f"Сумма по плану: 1{NBSP}500 → 2{NBSP}500,5",
                  "Категория: Персонал → Командировки", "Состояние: Черновик → Окончательная",
                  "Активен: да → нет",
                  f"Дата начала: 29 мар. 2024{NNBSP}г. → 2 апр. 2024{NNBSP}г.",
                  "Роль: Сотрудник программы → Оценщик"):
        assert shown in changes, (shown, changes)
    assert "Co financing share: a → b" in changes  # an unknown field, readable
    for english in ("Planned amount", "Personnel", "Draft", "Final", "Active", "yes", "Start date",
                    "Budget line", *RAW):
        assert english not in changes and english not in records, english


def test_changes_of_an_unexpected_shape_are_shown_not_refused(
        client: FlaskClient, login_as: Any, session: Any) -> None:
    person: Any = UserFactory(name="Odd Shapes", email="odd@example.org")
    session.flush()
    audit.record(session, Actor(person.id), "something.new", "unheard_of", None, {
        "verified_by_id": [[1], {"x": 2}], "a_single_value": 5, "nested_thing": [None, {"k": 1}],
        "long_list": [["kz", "kg"], ["tj"]]})
    session.commit()
    login_as(Role.ADMIN)
    response = client.get("/audit?user=odd@example.org")
    assert response.status_code == 200
    [row] = [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
             for tr in re.findall(r"<tr>(.*?)</tr>", response.get_data(as_text=True).split(
                 "<tbody>")[1], re.S)]
    assert row[3] == "Unheard of"
    for shown in ("A single value: — → 5", "Nested thing: — → {'k': 1}", "Long list: kz, kg → tj"):
        assert shown in row[4], (shown, row[4])


def test_the_audit_trail_keeps_its_query_count_as_it_grows(
        client: FlaskClient, login_as: Any, session: Any, count_queries: Any) -> None:
    login_as(Role.ADMIN)

    def add(count: int) -> None:
        for n in range(count):  # each by a different person: the names come with the rows
            person: Any = UserFactory(name=f"Person {n}")
            session.flush()
            audit.record(session, Actor(person.id), "user.update", "user", person.id,
                         {"active": [True, False], "role": ["officer", "evaluator"]})
        session.commit()

    def queries() -> int:
        with count_queries() as counter:
            page = client.get("/audit")
            assert page.status_code == 200
        return len(counter.statements)

    add(2)
    few = queries()
    add(40)
    assert queries() == few
