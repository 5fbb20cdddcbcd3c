"""Recurring recommendations: suggested links, a manager's decision, and confirmed chains.

``suggest_links`` runs the pair model of ``indicators.pairscore`` over every recommendation
and stores the pairs it finds as *suggested* links, never a second time for a pair already linked
(a rejected pair stays rejected). A manager confirms or rejects each one. Confirmed links join
recommendations into chains (connected components): where a request was first raised, how
many events raised it again, and whether anything was ever done about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.errors import ServiceError, StaleEdit
from app.followup.models import Event, FollowUpAction, LinkState, Recommendation, RecommendationLink
from indicators import pairscore, similarity
from indicators.followup import ActionState, RecommendationStatus


def pair_model() -> pairscore.Model:
    """The model in ``PAIR_MODEL_FILE`` where one is configured, else the shipped one."""
    configured = current_app.config.get("PAIR_MODEL_FILE") if has_app_context() else None
    if not configured:
        return pairscore.load_model()
    try:
        return pairscore.load_model(Path(configured))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"PAIR_MODEL_FILE {configured}: {exc}") from exc


@dataclass(frozen=True)
class SuggestionRun:
    """What a search for suggestions did: the links it added, and how many of the suggestions
    still waiting for a decision it gave a new score."""

    new: list[RecommendationLink]
    rescored: int


def suggest_links(session: Session, actor: Actor, threshold: float | None = None,
                  progress: Callable[[int, int], None] | None = None) -> SuggestionRun:
    """Store the model's new suggestions (pairs already linked are skipped).

    A pair is suggested at the model's threshold for its language pair, or at ``threshold``.
    Suggestions still waiting for a decision get the model's current score, so that every
    suggestion on the page is scored by the same model (after a new fit, or one scored by the
    cosine rule before the model existed). ``progress(done, total)`` follows the candidate
    pairs scored. Two searches saving at once: the second is refused and writes nothing.
    """
    items = [(str(r.id), str(r.event_id), r.text) for r in session.execute(
        sa.select(Recommendation.id, Recommendation.event_id, Recommendation.text))]
    existing = {(first, second) for first, second in session.execute(
        sa.select(RecommendationLink.first_id, RecommendationLink.second_id))}
    new: list[RecommendationLink] = []
    model = pair_model()
    corpus = pairscore.Corpus(items)
    for suggestion in pairscore.suggest(corpus, model, threshold, progress=progress):
        first, second = sorted((int(suggestion.a), int(suggestion.b)))
        if (first, second) in existing:
            continue
        existing.add((first, second))
        new.append(RecommendationLink(
            first_id=first, second_id=second, state=LinkState.SUGGESTED,
            similarity=_score(suggestion.score)))
    pending = session.scalars(sa.select(RecommendationLink).where(
        RecommendationLink.state == LinkState.SUGGESTED)).all()
    current = pairscore.score_pairs(
        corpus, [(str(link.first_id), str(link.second_id)) for link in pending], model)
    rescored = 0
    for link in pending:
        score = _score(current[(str(link.first_id), str(link.second_id))])
        if link.similarity != score:
            link.similarity = score
            rescored += 1
    session.add_all(new)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise ServiceError(_l("Another search for suggestions saved its links while this one "
                              "ran; nothing was written. Look at the page again.")) from exc
    audit.record(session, actor, "recommendation_link.suggest", "recommendation_link", None,
                 {"suggested": [None, len(new)], "rescored": [None, rescored],
                  "threshold": [None, threshold if threshold is not None
                                else pairscore.describe_thresholds(model)]})
    session.commit()
    return SuggestionRun(new, rescored)


def _score(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


DECISIONS = {LinkState.CONFIRMED: "recommendation_link.confirm",
             LinkState.REJECTED: "recommendation_link.reject"}


def decide_link(session: Session, actor: Actor, link: RecommendationLink, decision: LinkState,
                seen: LinkState) -> RecommendationLink:
    """Confirm or reject a link; ``seen`` is the state the manager saw when deciding."""
    if decision not in DECISIONS:
        raise ServiceError(_l("A link is either confirmed or rejected."), "decision")
    if link.state is not seen:
        raise StaleEdit(_l("Someone else decided on this link after you opened the page; "
                           "nothing of yours was saved. Review it and decide again."),
                        {"state": link.state})
    if link.state is decision:
        return link
    changes = audit.apply_changes(link, {"state": decision, "decided_by_id": actor.user_id,
                                         "decided_at": utcnow()})
    audit.record(session, actor, DECISIONS[decision], "recommendation_link", link.id, changes)
    session.commit()
    return link


def suggestions_query(state: LinkState = LinkState.SUGGESTED) -> Any:
    """Links in ``state`` with both recommendations and their events, most similar first."""
    first, second = aliased(Recommendation), aliased(Recommendation)
    first_event, second_event = aliased(Event), aliased(Event)
    return (sa.select(RecommendationLink, first, first_event, second, second_event)
            .join(first, first.id == RecommendationLink.first_id)
            .join(first_event, first_event.id == first.event_id)
            .join(second, second.id == RecommendationLink.second_id)
            .join(second_event, second_event.id == second.event_id)
            .where(RecommendationLink.state == state)
            .order_by(RecommendationLink.similarity.desc(), RecommendationLink.id))


Side = tuple[str, str, str]


def decided_pairs(session: Session) -> list[tuple[Side, Side, bool]]:
    """Links a manager confirmed (``True``) or rejected (``False``), as labelled pairs.

    Each side is ``(id, event, text)`` with ids prefixed ``db-`` so that they never collide
    with the ids of a file.
    """
    first, second = aliased(Recommendation), aliased(Recommendation)
    rows = session.execute(
        sa.select(first.id, first.event_id, first.text, second.id, second.event_id, second.text,
                  RecommendationLink.state)
        .join(first, first.id == RecommendationLink.first_id)
        .join(second, second.id == RecommendationLink.second_id)
        .where(RecommendationLink.state.in_((LinkState.CONFIRMED, LinkState.REJECTED)))
        .order_by(RecommendationLink.id))
    return [((f"db-{a}", f"db-event-{a_event}", a_text), (f"db-{b}", f"db-event-{b_event}", b_text),
             state is LinkState.CONFIRMED)
            for a, a_event, a_text, b, b_event, b_text, state in rows]


def reasons(rows: Any) -> dict[int, tuple[str, ...]]:
    """Link id -> the concepts its two recommendations share: why it was suggested.

    ``rows`` are rows of :func:`suggestions_query`. The codes come from the matcher's
    vocabulary; ``labels.concept_label`` words them for the reader.
    """
    return {link.id: similarity.explain(first.text, second.text)
            for link, first, _first_event, second, _second_event in rows}


# --- chains -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainMember:
    recommendation_id: int
    number: str
    title: str | None
    text: str
    status: RecommendationStatus
    event_id: int
    event_title: str
    event_start: dt.date
    event_precision: Any  # how precisely the start is known: day, month or year
    city: str | None
    country: str | None
    done: bool  # a done action as of the date, or the status "implemented"


@dataclass(frozen=True)
class Chain:
    members: tuple[ChainMember, ...]  # earliest event first

    @property
    def first(self) -> ChainMember:
        return self.members[0]

    @property
    def raised_again(self) -> int:
        """How many later events asked for it again."""
        return len({m.event_id for m in self.members}) - 1

    @property
    def implemented(self) -> bool:
        return any(m.done for m in self.members)

    def contains(self, recommendation_id: int) -> bool:
        return any(m.recommendation_id == recommendation_id for m in self.members)


def components(pairs: list[tuple[int, int]]) -> list[set[int]]:
    """Connected components of the graph given by its edges (union-find)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, set[int]] = {}
    for node in list(parent):
        groups.setdefault(root(node), set()).add(node)
    return list(groups.values())


