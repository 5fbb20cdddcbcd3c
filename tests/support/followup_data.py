"""Random events, recommendations and follow-up actions, for the SQL report's tests and bench.

``generate`` draws plain records from a seeded generator; ``insert`` writes them with bulk
INSERTs (a few statements per table, not one per row); ``reference_event`` turns one
generated event into the values ``indicators.followup`` judges, so a test can compare the
report's SQL with the reference rule on exactly the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.followup.assess import UNDATED
from app.followup.models import (
    Event,
    EventOrganisation,
    FollowUpAction,
    Recommendation,
    RecommendationTheme,
)
from app.programmes.models import Organisation
from indicators import followup as rule

STATUSES = list(rule.RecommendationStatus)
THEMES = ["research", "youth", "women", "religious_leaders", "online", "migrants"]
COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ", None]


@dataclass
class Action:
    date: dt.date | None
    state: str
    verified_at: dt.datetime | None
    kind: str = "other"
    rejected_at: dt.datetime | None = None


@dataclass
class Rec:
    status: str
    actions: list[Action] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    id: int | None = None
    due: dt.date | None = None


@dataclass
class GeneratedEvent:
    start: dt.date
    end: dt.date
    country: str | None
    cost: Decimal | None
    recommendations: list[Rec] = field(default_factory=list)
    organisers: list[int] = field(default_factory=list)  # indexes into the organisation pool
    funders: list[int] = field(default_factory=list)
    id: int | None = None


def generate(n: int, seed: int, recommendations: int | None = None, actions: float = 3.0,
             first: dt.date = dt.date(2012, 1, 1), days: int = 4800,
             organisations: int = 12) -> list[GeneratedEvent]:
    """``n`` events; ``recommendations`` each (random 0-8 when None), ~``actions`` per one.

    Each event gets a propensity to follow up (none, little, some, most), so that every
    status occurs; dates straddle any "as of" date in the range.
    """
    rnd = random.Random(seed)
    events = []
    for _ in range(n):
        start = first + dt.timedelta(days=rnd.randrange(days))
        end = start + dt.timedelta(days=rnd.choice([0, 0, 1, 2, 30]))
        propensity = rnd.choice([0.0, 0.0, 0.1, 0.3, 0.6, 0.95])
        count = recommendations if recommendations is not None else rnd.choice(
            [0, 1, 2, 3, 4, 5, 8])
        recs = []
        for _ in range(count):
            rec = Rec(status=rnd.choice(STATUSES).value,
                      themes=rnd.sample(THEMES, rnd.choice([0, 1, 2])),
                      due=end + dt.timedelta(days=rnd.randint(-10, 700))
                      if rnd.random() < 0.3 else None)
            for _ in range(rnd.randint(0, int(2 * actions))):
                done = rnd.random() < propensity
                when = (end + dt.timedelta(days=rnd.randint(-20, 900))
                        if rnd.random() > 0.05 else None)
                verified = None
                if done and rnd.random() < 0.5:
                    base = when or end
                    verified = dt.datetime.combine(base, dt.time(), dt.UTC) + dt.timedelta(
                        hours=rnd.randint(0, 24 * 400))
                kind = "meeting_held" if rnd.random() < 0.25 else "other"
                rejected = None
                if done and verified is None and rnd.random() < 0.2:
                    rejected = dt.datetime.combine(when or end, dt.time(), dt.UTC) + dt.timedelta(
                        hours=rnd.randint(0, 24 * 400))
                rec.actions.append(Action(when, "done" if done else "planned", verified, kind,
                                          rejected))
            recs.append(rec)
        cost = Decimal(rnd.randint(0, 90000)) if rnd.random() < 0.8 else None
        picks = rnd.sample(range(organisations), 3)
        events.append(GeneratedEvent(start, end, rnd.choice(COUNTRIES), cost, recs,
                                     organisers=picks[:rnd.choice([0, 1, 2])],
                                     funders=picks[2:] if rnd.random() < 0.7 else []))
    return events


def organisation_pool(session: Session, size: int = 12, prefix: str = "Bulk") -> list[int]:
    ids = _insert(session, Organisation, [
        {"name": f"{prefix} organisation {i}", "acronym": f"{prefix[:2].upper()}{i}",
         "kind": "ngo", "version": 1} for i in range(size)], ids=True)
    return list(ids)


def _new_ids(session: Session, table: Any, count: int) -> list[int]:
    """Ids for ``count`` new rows: taken from the sequence (PostgreSQL) or after the last."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return list(connection.execute(sa.text(
            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count}).scalars())
    last = connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    return list(range(last + 1, last + 1 + count))


