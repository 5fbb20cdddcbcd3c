"""Choices for the follow-up filters and forms, and organisers of a page of events.

Each helper is one query, whatever the number of events.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from app.cache import cached
from app.followup.models import Event, EventOrganisation, EventRole
from app.programmes.models import Organisation

CACHE_KEY = "pvetrack.followup.filter_choices"  # where a request keeps them


@dataclass(frozen=True)
class FilterChoices:
    organisers: list[tuple[int, str]]
    funders: list[tuple[int, str]]
    countries: list[str]
    years: list[int]


def filter_choices(session: Session) -> FilterChoices:
    """Organisers, funders, countries and years that occur among the events (two queries,
    once per request, and kept in the report cache until events or organisations change)."""
    if not has_request_context():
        return _filter_choices(session)
    found = request.environ.get(CACHE_KEY)
    if found is None:
        found = request.environ[CACHE_KEY] = cached(
            "followup.filter_choices", (), lambda: _filter_choices(session),
            tables=["events", "event_organisations", "organisations"])
    return found


def _filter_choices(session: Session) -> FilterChoices:
    rows = session.execute(
        sa.select(EventOrganisation.role, Organisation.id, Organisation.name,
                  Organisation.acronym).distinct()
        .join(Organisation, Organisation.id == EventOrganisation.organisation_id)
        .order_by(Organisation.name)).all()
    by_role: dict[EventRole, list[tuple[int, str]]] = {role: [] for role in EventRole}
    for r in rows:
        by_role[r.role].append((r.id, f"{r.name} ({r.acronym})" if r.acronym else r.name))
    # Countries and the span of years in one pass: a row per country (one for none).
    spans = session.execute(
        sa.select(Event.country, sa.func.min(Event.start_date), sa.func.max(Event.start_date))
        .group_by(Event.country).order_by(Event.country)).all()
    firsts = [first for _country, first, _last in spans if first is not None]
    lasts = [last for _country, _first, last in spans if last is not None]
    years = list(range(max(lasts).year, min(firsts).year - 1, -1)) if firsts else []
    return FilterChoices(by_role[EventRole.ORGANISER], by_role[EventRole.FUNDER],
                         [country for country, _first, _last in spans if country], years)


def organisation_choices(session: Session) -> list[SelectChoice]:
    rows = session.execute(sa.select(Organisation.id, Organisation.name, Organisation.acronym)
                           .order_by(Organisation.name))
    return [SelectChoice(r.id, f"{r.name} ({r.acronym})" if r.acronym else r.name)
            for r in rows]
