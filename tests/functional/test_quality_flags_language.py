"""Data-quality flags are worded in the reader's language: on a Russian evaluator's scoring
sheet, a late report and an outlier read as Russian sentences, the number of days in the
plural form Russian gives it (1 день, 3 дня, 5 дней), dates and figures written the Russian
way, and nothing left of the English sentences; an English reader gets English."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from evaluation_data import World, build, sign_in
from flask import Flask
from flask.testing import FlaskClient
from pending_russian import MessageId, Russian, pending_russian

from app.auth.models import Locale
from app.frameworks.models import PeriodState
from seed.factories import DataValueFactory

NBSP, NNBSP = "\u00a0", "\u202f"
DUE = dt.date(2025, 1, 30)  # the fourth 2024 quarter of the test project ends on 31 December
RUSSIAN_DUE = f"30 янв. 2025{NNBSP}г."
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Russian of the flag sentences, used until the catalogue has its own (see pending_russian).
RUSSIAN: dict[MessageId, Russian] = {
    ("not submitted; %(num)d day past the due date %(due)s",
     "not submitted; %(num)d days past the due date %(due)s"): (
        "не сдан; срок %(due)s пропущен на %(num)d день",
        "не сдан; срок %(due)s пропущен на %(num)d дня",
        "не сдан; срок %(due)s пропущен на %(num)d дней"),
    ("submitted on %(submitted)s, %(num)d day after the due date %(due)s",
     "submitted on %(submitted)s, %(num)d days after the due date %(due)s"): (
        "сдан %(submitted)s, на %(num)d день позже срока %(due)s",
        "сдан %(submitted)s, на %(num)d дня позже срока %(due)s",
        "сдан %(submitted)s, на %(num)d дней позже срока %(due)s"),
    "value %(value)s is far from the median %(median)s (modified z-score %(score)s, limit "
    "%(limit)s)": "значение %(value)s далеко от медианы %(median)s (модифицированная "
                  "z-оценка %(score)s, порог %(limit)s)",
}


@pytest.fixture
def world(session: Any, app: Flask) -> Any:
    with pending_russian(app, RUSSIAN):
        yield build(session)


def _today(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr("app.evaluation.views.today", lambda: day)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _banner(client: FlaskClient, world: World) -> str:
    """The late-report warning of the sheet of the fourth quarter, as text."""
    response = client.get(f"/evaluation/projects/{world.project.id}?period={world.periods[3].id}")
    assert response.status_code == 200
    found = re.findall(r'<p class="flash flash-warning">(.*?)</p>',
                       response.get_data(as_text=True), re.S)
    assert len(found) == 1
    return _text(found[0])


def _russian_evaluator(session: Any, world: World) -> Any:
    evaluator = world.evaluators[0]
    evaluator.locale = Locale.RU
    session.commit()
    return evaluator


def test_a_report_not_submitted_counts_its_days_in_russian_plural_forms(
        client: FlaskClient, session: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(client, _russian_evaluator(session, world))
    for days, words in ((1, "1 день"), (3, "3 дня"), (5, "5 дней")):
        _today(monkeypatch, DUE + dt.timedelta(days=days))
        banner = _banner(client, world)
        assert banner.startswith("Отчёт с опозданием: ")
        assert words in banner and RUSSIAN_DUE in banner
        assert not LATIN_WORD.search(banner), banner  # nothing of "not submitted; … days past"


def test_a_report_submitted_late_in_russian(
        client: FlaskClient, session: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    period = world.periods[3]
    period.state = PeriodState.SUBMITTED
    period.submitted_at = dt.datetime(2025, 2, 2, 9, tzinfo=dt.UTC)
    sign_in(client, _russian_evaluator(session, world))
    _today(monkeypatch, dt.date(2025, 3, 1))
    banner = _banner(client, world)
    assert "3 дня" in banner and RUSSIAN_DUE in banner and f"2 февр. 2025{NNBSP}г." in banner
    assert not LATIN_WORD.search(banner), banner


def test_late_reports_in_english(
        client: FlaskClient, session: Any, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(client, world.evaluators[1])
    _today(monkeypatch, DUE + dt.timedelta(days=1))
    assert _banner(client, world) == (
        "Late report: not submitted; 1 day past the due date Jan 30, 2025")
    _today(monkeypatch, DUE + dt.timedelta(days=5))
    assert _banner(client, world).endswith("not submitted; 5 days past the due date Jan 30, 2025")
    period = world.periods[3]
    period.state = PeriodState.SUBMITTED
    period.submitted_at = dt.datetime(2025, 1, 31, 9, tzinfo=dt.UTC)
    session.commit()
    assert _banner(client, world).endswith(
        "submitted on Jan 31, 2025, 1 day after the due date Jan 30, 2025")


def _outlier(client: FlaskClient, session: Any, world: World) -> str:
    """The fourth quarter reports 5000 after 40, 50 and 60: the outlier flag, as text (the
    other indicator goes on to 70 and has no flag)."""
    period = world.periods[3]
    DataValueFactory(indicator=world.indicators[0], period=period, value=Decimal(5000))
    DataValueFactory(indicator=world.indicators[1], period=period, value=Decimal(70))
    period.state = PeriodState.APPROVED
    session.commit()
    response = client.get(f"/evaluation/projects/{world.project.id}?period={period.id}")
    assert response.status_code == 200
    items = re.findall(r"<li>(.*?)</li>", response.get_data(as_text=True), re.S)
    [flag] = [_text(item) for item in items if 'class="badge ev-flag"' in item]
    return flag


def test_an_outlier_in_russian(client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, _russian_evaluator(session, world))
    flag = _outlier(client, session, world)
    # median of 40 50 60 5000 is 55; deviations 15 5 5 4945, MAD 10;
    # z = 0.6745 x 4945 / 10 = 333.54
    assert flag.startswith("Выброс")
    for figure in (f"5{NBSP}000", "55", "333,5", "3,5"):
        assert figure in flag, (figure, flag)
    assert "far from" not in flag and "median" not in flag and "limit" not in flag
    assert not LATIN_WORD.search(flag), flag


def test_an_outlier_in_english(client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, world.evaluators[1])
    assert _outlier(client, session, world) == (
        "Outlier value 5,000 is far from the median 55 (modified z-score 333.5, limit 3.5)")
