"""Follow-up figures of many events, aggregated in SQL.

One query computes, per event, the number of recommendations, how many have a done action
dated on or before the "as of" date, how many have such an action verified by then, how many
are implemented, and the date of the first done action; it applies the talk-shop rule in a
CASE expression on those figures. Nothing loads recommendations or actions into Python, and
the number of queries does not depend on the number of events.

The rule is the one of ``indicators.followup`` (``assess_event``); a test runs both on random
data and requires the same statuses and metrics. The threshold comparison stays exact: with
the threshold p/q, "followed / recommendations < p/q" is "followed * q < recommendations * p".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.db import contains
from app.evidence.models import EvidenceFile, SubjectKind
from app.followup.assess import verified_before
from app.followup.models import (
    ActionKind,
    DatePrecision,
    Event,
    EventKind,
    EventOrganisation,
    EventRole,
    FollowUpAction,
    Recommendation,
    RecommendationTheme,
    Theme,
)
from app.programmes.models import Organisation
from indicators.followup import (
    ActionState,
    EventFollowUp,
    FollowUpMetrics,
    FollowUpSettings,
    FollowUpStatus,
    RecommendationStatus,
    due_date,
)


@dataclass(frozen=True)
class ReportFilters:
    """What the report is narrowed to; every field is optional."""

    organiser: int | None = None
    funder: int | None = None
    country: str | None = None
    theme: Theme | None = None
    year: int | None = None
    status: FollowUpStatus | None = None
    q: str | None = None
    sort: str | None = None  # "recent": latest first; otherwise talk shops first

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportFilters:
        """Read the query string; a value that does not parse is ignored, not an error."""

        def integer(key: str) -> int | None:
            raw = (args.get(key) or "").strip()
            return int(raw) if raw.isdigit() and len(raw) < 10 else None

        def choice(key: str, enum: Any) -> Any:
            raw = args.get(key) or ""
            return enum(raw) if raw in {m.value for m in enum} else None

        country = (args.get("country") or "").strip().upper()
        year = integer("year")
        return cls(
            organiser=integer("organiser"),
            funder=integer("funder"),
            country=country if len(country) == 2 and country.isalpha() else None,
            theme=choice("theme", Theme),
            year=year if year and 1900 <= year <= 2999 else None,
            status=choice("status", FollowUpStatus),
            q=(args.get("q") or "").strip()[:100] or None,
            sort="recent" if args.get("sort") == "recent" else None,
        )

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for links and exports)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = str(getattr(value, "value", value))
        return out

    @property
    def active(self) -> bool:
        """Whether any filter narrows the events (the order is not a filter)."""
        return any(v for k, v in self.as_args().items() if k != "sort")


NO_FILTERS = ReportFilters()
# The default order of events: the verdicts first, worst first.
STATUS_ORDER = (FollowUpStatus.TALK_SHOP, FollowUpStatus.WEAK, FollowUpStatus.FOLLOWED_UP,
                FollowUpStatus.PENDING, FollowUpStatus.NONE_RECORDED)


def event_conditions(filters: ReportFilters) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions on ``events`` for every filter except the status."""
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.country:
        conditions.append(Event.country == filters.country)
    if filters.year:
        conditions.append(Event.start_date.between(dt.date(filters.year, 1, 1),
                                                   dt.date(filters.year, 12, 31)))
    for org_id, role in ((filters.organiser, EventRole.ORGANISER),
                         (filters.funder, EventRole.FUNDER)):
        if org_id:
            conditions.append(Event.id.in_(sa.select(EventOrganisation.event_id).where(
                EventOrganisation.organisation_id == org_id, EventOrganisation.role == role)))
    if filters.theme:
        conditions.append(Event.id.in_(
            sa.select(Recommendation.event_id)
            .join(RecommendationTheme, RecommendationTheme.recommendation_id == Recommendation.id)
            .where(RecommendationTheme.theme == filters.theme)))
    if filters.q:
        conditions.append(sa.or_(contains(Event.title, filters.q),
                                 contains(Event.city, filters.q)))
    return conditions


def _judged_before(as_of: dt.date, settings: FollowUpSettings) -> dt.date:
    """Events ending after this day are still pending (``as_of < end + grace``)."""
    try:
        return as_of - dt.timedelta(days=settings.grace_days)
    except OverflowError:
        return dt.date.min


# Building the statement costs more than running it on a small database, so it is built once
# per day, settings and filters and reused (statements are immutable: sharing one is safe).
QUERY_CACHE_SIZE = 256


