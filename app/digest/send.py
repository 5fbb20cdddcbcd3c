"""``flask notify send-due`` runs ``send_digests``: each user whose digest is due this day (or
this ISO week) and who has something to be told gets one e-mail, in their language.

The dedupe key names the user, the frequency and the day or week, so a second run in the same
period finds the message recorded and sends nothing again. What a digest said about verdicts
is kept with the user's settings, so the next one tells only what changed since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy.orm import Session

from app.auth.models import User
from app.digest.compose import KIND_LABELS, Digest, Verdicts, compose
from app.followup import labels as followup_labels
from app.mail import preferences
from app.mail.models import DigestFrequency, DigestPreference, MailMessage
from app.mail.services import queue_message
from app.monitoring import labels as monitoring_labels
from app.monitoring.periods import task_kind

KIND = "digest"


def period_key(frequency: DigestFrequency, today: dt.date) -> str:
    if frequency is DigestFrequency.DAILY:
        return today.isoformat()
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def dedupe_key(user_id: int, frequency: DigestFrequency, today: dt.date) -> str:
    return f"digest:{user_id}:{frequency.value}:{period_key(frequency, today)}"


def local_day(now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def render(digest: Digest) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a digest, in its user's language, with absolute links
    (``BASE_URL``)."""
    user = digest.user
    context: dict[str, Any] = {
        "digest": digest, "kind_labels": KIND_LABELS,
        "unsubscribe": {s.kind: preferences.unsubscribe_url(user.id, s.kind)
                        for s in digest.sections},
        "unsubscribe_all": preferences.unsubscribe_url(user.id, preferences.DIGEST),
        "task_kind": task_kind, "dc_labels": monitoring_labels,
        "followup_status": followup_labels.FOLLOW_UP_STATUS,
    }
    base = current_app.config["BASE_URL"]
    with current_app.test_request_context("/", base_url=base), force_locale(user.locale.value):
        subject = ngettext("PVE Track: %(num)d thing waiting for you",
                           "PVE Track: %(num)d things waiting for you", digest.count)
        text = render_template("digest/digest.txt", **context)
        html = render_template("digest/digest.html", subject=subject, **context)
    return subject, text, html


def send_digests(session: Session, now: dt.datetime) -> int:
    """Queue the digests due at ``now``; returns how many were queued."""
    today = local_day(now)
    verdicts = Verdicts(session, today)
    prefs = {p.user_id: p for p in session.scalars(sa.select(DigestPreference))}
    users = session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id))
    queued = 0
    for user in list(users):
        pref = prefs.get(user.id)
        frequency = pref.frequency if pref else preferences.DEFAULT_FREQUENCY
        if frequency is DigestFrequency.OFF:
            continue
        key = dedupe_key(user.id, frequency, today)
        if session.scalar(sa.select(MailMessage.id).where(MailMessage.dedupe_key == key)):
            continue  # already sent in this period
        wanted = set(KIND_LABELS) - set(pref.muted if pref else ())
        digest = compose(session, user, today, verdicts, wanted,
                         pref.verdicts if pref else None)
        pref = pref or preferences.ensure(session, user.id)
        values: dict[str, Any] = {"verdicts": digest.verdicts}
        if digest.count:
            subject, text, html = render(digest)
            message = queue_message(
                session, to_address=user.email, to_name=user.name, subject=subject, text=text,
                html=html, kind=KIND, dedupe_key=key, user_id=user.id,
                locale=user.locale.value,
                headers=preferences.list_unsubscribe_headers(user.id, preferences.DIGEST))
            if message is not None:
                queued += 1
                values["last_sent_at"] = now
        # Bookkeeping of the digest, not a change of the user's settings: written without
        # bumping their version, so a settings form open at the moment still saves.
        session.execute(sa.update(DigestPreference).where(DigestPreference.id == pref.id)
                        .values(**values).execution_options(synchronize_session=False))
        session.commit()
    return queued
