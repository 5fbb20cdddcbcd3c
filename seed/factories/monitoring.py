"""Data collection: activities with their participants, and notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app.frameworks.models import ActivityKind
from app.monitoring.models import Activity, ActivityParticipants, AgeGroup, Notification, Sex
from seed.factories.base import BaseFactory


class ActivityFactory(BaseFactory):
    class Meta:
        model = Activity

    class Params:
        project = factory.SubFactory("seed.factories.programmes.ProjectFactory")

    project_id = factory.LazyAttribute(lambda o: o.project.id)
    kind = ActivityKind.WORKSHOP
    title = factory.Sequence(lambda n: f"Peer speakers' workshop {n}")
    start_date = dt.date(2024, 2, 15)
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=1))
    country = "KG"
    place = "Osh"
    cost = Decimal("1200.00")
    illustrative = True


class ActivityParticipantsFactory(BaseFactory):
    class Meta:
        model = ActivityParticipants

    activity = factory.SubFactory(ActivityFactory)
    sex = Sex.FEMALE
    age_group = AgeGroup.AGE_15_24
    count = 12


class NotificationFactory(BaseFactory):
    class Meta:
        model = Notification

    class Params:
        user = factory.SubFactory("seed.factories.auth.UserFactory")

    user_id = factory.LazyAttribute(lambda o: o.user.id)
    kind = "period.submit"
    message = factory.Sequence(lambda n: f"A period was submitted for approval ({n}).")
    link = "/tasks"
