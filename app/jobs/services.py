"""Enqueue a job, run it, report its progress and keep its result.

``enqueue`` records the job and puts it on the RQ queue; without ``REDIS_URL`` it runs the job
at once in this process. Either way ``perform`` runs it: inside an app context, as the user
who asked (``Actor``), through the services of the package that registered the kind. What
the job writes goes through those services and their audit records; this module writes only
the job's own row, each time in a short transaction of its own, so that a page polling the job
sees its progress while the work's transaction is still open.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.auth.models import Role, User
from app.db import db, utcnow
from app.errors import ServiceError
from app.jobs.models import Job, JobState

log = logging.getLogger(__name__)
QUEUE = "pvetrack"
_WORKER_PID = 0  # the process of `flask worker`, set when it starts
RETRIES = 2  # transient failures (a lost connection) are tried again, then dead-lettered
RETRY_INTERVALS = [10, 60]
TRANSIENT = (ConnectionError, TimeoutError, sa.exc.OperationalError)


class JobFailed(Exception):
    """The work refused what it was given; the message is shown to the user as it is."""

    def __init__(self, message: Any, result: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.result = result


@dataclass
class Outcome:
    """What a job produced: a file to download, a summary, or both."""

    summary: dict[str, Any] | None = None
    body: bytes | None = None
    filename: str | None = None
    mimetype: str | None = None


class Progress:
    """Handed to the work: ``progress(done, total)`` records how far it has got."""

    def __init__(self, job_id: int, visible: bool) -> None:
        self.job_id = job_id
        self.visible = visible
        self.done = 0
        self.total: int | None = None

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self.visible:
            try:
                _update(self.job_id, done=self.done, total=self.total)
            except sa.exc.OperationalError:  # SQLite busy with the work's own transaction
                log.info("progress of job %s not recorded this time", self.job_id)


Handler = Callable[[Session, Actor, dict[str, Any], Progress], Outcome]


@dataclass(frozen=True)
class Kind:
    handler: Handler
    title: Any
    result_template: str | None  # shows a job's summary on its page
    result_context: Callable[[dict[str, Any]], dict[str, Any]] | None  # what that needs


KINDS: dict[str, Kind] = {}


def register(kind: str, handler: Handler, *, title: Any, result_template: str | None = None,
             result_context: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
    KINDS[kind] = Kind(handler, title, result_template, result_context)


def queued() -> bool:
    """Whether jobs go to a worker (``REDIS_URL`` set) or run at once in this process."""
    return bool(current_app.config.get("REDIS_URL"))


def jobs_dir() -> Path:
    return Path(current_app.config["JOBS_DIR"])


def store_input(data: bytes, suffix: str) -> str:
    """Keep an uploaded file for the job that reads it; returns its name under JOBS_DIR."""
    name = f"in-{secrets.token_hex(16)}{suffix}"
    folder = jobs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return name


def _update(job_id: int, **values: Any) -> None:
    with db.standalone_session() as session:
        session.execute(sa.update(Job).where(Job.id == job_id)
                        .values(**values, version=Job.version + 1)
                        .execution_options(synchronize_session=False))
        session.commit()


def enqueue(session: Session, actor: Actor, kind: str, *, project_id: int | None = None,
            params: dict[str, Any] | None = None) -> Job:
    """Record a job of ``kind`` for the acting user and start it: on the queue when there is
    one, else at once. Returns the job (finished, when it ran at once)."""
    if kind not in KINDS:
        raise ServiceError(_l("Unknown kind of job."))
    job = Job(kind=kind, owner_id=actor.user_id, project_id=project_id, params=params or {},
              state=JobState.QUEUED)
    session.add(job)
    session.flush()
    audit.record(session, actor, "job.create", "job", job.id,
                 {"kind": kind, "project_id": project_id})
    session.commit()
    if queued():
        from redis import Redis
        from rq import Queue, Retry

        queue = Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))
        queue.enqueue(perform, job.id, job_id=f"pvetrack-job-{job.id}",
                      retry=Retry(max=RETRIES, interval=RETRY_INTERVALS),
                      job_timeout=current_app.config["JOB_TIMEOUT_SECONDS"],
                      failure_ttl=30 * 24 * 3600)
    else:
        run(job.id)
    session.refresh(job)
    return job


def perform(job_id: int) -> str:
    """The function the worker runs, inside the app context that ``flask worker`` opens (a
    forked work horse inherits it)."""
    if not has_app_context():
        raise RuntimeError("PVE Track jobs run in an app context: start the worker with "
                           "flask worker")
    if _WORKER_PID and os.getpid() != _WORKER_PID:
        # A work horse forked from the worker: the connections it inherited belong to the
        # worker; it opens its own.
        db.engine.dispose(close=False)
    # Each job in an app context of its own, as each request is: whatever it opens there is
    # closed when it ends.
    with current_app.app_context():
        return run(job_id)


def run(job_id: int) -> str:
    """Run a recorded job and record how it ended. A transient error is raised again after
    being recorded, so that RQ retries the job and, at the last try, keeps it among the failed
    jobs; a refusal by the work is final."""
    with db.standalone_session() as session:
        job = session.get(Job, job_id)
        if job is None:
            return "missing"
        kind, params, owner_id = job.kind, dict(job.params), job.owner_id
    _update(job_id, state=JobState.RUNNING, started_at=utcnow(), message=None)
    # SQLite takes one writer at a time: a progress record written while the work's own
    # transaction is open would wait for it, then fail. There, progress is recorded at the end.
    progress = Progress(job_id, visible=db.engine.dialect.name != "sqlite")
    try:
        with db.standalone_session() as session:
            outcome = KINDS[kind].handler(session, Actor(user_id=owner_id), params, progress)
    except JobFailed as exc:
        _update(job_id, state=JobState.FAILED, message=exc.message, result=exc.result,
                done=progress.done, total=progress.total, finished_at=utcnow())
        return "failed"
    except ServiceError as exc:
        _update(job_id, state=JobState.FAILED, message=str(exc.message),
                done=progress.done, total=progress.total, finished_at=utcnow())
        return "failed"
    except TRANSIENT as exc:
        _update(job_id, state=JobState.FAILED, finished_at=utcnow(),
                message=str(_l("The job was interrupted (%(error)s); it will be tried again.",
                               error=type(exc).__name__)))
        raise
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        _no_retry()
        _update(job_id, state=JobState.FAILED, finished_at=utcnow(),
                message=str(_l("The job failed because of an error in the application; "
                               "nothing was written. The administrators can see the details "
                               "in the log.")))
        raise
    values: dict[str, Any] = {"result": outcome.summary}
    if outcome.body is not None:
        name = f"out-{job_id}-{secrets.token_hex(8)}"
        folder = jobs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(outcome.body)
        values.update(result_file=name, result_name=outcome.filename,
                      result_type=outcome.mimetype)
    total = progress.total if progress.total is not None else progress.done
    _update(job_id, state=JobState.DONE, done=progress.done, total=total,
            finished_at=utcnow(), **values)
    return "done"


def _no_retry() -> None:
    """A programming error fails the same way every time: RQ keeps the job among the failed
    ones at once instead of trying it again."""
    from rq import get_current_job

    current = get_current_job()
    if current is not None:
        current.retries_left = 0


def may_see(user: User | None, job: Job) -> bool:
    """Only the user who asked for a job, and administrators, see it."""
    return user is not None and (user.id == job.owner_id or user.role is Role.ADMIN)


def result_path(job: Job) -> Path | None:
    if not job.result_file:
        return None
    path = jobs_dir() / job.result_file
    return path if path.is_file() else None


def worker(app: Flask, *, burst: bool = False, simple: bool = False) -> bool:
    """Run an RQ worker on the job queue with ``app``'s settings (``flask worker``)."""
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    global _WORKER_PID
    _WORKER_PID = os.getpid()
    connection = Redis.from_url(app.config["REDIS_URL"])
    queue = Queue(QUEUE, connection=connection)
    cls = SimpleWorker if simple else Worker
    with app.app_context():
        # The scheduler puts the retries that wait (RETRY_INTERVALS, MAIL_RETRY_INTERVALS)
        # back on the queue when their time comes.
        return bool(cls([queue], connection=connection).work(burst=burst,
                                                             with_scheduler=not burst))
