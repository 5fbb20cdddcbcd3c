"""Report-back links: the focal point of a recommendation reports what was done, without an
account, through a signed link that is bound to that one recommendation.

A link is a stored row (who sent it, to whom, when it expires, whether it is revoked, when it
was last used) and a token signed with the app's secret that names the row and the
recommendation. A token is honoured only when its signature holds, it names the
recommendation of the address it is used at, and its row is neither expired nor revoked; a
refused link writes nothing. What the focal point reports is recorded as a follow-up action
that nobody has verified, with the link as its source; a manager verifies or rejects it
(``actions.verify_action`` / ``actions.reject_action``). Nothing about the focal point's visit
is a user: the audit trail names the link.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.errors import ServiceError, ValidationFailed
from app.evidence import services as evidence
from app.evidence.models import EvidenceKind, SubjectKind
from app.evidence.subjects import SUBJECTS
from app.followup import actions
from app.followup.models import FollowUpAction, Recommendation, ReportBackLink
from app.mail import services as mail

SALT = "pvetrack-report-back"
LOCALES = ("en", "ru")
REPORT_FIELDS = ["state", "action_date", "kind", "description", "evidence_url"]


class LinkState(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Refused(Exception):
    """A link that is not honoured; ``reason`` is shown on the page."""

    def __init__(self, reason: Any, code: int = 404) -> None:
        super().__init__(str(reason))
        self.reason, self.code = reason, code


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(link: ReportBackLink) -> str:
    return str(_serializer().dumps({"l": link.id, "r": link.recommendation_id}))


def link_url(link: ReportBackLink) -> str:
    return (f"{current_app.config['BASE_URL']}/followup/report-back/{link.recommendation_id}/"
            f"{make_token(link)}")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def state_of(link: ReportBackLink, now: dt.datetime | None = None) -> LinkState:
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if _aware(link.expires_at) <= (now or utcnow()):
        return LinkState.EXPIRED
    return LinkState.ACTIVE


def links_of(session: Session, recommendation_id: int) -> list[ReportBackLink]:
    return list(session.scalars(sa.select(ReportBackLink)
                                .where(ReportBackLink.recommendation_id == recommendation_id)
                                .order_by(ReportBackLink.created_at.desc(),
                                          ReportBackLink.id.desc())))


# --- the manager's side ----------------------------------------------------------------------


def _message(link: ReportBackLink, recommendation: Recommendation, template: str,
             subject: str) -> tuple[str, str, str]:
    """Subject, plain text (``template``.txt) and HTML (``template``.html) of an e-mail to
    the link's focal point, in the link's language."""
    with force_locale(link.locale):
        context = {"link": link, "recommendation": recommendation, "url": link_url(link),
                   "expires": _aware(link.expires_at).date().isoformat(),
                   "subject": _(subject, number=recommendation.number)}
        return (context["subject"], render_template(f"{template}.txt", **context),
                render_template(f"{template}.html", **context))


def send_link(session: Session, actor: Actor, recommendation: Recommendation, locale: str,
              now: dt.datetime | None = None) -> ReportBackLink:
    """A new link for the recommendation's focal point, e-mailed to them in ``locale``."""
    if not recommendation.focal_email or not recommendation.focal_name:
        raise ServiceError(_l("Name the focal point and their e-mail address on the "
                              "recommendation first."), "locale")
    if locale not in LOCALES:
        raise ServiceError(_l("Choose English or Russian for the e-mail."), "locale")
    now = now or utcnow()
    link = ReportBackLink(
        recommendation_id=recommendation.id, focal_name=recommendation.focal_name,
        focal_email=recommendation.focal_email,
        focal_organisation=recommendation.focal_organisation, locale=locale,
        created_by_id=actor.user_id, created_at=now,
        expires_at=now + dt.timedelta(days=int(current_app.config["REPORT_BACK_DAYS"])))
    session.add(link)
    session.flush()
    audit.record(session, actor, "report_back.send", "report_back_link", link.id,
                 {"recommendation_id": [None, recommendation.id],
                  "focal_email": [None, link.focal_email], "locale": [None, locale],
                  "expires_at": [None, link.expires_at]})
    subject, text, html = _message(link, recommendation, "followup/report_back_email",
                                   SUBJECT_LINK)
    mail.queue_message(session, to_address=link.focal_email, to_name=link.focal_name,
                       subject=subject, text=text, html=html, kind="report_back",
                       dedupe_key=f"report-back-link-{link.id}", locale=locale, actor=actor)
    session.commit()
    return link


SUBJECT_LINK = "PVE Track: please report on recommendation %(number)s"
SUBJECT_REMINDER = "PVE Track: recommendation %(number)s is due soon"
_MSGIDS = (_l("PVE Track: please report on recommendation %(number)s"),
           _l("PVE Track: recommendation %(number)s is due soon"))


