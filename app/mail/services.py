"""Record a message, send it from the worker, and keep how that went.

``queue_message`` records the message in the caller's transaction and, once that transaction
commits, hands it on (``dispatch``): onto the RQ queue when ``REDIS_URL`` is set, where
``flask worker`` sends it with retries (``MAIL_RETRY_INTERVALS``) and RQ's failed-job registry
keeps it after the last failed attempt; to the log when ``MAIL_HOST`` is empty. A web request
never talks to the SMTP server: without a queue, a message queued in a request waits for
``flask notify send-due``, which sends it.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import AppSession, db, utcnow
from app.errors import ServiceError
from app.jobs import services as job_services
from app.mail.models import MailMessage, MailState

log = logging.getLogger(__name__)
QUEUE = job_services.QUEUE  # the queue `flask worker` serves
PENDING = "mail_pending"  # session.info: messages to hand on once the transaction commits


def _check_address(address: str) -> str:
    address = (address or "").strip()
    local, _, domain = address.partition("@")
    if (not local or "." not in domain or any(c in address for c in "\r\n\t <>,;")
            or len(address) > 254):
        raise ServiceError(_l("%(address)s is not an e-mail address.", address=address or "''"))
    return address


def _one_line(value: str | None) -> str | None:
    return None if value is None else " ".join(value.split())


def queue_message(session: Session, *, to_address: str, to_name: str | None, subject: str,
                  text: str, html: str | None = None, kind: str, dedupe_key: str,
                  user_id: int | None = None, locale: str = "en", actor: Actor | None = None,
                  headers: dict[str, str] | None = None) -> MailMessage | None:
    """Record a message to send once the caller's transaction commits. A message with the
    same ``dedupe_key`` already recorded: returns None, and nothing is sent again."""
    address = _check_address(to_address)
    if session.scalar(sa.select(MailMessage.id).where(MailMessage.dedupe_key == dedupe_key)):
        return None
    message = MailMessage(kind=kind, dedupe_key=dedupe_key, user_id=user_id,
                          to_address=address, to_name=_one_line(to_name),
                          subject=_one_line(subject) or "", text=text, html=html,
                          headers=headers or None, locale=locale, state=MailState.QUEUED,
                          attempts=0)
    try:
        with session.begin_nested():  # a concurrent run that recorded the same key wins
            session.add(message)
            session.flush()
    except sa.exc.IntegrityError:
        return None
    audit.record(session, actor or Actor.system(), "mail.queue", "mail_message", message.id,
                 {"kind": kind, "to": address, "subject": message.subject})
    session.info.setdefault(PENDING, []).append(message.id)
    return message


@event.listens_for(AppSession, "after_commit")
def _hand_on(session: Session) -> None:
    ids = session.info.pop(PENDING, None)
    if ids:
        dispatch(ids)


@event.listens_for(AppSession, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # rolled back: the messages were never recorded
        session.info.pop(PENDING, None)


def attempts() -> int:
    return len(current_app.config["MAIL_RETRY_INTERVALS"]) + 1


def dispatch(ids: list[int]) -> None:
    """Hand recorded messages on: to the log, to the queue, or (outside a request, without a
    queue) to the SMTP server at once."""
    config = current_app.config
    if not config.get("MAIL_HOST"):
        for message_id in ids:
            deliver(message_id)
        return
    if config.get("REDIS_URL"):
        try:
            _enqueue(ids)
        except Exception:  # Redis down: the messages stay queued; send-due finds them
            log.exception("could not put messages %s on the queue", ids)
        return
    if has_request_context():
        log.info("messages %s wait for flask notify send-due (no REDIS_URL)", ids)
        return
    for message_id in ids:
        try:
            deliver(message_id)
        except Exception:
            log.warning("message %s was not sent", message_id, exc_info=True)


def _enqueue(ids: list[int]) -> None:
    from redis import Redis
    from rq import Queue, Retry

    config = current_app.config
    queue = Queue(QUEUE, connection=Redis.from_url(config["REDIS_URL"]))
    intervals = list(config["MAIL_RETRY_INTERVALS"])
    for message_id in ids:
        queue.enqueue(perform, message_id, job_id=f"pvetrack-mail-{message_id}",
                      retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
                      job_timeout=config["MAIL_TIMEOUT_SECONDS"] * 4,
                      failure_ttl=30 * 24 * 3600)


def perform(message_id: int) -> str:
    """The function the worker runs (in the app context that ``flask worker`` opens)."""
    if not has_app_context():
        raise RuntimeError("PVE Track e-mail is sent by the worker: start it with flask worker")
    if job_services._WORKER_PID and os.getpid() != job_services._WORKER_PID:
        db.engine.dispose(close=False)  # a forked work horse opens its own connections
    with current_app.app_context():
        return deliver(message_id)


def _retries_left() -> int:
    try:
        from rq import get_current_job
    except ImportError:  # pragma: no cover - rq is a dependency
        return 0
    job = get_current_job()
    return int(job.retries_left or 0) if job is not None else 0


def deliver(message_id: int) -> str:
    """Send one recorded message (or write it to the log without MAIL_HOST) and record how it
    went. A failed attempt is recorded and raised again, so that RQ tries once more or, at the
    last attempt, keeps the job among the failed ones."""
    config = current_app.config
    with db.standalone_session() as session:
        message = session.get(MailMessage, message_id)
        if message is None:
            return "missing"
        if message.state in (MailState.SENT, MailState.LOGGED):
            return message.state.value
        message.attempts += 1
        if not config.get("MAIL_HOST"):
            log.info("E-mail (not sent: MAIL_HOST is not set)\nTo: %s\nSubject: %s\n\n%s",
                     message.to_address, message.subject, message.text)
            message.state, message.sent_at, message.last_error = MailState.LOGGED, utcnow(), None
            audit.record(session, Actor.system(), "mail.log", "mail_message", message.id,
                         {"kind": message.kind, "to": message.to_address})
            session.commit()
            return "logged"
        try:
            send_smtp(build_email(message))
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            final = _retries_left() == 0
            message.state = MailState.FAILED if final else MailState.QUEUED
            if final:
                audit.record(session, Actor.system(), "mail.fail", "mail_message", message.id,
                             {"kind": message.kind, "to": message.to_address,
                              "attempts": message.attempts, "error": message.last_error})
            session.commit()
            raise
        message.state, message.sent_at, message.last_error = MailState.SENT, utcnow(), None
        audit.record(session, Actor.system(), "mail.send", "mail_message", message.id,
                     {"kind": message.kind, "to": message.to_address,
                      "attempts": message.attempts})
        session.commit()
        return "sent"


def build_email(message: MailMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = config["MAIL_SENDER"]
    email["To"] = formataddr((message.to_name or "", message.to_address))
    email["Date"] = formatdate(localtime=False, usegmt=True)
    sender_domain = config["MAIL_SENDER"].rpartition("@")[2].strip(" >") or None
    email["Message-ID"] = make_msgid(f"pvetrack.{message.id}", domain=sender_domain)
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    email["Content-Language"] = message.locale  # after the body, which resets Content-*
    return email


def tls_context() -> ssl.SSLContext:
    """The server's certificate and name are checked against the system's authorities and
    those of ``MAIL_CA_FILE``; a server that fails the check gets no message and no password."""
    context = ssl.create_default_context()
    if current_app.config.get("MAIL_CA_FILE"):
        context.load_verify_locations(cafile=current_app.config["MAIL_CA_FILE"])
    return context


def send_smtp(email: EmailMessage) -> None:
    config = current_app.config
    host, port, timeout = config["MAIL_HOST"], config["MAIL_PORT"], config["MAIL_TIMEOUT_SECONDS"]
    smtp: smtplib.SMTP
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=tls_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


#: A message still queued this long after it was recorded, with no job on the queue, was lost
#: on its way there (Redis was down at the commit): ``flask notify send-due`` queues it again.
LOST_AFTER = timedelta(minutes=5)


def requeue_lost(session: Session, now: datetime | None = None) -> int:
    """With a queue: put back on it the messages whose job never reached it."""
    from redis import Redis
    from rq.job import Job

    connection = Redis.from_url(current_app.config["REDIS_URL"])
    cutoff = (now or utcnow()) - LOST_AFTER
    ids = list(session.scalars(sa.select(MailMessage.id)
                               .where(MailMessage.state == MailState.QUEUED,
                                      MailMessage.created_at < cutoff)
                               .order_by(MailMessage.id)))
    session.rollback()
    lost = [message_id for message_id in ids
            if not Job.exists(f"pvetrack-mail-{message_id}", connection=connection)]
    if lost:
        _enqueue(lost)
    return len(lost)


def send_waiting(session: Session) -> int:
    """Send what requests recorded (``flask notify send-due``): without a queue, the messages
    themselves; with one, those that never reached it."""
    if not current_app.config.get("MAIL_HOST"):
        return 0
    if current_app.config.get("REDIS_URL"):
        return requeue_lost(session)
    ids = list(session.scalars(sa.select(MailMessage.id)
                               .where(MailMessage.state == MailState.QUEUED)
                               .order_by(MailMessage.id)))
    session.rollback()  # end the read: each message is sent and recorded in a session of its own
    sent = 0
    for message_id in ids:
        try:
            sent += deliver(message_id) == "sent"
        except Exception:
            log.warning("message %s was not sent", message_id, exc_info=True)
    return sent
