"""Events, recommendations and follow-up actions through the forms of the web pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa

from app.audit import AuditEvent
from app.auth.models import MemberRole, Role
from app.followup.models import Event, EventRole, FollowUpAction, Recommendation, Theme
from app.programmes.models import Project
from indicators.followup import RecommendationStatus
from seed.factories import (
    ActivityFactory,
    EventFactory,
    FollowUpActionFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
    RecommendationFactory,
)


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


EVENT_FORM = {"title": "Recognising and responding to radicalisation", "kind": "workshop",
              "start_date": "2016-03-29", "end_date": "2016-03-31", "city": "Almaty",
              "country": "kz", "participants_total": "60", "cost": "45000",
              "currency": "eur", "version": "0"}


def test_manager_records_an_event_and_its_recommendations(client: Any, login_as: Any,
                                                          session: Any) -> None:
    login_as(Role.MANAGER)
    unrcca, eu = OrganisationFactory(name="UNRCCA"), OrganisationFactory(name="EU")
    session.commit()
    form = client.get("/followup/events/new").get_data(as_text=True)
    assert "UNRCCA" in form and 'name="organiser_ids"' in form
    response = client.post("/followup/events/new", data={
        **EVENT_FORM, "organiser_ids": [str(unrcca.id)], "funder_ids": [str(eu.id)]})
    assert response.status_code == 302
    event = session.scalars(sa.select(Event)).one()
    assert {(p.organisation_id, p.role) for p in event.participants} == {
        (unrcca.id, EventRole.ORGANISER), (eu.id, EventRole.FUNDER)}
    response = client.post(f"/followup/events/{event.id}/recommendations/new", data={
        "number": "1", "text": "Sponsor research on the drivers of radicalisation.",
        "priority": "important", "themes": ["research", "youth"], "version": "0"})
    assert response.status_code == 302
    rec = session.scalars(sa.select(Recommendation)).one()
    assert sorted(t.theme for t in rec.themes) == [Theme.RESEARCH, Theme.YOUTH]
    page = _text(client.get(f"/followup/events/{event.id}?as_of=2017-01-01"))
    assert "Talk shop" in page and "Sponsor research on the drivers" in page
    assert "Research" in page and "UNRCCA" in page
    form = _text(client.get(f"/followup/events/{event.id}/edit"))
    assert re.search(rf'<option selected value="{unrcca.id}">UNRCCA', form)
    assert 'value="2016-03-29"' in form


def test_invalid_event_form_names_the_fields(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    response = client.post("/followup/events/new", data={
        **EVENT_FORM, "end_date": "2016-03-01", "participants_total": "10",
        "participants_women": "20", "report_url": "not a link"})
    assert response.status_code == 422
    body = _text(response)
    assert "The end date is before the start date." in body
    assert "Women and men together are more than the total (10)." in body
    assert "starting with https://" in body
    response = client.post("/followup/events/new", data={**EVENT_FORM, "start_date": ""})
    assert response.status_code == 422
    assert "Give the date the event started." in _text(response)
    assert session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_stale_event_form_shows_the_other_persons_values(client: Any, login_as: Any,
                                                         session: Any) -> None:
    login_as(Role.MANAGER)
    event = EventFactory(title="Before")
    session.commit()
    form = {**EVENT_FORM, "version": str(event.version)}
    assert client.post(f"/followup/events/{event.id}/edit",
                       data={**form, "title": "Saved first"}).status_code == 302
    second = client.post(f"/followup/events/{event.id}/edit", data={**form, "title": "Mine"})
    assert second.status_code == 409
    body = _text(second)
    assert "nothing of yours was saved" in body and "Now saved: <strong>Saved first" in body
    session.expire_all()
    assert session.get(Event, event.id).title == "Saved first"


def test_officer_records_follow_up_and_manager_verifies_it(client: Any, login_as: Any,
                                                           auth: Any, session: Any) -> None:
    project = ProjectFactory()
    rec = RecommendationFactory(event=EventFactory(start_date=dt.date(2016, 3, 29),
                                                   end_date=dt.date(2016, 3, 31),
                                                   project_id=project.id))
    session.commit()
    officer = login_as(Role.OFFICER)
    MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    session.commit()
    response = client.post(f"/followup/recommendations/{rec.id}/actions/new", data={
        "state": "done", "action_date": "2017-02-01", "kind": "programme_launched",
        "description": "A regional research network was set up.", "actor": "UNRCCA",
        "evidence_url": "https://example.org/network", "version": "0"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#rec-{rec.id}")
    action = session.scalars(sa.select(FollowUpAction)).one()
    page = _text(client.get(f"/followup/events/{rec.event_id}?as_of=2017-12-31"))
    # done but not yet verified: it awaits verification and decides nothing
    assert "1 action awaits verification." in page and "badge-talk_shop" in page
    assert 'action_verify' not in page and ">Verify<" not in page
    assert client.post(f"/followup/actions/{action.id}/verify",
                       data={"version": str(action.version)}).status_code == 403
    auth.logout()
    manager = login_as(Role.MANAGER)
    response = client.post(f"/followup/actions/{action.id}/verify",
                           data={"version": str(action.version)}, follow_redirects=True)
    assert "Follow-up action verified." in _text(response)
    session.expire_all()
    action = session.get(FollowUpAction, action.id)
    assert action.verified_by_id == manager.id
    page = _text(client.get(f"/followup/events/{rec.event_id}"))
    assert f"by {manager.name} on" in page and "100%</span> <span>verified" in page


def test_action_in_the_future_is_refused_on_the_form(client: Any, login_as: Any,
                                                     session: Any) -> None:
    _officer, rec, _theirs = _officer_event(session, login_as)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(f"/followup/recommendations/{rec.id}/actions/new", data={
        "state": "done", "action_date": tomorrow, "kind": "other", "description": "Soon",
        "version": "0"})
    assert response.status_code == 422
    assert "cannot be dated in the future" in _text(response)


def test_editing_a_verified_action_withdraws_the_verification(client: Any, login_as: Any,
                                                              session: Any) -> None:
    action = FollowUpActionFactory(verified_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    session.commit()
    login_as(Role.MANAGER)
    form = client.get(f"/followup/actions/{action.id}/edit").get_data(as_text=True)
    assert "Saving a change withdraws the verification" in form
    response = client.post(f"/followup/actions/{action.id}/edit", data={
        "state": "done", "action_date": "2023-06-01", "kind": "programme_launched",
        "description": "Changed", "evidence_url": "https://example.org/e",
        "version": str(action.version)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(FollowUpAction, action.id).verified_at is None


def test_verifying_a_promise_explains_why_not(client: Any, login_as: Any, session: Any) -> None:
    action = FollowUpActionFactory(state="planned")
    session.commit()
    login_as(Role.ADMIN)
    response = client.post(f"/followup/actions/{action.id}/verify",
                           data={"version": str(action.version)}, follow_redirects=True)
    assert "A planned action is a promise" in _text(response)


def test_status_change_through_the_page(client: Any, login_as: Any, session: Any) -> None:
    rec = RecommendationFactory()
    session.commit()
    login_as(Role.MANAGER)
    url = f"/followup/recommendations/{rec.id}/status"
    refused = client.post(url, data={"status": "no_longer_applicable", "status_note": "",
                                     "version": str(rec.version)})
    assert refused.status_code == 422
    assert "Say why the recommendation no longer applies" in _text(refused)
    ok = client.post(url, data={"status": "implemented", "status_note": "Strategy adopted",
                                "version": str(rec.version)})
    assert ok.status_code == 302
    stale = client.post(url, data={"status": "in_progress", "version": str(rec.version)})
    assert stale.status_code == 409
    session.expire_all()
    assert session.get(Recommendation, rec.id).status is RecommendationStatus.IMPLEMENTED
    assert session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "recommendation.status")) == 1


def test_recommendation_edit_form(client: Any, login_as: Any, session: Any) -> None:
    rec = RecommendationFactory(title="Old")
    session.commit()
    login_as(Role.MANAGER)
    page = client.get(f"/followup/recommendations/{rec.id}/edit").get_data(as_text=True)
    assert 'value="Old"' in page
    response = client.post(f"/followup/recommendations/{rec.id}/edit", data={
        "number": rec.number, "title": "New", "text": rec.text, "priority": "critical",
        "themes": ["prisons"], "version": str(rec.version)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Recommendation, rec.id).title == "New"


def test_events_list_for_an_evaluator(client: Any, login_as: Any, session: Any) -> None:
    EventFactory(title="Bishkek conference")
    session.commit()
    login_as(Role.EVALUATOR)
    body = client.get("/followup/").get_data(as_text=True)
    assert "Bishkek conference" in body
    assert "New event" not in body and "Follow-up report" not in body
    assert 'href="/followup/"' in body  # the top navigation


def _officer_event(session: Any, login_as: Any) -> tuple[Any, Any, Any]:
    """An officer signed in, a member of one project (with an activity) but not of another;
    an event of each project with one recommendation."""
    mine, theirs = ProjectFactory(code="MINE-1"), ProjectFactory(code="THEIRS-1")
    ActivityFactory(project=mine, title="Training of imams in Osh")
    ActivityFactory(project=theirs, title="Someone else's workshop")
    recs = [RecommendationFactory(event=EventFactory(end_date=dt.date(2016, 3, 31),
                                                     start_date=dt.date(2016, 3, 29),
                                                     project_id=p.id)) for p in (mine, theirs)]
    session.commit()
    officer = login_as(Role.OFFICER)
    MemberFactory(user=officer, project=mine, role=MemberRole.OFFICER)
    session.commit()
    return officer, recs[0], recs[1]


ACTION = {"state": "done", "action_date": "2017-02-01", "kind": "policy_adopted",
          "description": "A national programme was adopted.", "version": "0",
          "evidence_url": "https://example.org/programme"}


def test_officers_record_follow_up_only_for_their_projects(client: Any, login_as: Any,
                                                           session: Any) -> None:
    _officer, mine, theirs = _officer_event(session, login_as)
    form = _text(client.get(f"/followup/recommendations/{mine.id}/actions/new"))
    assert "MINE-1" in form and "THEIRS-1" not in form
    assert "Training of imams in Osh" in form and "Someone else" not in form
    assert client.get(f"/followup/recommendations/{theirs.id}/actions/new").status_code == 403
    response = client.post(f"/followup/recommendations/{theirs.id}/actions/new", data=ACTION)
    assert response.status_code == 403
    assert session.scalar(sa.select(sa.func.count(FollowUpAction.id))) == 0
    # linking another project's record is refused as a choice not offered
    other = session.scalar(sa.select(Project.id).where(Project.code == "THEIRS-1"))
    response = client.post(f"/followup/recommendations/{mine.id}/actions/new",
                           data={**ACTION, "project_id": str(other)})
    assert response.status_code == 422
    assert session.scalar(sa.select(sa.func.count(FollowUpAction.id))) == 0
    assert client.post(f"/followup/recommendations/{mine.id}/actions/new",
                       data=ACTION).status_code == 302


def test_only_the_recorder_or_staff_change_an_action(client: Any, login_as: Any, auth: Any,
                                                     session: Any) -> None:
    officer, mine, _theirs = _officer_event(session, login_as)
    assert client.post(f"/followup/recommendations/{mine.id}/actions/new",
                       data=ACTION).status_code == 302
    action = session.scalars(sa.select(FollowUpAction)).one()
    assert action.recorded_by_id == officer.id
    assert client.get(f"/followup/actions/{action.id}/edit").status_code == 200
    auth.logout()
    colleague = login_as(Role.OFFICER)
    project = session.scalar(sa.select(Project).where(Project.code == "MINE-1"))
    MemberFactory(user=colleague, project=project, role=MemberRole.OFFICER)
    session.commit()
    assert client.get(f"/followup/actions/{action.id}/edit").status_code == 403
    assert client.post(f"/followup/actions/{action.id}/edit",
                       data={**ACTION, "description": "Changed", "version": "1"}
                       ).status_code == 403
    page = _text(client.get(f"/followup/events/{mine.event_id}"))
    assert f"/followup/actions/{action.id}/edit" not in page
    auth.logout()
    login_as(Role.MANAGER)
    assert client.get(f"/followup/actions/{action.id}/edit").status_code == 200
