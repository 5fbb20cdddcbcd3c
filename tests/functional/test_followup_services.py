"""Services of the follow-up domain: validation naming the field, stale edits, audit, atomicity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.errors import NotAllowed, ServiceError, StaleEdit, ValidationFailed
from app.followup import actions, services
from app.followup.models import (
    ActionKind,
    Event,
    EventKind,
    EventRole,
    FollowUpAction,
    Priority,
    Recommendation,
    Theme,
)
from app.frameworks.models import ActivityKind
from app.monitoring.models import Activity
from indicators.followup import ActionState, RecommendationStatus
from seed.factories import (
    EventFactory,
    FollowUpActionFactory,
    OrganisationFactory,
    ProjectFactory,
    RecommendationFactory,
    UserFactory,
)

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def actor(session: Any) -> Actor:
    manager = UserFactory(role=Role.MANAGER)
    session.commit()
    return Actor(user_id=manager.id, ip="10.0.0.1")


def _audit(session: Any, action: str) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                .order_by(AuditEvent.id)))


def _event_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Workshop on recognising radicalisation", "kind": EventKind.WORKSHOP,
        "start_date": dt.date(2016, 3, 29), "end_date": dt.date(2016, 3, 31),
        "city": "Almaty", "country": "kz", "participants_total": 60,
        "participants_women": 20, "participants_men": 35, "cost": Decimal("45000"),
        "currency": "eur", "report_url": "https://example.org/report.pdf",
        "description": None, "project_id": None, "organiser_ids": [], "funder_ids": []}
    values.update(overrides)
    return values


# --- events ---------------------------------------------------------------------------------


def test_event_is_created_with_organisers_and_funders_and_audited(session: Any,
                                                                  actor: Actor) -> None:
    unrcca, eu = OrganisationFactory(name="UNRCCA"), OrganisationFactory(name="EU")
    session.commit()
    event = services.create_event(session, actor, _event_values(
        organiser_ids=[unrcca.id], funder_ids=[eu.id]))
    assert (event.country, event.currency) == ("KZ", "EUR")
    roles = {(p.organisation_id, p.role) for p in event.participants}
    assert roles == {(unrcca.id, EventRole.ORGANISER), (eu.id, EventRole.FUNDER)}
    [entry] = _audit(session, "event.create")
    assert entry.user_id == actor.user_id and entry.entity_id == str(event.id)
    assert entry.changes["title"] == [None, "Workshop on recognising radicalisation"]
    assert entry.changes["organisers"] == [None, [f"UNRCCA ({unrcca.acronym})"]]
    assert entry.changes["funders"] == [None, [f"EU ({eu.acronym})"]]


def test_a_report_address_typed_without_its_scheme_is_stored_complete(
        session: Any, actor: Actor) -> None:
    event = services.create_event(session, actor, _event_values(
        report_url=" www.eeas.europa.eu/Central-Asia-PVE-Conference "))
    assert event.report_url == "https://www.eeas.europa.eu/Central-Asia-PVE-Conference"
    [entry] = _audit(session, "event.create")
    assert entry.changes["report_url"] == [None, event.report_url]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": " "}, "title", "Give the event a title"),
    ({"report_url": "see the annex"}, "report_url", "https://"),
    ({"start_date": None}, "start_date", "date the event started"),
    ({"end_date": dt.date(2016, 3, 1)}, "end_date", "before the start date"),
    ({"country": "KAZ"}, "country", "two-letter country code"),
    ({"participants_total": 50}, "participants_total", "more than the total (50)"),
    ({"participants_men": -1}, "participants_men", "cannot be negative"),
    ({"cost": Decimal("-1")}, "cost", "cannot be negative"),
    ({"currency": None}, "currency", "currency of the cost"),
    ({"report_url": "javascript:alert(1)"}, "report_url", "https://"),
    ({"organiser_ids": [987654]}, "organiser_ids", "does not exist"),
    ({"project_id": 987654}, "project_id", "does not exist"),
])
def test_invalid_event_names_the_field_and_writes_nothing(
    session: Any, actor: Actor, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.create_event(session, actor, _event_values(**overrides))
    assert field in refused.value.errors
    assert message in " ".join(str(m) for m in refused.value.errors[field])
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(Event.id))) == 0
    assert _audit(session, "event.create") == []


def test_event_edit_records_old_and_new_and_bumps_the_version_for_organisers(
    session: Any, actor: Actor
) -> None:
    first, second = OrganisationFactory(name="CTITF"), OrganisationFactory(name="OSCE")
    session.commit()
    event = services.create_event(session, actor, _event_values(organiser_ids=[first.id]))
    version = event.version
    services.update_event(session, actor, event, version,
                          _event_values(organiser_ids=[second.id]))
    assert event.version == version + 1
    [entry] = _audit(session, "event.update")
    assert entry.changes == {"organisers": [[first.label], [second.label]]}
    services.update_event(session, actor, event, event.version,
                          _event_values(organiser_ids=[second.id], city="Bishkek"))
    assert _audit(session, "event.update")[-1].changes == {"city": ["Almaty", "Bishkek"]}


def test_stale_event_edit_is_refused_with_the_saved_values(session: Any, actor: Actor) -> None:
    event = services.create_event(session, actor, _event_values())
    opened = event.version
    services.update_event(session, actor, event, opened, _event_values(title="Saved first"))
    with pytest.raises(StaleEdit) as stale:
        services.update_event(session, actor, event, opened, _event_values(title="Second"))
    assert stale.value.current["title"] == "Saved first"
    session.rollback()
    assert session.get(Event, event.id).title == "Saved first"
    assert len(_audit(session, "event.update")) == 1


# --- recommendations -------------------------------------------------------------------------


def _rec_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "number": "1", "title": "More research", "text": "Sponsor research on the drivers.",
        "addressees": "Donors", "responsible_organisation_id": None,
        "priority": Priority.IMPORTANT, "due_date": None, "themes": ["research", "youth"]}
    values.update(overrides)
    return values


def test_recommendation_with_themes_is_created_numbered_and_audited(session: Any,
                                                                    actor: Actor) -> None:
    event = EventFactory()
    session.commit()
    first = services.create_recommendation(session, actor, event, _rec_values())
    second = services.create_recommendation(session, actor, event, _rec_values(number="2"))
    assert (first.position, second.position) == (1, 2)
    assert sorted(t.theme for t in first.themes) == [Theme.RESEARCH, Theme.YOUTH]
    entry = _audit(session, "recommendation.create")[0]
    assert entry.changes["themes"] == [None, ["research", "youth"]]
    assert entry.changes["event_id"] == [None, event.id]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"number": "1"}, "number", "already has a recommendation 1"),
    ({"text": ""}, "text", "Give the text"),
    ({"due_date": dt.date(2000, 1, 1)}, "due_date", "before the event"),
    ({"responsible_organisation_id": 987654}, "responsible_organisation_id", "does not exist"),
])
def test_invalid_recommendation_names_the_field(session: Any, actor: Actor,
                                                overrides: dict[str, Any], field: str,
                                                message: str) -> None:
    event = EventFactory()
    session.commit()
    services.create_recommendation(session, actor, event, _rec_values())
    with pytest.raises(ValidationFailed) as refused:
        services.create_recommendation(session, actor, event,
                                       _rec_values(**{"number": "2", **overrides}))
    assert message in " ".join(str(m) for m in refused.value.errors[field])
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(Recommendation.id))) == 1


def test_recommendation_edit_audits_themes_and_refuses_stale_forms(session: Any,
                                                                   actor: Actor) -> None:
    event = EventFactory()
    session.commit()
    rec = services.create_recommendation(session, actor, event, _rec_values())
    opened = rec.version
    services.update_recommendation(session, actor, rec, opened,
                                   _rec_values(themes=["religious_leaders"]))
    [entry] = _audit(session, "recommendation.update")
    assert entry.changes == {"themes": [["research", "youth"], ["religious_leaders"]]}
    assert rec.version == opened + 1
    with pytest.raises(StaleEdit) as stale:
        services.update_recommendation(session, actor, rec, opened, _rec_values(text="Mine"))
    assert stale.value.current["themes"] == "religious_leaders"


def test_status_change_is_audited_and_no_longer_applicable_needs_a_reason(
    session: Any, actor: Actor
) -> None:
    rec = RecommendationFactory()
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        services.set_recommendation_status(session, actor, rec, rec.version,
                                           RecommendationStatus.NO_LONGER_APPLICABLE, None)
    assert "status_note" in refused.value.errors
    session.rollback()
    services.set_recommendation_status(session, actor, rec, rec.version,
                                       RecommendationStatus.IMPLEMENTED, "Strategy adopted")
    [entry] = _audit(session, "recommendation.status")
    assert entry.changes == {"status": ["not_started", "implemented"],
                             "status_note": [None, "Strategy adopted"]}
    with pytest.raises(StaleEdit):
        services.set_recommendation_status(session, actor, rec, rec.version - 1,
                                           RecommendationStatus.IN_PROGRESS, None)


# --- follow-up actions ----------------------------------------------------------------------


def _action_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "action_date": dt.date(2024, 5, 1), "kind": ActionKind.PROGRAMME_LAUNCHED,
        "state": ActionState.DONE, "description": "A research project was launched.",
        "actor": "OSCE", "evidence_url": "https://example.org/project", "project_id": None,
        "activity_id": None}
    values.update(overrides)
    return values


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"action_date": None}, "action_date", "only a dated action counts"),
    ({"action_date": TODAY + dt.timedelta(days=1)}, "action_date", "record it as planned"),
    ({"description": "  "}, "description", "Say what was done"),
    ({"evidence_url": "ftp://x"}, "evidence_url", "https://"),
    ({"project_id": 987654}, "project_id", "does not exist"),
    ({"activity_id": 987654}, "activity_id", "does not exist"),
])
def test_invalid_action_names_the_field(session: Any, actor: Actor, overrides: dict[str, Any],
                                        field: str, message: str) -> None:
    rec = RecommendationFactory()
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        actions.record_action(session, actor, rec, _action_values(**overrides), TODAY)
    assert message in " ".join(str(m) for m in refused.value.errors[field])
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(FollowUpAction.id))) == 0


def test_a_promise_may_be_undated_or_in_the_future(session: Any, actor: Actor) -> None:
    rec = RecommendationFactory()
    session.commit()
    for when in (None, TODAY + dt.timedelta(days=90)):
        action = actions.record_action(session, actor, rec, _action_values(
            state=ActionState.PLANNED, action_date=when), TODAY)
        assert action.state is ActionState.PLANNED
    assert len(_audit(session, "followup_action.create")) == 2


def test_a_linked_activity_must_belong_to_the_linked_project(session: Any, actor: Actor) -> None:
    rec = RecommendationFactory()
    mine, other = ProjectFactory(), ProjectFactory()
    session.flush()
    activity = Activity(project_id=other.id, kind=ActivityKind.TRAINING, title="Training",
                        start_date=dt.date(2024, 4, 1))
    session.add(activity)
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        actions.record_action(session, actor, rec, _action_values(
            project_id=mine.id, activity_id=activity.id), TODAY)
    assert "another project" in str(refused.value.errors["activity_id"][0])
    session.rollback()
    action = actions.record_action(session, actor, rec, _action_values(
        activity_id=activity.id), TODAY)
    assert action.project_id == other.id  # taken from the activity


def test_verification_records_who_and_when_and_lapses_when_the_action_changes(
    session: Any, actor: Actor
) -> None:
    action = FollowUpActionFactory()
    session.commit()
    moment = dt.datetime(2025, 6, 2, 9, 30, tzinfo=dt.UTC)
    actions.verify_action(session, actor, action, action.version, moment)
    assert (action.verified_by_id, action.verified_at) == (actor.user_id, moment)
    [entry] = _audit(session, "followup_action.verify")
    assert entry.changes["verified_by_id"] == [None, actor.user_id]
    with pytest.raises(ServiceError, match="already verified"):
        actions.verify_action(session, actor, action, action.version)
    session.rollback()
    actions.update_action(session, actor, action, action.version, _action_values(
        description="A different project."), TODAY)
    assert action.verified_at is None and action.verified_by_id is None
    change = _audit(session, "followup_action.update")[-1].changes
    assert change["verified_by_id"] == [actor.user_id, None]
    assert change["description"][1] == "A different project."


@pytest.mark.parametrize(("overrides", "message"), [
    ({"state": ActionState.PLANNED}, "promise"),
    ({"evidence_url": None}, "evidence link"),
])
def test_verification_needs_a_done_action_with_evidence(
    session: Any, actor: Actor, overrides: dict[str, Any], message: str
) -> None:
    action = FollowUpActionFactory(**overrides)
    session.commit()
    with pytest.raises(ServiceError, match=message):
        actions.verify_action(session, actor, action, action.version)
    session.rollback()
    assert session.get(FollowUpAction, action.id).verified_at is None
    assert _audit(session, "followup_action.verify") == []


def test_verification_of_a_stale_page_or_without_a_user_is_refused(session: Any,
                                                                   actor: Actor) -> None:
    action = FollowUpActionFactory()
    session.commit()
    with pytest.raises(StaleEdit):
        actions.verify_action(session, actor, action, action.version + 1)
    with pytest.raises(NotAllowed):
        actions.verify_action(session, Actor.system(), action, action.version)


def test_a_source_document_is_evidence_enough(session: Any, actor: Actor) -> None:
    action = FollowUpActionFactory(evidence_url=None, source_document="001.txt")
    session.commit()
    actions.verify_action(session, actor, action, action.version)
    assert action.verified_by_id == actor.user_id
