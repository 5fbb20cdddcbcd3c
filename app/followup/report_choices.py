"""Choices for the follow-up filters and forms, and organisers of a page of events.

Each helper is one query, whatever the number of events.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from app.followup.models import Event, EventOrganisation, EventRole
from app.programmes.models import Organisation


@dataclass(frozen=True)
class FilterChoices:
    organisers: list[tuple[int, str]]
    funders: list[tuple[int, str]]
    countries: list[str]
    years: list[int]


def filter_choices(session: Session) -> FilterChoices:
    """Organisers, funders, countries and years that occur among the events (three queries)."""
    rows = session.execute(
        sa.select(EventOrganisation.role, Organisation.id, Organisation.name,
                  Organisation.acronym).distinct()
        .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .order_by(Organisation.name)).all()
    by_role: dict[EventRole, list[tuple[int, str]]] = {role: [] for role in EventRole}
    for r in rows:
        by_role[r.role].append((r.id, f"{r.name} ({r.acronym})" if r.acronym else r.name))
    first, last = session.execute(
        sa.select(sa.func.min(Event.start_date), sa.func.max(Event.start_date))).one()
    countries = session.scalars(sa.select(Event.country).where(Event.country.is_not(None))
                                .distinct().order_by(Event.country)).all()
    years = list(range(last.year, first.year - 1, -1)) if first else []
    return FilterChoices(by_role[EventRole.ORGANISER], by_role[EventRole.FUNDER],
                         [c for c in countries if c], years)


def organisation_choices(session: Session) -> list[SelectChoice]:
    rows = session.execute(sa.select(Organisation.id, Organisation.name, Organisation.acronym)
                           .order_by(Organisation.name))
    return [SelectChoice(r.id, f"{r.name} ({r.acronym})" if r.acronym else r.name)
            for r in rows]
