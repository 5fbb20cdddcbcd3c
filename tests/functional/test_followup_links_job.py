"""Looking for new suggestions over many recommendations runs as a job: its page follows the
candidate pairs scored and says what the search did; a second search waits for the first; a
manager who lost the right to link finds nothing written; two searches saving at once write
once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.followup import links, links_job
from app.followup.models import RecommendationLink
from app.jobs import services as jobs
from app.jobs.models import Job, JobState
from seed.factories import EventFactory, RecommendationFactory, UserFactory
from tests_support import job_queue, redis_test_url

REDIS_TEST_URL = redis_test_url("TEST_REDIS_URL", 13)

TEXTS = [
    ("Sponsor research on the drivers of radicalisation in Central Asia.",
     "Train imams to speak out against violent extremism."),
    ("More qualitative research on the drivers of radicalization is required.",
     "Engage spiritual leaders in dialogue and train them to prevent extremism."),
    ("Set up a hotline for worried families.",),
]  # five recommendations of three events


@pytest.fixture
def five(session: Any) -> None:
    for texts in TEXTS:
        event = EventFactory()
        for number, text in enumerate(texts, start=1):
            RecommendationFactory(event=event, number=str(number), text=text)
    session.commit()


@pytest.fixture
def limit(app: Flask) -> Iterator[Any]:
    saved = app.config["SUGGEST_BACKGROUND_RECOMMENDATIONS"]

    def set_limit(value: int) -> None:
        app.config["SUGGEST_BACKGROUND_RECOMMENDATIONS"] = value

    try:
        yield set_limit
    finally:
        app.config["SUGGEST_BACKGROUND_RECOMMENDATIONS"] = saved


def _count(session: Any, model: Any) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_a_search_over_more_recommendations_than_the_limit_runs_as_a_job(
    client: Any, login_as: Any, session: Any, five: None, limit: Any
) -> None:
    limit(4)
    manager = login_as(Role.MANAGER)
    response = client.post("/followup/recurring/suggest")
    assert response.status_code == 302
    found = re.fullmatch(r"/jobs/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    session.expire_all()
    job = session.get(Job, int(found.group(1)))
    assert job is not None and job.kind == links_job.KIND and job.owner_id == manager.id
    # without a queue the job ran at once, through the same function as on a worker
    assert job.state is JobState.DONE
    stored = _count(session, RecommendationLink)
    assert stored >= 2  # research and research, imams and spiritual leaders
    assert job.total is not None and job.total >= stored and job.done == job.total
    assert job.result == {"suggested": stored, "rescored": 0, "scored": job.total}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Looking for recurring recommendations" in page
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page))
    assert counts == {"Candidate pairs scored": str(job.total),
                      "New links suggested": str(stored), "Waiting suggestions rescored": "0"}
    assert 'href="/followup/recurring">Review the suggestions</a>' in page
    actions = session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["job.create", "recommendation_link.suggest"]


def test_up_to_the_limit_the_search_runs_in_the_request(
    client: Any, login_as: Any, session: Any, five: None, limit: Any
) -> None:
    limit(5)  # five recommendations: not more than the limit
    login_as(Role.MANAGER)
    response = client.post("/followup/recurring/suggest", follow_redirects=True)
    assert response.request.path == "/followup/recurring"
    assert _count(session, Job) == 0
    stored = _count(session, RecommendationLink)
    assert stored >= 2
    assert f"{stored} new links suggested." in response.get_data(as_text=True)


def test_a_second_search_follows_the_one_under_way(
    client: Any, login_as: Any, session: Any, five: None, limit: Any
) -> None:
    limit(0)
    manager = login_as(Role.MANAGER)
    waiting = Job(kind=links_job.KIND, owner_id=manager.id, params={}, state=JobState.QUEUED)
    finished = Job(kind=links_job.KIND, owner_id=manager.id, params={}, state=JobState.DONE)
    session.add_all([finished, waiting])
    session.commit()
    response = client.post("/followup/recurring/suggest", follow_redirects=True)
    assert response.request.path == f"/jobs/{waiting.id}"
    assert "already under way" in response.get_data(as_text=True)
    assert _count(session, Job) == 2 and _count(session, RecommendationLink) == 0
    waiting.state = JobState.FAILED
    session.commit()
    response = client.post("/followup/recurring/suggest")
    assert response.headers["Location"] not in {f"/jobs/{waiting.id}", f"/jobs/{finished.id}"}
    assert _count(session, Job) == 3


def test_a_job_of_someone_who_may_no_longer_link_writes_nothing(session: Any, five: None) -> None:
    officer = UserFactory(role=Role.OFFICER)
    session.commit()
    with pytest.raises(jobs.JobFailed, match="no longer link"):
        links_job.perform(session, Actor(user_id=officer.id), {}, jobs.Progress(0, False))
    assert _count(session, RecommendationLink) == 0
    manager = UserFactory(role=Role.MANAGER)
    session.commit()
    progress = jobs.Progress(0, False)
    outcome = links_job.perform(session, Actor(user_id=manager.id), {}, progress)
    assert outcome.summary == {"suggested": _count(session, RecommendationLink), "rescored": 0,
                               "scored": progress.done}
    assert progress.done == progress.total and progress.done > 0


def test_two_searches_saving_at_once_write_once(
    client: Any, login_as: Any, session: Any, five: None, monkeypatch: Any
) -> None:
    login_as(Role.MANAGER)
    real = links.pairscore.score_pairs

    def other_search_saves_first(*args: Any, **kwargs: Any) -> Any:
        # Another manager's search stores the same suggestions while this one scores.
        for suggestion in links.pairscore.suggest(*args[:1], links.pair_model()):
            first, second = sorted((int(suggestion.a), int(suggestion.b)))
            session.add(RecommendationLink(first_id=first, second_id=second,
                                           similarity=suggestion.score))
        session.commit()
        return real(*args, **kwargs)

    monkeypatch.setattr(links.pairscore, "score_pairs", other_search_saves_first)
    response = client.post("/followup/recurring/suggest", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Another search for suggestions saved its links while this one ran" in page
    assert 'class="flash flash-error"' in page
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "recommendation_link.suggest")) == 0



@pytest.fixture
def queue(app: Flask) -> Iterator[Any]:
    """A job queue on the Redis database of the job tests, emptied before and after."""
    with job_queue(app, REDIS_TEST_URL) as connection:
        yield connection


def test_on_the_queue_the_search_waits_for_the_worker_and_is_asked_for_once(
    app: Flask, client: Any, login_as: Any, session: Any, five: None, limit: Any, queue: Any
) -> None:
    limit(4)
    login_as(Role.MANAGER)
    first = client.post("/followup/recurring/suggest")
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Waiting for its turn" in page and _count(session, RecommendationLink) == 0
    assert client.post("/followup/recurring/suggest").headers["Location"] == (
        first.headers["Location"])
    assert _count(session, Job) == 1
    jobs.worker(app, burst=True, simple=True)
    session.expire_all()
    job = session.scalars(sa.select(Job)).one()
    assert job.state is JobState.DONE
    assert job.result is not None and job.result["suggested"] == _count(
        session, RecommendationLink) >= 2


def test_a_result_kept_without_the_pairs_scored_still_shows(
    client: Any, login_as: Any, session: Any
) -> None:
    manager = login_as(Role.MANAGER)
    job = Job(kind=links_job.KIND, owner_id=manager.id, params={}, state=JobState.DONE,
              result={"suggested": 3, "rescored": 1})
    session.add(job)
    session.commit()
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page.get_data(as_text=True)))
    assert counts == {"New links suggested": "3", "Waiting suggestions rescored": "1"}
