"""The one sentence that says why an event earned its verdict, built from the same figures the
verdict comes from, so a reader can check it against the evidence. The event page, the report's
drill-down and every export say this sentence."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date, gettext, ngettext

from app.formatting import percent
from indicators.followup import FollowUpMetrics, FollowUpSettings, FollowUpStatus


def _aside(m: FollowUpMetrics) -> str:
    """What is shown but not counted: actions awaiting verification, commitments made at the
    event, meetings."""
    parts = []
    if m.awaiting_verification:
        parts.append(ngettext("%(num)d action awaits verification.",
                              "%(num)d actions await verification.", m.awaiting_verification))
    if m.at_event:
        parts.append(ngettext(
            "%(num)d decision taken at the event is a commitment, not follow-up.",
            "%(num)d decisions taken at the event are commitments, not follow-up.",
            m.at_event))
    if m.meeting_only:
        parts.append(ngettext(
            "%(num)d further meeting or event held does not count as follow-up.",
            "%(num)d further meetings or events held do not count as follow-up.",
            m.meeting_only))
    return " ".join(parts)


def reason(status: FollowUpStatus, m: FollowUpMetrics, as_of: dt.date,
           settings: FollowUpSettings) -> str:
    if status is FollowUpStatus.NONE_RECORDED:
        return gettext("No recommendations are recorded for this event, so there is nothing "
                       "to follow up.")
    if status is FollowUpStatus.PENDING:
        main = ngettext(
            "Pending: its %(num)d recommendation is not due yet; it is judged from %(due)s.",
            "Pending: none of its %(num)d recommendations is due yet; the first is judged "
            "from %(due)s.", m.recommendations,
            due=format_date(m.first_due, "medium") if m.first_due else "—")
    elif status is FollowUpStatus.TALK_SHOP:
        main = ngettext(
            "Talk shop: the %(num)d recommendation due by %(d)s has no verified follow-up "
            "action after the event.",
            "Talk shop: not one of the %(num)d recommendations due by %(d)s has a verified "
            "follow-up action after the event.", m.due, d=format_date(as_of, "medium"))
    elif status is FollowUpStatus.WEAK:
        # Counted by the recommendations due: "of the 5 recommendations", «из 5 рекомендаций».
        main = ngettext(
            "Weak follow-up: only %(v)d of the %(num)d recommendation due by %(d)s (%(rate)s) "
            "has a verified follow-up action after the event, under the threshold of %(t)s.",
            "Weak follow-up: only %(v)d of the %(num)d recommendations due by %(d)s (%(rate)s) "
            "have a verified follow-up action after the event, under the threshold of %(t)s.",
            m.due, v=m.verified, d=format_date(as_of, "medium"),
            rate=percent(m.verified_rate), t=percent(settings.weak_threshold))
    else:
        main = ngettext(
            "Followed up: %(v)d of the %(num)d recommendation due by %(d)s (%(rate)s) has a "
            "verified follow-up action after the event.",
            "Followed up: %(v)d of the %(num)d recommendations due by %(d)s (%(rate)s) have a "
            "verified follow-up action after the event.",
            m.due, v=m.verified, d=format_date(as_of, "medium"),
            rate=percent(m.verified_rate))
    aside = _aside(m)
    return f"{main} {aside}" if aside else main