def _insert(session: Session, model: Any, rows: list[dict[str, Any]], ids: bool = False) -> Any:
    """Core executemany INSERTs (no ORM bookkeeping, no RETURNING); the new ids in order."""
    table = model.__table__
    new_ids = _new_ids(session, table, len(rows)) if ids else []
    for row, new_id in zip(rows, new_ids, strict=False):
        row["id"] = new_id
    session.connection().execute(table.insert(), rows)
    return new_ids


def insert(session: Session, events: list[GeneratedEvent], organisations: list[int],
           themes: bool = True) -> None:
    """Bulk INSERTs of the generated events (their ids are set on the records)."""
    ids = _insert(session, Event, [
        {"title": f"Generated event {i}", "kind": "workshop", "start_date": e.start,
         "end_date": e.end, "country": e.country, "cost": e.cost,
         "currency": "USD" if e.cost is not None else None, "version": 1,
         "city": "Bishkek" if i % 3 else "Almaty", "illustrative": True}
        for i, e in enumerate(events)], ids=True)
    for event, event_id in zip(events, ids, strict=True):
        event.id = event_id
    roles = [{"event_id": e.id, "organisation_id": organisations[k], "role": role}
             for e in events for role, picks in (("organiser", e.organisers),
                                                 ("funder", e.funders)) for k in picks]
    if roles:
        _insert(session, EventOrganisation, roles)
    recs = [(e, r) for e in events for r in e.recommendations]
    if recs:
        rec_ids = _insert(session, Recommendation, [
            {"event_id": e.id, "number": str(i + 1), "position": i + 1,
             "text": "Generated recommendation", "status": r.status, "priority": "normal",
             "due_date": r.due, "version": 1, "illustrative": True}
            for e in events for i, r in enumerate(e.recommendations)], ids=True)
        for (_event, rec), rec_id in zip(recs, rec_ids, strict=True):
            rec.id = rec_id
    actions = [{"recommendation_id": r.id, "action_date": a.date, "kind": a.kind,
                "state": a.state, "description": "Generated action",
                "verified_at": a.verified_at, "rejected_at": a.rejected_at, "version": 1,
                "illustrative": True}
               for _e, r in recs for a in r.actions]
    for chunk in range(0, len(actions), 50_000):
        _insert(session, FollowUpAction, actions[chunk:chunk + 50_000])
    theme_rows = [{"recommendation_id": r.id, "theme": t} for _e, r in recs for t in r.themes]
    if themes and theme_rows:
        _insert(session, RecommendationTheme, theme_rows)


def reference_event(event: GeneratedEvent, as_of: dt.date) -> rule.Event:
    """The generated event as ``indicators.followup`` values, judged as of ``as_of``."""
    cutoff = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC)
    return rule.Event(event.end, event.cost, tuple(
        rule.Recommendation(rec.id or 0, rule.RecommendationStatus(rec.status), tuple(
            rule.FollowUpAction(a.date or UNDATED, rule.ActionState(a.state),
                                a.verified_at is not None and a.verified_at < cutoff,
                                meeting=a.kind == "meeting_held",
                                rejected=a.rejected_at is not None and a.rejected_at < cutoff)
            for a in rec.actions), due=rec.due)
        for rec in event.recommendations))


def metrics_tuple(metrics: rule.FollowUpMetrics) -> tuple[Any, ...]:
    """The figures the report shows (the list of unanswered recommendations aside)."""
    return (metrics.recommendations, metrics.due, metrics.followed_up, metrics.verified,
            metrics.implemented, metrics.follow_up_rate, metrics.verified_rate,
            metrics.implemented_rate, metrics.days_to_first_follow_up,
            metrics.days_since_event, metrics.cost, metrics.counted_actions,
            metrics.awaiting_verification, metrics.at_event, metrics.meeting_only,
            metrics.first_due)