def not_rejected(as_of: dt.date) -> sa.ColumnElement[bool]:
    """An action not refused on verification by the end of the day
    (``indicators.followup.ActionRole.REJECTED``, ``assess.is_rejected``)."""
    return sa.or_(FollowUpAction.rejected_at.is_(None),
                  FollowUpAction.rejected_at >= verified_before(as_of))


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def figures_query(as_of: dt.date, settings: FollowUpSettings,
                  filters: ReportFilters = NO_FILTERS) -> sa.Select[Any]:
    """Per event: its columns, the follow-up figures and the status, filtered and ordered."""
    action, rec = FollowUpAction, Recommendation
    conditions = event_conditions(filters)
    chosen = sa.select(Event.id).where(*conditions)
    # How each action stands as of the day (``indicators.followup.action_role``).
    verified = action.verified_at < verified_before(as_of)
    unverified = sa.or_(action.verified_at.is_(None), action.verified_at >= verified_before(as_of))
    meeting = action.kind == ActionKind.MEETING_HELD
    done = sa.and_(action.state == ActionState.DONE, action.action_date <= as_of,
                   not_rejected(as_of))
    after = sa.and_(done, action.action_date > Event.end_date)
    counts = sa.and_(after, verified) if settings.meetings_count else sa.and_(
        after, verified, sa.not_(meeting))
    awaiting = sa.and_(after, unverified)
    at_event = sa.and_(done, action.action_date <= Event.end_date)
    meeting_only = sa.false() if settings.meetings_count else sa.and_(after, verified, meeting)

    def number(condition: Any) -> Any:
        return sa.func.sum(sa.case((condition, 1), else_=0))

    per_rec_query = (
        sa.select(
            action.recommendation_id,
            sa.func.max(sa.case((counts, 1), else_=0)).label("counting"),
            sa.func.max(sa.case((sa.or_(counts, awaiting), 1), else_=0)).label("followed"),
            sa.func.min(sa.case((counts, action.action_date))).label("first_done"),
            number(counts).label("counted"),
            number(awaiting).label("awaiting"),
            number(at_event).label("at_event"),
            number(meeting_only).label("meeting_only"),
        )
        .join(rec, rec.id == action.recommendation_id)
        .join(Event, Event.id == rec.event_id)
        .group_by(action.recommendation_id)
    )
    if conditions:
        per_rec_query = per_rec_query.where(rec.event_id.in_(chosen))
    per_rec = per_rec_query.subquery("per_rec")
    is_due = sa.or_(sa.and_(rec.due_date.is_not(None), rec.due_date <= as_of),
                    sa.and_(rec.due_date.is_(None),
                            Event.end_date <= _judged_before(as_of, settings)))
    per_event_query = (
        sa.select(
            rec.event_id,
            sa.func.count().label("recommendations"),
            number(is_due).label("due"),
            number(sa.and_(is_due, per_rec.c.followed == 1)).label("followed_up"),
            number(sa.and_(is_due, per_rec.c.counting == 1)).label("verified"),
            number(rec.status == RecommendationStatus.IMPLEMENTED).label("implemented"),
            sa.func.min(per_rec.c.first_done).label("first_done"),
            sa.func.sum(per_rec.c.counted).label("counted"),
            sa.func.sum(per_rec.c.awaiting).label("awaiting"),
            sa.func.sum(per_rec.c.at_event).label("at_event"),
            sa.func.sum(per_rec.c.meeting_only).label("meeting_only"),
            sa.func.min(rec.due_date).label("own_due"),
            number(rec.due_date.is_(None)).label("without_due"),
        )
        .select_from(rec)
        .join(Event, Event.id == rec.event_id)
        .outerjoin(per_rec, per_rec.c.recommendation_id == rec.id)
        .group_by(rec.event_id)
    )
    if conditions:
        per_event_query = per_event_query.where(rec.event_id.in_(chosen))
    per_event = per_event_query.subquery("per_event")

    def zero(column: Any) -> Any:
        return sa.func.coalesce(column, 0)

    recommendations, due = zero(per_event.c.recommendations), zero(per_event.c.due)
    verified_recs = zero(per_event.c.verified)
    p, q = Fraction(settings.weak_threshold).as_integer_ratio()
    status = sa.case(
        (recommendations == 0, FollowUpStatus.NONE_RECORDED.value),
        (due == 0, FollowUpStatus.PENDING.value),
        (verified_recs == 0, FollowUpStatus.TALK_SHOP.value),
        (verified_recs * q < due * p, FollowUpStatus.WEAK.value),
        else_=FollowUpStatus.FOLLOWED_UP.value,
    )
    organisations = _organisation_ids(conditions)
    documented = documented_per_event(as_of, conditions)
    figures = (
        sa.select(
            # kind and precision as their stored strings, turned into enums by a dict lookup
            Event.id, Event.title, sa.type_coerce(Event.kind, sa.String).label("kind"),
            Event.start_date, Event.end_date,
            sa.type_coerce(Event.date_precision, sa.String).label("date_precision"),
            Event.city, Event.country, Event.cost, Event.currency,
            recommendations.label("recommendations"),
            due.label("due"),
            zero(per_event.c.followed_up).label("followed_up"),
            verified_recs.label("verified"),
            zero(per_event.c.implemented).label("implemented"),
            per_event.c.first_done,
            zero(per_event.c.counted).label("counted"),
            zero(per_event.c.awaiting).label("awaiting"),
            zero(per_event.c.at_event).label("at_event"),
            zero(per_event.c.meeting_only).label("meeting_only"),
            per_event.c.own_due,
            zero(per_event.c.without_due).label("without_due"),
            status.label("status"),
            organisations.c.organiser_ids,
            organisations.c.funder_ids,
            zero(documented.c.documented).label("documented"),
        )
        .outerjoin(per_event, per_event.c.event_id == Event.id)
        .outerjoin(organisations, organisations.c.event_id == Event.id)
        .outerjoin(documented, documented.c.event_id == Event.id)
        .where(*conditions)
        .subquery("figures")
    )
    query = sa.select(figures)
    if filters.status:
        query = query.where(figures.c.status == filters.status.value)
    return query.order_by(*report_order(figures.c, filters))


