"""The documented dataset in the database: complete, traceable, all-or-nothing."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import Actor, AuditEvent
from app.followup.models import Event, FollowUpAction, Recommendation
from app.frameworks.models import Indicator, Result, Target
from app.monitoring.models import DataValue
from app.programmes.models import Organisation, Programme, Project
from indicators import followup as rule
from seed import documented, loader

PROVENANCE_TABLES = [Organisation, Programme, Project, Result, Indicator, DataValue, Event,
                     Recommendation, FollowUpAction]


@pytest.fixture(scope="module")
def dataset() -> documented.DocumentedDataset:
    return documented.load_documented()


@pytest.fixture
def loaded(session: Any, dataset: documented.DocumentedDataset) -> dict[str, int]:
    return loader.load(session, Actor.system(), dataset, today=date(2026, 11, 21))


def test_every_record_is_loaded(session: Any, dataset: Any, loaded: dict[str, int]) -> None:
    assert loaded["organisation"] == len(dataset.organisations)
    assert loaded["event"] == len(dataset.events)
    assert loaded["recommendation"] == len(dataset.recommendations)
    assert loaded["followup_action"] == len(dataset.follow_up_actions)
    assert loaded["indicator"] == len(dataset.indicators)
    planned = sum(1 for v in dataset.values if v.kind == "planned")
    assert loaded["target"] == planned
    assert loaded["data_value"] == len(dataset.values) - planned
    assert session.scalar(sa.select(sa.func.count(Target.id))) == planned
    created = session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.reason == loader.SEED_REASON))
    assert created == sum(loaded.values())
    assert loader.already_loaded(session)


@pytest.mark.parametrize("model", PROVENANCE_TABLES, ids=lambda m: m.__tablename__)
def test_every_row_keeps_its_provenance(session: Any, loaded: Any, model: Any) -> None:
    rows = session.scalars(sa.select(model)).all()
    assert rows
    for row in rows:
        assert row.illustrative or (row.source_document and row.source_passage), (
            f"{model.__tablename__} {row.id} has neither a source nor the illustrative mark")


def test_almaty_2016_is_a_talk_shop_and_astana_2015_only_a_commitment(
    session: Any, loaded: Any
) -> None:
    def assess(slug: str) -> rule.EventFollowUp:
        event = session.scalars(sa.select(Event).where(Event.slug == slug)).one()
        return rule.assess_event(rule.Event(
            end_date=event.end_date, cost=event.cost,
            recommendations=tuple(
                rule.Recommendation(id=r.id, status=r.status, due=r.due_date, actions=tuple(
                    rule.FollowUpAction(date=a.action_date, state=a.state,
                                        verified=a.verified_at is not None,
                                        meeting=a.kind == "meeting_held")
                    for a in r.actions if a.action_date))
                for r in event.recommendations)), as_of=date(2026, 11, 21))

    almaty = assess("almaty-2016-03")
    assert almaty.status == rule.FollowUpStatus.TALK_SHOP
    assert almaty.metrics.recommendations == 6
    assert len(almaty.metrics.unanswered) == 6
    # The committee of four was decided at the workshop itself: a commitment, not follow-up.
    astana = assess("astana-2015-09")
    assert astana.status == rule.FollowUpStatus.TALK_SHOP
    assert (astana.metrics.followed_up, astana.metrics.at_event) == (0, 1)
    committee = session.scalars(sa.select(FollowUpAction).join(Recommendation).join(Event)
                                .where(Event.slug == "astana-2015-09",
                                       FollowUpAction.state == "done")).one()
    assert "committee" in committee.description.lower()
    assert committee.source_document == "002_7657b3fa1ce70616.txt"
    bishkek = assess("bishkek-2016-11")
    assert bishkek.metrics.recommendations == 14
    assert bishkek.metrics.followed_up == 0  # the 2017 presentation is only a promise


def test_documented_figures_arrive_unchanged(session: Any, loaded: Any) -> None:
    def value_of(name_part: str) -> DataValue:
        return session.scalars(sa.select(DataValue).join(Indicator).where(
            Indicator.name.contains(name_part))).first()

    trained = value_of("trained to speak out")
    assert trained.value == 300 and trained.qualifier == "more than"
    assert session.scalars(sa.select(Indicator).where(
        Indicator.name.contains("trained to speak out"))).one().target_value == 50
    assert value_of("URLs blocked").value == 23000
    prisoners = value_of("violent extremism")
    assert (prisoners.numerator, prisoners.denominator) == (328, 10436)


def test_a_broken_dataset_writes_nothing(session: Any, dataset: Any) -> None:
    broken_rec = dataclasses.replace(dataset.recommendations[0], event="no-such-event")
    broken = dataclasses.replace(
        dataset, recommendations=(*dataset.recommendations[1:], broken_rec))
    with pytest.raises(KeyError, match="no-such-event"):
        loader.load(session, Actor.system(), broken)
    assert session.scalar(sa.select(sa.func.count(Organisation.id))) == 0
    assert session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_seed_command_loads_once_and_prints_the_logins(app: Any) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "Documented dataset loaded" in first.output
    assert "manager@example.org" in first.output
    second = runner.invoke(args=["seed", "--if-empty"])
    assert "already loaded" in second.output
    assert "manager@example.org" not in second.output


def test_project_results_show_documented_figures_with_their_sources(
    client: Any, login_as: Any, session: Any, loaded: Any
) -> None:
    from app.auth.models import Role

    login_as(Role.MANAGER)
    project = session.scalars(sa.select(Project).where(Project.code == "KZ-YOUTH-SPEAK-1")).one()
    page = client.get(f"/projects/{project.id}/results").get_data(as_text=True)
    assert "more than 300" in page
    # the source is named by its title, never by its file name
    assert "Workshop report: Recognizing and Responding to Radicalization" in page
    assert "001_436a3518ccd8ed53.txt" not in page
    assert not re.search(r"\b\d{3}_[0-9a-f]{16}\.txt\b", page)
    assert "ultimately trained more than 300" in page
