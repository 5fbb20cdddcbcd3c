"""The evaluation services on their own: validation, permissions, finalisation, the audit
trail, consensus, and the race of two first saves."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from evaluation_data import World, build

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.errors import NotAllowed, ServiceError, StaleEdit, ValidationFailed
from app.evaluation import consensus as consensus_services
from app.evaluation import services
from app.evaluation.consensus import ConsensusItem
from app.evaluation.models import (
    ConsensusScore,
    Criterion,
    IndicatorScore,
    ProjectRating,
    ScoreAspect,
    ScoreState,
)
from seed.factories import UserFactory

ACTOR = Actor(user_id=None, ip="127.0.0.1")
GOOD = {"achievement": 3, "data_quality": 2, "justification": "Values match the sheets."}


@pytest.fixture
def world(session: Any) -> World:
    return build(session)


def _score(session: Any, world: World, evaluator: Any = None, version: int = 0,
           finalise: bool = False, **values: Any) -> IndicatorScore:
    return services.save_indicator_score(
        session, ACTOR, evaluator or world.evaluators[0], world.indicators[0], world.periods[0],
        version, {**GOOD, **values}, finalise=finalise)


def _events(session: Any, entity: str) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.entity == entity)
                                .order_by(AuditEvent.id)))


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"achievement": None}, "achievement", "Achievement: choose a score from 1 to 4."),
    ({"achievement": 5}, "achievement", "Achievement: choose a score from 1 to 4."),
    ({"achievement": True}, "achievement", "Achievement: choose a score from 1 to 4."),
    ({"data_quality": 0}, "data_quality", "Data quality: choose a score from 1 to 4."),
    ({"justification": "  "}, "justification", "Justification is required"),
    ({"justification": None}, "justification", "Justification is required"),
    ({"justification": "x" * 5001}, "justification", "Justification: at most 5000 characters."),
])
def test_values_are_validated_with_the_field_named(
        session: Any, world: World, values: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _score(session, world, **values)
    assert list(refused.value.errors) == [field]
    assert str(refused.value.errors[field][0]).startswith(message)
    assert session.scalar(sa.select(sa.func.count(IndicatorScore.id))) == 0


def test_only_the_projects_evaluators_and_admins_may_score(session: Any, world: World) -> None:
    outsider = UserFactory(role=Role.EVALUATOR)
    admin = UserFactory(role=Role.ADMIN)
    session.commit()
    for user in (world.officer, world.manager, outsider):
        with pytest.raises(NotAllowed):
            _score(session, world, evaluator=user)
    assert _score(session, world, evaluator=admin).evaluator_id == admin.id
    assert _score(session, world).evaluator_id == world.evaluators[0].id


def test_a_period_of_another_project_is_refused(session: Any, world: World) -> None:
    other = build(session, indicators=1, evaluators=0)
    with pytest.raises(ServiceError, match="another project"):
        services.save_indicator_score(session, ACTOR, world.evaluators[0], world.indicators[0],
                                      other.periods[0], 0, GOOD)


def test_a_final_score_cannot_change_and_every_change_is_audited(
        session: Any, world: World) -> None:
    score = _score(session, world)
    assert score.state == ScoreState.DRAFT and score.finalised_at is None
    score = _score(session, world, version=score.version, achievement=4)
    score = _score(session, world, version=score.version, finalise=True, achievement=4)
    assert score.state == ScoreState.FINAL and score.finalised_at is not None
    with pytest.raises(ServiceError, match="final"):
        _score(session, world, version=score.version, achievement=1)
    events = _events(session, "indicator_score")
    assert [e.action for e in events] == ["indicator_score.create", "indicator_score.update",
                                          "indicator_score.finalise"]
    assert events[0].changes["achievement"] == [None, 3]
    assert events[1].changes == {"achievement": [3, 4]}
    assert events[2].changes == {"state": ["draft", "final"]}
    assert {e.user_id for e in events} == {None} and events[0].ip == "127.0.0.1"


def test_saving_the_same_values_writes_nothing(session: Any, world: World) -> None:
    score = _score(session, world)
    again = _score(session, world, version=score.version)
    assert again.version == score.version == 1
    assert len(_events(session, "indicator_score")) == 1


def test_a_stale_version_is_refused_with_the_stored_values(session: Any, world: World) -> None:
    _score(session, world, achievement=4)
    with pytest.raises(StaleEdit) as stale:
        _score(session, world, version=0, achievement=1)
    assert stale.value.current["achievement"] == 4
    assert stale.value.current["state"] == "draft"


def test_two_first_saves_racing_end_in_a_stale_edit(session: Any, world: World) -> None:
    """The second insert loses on the unique constraint, as when both requests looked for
    the score before either had saved it."""
    _score(session, world, achievement=4)
    late = IndicatorScore(indicator_id=world.indicators[0].id, period_id=world.periods[0].id,
                          evaluator_id=world.evaluators[0].id)
    with pytest.raises(StaleEdit) as stale:
        services._save(session, ACTOR, late, True, "indicator_score", services.SCORE_FIELDS,
                       {**GOOD, "achievement": 1}, False,
                       lambda: services.indicator_score(session, world.indicators[0].id,
                                                        world.periods[0].id,
                                                        world.evaluators[0].id))
    assert stale.value.current["achievement"] == 4
    assert session.scalar(sa.select(sa.func.count(IndicatorScore.id))) == 1


def test_project_ratings_and_finalising_all_drafts(session: Any, world: World) -> None:
    evaluator = world.evaluators[0]
    for criterion in (Criterion.RELEVANCE, Criterion.IMPACT):
        services.save_project_rating(session, ACTOR, evaluator, world.project, criterion, 0,
                                     {"rating": 2, "justification": "Too early to tell."})
    with pytest.raises(ValidationFailed) as refused:
        services.save_project_rating(session, ACTOR, evaluator, world.project,
                                     Criterion.COHERENCE, 0, {"rating": 9})
    assert set(refused.value.errors) == {"rating", "justification"}
    _score(session, world)
    _score(session, world, evaluator=world.evaluators[1])  # someone else's draft stays
    count = services.finalise_drafts(session, ACTOR, evaluator, world.project, world.periods[0])
    assert count == 3
    states = dict(session.execute(sa.select(IndicatorScore.evaluator_id,
                                            IndicatorScore.state)).all())
    assert states == {evaluator.id: ScoreState.FINAL, world.evaluators[1].id: ScoreState.DRAFT}
    assert set(session.scalars(sa.select(ProjectRating.state))) == {ScoreState.FINAL}
    assert len([e for e in _events(session, "project_rating")
                if e.action == "project_rating.finalise"]) == 2
    with pytest.raises(ServiceError, match="no drafts"):
        services.finalise_drafts(session, ACTOR, evaluator, world.project, world.periods[0])
    with pytest.raises(NotAllowed):
        services.finalise_drafts(session, ACTOR, world.officer, world.project, None)


def _consensus(session: Any, world: World, item: ConsensusItem, version: int = 0,
               user: Any = None, **values: Any) -> ConsensusScore:
    return consensus_services.record_consensus(
        session, ACTOR, user or world.manager, world.project, item, version,
        {"value": 3, "reason": "Discussed with both evaluators.", **values})


def test_consensus_needs_a_final_score_a_reason_and_a_manager(
        session: Any, world: World) -> None:
    item = ConsensusItem(ScoreAspect.ACHIEVEMENT, world.indicators[0].id, world.periods[0].id)
    with pytest.raises(ServiceError, match="No evaluator has finalised"):
        _consensus(session, world, item)
    _score(session, world, finalise=True, achievement=2)
    _score(session, world, evaluator=world.evaluators[1], finalise=True, achievement=4)
    with pytest.raises(ValidationFailed) as refused:
        _consensus(session, world, item, reason=" ", value=None)
    assert set(refused.value.errors) == {"value", "reason"}
    with pytest.raises(NotAllowed):
        _consensus(session, world, item, user=world.evaluators[0])
    found = _consensus(session, world, item)
    assert (found.value, found.decided_by_id, found.version) == (3, world.manager.id, 1)
    with pytest.raises(StaleEdit):
        _consensus(session, world, item, version=0, value=2)
    changed = _consensus(session, world, item, version=1, value=2, reason="Second look.")
    assert changed.id == found.id and changed.value == 2
    quality = ConsensusItem(ScoreAspect.DATA_QUALITY, world.indicators[0].id,
                            world.periods[0].id)
    assert _consensus(session, world, quality).id != found.id
    events = _events(session, "consensus_score")
    assert [e.action for e in events] == ["consensus_score.create", "consensus_score.update",
                                          "consensus_score.create"]
    assert events[1].changes == {"value": [3, 2], "reason": ["Discussed with both evaluators.",
                                                             "Second look."]}
    assert events[1].reason == "Second look."


def test_consensus_items_must_belong_to_the_project(session: Any, world: World) -> None:
    other = build(session, indicators=1, evaluators=0)
    for item in (ConsensusItem(ScoreAspect.ACHIEVEMENT, other.indicators[0].id,
                               world.periods[0].id),
                 ConsensusItem(ScoreAspect.ACHIEVEMENT, world.indicators[0].id),
                 ConsensusItem(ScoreAspect.CRITERION),
                 ConsensusItem(ScoreAspect.CRITERION, world.indicators[0].id,
                               criterion=Criterion.IMPACT)):
        with pytest.raises(ServiceError):
            _consensus(session, world, item)
    services.save_project_rating(session, ACTOR, world.evaluators[0], world.project,
                                 Criterion.IMPACT, 0, {"rating": 3, "justification": "Ok."},
                                 finalise=True)
    found = _consensus(session, world, ConsensusItem(ScoreAspect.CRITERION,
                                                     criterion=Criterion.IMPACT))
    assert found.criterion == Criterion.IMPACT and found.indicator_id is None