def report_order(columns: Any, filters: ReportFilters) -> list[Any]:
    """The order of the report's events, on the columns of :func:`figures_query`."""
    recent = [columns.end_date.desc(), columns.id.desc()]
    if filters.sort == "recent":
        return recent
    rank = sa.case({status.value: i for i, status in enumerate(STATUS_ORDER)},
                   value=columns.status)
    return [rank, *recent]


def count_query(as_of: dt.date, settings: FollowUpSettings,
                filters: ReportFilters = NO_FILTERS) -> sa.Select[Any]:
    """How many events :func:`figures_query` returns. Without a status filter that is the
    events the other filters choose, counted without computing any figure; with one, the
    statuses must be computed."""
    if filters.status:
        figures = figures_query(as_of, settings, filters).order_by(None).subquery()
        return sa.select(sa.func.count()).select_from(figures)
    return sa.select(sa.func.count()).select_from(Event).where(*event_conditions(filters))


def documented_per_event(as_of: dt.date,
                         conditions: list[sa.ColumnElement[bool]] | None = None) -> Any:
    """Per event, its recommendations with documented follow-up: a done action after the
    event, dated by ``as_of``, with an evidence file attached by the end of that day. Shown
    beside the verdict ("3 of 6 recommendations have documented follow-up"); the verdict
    itself rests on verification, not on files."""
    action, rec = FollowUpAction, Recommendation
    has_file = sa.exists().where(
        EvidenceFile.subject_kind == SubjectKind.ACTION, EvidenceFile.subject_id == action.id,
        EvidenceFile.removed_at.is_(None), EvidenceFile.uploaded_at < verified_before(as_of))
    query = (
        sa.select(rec.event_id, sa.func.count(sa.distinct(rec.id)).label("documented"))
        .select_from(action)
        .join(rec, rec.id == action.recommendation_id)
        .join(Event, Event.id == rec.event_id)
        .where(action.state == ActionState.DONE, action.action_date <= as_of,
               action.action_date > Event.end_date, not_rejected(as_of), has_file)
        .group_by(rec.event_id)
    )
    if conditions:
        query = query.where(rec.event_id.in_(sa.select(Event.id).where(*conditions)))
    return query.subquery("documented")


def documented_of(session: Session, event_id: int, as_of: dt.date) -> int:
    """The same figure for one event (its page)."""
    documented = documented_per_event(as_of, [Event.id == event_id])
    return session.scalar(sa.select(documented.c.documented)) or 0


