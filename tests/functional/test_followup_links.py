"""Recurring recommendations: suggestions, a manager's decision, and confirmed chains."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import Actor, AuditEvent
from app.auth.models import Locale, Role
from app.errors import ServiceError, StaleEdit
from app.followup import links
from app.followup.models import LinkState, RecommendationLink
from indicators.followup import ActionState, RecommendationStatus
from seed.factories import (
    EventFactory,
    FollowUpActionFactory,
    RecommendationFactory,
    RecommendationLinkFactory,
    UserFactory,
)

TODAY = dt.date(2025, 1, 1)
TEXTS = {
    "almaty": ["Sponsor research on the drivers of radicalisation in Central Asia.",
               "Train imams to speak out against violent extremism."],
    "bishkek": ["More qualitative research on the drivers of radicalization is required.",
                "Engage spiritual leaders in dialogue and train them to prevent extremism."],
    "astana": ["Set up a hotline for worried families."],
}


@pytest.fixture
def actor(session: Any) -> Actor:
    manager = UserFactory(role=Role.MANAGER)
    session.commit()
    return Actor(user_id=manager.id)


@pytest.fixture
def recs(session: Any) -> dict[str, list[Any]]:
    out = {}
    for year, (city, texts) in enumerate(TEXTS.items(), start=2015):
        event = EventFactory(title=f"{city.title()} workshop", city=city.title(),
                             start_date=dt.date(year, 3, 1), end_date=dt.date(year, 3, 2))
        out[city] = [RecommendationFactory(event=event, number=str(i + 1), text=text)
                     for i, text in enumerate(texts)]
    session.commit()
    return out


def _pairs(session: Any) -> dict[frozenset[int], RecommendationLink]:
    return {frozenset((link.first_id, link.second_id)): link
            for link in session.scalars(sa.select(RecommendationLink))}


def test_suggestions_are_stored_once_and_a_rejection_stays(session: Any, actor: Actor,
                                                           recs: dict[str, list[Any]]) -> None:
    new = links.suggest_links(session, actor).new
    pairs = _pairs(session)
    research = frozenset((recs["almaty"][0].id, recs["bishkek"][0].id))
    religious = frozenset((recs["almaty"][1].id, recs["bishkek"][1].id))
    assert {research, religious} <= set(pairs), "the vocabulary links imams and spiritual leaders"
    assert all(link.state is LinkState.SUGGESTED and link.first_id < link.second_id
               and Decimal(0) < link.similarity <= 1 for link in new)
    assert len(new) == len(pairs)
    links.decide_link(session, actor, pairs[religious], LinkState.REJECTED, LinkState.SUGGESTED)
    assert links.suggest_links(session, actor).new == []
    assert _pairs(session)[religious].state is LinkState.REJECTED
    entries = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "recommendation_link.suggest").order_by(AuditEvent.id)).all()
    assert [e.changes["suggested"][1] for e in entries] == [len(new), 0]


def test_decisions_are_audited_and_a_stale_decision_is_refused(session: Any, actor: Actor) -> None:
    link = RecommendationLinkFactory()
    session.commit()
    links.decide_link(session, actor, link, LinkState.CONFIRMED, LinkState.SUGGESTED)
    assert (link.state, link.decided_by_id) == (LinkState.CONFIRMED, actor.user_id)
    assert link.decided_at is not None
    entry = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "recommendation_link.confirm")).one()
    assert entry.changes["state"] == ["suggested", "confirmed"]
    with pytest.raises(StaleEdit):  # someone confirmed it while another manager looked
        links.decide_link(session, actor, link, LinkState.REJECTED, LinkState.SUGGESTED)
    with pytest.raises(ServiceError):
        links.decide_link(session, actor, link, LinkState.SUGGESTED, LinkState.CONFIRMED)


def test_components() -> None:
    groups = links.components([(1, 2), (3, 4), (2, 5), (5, 1)])
    assert sorted(sorted(g) for g in groups) == [[1, 2, 5], [3, 4]]
    assert links.components([]) == []


def _confirm(first: Any, second: Any) -> Any:
    a, b = sorted((first.id, second.id))
    return RecommendationLinkFactory(first_id=a, second_id=b, state=LinkState.CONFIRMED)


def test_a_chain_shows_where_it_was_first_raised_how_often_and_whether_anything_was_done(
    session: Any, recs: dict[str, list[Any]]
) -> None:
    almaty, bishkek, astana = recs["almaty"][0], recs["bishkek"][0], recs["astana"][0]
    _confirm(bishkek, astana)
    _confirm(almaty, bishkek)
    RecommendationLinkFactory(first_id=recs["almaty"][1].id, second_id=recs["bishkek"][1].id)
    FollowUpActionFactory(recommendation=astana, state=ActionState.PLANNED)
    session.commit()
    [chain] = links.chains(session, TODAY)
    assert [m.recommendation_id for m in chain.members] == [almaty.id, bishkek.id, astana.id]
    assert (chain.first.event_title, chain.raised_again, chain.implemented) == (
        "Almaty workshop", 2, False)
    assert links.chain_of(session, astana.id, TODAY) == chain
    assert links.chain_of(session, recs["almaty"][1].id, TODAY) is None  # only suggested
    assert links.recurring_ids(session) == dict.fromkeys(
        (almaty.id, bishkek.id, astana.id), 3)
    FollowUpActionFactory(recommendation=astana, action_date=dt.date(2024, 1, 1))
    session.commit()
    assert links.chain_of(session, almaty.id, TODAY).implemented
    assert not links.chain_of(session, almaty.id, dt.date(2023, 12, 31)).implemented
    bishkek.status = RecommendationStatus.IMPLEMENTED
    session.commit()
    assert links.chain_of(session, almaty.id, dt.date(2023, 12, 31)).implemented


def test_recommendation_and_event_pages_show_the_chain(client: Any, login_as: Any,
                                                       session: Any,
                                                       recs: dict[str, list[Any]]) -> None:
    almaty, bishkek = recs["almaty"][0], recs["bishkek"][0]
    _confirm(almaty, bishkek)
    session.commit()
    login_as(Role.EVALUATOR)
    body = re.sub(r"\s+", " ", client.get(
        f"/followup/recommendations/{bishkek.id}").get_data(as_text=True))
    assert "First raised at Almaty workshop (Mar 1, 2015), raised again 1 time." in body
    assert "Implemented:</strong> <span class=\"badge badge-talk_shop\">no</span>" in body
    event_page = client.get(f"/followup/events/{almaty.event_id}").get_data(as_text=True)
    assert "Recurring: asked at 2 events" in event_page


def test_managers_review_suggestions_on_the_page(client: Any, login_as: Any, session: Any,
                                                 recs: dict[str, list[Any]]) -> None:
    login_as(Role.MANAGER)
    response = client.post("/followup/recurring/suggest")
    assert response.status_code == 302
    page = client.get("/followup/recurring").get_data(as_text=True)
    assert "new links suggested" in page and "Same request: confirm" in page
    link = session.scalars(sa.select(RecommendationLink).order_by(
        RecommendationLink.similarity.desc())).first()
    response = client.post(f"/followup/links/{link.id}/decide",
                           data={"decision": "confirmed", "seen": "suggested"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(RecommendationLink, link.id).state is LinkState.CONFIRMED
    page = client.get("/followup/recurring").get_data(as_text=True)
    assert "Confirmed chains <span class=\"muted\">(1)</span>" in page
    again = client.post(f"/followup/links/{link.id}/decide",
                        data={"decision": "rejected", "seen": "suggested"}, follow_redirects=True)
    assert "Someone else decided on this link" in again.get_data(as_text=True)


def test_officers_see_chains_but_not_suggestions(client: Any, login_as: Any, session: Any,
                                                 recs: dict[str, list[Any]]) -> None:
    RecommendationLinkFactory(first_id=recs["almaty"][0].id, second_id=recs["bishkek"][0].id)
    session.commit()
    login_as(Role.OFFICER)
    page = client.get("/followup/recurring").get_data(as_text=True)
    assert "Confirmed chains" in page and "Suggested links" not in page
    assert client.post("/followup/recurring/suggest").status_code == 403


def test_each_suggestion_shows_the_concepts_it_rests_on_in_the_readers_language(
    client: Any, login_as: Any, session: Any
) -> None:
    first, second = EventFactory(), EventFactory()
    RecommendationFactory(event=first, text="Обучать имамов и религиозных лидеров.")
    RecommendationFactory(event=second, text="Train religious leaders and young imams.")
    RecommendationFactory(event=second, text="Fund research on youth unemployment.")
    session.commit()
    manager = login_as(Role.MANAGER)
    client.post("/followup/recurring/suggest")
    pairs = _pairs(session)
    assert len(pairs) == 1, "the youth-research text shares no ask with the others"
    page = client.get("/followup/recurring").get_data(as_text=True)
    reasons = re.findall(r'data-concept="([a-z_]+)">([^<]+)<', page)
    assert reasons == [("religious_leaders", "religious leaders"), ("training", "training")]
    assert "Both ask about:" in page
    session.expire_all()
    session.get(type(manager), manager.id).locale = Locale.RU
    session.commit()
    text = client.get("/followup/recurring").get_data(as_text=True)
    assert "Оба касаются:" in text
    assert re.findall(r'data-concept="([a-z_]+)">([^<]+)<', text) == [
        ("religious_leaders", "религиозные лидеры"), ("training", "обучение")]


def test_every_concept_of_the_vocabulary_has_a_label_and_generic_ones_none() -> None:
    from app.followup import labels
    from indicators.similarity import default_vocabulary

    vocabulary = default_vocabulary()
    codes = {token[1:] for token in vocabulary.terms.values()}
    generic = {token[1:] for token in vocabulary.generic}
    assert set(labels.CONCEPT) == codes - generic
    assert labels.concept_label("not_a_concept") == "not_a_concept"


def test_a_suggestion_shows_its_likelihood_and_the_words_the_two_share(
    client: Any, login_as: Any, session: Any
) -> None:
    first, second = EventFactory(), EventFactory()
    RecommendationFactory(event=first, text="Set up a telephone hotline for families worried "
                                            "about radicalised relatives.")
    RecommendationFactory(event=second, text="Establish a national hotline that worried "
                                             "families can call.")
    RecommendationFactory(event=second, text="Обучать имамов противодействию вербовке.")
    session.commit()
    login_as(Role.MANAGER)
    client.post("/followup/recurring/suggest")
    (link,) = _pairs(session).values()
    page = client.get("/followup/recurring").get_data(as_text=True)
    likely = re.search(r"Same ask: (\d+)% likely", page)
    assert likely and int(likely.group(1)) == round(link.similarity * 100)
    words = re.search(r'<span class="shared-words">([^<]+)</span>', page)
    # a hotline (referral) and families are concepts of the vocabulary, shown as such; "worried"
    # is a word they share beyond them
    assert words and words.group(1).split(", ") == ["worried"]
    assert re.findall(r'data-concept="([a-z_]+)"', page) == ["referral", "families"]


def test_suggestions_waiting_for_a_decision_are_rescored_by_the_current_model(
    session: Any, actor: Actor, recs: dict[str, list[Any]]
) -> None:
    religious = (recs["almaty"][1].id, recs["bishkek"][1].id)
    hotline = (recs["almaty"][0].id, recs["astana"][0].id)
    # scored by an older measure: one the model suggests, one it never would, one decided
    waiting = RecommendationLinkFactory(first_id=min(religious), second_id=max(religious),
                                        similarity=Decimal("0.123"))
    stray = RecommendationLinkFactory(first_id=min(hotline), second_id=max(hotline),
                                      similarity=Decimal("0.999"))
    decided = RecommendationLinkFactory(
        first_id=recs["almaty"][0].id, second_id=recs["bishkek"][1].id,
        state=LinkState.REJECTED, similarity=Decimal("0.5"))
    session.commit()
    new = links.suggest_links(session, actor).new
    session.refresh(waiting)
    session.refresh(stray)
    session.refresh(decided)
    assert Decimal("0.123") != waiting.similarity >= Decimal("0.4")
    assert stray.similarity < Decimal("0.1")  # a research call and a hotline: not the same ask
    assert decided.similarity == Decimal("0.5")  # a decided link keeps what it was shown with
    assert all(link.similarity > stray.similarity for link in new)
    entry = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "recommendation_link.suggest")).one()
    assert entry.changes["rescored"] == [None, 2]
    assert links.suggest_links(session, actor).new == []
    again = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "recommendation_link.suggest").order_by(AuditEvent.id.desc())).first()
    assert again is not None and again.changes["rescored"] == [None, 0]
