"""Submit, approve (lock), return, reopen; notifications of each step; the tasks page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build, grid_form, sign_in

from app.audit import Actor, AuditEvent
from app.auth.models import MemberRole, Role
from app.errors import ServiceError
from app.frameworks.models import PeriodState, ReportingPeriod
from app.monitoring import activities, approval, entry
from app.monitoring.models import DataValue, Notification
from seed.factories import MemberFactory, ProjectFactory, ReportingPeriodFactory, UserFactory


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session)


@pytest.fixture
def ctx(app: Any) -> Any:
    """An application context for tests that call services directly, without requests."""
    with app.app_context():
        yield


def _notes(session: Any, user: Any) -> list[Notification]:
    session.expire_all()
    return list(session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def _approve(app: Any, session: Any, setup: Any) -> ReportingPeriod:
    period = setup.period
    with app.app_context():
        approval.submit(session, Actor(setup.officer.id), period, period.version)
        return approval.approve(session, Actor(setup.manager.id), period, period.version)


def test_submit_approve_locks_the_period_for_every_role(app: Any, client: Any, auth: Any,
                                                        setup: Any, session: Any) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    form[f"{setup.key('N')}-value"] = "12"
    assert client.post(f"/periods/{setup.period.id}/submit", data=form).status_code == 302
    session.refresh(setup.period)
    assert setup.period.state == PeriodState.SUBMITTED
    assert setup.period.submitted_by_id == setup.officer.id
    manager = app.test_client()
    sign_in(manager, setup.manager)
    page = manager.get(f"/periods/{setup.period.id}/data").get_data(as_text=True)
    assert "Approve and lock" in page
    response = manager.post(f"/periods/{setup.period.id}/approve",
                            data={"period_version": setup.period.version},
                            follow_redirects=True)
    assert "approved and now locked" in response.get_data(as_text=True)
    session.refresh(setup.period)
    assert setup.period.state == PeriodState.APPROVED and setup.period.locked
    for who in (client, manager):
        page = who.get(f"/periods/{setup.period.id}/data").get_data(as_text=True)
        assert "Approved and locked." in page and "Save draft" not in page
        refused = who.post(f"/periods/{setup.period.id}/data",
                           data={**form, f"{setup.key('N')}-value": "99"})
        assert refused.status_code == 422
        assert "approved and locked" in refused.get_data(as_text=True)
    assert session.scalar(sa.select(DataValue.value).where(
        DataValue.period_id == setup.period.id)) == 12
    actions = [e.action for e in session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity == "reporting_period").order_by(AuditEvent.id))]
    assert actions == ["data_values.save", "period.submit", "period.approve"]


def test_services_refuse_every_change_in_a_locked_period(ctx: Any, setup: Any,
                                                         session: Any) -> None:
    grid_value = {"value": "5"}
    period = setup.period
    approval.submit(session, Actor(setup.officer.id), period, period.version)
    approval.approve(session, Actor(setup.manager.id), period, period.version)
    actor = Actor(setup.manager.id)
    with pytest.raises(ServiceError, match="approved and locked"):
        entry.save_values(session, actor, setup.period, {
            setup.key("N"): entry.Posted(grid_value, 0, None)})
    values = {"kind": "workshop", "title": "Late workshop", "start_date": dt.date(2024, 2, 1),
              "end_date": None, "country": "KG", "place": None, "result_id": None,
              "cost": None, "description": None}
    with pytest.raises(ServiceError, match="approved and locked"):
        activities.create_activity(session, actor, setup.project, values, {})
    outside = activities.create_activity(session, actor, setup.project,
                                         {**values, "start_date": dt.date(2024, 5, 1)}, {})
    with pytest.raises(ServiceError, match="approved and locked"):
        activities.update_activity(session, actor, outside, outside.version,
                                   {**values, "title": "Moved"}, {})
    session.rollback()
    with pytest.raises(ServiceError, match="cannot be done while the period is"):
        approval.approve(session, actor, setup.period, setup.period.version)


def test_return_needs_a_reason_and_reaches_the_officers(ctx: Any, setup: Any, session: Any) -> None:
    colleague = UserFactory(role=Role.OFFICER)
    MemberFactory(user=colleague, project=setup.project, role=MemberRole.OFFICER)
    session.commit()
    period = setup.period
    approval.submit(session, Actor(setup.officer.id), period, period.version)
    with pytest.raises(ServiceError, match="Give a reason"):
        approval.return_period(session, Actor(setup.manager.id), period, period.version, " ")
    approval.return_period(session, Actor(setup.manager.id), period, period.version,
                           "Age groups are missing")
    assert period.state == PeriodState.RETURNED and period.return_reason == "Age groups are missing"
    for officer in (setup.officer, colleague):
        [note] = _notes(session, officer)
        assert note.kind == "period.return" and "Age groups are missing" in note.message
        assert note.link == f"/periods/{period.id}/data"
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "period.return")).one()
    assert event.reason == "Age groups are missing"
    # returned to them: it heads the officer's tasks
    approval.submit(session, Actor(setup.officer.id), period, period.version)
    assert period.state == PeriodState.SUBMITTED


def test_submit_notifies_staff_and_approval_notifies_officers(ctx: Any, setup: Any,
                                                              session: Any) -> None:
    admin = UserFactory(role=Role.ADMIN)
    UserFactory(role=Role.MANAGER, active=False)
    session.commit()
    period = setup.period
    approval.submit(session, Actor(setup.officer.id), period, period.version)
    approval.approve(session, Actor(setup.manager.id), period, period.version)
    [to_manager] = _notes(session, setup.manager)
    assert to_manager.kind == "period.submit" and setup.project.code in to_manager.message
    assert [n.kind for n in _notes(session, admin)] == ["period.submit"]
    [to_officer] = _notes(session, setup.officer)
    assert to_officer.kind == "period.approve" and "now locked" in to_officer.message
    assert session.scalar(sa.select(sa.func.count(Notification.id))) == 3


def test_lock_exception_reopens_one_period_with_a_reason(app: Any, client: Any, login_as: Any,
                                                         setup: Any, session: Any) -> None:
    _approve(app, session, setup)
    manager = login_as(Role.MANAGER)
    refused = client.post(f"/periods/{setup.period.id}/reopen",
                          data={"period_version": setup.period.version, "reason": ""},
                          follow_redirects=True)
    assert "Give a reason" in refused.get_data(as_text=True)
    response = client.post(f"/periods/{setup.period.id}/reopen", data={
        "period_version": setup.period.version, "reason": "The donor corrected the count"},
        follow_redirects=True)
    assert "open again" in response.get_data(as_text=True)
    session.refresh(setup.period)
    assert setup.period.state == PeriodState.OPEN
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "period.reopen")).one()
    assert event.user_id == manager.id and event.reason == "The donor corrected the count"
    assert event.changes == {"state": ["approved", "open"]}
    assert "reopened" in _notes(session, setup.officer)[-1].message
    # only that period: the next one was never locked, and officers cannot reopen
    assert setup.periods[1].state == PeriodState.OPEN


def test_stale_decision_is_refused(ctx: Any, setup: Any, session: Any) -> None:
    period = setup.period
    approval.submit(session, Actor(setup.officer.id), period, period.version)
    with pytest.raises(ServiceError, match="Someone else acted on this period"):
        approval.approve(session, Actor(setup.manager.id), period, period.version - 1)


def test_notifications_page_count_and_reading(app: Any, client: Any, auth: Any, setup: Any,
                                              session: Any, count_queries: Any) -> None:
    _approve(app, session, setup)
    auth.login(setup.officer)
    with count_queries() as counter:
        page = client.get("/tasks").get_data(as_text=True)
    assert 'class="nav-count">1<' in page
    assert sum("notifications" in s.lower() and "count" in s.lower()
               for s in counter.statements) == 1
    page = client.get("/notifications").get_data(as_text=True)
    assert "approved the period" in page
    [note] = _notes(session, setup.officer)
    response = client.post(f"/notifications/{note.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/periods/{setup.period.id}/data")
    assert _notes(session, setup.officer)[0].read_at is not None
    assert 'class="nav-count"' not in client.get("/tasks").get_data(as_text=True)
    # someone else's notification is not found
    [theirs] = _notes(session, setup.manager)
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404


def test_anonymous_pages_make_no_notification_query(client: Any, count_queries: Any) -> None:
    with count_queries() as counter:
        client.get("/login")
    assert not any("notifications" in s for s in counter.statements)


def test_tasks_show_officers_their_due_overdue_and_returned_periods(
        app: Any, client: Any, auth: Any, setup: Any, session: Any) -> None:
    period = setup.period
    with app.app_context():
        approval.submit(session, Actor(setup.officer.id), period, period.version)
        approval.return_period(session, Actor(setup.manager.id), period, period.version, "Redo")
    other = ProjectFactory()
    ReportingPeriodFactory(project=other)  # not the officer's project
    session.commit()
    auth.login(setup.officer)
    page = client.get("/tasks").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr") == len(setup.periods)  # every period has started by now
    assert rows.index("Returned to you") < rows.index("Overdue")
    assert other.code not in rows
    assert "Redo" in rows


def test_staff_tasks_are_the_periods_awaiting_approval(app: Any, client: Any, login_as: Any,
                                                       setup: Any, session: Any) -> None:
    period = setup.periods[2]
    with app.app_context():
        approval.submit(session, Actor(setup.officer.id), period, period.version)
    login_as(Role.MANAGER)
    rows = client.get("/tasks").get_data(as_text=True).split("<tbody>")[1]
    assert rows.count("<tr") == 1 and "Awaiting approval" in rows


def _bulk_periods(session: Any, officer: Any, n: int, start: int) -> None:
    projects = [ProjectFactory() for _ in range(n // 10)]
    for project in projects:
        MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    session.flush()
    session.execute(sa.insert(ReportingPeriod), [
        {"project_id": projects[i % len(projects)].id, "frequency": "monthly",
         "start_date": dt.date(2020, 1, 1) + dt.timedelta(days=31 * (i // len(projects))),
         "end_date": dt.date(2020, 1, 1) + dt.timedelta(days=31 * (i // len(projects)) + 27),
         "due_date": dt.date(2021, 1, 1), "state": "open", "version": 1}
        for i in range(start, start + n)])
    session.commit()


def test_tasks_page_makes_the_same_number_of_queries_for_10_and_1000_periods(
        client: Any, auth: Any, session: Any, count_queries: Any) -> None:
    officer = UserFactory(role=Role.OFFICER)
    session.commit()
    auth.login(officer)
    _bulk_periods(session, officer, 10, 0)

    def count() -> int:
        with count_queries() as counter:
            assert client.get("/tasks").status_code == 200
        return counter.count

    small = count()
    _bulk_periods(session, officer, 990, 10)
    assert count() == small
    assert small <= 8


def test_period_list_shows_the_lock(app: Any, client: Any, auth: Any, setup: Any,
                                    session: Any) -> None:
    _approve(app, session, setup)
    auth.login(setup.officer)
    page = client.get(f"/projects/{setup.project.id}/periods").get_data(as_text=True)
    assert "Approved · locked" in page and "Overdue" in page
