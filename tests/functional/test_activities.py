"""The activity log, and the indicators computed from it for each period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build

from app.audit import Actor, AuditEvent
from app.frameworks.models import ActivityKind
from app.monitoring import approval, computed
from app.monitoring.grid import build_grid
from app.monitoring.models import Activity, AgeGroup, Sex
from seed.factories import ActivityFactory, ActivityParticipantsFactory


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session)


def _log(setup: Any, session: Any) -> None:
    """Q1 2024: a workshop in KG (12 + 8 + 3 people) and a training in KZ (5 women);
    Q2 2024: a workshop with nobody recorded."""
    workshop = ActivityFactory(project=setup.project, kind=ActivityKind.WORKSHOP,
                               start_date=dt.date(2024, 2, 10), country="KG")
    ActivityParticipantsFactory(activity=workshop, sex=Sex.FEMALE, age_group=AgeGroup.AGE_15_24,
                                count=12)
    ActivityParticipantsFactory(activity=workshop, sex=Sex.MALE, age_group=AgeGroup.AGE_25_34,
                                count=8)
    ActivityParticipantsFactory(activity=workshop, sex=Sex.UNKNOWN, age_group=AgeGroup.UNKNOWN,
                                count=3)
    training = ActivityFactory(project=setup.project, kind=ActivityKind.TRAINING,
                               start_date=dt.date(2024, 3, 31), country="KZ")
    ActivityParticipantsFactory(activity=training, sex=Sex.FEMALE, age_group=AgeGroup.AGE_15_24,
                                count=5)
    ActivityFactory(project=setup.project, kind=ActivityKind.WORKSHOP,
                    start_date=dt.date(2024, 4, 1), country="KG")
    ActivityFactory(kind=ActivityKind.WORKSHOP, start_date=dt.date(2024, 2, 1))  # other project
    session.commit()


def test_activity_sourced_indicators_are_computed_per_period(setup: Any, session: Any) -> None:
    _log(setup, session)
    q1, q2 = setup.periods[0].id, setup.periods[1].id
    values = computed.activity_values(session, setup.indicators.values(), [q1, q2])
    w, p = setup.indicators["W"].id, setup.indicators["P"].id
    assert values[(w, q1, "total", "total")] == 1  # the training is not a workshop
    assert values[(w, q1, "country", "KG")] == 1
    assert (w, q1, "country", "KZ") not in values
    assert values[(w, q2, "total", "total")] == 1
    assert values[(p, q1, "total", "total")] == 28  # every participant, of any kind
    assert values[(p, q1, "sex", "female")] == 17
    assert values[(p, q1, "sex", "male")] == 8
    assert values[(p, q1, "age_group", "15_24")] == 17
    assert values[(p, q2, "total", "total")] == 0
    assert not any(key[0] == setup.indicators["N"].id for key in values)


def test_grid_shows_computed_values_read_only(app: Any, client: Any, auth: Any, setup: Any,
                                              session: Any) -> None:
    _log(setup, session)
    with app.test_request_context():
        grid = build_grid(session, setup.period)
        rows = {(r.indicator.code, r.type.code, r.category.code): r for r in grid.rows()}
    assert rows[("P", "total", "total")].computed == 28
    assert rows[("W", "country", "KZ")].computed == 0
    assert rows[("N", "total", "total")].computed is None
    auth.login(setup.officer)
    page = client.get(f"/periods/{setup.period.id}/data").get_data(as_text=True)
    assert 'class="dc-readonly dc-computed">28<' in page


def test_officer_records_an_activity_with_participants(client: Any, auth: Any, setup: Any,
                                                       session: Any) -> None:
    auth.login(setup.officer)
    assert client.get(f"/projects/{setup.project.id}/activities/new").status_code == 200
    response = client.post(f"/projects/{setup.project.id}/activities/new", data={
        "kind": "workshop", "title": "Peer speakers in Osh", "start_date": "2024-05-14",
        "end_date": "2024-05-15", "country": "kg", "place": "Osh", "result_id": "",
        "cost": "1500", "female_15_24": "14", "male_15_24": "9", "version": "0"})
    assert response.status_code == 302
    activity = session.scalars(sa.select(Activity)).one()
    assert activity.country == "KG" and activity.cost == Decimal("1500.00")
    assert activity.recorded_by_id == setup.officer.id
    assert {(p.sex, p.age_group): p.count for p in activity.participants} == {
        (Sex.FEMALE, AgeGroup.AGE_15_24): 14, (Sex.MALE, AgeGroup.AGE_15_24): 9}
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "activity.create")).one()
    assert event.changes["participants"] == [None, "female/15_24: 14, male/15_24: 9"]
    page = client.get(f"/projects/{setup.project.id}/activities").get_data(as_text=True)
    assert "Peer speakers in Osh" in page and ">23<" in page
    # changed later: participants and title, audited
    form = {"kind": "workshop", "title": "Peer speakers in Osh (day 1)",
            "start_date": "2024-05-14", "female_15_24": "15", "version": str(activity.version)}
    assert client.post(f"/activities/{activity.id}/edit", data=form).status_code == 302
    stale = client.post(f"/activities/{activity.id}/edit", data={**form, "title": "Again"})
    assert stale.status_code == 409
    session.expire_all()
    assert activity.title == "Peer speakers in Osh (day 1)"
    assert [p.count for p in activity.participants] == [15]


def test_activity_form_refuses_bad_input(client: Any, auth: Any, setup: Any,
                                         session: Any) -> None:
    auth.login(setup.officer)
    response = client.post(f"/projects/{setup.project.id}/activities/new", data={
        "kind": "workshop", "title": "", "start_date": "2024-05-14", "end_date": "2024-05-01",
        "female_15_24": "-3", "version": "0"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "end date is before the start date" in body
    assert session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_locked_period_keeps_its_activities(app: Any, client: Any, auth: Any, setup: Any,
                                            session: Any) -> None:
    _log(setup, session)
    period = setup.period
    with app.app_context():
        approval.submit(session, Actor(setup.officer.id), period, period.version)
        approval.approve(session, Actor(setup.manager.id), period, period.version)
    auth.login(setup.officer)
    page = client.get(f"/projects/{setup.project.id}/activities").get_data(as_text=True)
    assert page.count("Locked</span>") == 2
    response = client.post(f"/projects/{setup.project.id}/activities/new", data={
        "kind": "workshop", "title": "Back-dated", "start_date": "2024-01-20", "version": "0"})
    assert response.status_code == 422
    assert "approved and locked" in response.get_data(as_text=True)
    locked = session.scalars(sa.select(Activity).where(
        Activity.project_id == setup.project.id).order_by(Activity.start_date)).first()
    response = client.post(f"/activities/{locked.id}/delete",
                           data={"version": locked.version}, follow_redirects=True)
    assert "approved and locked" in response.get_data(as_text=True)
    assert session.get(Activity, locked.id) is not None
    later = session.scalars(sa.select(Activity).where(
        Activity.start_date == dt.date(2024, 4, 1))).one()
    moved = client.post(f"/activities/{later.id}/edit", data={
        "kind": "workshop", "title": later.title, "start_date": "2024-03-01",
        "version": str(later.version)})
    assert moved.status_code == 422  # moving it into the locked period is refused too


def test_activities_list_keeps_its_query_count(client: Any, auth: Any, setup: Any,
                                               session: Any, count_queries: Any) -> None:
    auth.login(setup.officer)

    def count() -> int:
        with count_queries() as counter:
            assert client.get(f"/projects/{setup.project.id}/activities").status_code == 200
        return counter.count

    rows = [{"project_id": setup.project.id, "kind": "workshop", "title": f"A{i}",
             "start_date": dt.date(2024, 1, 1) + dt.timedelta(days=i % 700), "version": 1,
             "illustrative": False} for i in range(1000)]
    session.execute(sa.insert(Activity), rows[:10])
    session.commit()
    small = count()
    session.execute(sa.insert(Activity), rows[10:])
    session.commit()
    assert count() == small