def _organisation_ids(conditions: list[sa.ColumnElement[bool]]) -> Any:
    """Per event, the ids of its organisers and of its funders, as comma-separated text."""
    org_id = sa.cast(EventOrganisation.organisation_id, sa.String)
    query = (
        sa.select(
            EventOrganisation.event_id,
            sa.func.aggregate_strings(
                sa.case((EventOrganisation.role == EventRole.ORGANISER, org_id)), ",")
            .label("organiser_ids"),
            sa.func.aggregate_strings(
                sa.case((EventOrganisation.role == EventRole.FUNDER, org_id)), ",")
            .label("funder_ids"),
        )
        .group_by(EventOrganisation.event_id)
    )
    if conditions:
        query = query.where(EventOrganisation.event_id.in_(sa.select(Event.id).where(*conditions)))
    return query.subquery("organisations")


def _rate(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


STATUS = {status.value: status for status in FollowUpStatus}


class EventFigures(NamedTuple):
    """One row of the report: an event, its follow-up figures and status, its organisations.

    A named tuple, and the metrics (rates, days) derived only when asked for: a report of ten
    thousand events builds ten thousand of these and reads the metrics of a page of them.
    """

    id: int
    title: str
    kind: Any
    start_date: dt.date
    end_date: dt.date
    date_precision: Any
    city: str | None
    country: str | None
    cost: Decimal | None
    currency: str | None
    status: FollowUpStatus
    recommendations: int
    due: int
    followed_up: int
    verified: int
    implemented: int
    first_done: dt.date | None
    counted: int
    awaiting: int
    at_event: int
    meeting_only: int
    first_due: dt.date | None
    as_of: dt.date
    organiser_ids: tuple[int, ...] = ()
    funder_ids: tuple[int, ...] = ()
    organisers: tuple[str, ...] = ()  # their names, in the order of the ids
    funders: tuple[str, ...] = ()
    documented: int = 0  # recommendations with documented follow-up (evidence files)

    @property
    def metrics(self) -> FollowUpMetrics:
        total, due, first = self.recommendations, self.due, self.first_done
        return FollowUpMetrics(
            recommendations=total, due=due, followed_up=self.followed_up,
            verified=self.verified, implemented=self.implemented,
            follow_up_rate=_rate(self.followed_up, due),
            verified_rate=_rate(self.verified, due),
            implemented_rate=_rate(self.implemented, total),
            days_to_first_follow_up=None if first is None else (first - self.end_date).days,
            days_since_event=(self.as_of - self.end_date).days, cost=self.cost, unanswered=(),
            counted_actions=self.counted, awaiting_verification=self.awaiting,
            at_event=self.at_event, meeting_only=self.meeting_only, first_due=self.first_due)

    @property
    def result(self) -> EventFollowUp:
        return EventFollowUp(self.status, self.metrics)


KINDS = {kind.value: kind for kind in EventKind}
PRECISIONS = {precision.value: precision for precision in DatePrecision}


def _ids(text: str | None, labels: Mapping[int, str]) -> tuple[int, ...]:
    """Organisation ids from comma-separated text, in the order of their names."""
    if not text:
        return ()
    return tuple(sorted((int(i) for i in text.split(",")), key=lambda i: labels.get(i, "")))


def to_figures(row: Any, as_of: dt.date, labels: Mapping[int, str],
               settings: FollowUpSettings) -> EventFigures:
    """An ``EventFigures`` from a row of :func:`figures_query`; ``labels`` names organisations."""
    (event_id, title, kind, start, end, precision, city, country, cost, currency, total, due,
     followed, verified, implemented, first_done, counted, awaiting, at_event, meeting_only,
     own_due, without_due, status, organiser_ids, funder_ids, documented) = row
    organisers, funders = _ids(organiser_ids, labels), _ids(funder_ids, labels)
    first_due = own_due
    if without_due:
        grace_due = due_date(end, settings)
        first_due = grace_due if own_due is None else min(own_due, grace_due)
    return EventFigures(
        event_id, title, KINDS[kind], start, end, PRECISIONS[precision], city, country, cost,
        currency, STATUS[status], int(total), int(due), int(followed), int(verified),
        int(implemented), first_done, int(counted), int(awaiting), int(at_event),
        int(meeting_only), first_due, as_of, organisers, funders,
        tuple(labels[i] for i in organisers), tuple(labels[i] for i in funders),
        int(documented))


def organisation_labels(session: Session) -> dict[int, str]:
    """Short names of the organisations that organise or fund events (one query)."""
    query = (sa.select(Organisation.id, Organisation.name, Organisation.acronym)
             .where(Organisation.id.in_(sa.select(EventOrganisation.organisation_id))))
    return {r.id: r.acronym or r.name for r in session.connection().execute(query)}
