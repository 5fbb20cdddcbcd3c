from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app.programmes.models import ActivityStatus, Organisation, OrganisationKind, Programme, Project
from seed.factories.base import BaseFactory

CENTRAL_ASIA = ["KZ", "KG", "TJ", "TM", "UZ"]


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.NGO
    country = factory.Iterator(CENTRAL_ASIA)
    illustrative = True


class ProgrammeFactory(BaseFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PRG-{n:04d}")
    title = factory.Sequence(lambda n: f"Prevention programme {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    countries = factory.LazyFunction(lambda: ["KZ", "KG"])
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2026, 12, 31)
    currency = "USD"
    budget = Decimal("1000000.00")
    status = ActivityStatus.IMPLEMENTATION
    illustrative = True


class ProjectFactory(BaseFactory):
    class Meta:
        model = Project

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"PRJ-{n:04d}")
    title = factory.Sequence(lambda n: f"Community resilience project {n}")
    implementer = factory.SubFactory(OrganisationFactory)
    countries = factory.LazyFunction(lambda: ["KG"])
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2025, 12, 31)
    budget = Decimal("250000.00")
    status = ActivityStatus.IMPLEMENTATION
    illustrative = True