def revoke_link(session: Session, actor: Actor, link: ReportBackLink,
                now: dt.datetime | None = None) -> ReportBackLink:
    if link.revoked_at is not None:
        raise ServiceError(_l("This link is already revoked."))
    link.revoked_at, link.revoked_by_id = now or utcnow(), actor.user_id
    audit.record(session, actor, "report_back.revoke", "report_back_link", link.id,
                 {"revoked_at": [None, link.revoked_at]})
    session.commit()
    return link


# --- the focal point's side ------------------------------------------------------------------


def open_link(session: Session, recommendation_id: int, token: str,
              now: dt.datetime | None = None) -> ReportBackLink:
    """The link a token names, if it is honoured for this recommendation now; reads only."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        data = None
    if (not isinstance(data, dict) or not isinstance(data.get("l"), int)
            or not isinstance(data.get("r"), int)):
        raise Refused(_l("This link is not valid: it may have been copied incompletely. "
                         "Ask the sender for a new one."))
    link = session.get(ReportBackLink, data["l"])
    if link is None or link.recommendation_id != data["r"]:
        raise Refused(_l("This link is not valid. Ask the sender for a new one."))
    if link.recommendation_id != recommendation_id:
        raise Refused(_l("This link belongs to another recommendation."))
    state = state_of(link, now)
    if state is LinkState.REVOKED:
        raise Refused(_l("This link has been withdrawn by its sender. Ask them for a new one."),
                      410)
    if state is LinkState.EXPIRED:
        raise Refused(_l("This link has expired. Ask the sender for a new one."), 410)
    return link


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    title: str


def report(session: Session, link: ReportBackLink, values: dict[str, Any],
           upload: Upload | None, ip: str | None, today: dt.date,
           now: dt.datetime | None = None) -> FollowUpAction:
    """Record what the focal point reports as an unverified follow-up action; with a file,
    the file passes the evidence checks or nothing is recorded."""
    now = now or utcnow()
    values = {f: values.get(f) for f in REPORT_FIELDS}
    actions._validate(session, values, today)
    if upload is not None and not (upload.title or "").strip():
        raise ValidationFailed({"file_title": [_l("Give the file a title.")]})
    recommendation = link.recommendation
    action = FollowUpAction(
        recommendation_id=recommendation.id, recorded_by_id=None,
        actor=" · ".join(p for p in (link.focal_name, link.focal_organisation) if p),
        report_back_link_id=link.id, **values)
    session.add(action)
    session.flush()
    actor = Actor(user_id=None, ip=ip)
    audit.record(session, actor, "followup_action.report_back", "followup_action", action.id,
                 {"report_back_link_id": [None, link.id],
                  "recommendation_id": [None, recommendation.id],
                  **audit.snapshot(action, [*REPORT_FIELDS, "actor"])},
                 reason=f"report-back link {link.id}")
    link.last_used_at = now
    if upload is None:
        session.commit()
        return action
    try:
        evidence.attach(session, actor, SUBJECTS[SubjectKind.ACTION], action, None,
                        upload.data, upload.filename,
                        {"title": upload.title, "kind": EvidenceKind.REPORT.value}, today)
    except ServiceError as exc:
        raise ServiceError(exc.message, "file") from exc
    return action


# --- reminders -------------------------------------------------------------------------------


def send_reminders(session: Session, now: dt.datetime) -> int:
    """``flask notify send-due``: remind the focal point of every active link whose
    recommendation is due within REPORT_BACK_REMINDER_DAYS; once per link and due date."""
    today = now.date()
    horizon = today + dt.timedelta(days=int(current_app.config["REPORT_BACK_REMINDER_DAYS"]))
    rows = session.scalars(
        sa.select(ReportBackLink).join(Recommendation)
        .where(ReportBackLink.revoked_at.is_(None), ReportBackLink.expires_at > now,
               Recommendation.due_date.is_not(None), Recommendation.due_date >= today,
               Recommendation.due_date <= horizon)
        .order_by(ReportBackLink.id))
    queued = 0
    for link in rows:
        recommendation = link.recommendation
        assert recommendation.due_date is not None
        subject, text, html = _message(link, recommendation, "followup/report_back_reminder",
                                       SUBJECT_REMINDER)
        message = mail.queue_message(
            session, to_address=link.focal_email, to_name=link.focal_name, subject=subject,
            text=text, html=html, kind="report_back_reminder",
            dedupe_key=f"report-back-reminder-{link.id}-{recommendation.due_date.isoformat()}",
            locale=link.locale)
        queued += message is not None
    return queued
