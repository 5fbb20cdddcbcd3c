"""Evaluators' scores, project ratings and consensus scores."""

from __future__ import annotations

import factory

from app.auth.models import Role
from app.db import utcnow
from app.evaluation.models import (
    ConsensusScore,
    Criterion,
    IndicatorScore,
    ProjectRating,
    ScoreAspect,
    ScoreState,
)
from seed.factories.base import BaseFactory


def _finalised_at(obj: object) -> object:
    return utcnow() if getattr(obj, "state", None) == ScoreState.FINAL else None


class IndicatorScoreFactory(BaseFactory):
    """A score of an indicator in a period; pass ``indicator`` and ``period`` of one project."""

    class Meta:
        model = IndicatorScore

    class Params:
        indicator = factory.SubFactory("seed.factories.framework.IndicatorFactory")
        period = factory.SubFactory("seed.factories.framework.ReportingPeriodFactory",
                                    project=factory.SelfAttribute("..indicator.project"))
        evaluator = factory.SubFactory("seed.factories.auth.UserFactory", role=Role.EVALUATOR)

    indicator_id = factory.LazyAttribute(lambda o: o.indicator.id)
    period_id = factory.LazyAttribute(lambda o: o.period.id)
    evaluator_id = factory.LazyAttribute(lambda o: o.evaluator.id)
    achievement = 3
    data_quality = 3
    justification = "The attendance sheets match the reported total."
    state = ScoreState.FINAL
    finalised_at = factory.LazyAttribute(_finalised_at)


class ProjectRatingFactory(BaseFactory):
    class Meta:
        model = ProjectRating

    class Params:
        project = factory.SubFactory("seed.factories.programmes.ProjectFactory")
        evaluator = factory.SubFactory("seed.factories.auth.UserFactory", role=Role.EVALUATOR)

    project_id = factory.LazyAttribute(lambda o: o.project.id)
    evaluator_id = factory.LazyAttribute(lambda o: o.evaluator.id)
    criterion = Criterion.RELEVANCE
    rating = 3
    justification = "The project answers needs the communities named themselves."
    state = ScoreState.FINAL
    finalised_at = factory.LazyAttribute(_finalised_at)


class ConsensusScoreFactory(BaseFactory):
    """A consensus on a project criterion by default; set ``aspect``, ``indicator_id`` and
    ``period_id`` (and ``criterion=None``) for an indicator score."""

    class Meta:
        model = ConsensusScore

    class Params:
        project = factory.SubFactory("seed.factories.programmes.ProjectFactory")
        manager = factory.SubFactory("seed.factories.auth.UserFactory", role=Role.MANAGER)

    project_id = factory.LazyAttribute(lambda o: o.project.id)
    decided_by_id = factory.LazyAttribute(lambda o: o.manager.id)
    aspect = ScoreAspect.CRITERION
    criterion = Criterion.RELEVANCE
    value = 3
    reason = "Discussed with both evaluators; the evidence supports a 3."
