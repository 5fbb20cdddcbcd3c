from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app.followup.models import (
    ActionKind,
    Event,
    EventKind,
    EventOrganisation,
    EventRole,
    FollowUpAction,
    LinkState,
    Priority,
    Recommendation,
    RecommendationLink,
)
from indicators.followup import ActionState, RecommendationStatus
from seed.factories.base import BaseFactory
from seed.factories.programmes import CENTRAL_ASIA


class EventFactory(BaseFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Regional workshop on prevention {n}")
    kind = EventKind.WORKSHOP
    start_date = dt.date(2023, 3, 8)
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=2))
    city = "Almaty"
    country = factory.Iterator(CENTRAL_ASIA)
    participants_total = 40
    cost = Decimal("25000.00")
    currency = "USD"
    illustrative = True


class EventOrganisationFactory(BaseFactory):
    class Meta:
        model = EventOrganisation

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory("seed.factories.programmes.OrganisationFactory")
    role = EventRole.ORGANISER


class RecommendationFactory(BaseFactory):
    class Meta:
        model = Recommendation

    event = factory.SubFactory(EventFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Sponsor research on the drivers of radicalisation ({n}).")
    priority = Priority.NORMAL
    status = RecommendationStatus.NOT_STARTED
    illustrative = True


class FollowUpActionFactory(BaseFactory):
    class Meta:
        model = FollowUpAction

    recommendation = factory.SubFactory(RecommendationFactory)
    action_date = dt.date(2023, 6, 1)
    kind = ActionKind.PROGRAMME_LAUNCHED
    state = ActionState.DONE
    description = "A research project on the drivers of radicalisation was launched."
    evidence_url = "https://example.org/evidence"
    illustrative = True


def _new_recommendation_id() -> int:
    recommendation: Recommendation = RecommendationFactory()  # type: ignore[assignment]
    return recommendation.id


class RecommendationLinkFactory(BaseFactory):
    """A link between two new recommendations of two new events (pass ids to choose)."""

    class Meta:
        model = RecommendationLink

    first_id = factory.LazyFunction(_new_recommendation_id)
    second_id = factory.LazyFunction(_new_recommendation_id)
    similarity = Decimal("0.500")
    state = LinkState.SUGGESTED
