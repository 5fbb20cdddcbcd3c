"""Background jobs: a large import and a whole-project document run as jobs, on the Redis
queue with a worker (a SimpleWorker in burst mode here, so it runs in the test) or, without a
queue, at once in the request through the same function; their page shows the progress and the
outcome, and only their owner and administrators see them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from monitoring_data import build

from app.audit import Actor, AuditEvent
from app.auth.models import MemberRole, Role
from app.jobs import services as jobs
from app.jobs.models import Job, JobState
from app.monitoring.models import DataValue
from seed.factories import MemberFactory
from tests_support import job_queue, redis_test_url

REDIS_TEST_URL = redis_test_url("TEST_REDIS_URL", 13)
HEADER = ["indicator", "period_start", "period_end", "disaggregation", "category", "value",
          "numerator", "denominator", "text", "comment", "evidence_url"]


@pytest.fixture
def queue(app: Flask) -> Iterator[Any]:
    """The app with a job queue on a Redis database of these tests' own, emptied before and
    after."""
    with job_queue(app, REDIS_TEST_URL) as connection:
        yield connection


@pytest.fixture
def small_threshold(app: Flask) -> Iterator[None]:
    saved = app.config["IMPORT_BACKGROUND_ROWS"]
    app.config["IMPORT_BACKGROUND_ROWS"] = 3
    try:
        yield
    finally:
        app.config["IMPORT_BACKGROUND_ROWS"] = saved


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session, code="JOB-1")


def work(app: Flask) -> None:
    """Run every queued job in this process, as ``flask worker --burst`` would."""
    jobs.worker(app, burst=True, simple=True)


def csv_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n").encode()


def row(code: str, period: Any, type_code: str = "total", category: str = "total",
        value: str = "", numerator: str = "", denominator: str = "", text: str = "") -> list[str]:
    return [code, period.start_date.isoformat(), period.end_date.isoformat(), type_code,
            category, value, numerator, denominator, text, "", ""]


def good_rows(setup: Any) -> list[list[str]]:
    """Seven rows: six values to write and one without a value."""
    q1, q2 = setup.periods[0], setup.periods[1]
    return [row("N", q1, value="5"), row("N", q1, "sex", "female", value="3"),
            row("N", q1, "sex", "male", value="2"), row("N", q2, "sex", "female", value="4"),
            row("R", q1, numerator="10", denominator="40"),
            row("Q", q1, text="Clubs started in two schools"), row("N", q2),
            row("N", q2, "sex", "male", value="1")]


def upload(client: Any, setup: Any, content: bytes, mode: str = "import") -> Any:
    return client.post(f"/projects/{setup.project.id}/import", data={
        "file": (io.BytesIO(content), "values.csv"), "mode": mode},
        content_type="multipart/form-data")


def job_id_of(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    found = re.fullmatch(r".*/jobs/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def load_job(session: Any, job_id: int) -> Job:
    session.expire_all()
    job = session.get(Job, job_id)
    assert job is not None
    return job


def values(session: Any) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count(DataValue.id))) or 0


def test_a_large_import_waits_on_the_queue_then_the_worker_writes_it(
        app: Flask, client: Any, auth: Any, setup: Any, session: Any, queue: Any,
        small_threshold: None) -> None:
    auth.login(setup.officer)
    job_id = job_id_of(upload(client, setup, csv_bytes(good_rows(setup))))
    job = load_job(session, job_id)
    assert job.state is JobState.QUEUED and job.owner_id == setup.officer.id
    assert job.project_id == setup.project.id and values(session) == 0
    waiting = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Waiting for its turn" in waiting
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in waiting
    assert "/static/job.js" in waiting and f'data-job-state-url="/jobs/{job_id}.json"' in waiting
    assert client.get(f"/jobs/{job_id}.json").get_json()["state"] == "queued"
    asked = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "job.create")).all()
    assert [(e.user_id, e.entity, e.entity_id, e.changes) for e in asked] == [
        (setup.officer.id, "job", str(job_id),
         {"kind": "import", "project_id": setup.project.id})]

    work(app)

    job = load_job(session, job_id)
    assert job.state is JobState.DONE, job.message
    assert (job.done, job.total) == (8, 8)
    assert job.started_at is not None and job.finished_at is not None
    assert values(session) == 7
    stored = session.scalars(sa.select(DataValue)).all()
    assert {v.entered_by_id for v in stored} == {setup.officer.id}
    audited = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "data_values.import")).all()
    assert [e.user_id for e in audited] == [setup.officer.id]
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Imported" in page and '<dt>New</dt><dd>7</dd>' in page
    assert '<dt>Without a value</dt><dd>1</dd>' in page
    assert '<progress id="job-progress"' in page and 'value="8"' in page
    assert "http-equiv=\"refresh\"" not in page
    state = client.get(f"/jobs/{job_id}.json").get_json()
    assert (state["state"], state["done"], state["total"], state["finished"]) == (
        "done", 8, 8, True)
    assert state["progress_text"] == "8 of 8"


def test_a_bad_row_fails_the_job_and_writes_nothing(
        app: Flask, client: Any, auth: Any, setup: Any, session: Any, queue: Any,
        small_threshold: None) -> None:
    auth.login(setup.officer)
    rows = good_rows(setup)
    rows.insert(2, row("NOPE", setup.period, value="1"))
    job_id = job_id_of(upload(client, setup, csv_bytes(rows)))
    work(app)
    job = load_job(session, job_id)
    assert job.state is JobState.FAILED
    assert job.message and "nothing was written" in job.message
    assert values(session) == 0
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Refused: nothing was written" in page
    assert '<td class="num">4</td><td><code>indicator</code></td>' in page
    assert "The project has no indicator “NOPE”." in page


def test_without_a_queue_the_same_job_runs_in_the_request(
        client: Any, auth: Any, setup: Any, session: Any, small_threshold: None) -> None:
    auth.login(setup.officer)
    content = csv_bytes(good_rows(setup))
    checked = load_job(session, job_id_of(upload(client, setup, content, mode="check")))
    assert checked.state is JobState.DONE and checked.result is not None
    assert (checked.result["new"], checked.result["skipped"]) == (7, 1)
    assert values(session) == 0
    job_id = job_id_of(upload(client, setup, content))
    job = load_job(session, job_id)
    assert job.state is JobState.DONE and (job.done, job.total) == (8, 8)
    assert values(session) == 7
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Imported" in page and '<dt>New</dt><dd>7</dd>' in page


def test_a_small_import_stays_in_the_request(client: Any, auth: Any, setup: Any,
                                             session: Any) -> None:
    auth.login(setup.officer)
    response = upload(client, setup, csv_bytes(good_rows(setup)))
    assert response.status_code == 200 and "Imported" in response.get_data(as_text=True)
    assert values(session) == 7
    assert session.scalar(sa.select(sa.func.count(Job.id))) == 0


def test_a_logframe_is_printed_by_the_worker_and_only_its_owner_gets_it(
        app: Flask, client: Any, auth: Any, setup: Any, session: Any, queue: Any,
        make_user: Any) -> None:
    auth.login(setup.officer)
    job_id = job_id_of(client.get(f"/projects/{setup.project.id}/logframe.pdf"))
    assert load_job(session, job_id).state is JobState.QUEUED
    assert client.get(f"/jobs/{job_id}/download").status_code == 404  # not printed yet

    work(app)

    job = load_job(session, job_id)
    assert job.state is JobState.DONE, job.message
    assert job.total is not None and job.total >= 1 and job.done == job.total
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f"/jobs/{job_id}/download" in page
    pdf = client.get(f"/jobs/{job_id}/download")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert "logframe-JOB-1-" in pdf.headers["Content-Disposition"]

    other_officer = make_user(Role.OFFICER)
    MemberFactory(user=other_officer, project=setup.project, role=MemberRole.OFFICER)
    manager = make_user(Role.MANAGER)
    session.commit()
    for user in (other_officer, manager):
        auth.logout()
        auth.login(user)
        for url in (f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"):
            assert client.get(url).status_code == 404, (user.role, url)
    auth.logout()
    auth.login(make_user(Role.ADMIN))
    assert client.get(f"/jobs/{job_id}/download").status_code == 200


def test_the_download_checks_again_the_permission_the_document_needed(
        client: Any, auth: Any, setup: Any, session: Any, queue: Any, app: Flask) -> None:
    auth.login(setup.officer)
    job_id = job_id_of(client.get(f"/projects/{setup.project.id}/logframe.docx"))
    work(app)
    assert client.get(f"/jobs/{job_id}/download").status_code == 200
    from app.auth.models import ProjectMember

    session.execute(sa.delete(ProjectMember).where(
        ProjectMember.user_id == setup.officer.id))
    session.commit()
    assert client.get(f"/jobs/{job_id}/download").status_code == 403


def test_without_a_queue_the_document_job_runs_at_once_and_sends_the_file(
        client: Any, auth: Any, setup: Any, session: Any) -> None:
    auth.login(setup.officer)
    response = client.get(f"/projects/{setup.project.id}/logframe.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    job = session.scalars(sa.select(Job)).one()
    assert (job.kind, job.state, job.owner_id) == ("document", JobState.DONE, setup.officer.id)
    assert job.total is not None and job.done == job.total >= 1


def test_an_error_in_the_work_fails_the_job_and_lands_among_the_failed_jobs(
        app: Flask, setup: Any, session: Any, queue: Any) -> None:
    from rq import Queue
    from rq.registry import FailedJobRegistry

    def broken(*_args: Any) -> jobs.Outcome:
        raise RuntimeError("disk on fire")

    jobs.register("broken-for-test", broken, title="Broken")
    try:
        with app.test_request_context():
            job = jobs.enqueue(session, Actor(user_id=setup.officer.id),
                               "broken-for-test")
        work(app)
    finally:
        jobs.KINDS.pop("broken-for-test")
    failed = load_job(session, job.id)
    assert failed.state is JobState.FAILED
    assert failed.message and "error in the application" in failed.message
    registry = FailedJobRegistry(queue=Queue(jobs.QUEUE, connection=queue))
    assert f"pvetrack-job-{job.id}" in registry.get_job_ids()


def test_a_transient_error_is_recorded_and_the_job_is_tried_again(
        app: Flask, setup: Any, session: Any, queue: Any) -> None:
    from rq import Queue
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    def unreachable(*_args: Any) -> jobs.Outcome:
        raise ConnectionError("database went away")

    jobs.register("unreachable-for-test", unreachable, title="Unreachable")
    try:
        with app.test_request_context():
            job = jobs.enqueue(session, Actor(user_id=setup.officer.id),
                               "unreachable-for-test")
        work(app)
    finally:
        jobs.KINDS.pop("unreachable-for-test")
    failed = load_job(session, job.id)
    assert failed.state is JobState.FAILED
    assert failed.message and "tried again" in failed.message
    rq_queue = Queue(jobs.QUEUE, connection=queue)
    assert f"pvetrack-job-{job.id}" in ScheduledJobRegistry(queue=rq_queue).get_job_ids()
    assert f"pvetrack-job-{job.id}" not in FailedJobRegistry(queue=rq_queue).get_job_ids()