def _confirmed_pairs(session: Session) -> list[tuple[int, int]]:
    return [(first, second) for first, second in session.execute(
        sa.select(RecommendationLink.first_id, RecommendationLink.second_id)
        .where(RecommendationLink.state == LinkState.CONFIRMED))]


def _members(session: Session, ids: set[int], as_of: dt.date) -> dict[int, ChainMember]:
    if not ids:
        return {}
    done = sa.exists().where(FollowUpAction.recommendation_id == Recommendation.id,
                             FollowUpAction.state == ActionState.DONE,
                             FollowUpAction.action_date <= as_of)
    rows = session.execute(
        sa.select(Recommendation.id, Recommendation.number, Recommendation.title,
                  Recommendation.text, Recommendation.status, Event.id.label("event_id"),
                  Event.title.label("event_title"), Event.start_date, Event.date_precision,
                  Event.city, Event.country,
                  sa.or_(done, Recommendation.status == RecommendationStatus.IMPLEMENTED)
                  .label("done"))
        .join(Event, Event.id == Recommendation.event_id)
        .where(Recommendation.id.in_(ids)))
    return {r.id: ChainMember(r.id, r.number, r.title, r.text, r.status, r.event_id,
                              r.event_title, r.start_date, r.date_precision, r.city, r.country,
                              bool(r.done))
            for r in rows}


def _chain(group: set[int], members: dict[int, ChainMember]) -> Chain:
    ordered = sorted((members[i] for i in group if i in members),
                     key=lambda m: (m.event_start, m.event_id, m.recommendation_id))
    return Chain(tuple(ordered))


def chains(session: Session, as_of: dt.date) -> list[Chain]:
    """Every confirmed chain, those raised most often first (two queries)."""
    groups = components(_confirmed_pairs(session))
    members = _members(session, set().union(*groups) if groups else set(), as_of)
    found = [_chain(group, members) for group in groups]
    return sorted((c for c in found if c.members),
                  key=lambda c: (-c.raised_again, c.first.event_start, c.first.recommendation_id))


def chain_of(session: Session, recommendation_id: int, as_of: dt.date) -> Chain | None:
    """The confirmed chain a recommendation belongs to, if any (two queries)."""
    group = next((g for g in components(_confirmed_pairs(session))
                  if recommendation_id in g), None)
    if group is None:
        return None
    return _chain(group, _members(session, group, as_of))


def recurring_ids(session: Session) -> dict[int, int]:
    """Recommendation id -> number of events its confirmed chain spans (one query)."""
    spans: dict[int, int] = {}
    groups = components(_confirmed_pairs(session))
    if not groups:
        return spans
    events = {rec_id: event_id for rec_id, event_id in session.execute(
        sa.select(Recommendation.id, Recommendation.event_id)
        .where(Recommendation.id.in_(set().union(*groups))))}
    for group in groups:
        span = len({events[i] for i in group if i in events})
        spans.update(dict.fromkeys(group, span))
    return spans


def wording(rows: Any) -> dict[int, tuple[str, ...]]:
    """Link id -> words its two recommendations share beyond their concepts.

    The pair model weighs wording too, so the manager sees it beside the concepts.
    """
    return {link.id: pairscore.shared_words(first.text, second.text)
            for link, first, _first_event, second, _second_event in rows}
