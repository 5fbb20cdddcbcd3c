"""Follow-up of event recommendations: the talk-shop rule and the metrics shown beside it.

Donors paid for workshops whose recommendations led nowhere. This module names them. The rule,
as of a date:

- A recommendation is due on its own due date when it has one, otherwise on the event's end
  plus the grace period; on that day itself it is due.
- A follow-up action *counts* when it is done, dated after the event's end and on or before the
  date, verified by then, and, unless the setting says meetings count, something other than a
  meeting or event held. The other actions are shown, never counted:
  rejected (a report the person who verifies refused, with a reason, by then): rejected;
  done on or before the event's end: a commitment made at the event (what a meeting decides is
  its output, not its follow-up); done but not verified: awaiting verification; a verified
  meeting or event when meetings do not count: "meetings only"; planned: a promise; dated after
  the date (or undated): not yet.
- An event with no recommendations has none recorded; one none of whose recommendations is due
  is pending. Otherwise only its due recommendations are judged: if not one has a counting
  action it is a talk shop; under the weak threshold of them, weak; otherwise followed up.
- Recommendations marked *no longer applicable* stay in every count: declaring
  recommendations obsolete is no way out of the talk-shop list.
- Rates are exact Decimal quotients over the due recommendations (None when none is due); the
  threshold comparison uses fractions, so a share exactly on the threshold is never pushed
  under it by rounding.

A cost counts as spent on a talk shop only once the event is judged one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

__all__ = [
    "ActionRole",
    "ActionState",
    "Event",
    "EventFollowUp",
    "FollowUpAction",
    "FollowUpMetrics",
    "FollowUpSettings",
    "FollowUpStatus",
    "PortfolioTotals",
    "Recommendation",
    "RecommendationStatus",
    "Unanswered",
    "action_role",
    "assess_event",
    "due_date",
    "follow_up_metrics",
    "follow_up_status",
    "portfolio_totals",
    "portfolio_totals_by",
    "recommendation_due",
    "status_of",
]

K = TypeVar("K")
RecommendationId = int | str


class RecommendationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    IMPLEMENTED = "implemented"
    NOT_IMPLEMENTED = "not_implemented"
    NO_LONGER_APPLICABLE = "no_longer_applicable"


class ActionState(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class FollowUpStatus(StrEnum):
    NONE_RECORDED = "none_recorded"
    PENDING = "pending"
    TALK_SHOP = "talk_shop"
    WEAK = "weak"
    FOLLOWED_UP = "followed_up"


@dataclass(frozen=True)
class FollowUpSettings:
    """How long an event has before it is judged, and what share of follow-up is too little."""

    grace_days: int = 180
    weak_threshold: Decimal = Decimal("0.25")
    meetings_count: bool = False  # whether a meeting or event held counts as follow-up

    def __post_init__(self) -> None:
        if isinstance(self.grace_days, bool) or not isinstance(self.grace_days, int):
            raise TypeError("grace_days must be an int")
        if self.grace_days < 0:
            raise ValueError("grace_days must be zero or more")
        if not isinstance(self.weak_threshold, Decimal):
            raise TypeError("weak_threshold must be a Decimal")
        if not self.weak_threshold.is_finite() or not 0 < self.weak_threshold <= 1:
            raise ValueError("weak_threshold must be above 0 and at most 1")


@dataclass(frozen=True)
class FollowUpAction:
    """Something done (or promised) in response to a recommendation."""

    date: dt.date
    state: ActionState
    verified: bool = False
    meeting: bool = False  # a meeting or event held
    rejected: bool = False  # a reported action refused by the person who verifies

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", ActionState(self.state))


@dataclass(frozen=True)
class Recommendation:
    id: RecommendationId
    status: RecommendationStatus
    actions: tuple[FollowUpAction, ...] = ()
    due: dt.date | None = None  # its own due date, when it has one

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", RecommendationStatus(self.status))
        object.__setattr__(self, "actions", tuple(self.actions))


@dataclass(frozen=True)
class Event:
    end_date: dt.date
    cost: Decimal | None = None
    recommendations: tuple[Recommendation, ...] = ()

    def __post_init__(self) -> None:
        if self.cost is not None and not (self.cost.is_finite() and self.cost >= 0):
            raise ValueError("cost must be a finite amount, zero or more")
        object.__setattr__(self, "recommendations", tuple(self.recommendations))


@dataclass(frozen=True)
class Unanswered:
    """A recommendation with no done action: the evidence behind a talk shop."""

    recommendation_id: RecommendationId
    days_since_event: int
    planned_actions: int  # promises made, none kept yet


class ActionRole(StrEnum):
    """How one action stands in the verdict, as of a date."""

    COUNTS = "counts"
    AWAITING_VERIFICATION = "awaiting_verification"
    AT_EVENT = "at_event"  # a commitment made at the event
    MEETING_ONLY = "meeting_only"
    PLANNED = "planned"
    NOT_YET = "not_yet"  # dated after the date, or undated
    REJECTED = "rejected"  # a report refused on verification: neither follow-up nor awaiting


@dataclass(frozen=True)
class FollowUpMetrics:
    recommendations: int
    due: int  # recommendations due by the date: the ones judged
    followed_up: int  # due recommendations with a done action after the event (verified or not)
    verified: int  # due recommendations with a counting action: these decide the verdict
    implemented: int  # recommendations whose status is implemented
    follow_up_rate: Decimal | None  # followed_up / due
    verified_rate: Decimal | None  # verified / due
    implemented_rate: Decimal | None  # implemented / recommendations
    days_to_first_follow_up: int | None  # to the first counting action
    days_since_event: int
    cost: Decimal | None
    unanswered: tuple[Unanswered, ...]  # due recommendations without a counting action
    counted_actions: int
    awaiting_verification: int
    at_event: int
    meeting_only: int
    first_due: dt.date | None  # the earliest due date of its recommendations


@dataclass(frozen=True)
class EventFollowUp:
    status: FollowUpStatus
    metrics: FollowUpMetrics

    @property
    def meetings_only(self) -> bool:
        """A talk shop whose only follow-up is meetings or events."""
        return self.status is FollowUpStatus.TALK_SHOP and self.metrics.meeting_only > 0


def due_date(end_date: dt.date, settings: FollowUpSettings = FollowUpSettings()) -> dt.date:
    """The day a recommendation without its own due date is judged from."""
    try:
        return end_date + dt.timedelta(days=settings.grace_days)
    except OverflowError:
        return dt.date.max


def recommendation_due(recommendation: Recommendation, end_date: dt.date,
                       settings: FollowUpSettings = FollowUpSettings()) -> dt.date:
    return recommendation.due or due_date(end_date, settings)


def action_role(action: FollowUpAction, end_date: dt.date, as_of: dt.date,
                settings: FollowUpSettings = FollowUpSettings()) -> ActionRole:
    """How one action of an event that ended on ``end_date`` stands as of ``as_of``."""
    if action.rejected:
        return ActionRole.REJECTED
    if action.state is ActionState.PLANNED:
        return ActionRole.PLANNED
    if action.date > as_of:
        return ActionRole.NOT_YET
    if action.date <= end_date:
        return ActionRole.AT_EVENT
    if not action.verified:
        return ActionRole.AWAITING_VERIFICATION
    if action.meeting and not settings.meetings_count:
        return ActionRole.MEETING_ONLY
    return ActionRole.COUNTS


def _rate(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def follow_up_metrics(event: Event, as_of: dt.date,
                      settings: FollowUpSettings = FollowUpSettings()) -> FollowUpMetrics:
    """Counts and rates of follow-up, as of the given date."""
    days_since = (as_of - event.end_date).days
    due = followed = verified = implemented = 0
    roles: dict[ActionRole, int] = dict.fromkeys(ActionRole, 0)
    first: dt.date | None = None
    first_due: dt.date | None = None
    unanswered: list[Unanswered] = []
    for recommendation in event.recommendations:
        if recommendation.status is RecommendationStatus.IMPLEMENTED:
            implemented += 1
        judged_from = recommendation_due(recommendation, event.end_date, settings)
        first_due = judged_from if first_due is None else min(first_due, judged_from)
        mine = [(action, action_role(action, event.end_date, as_of, settings))
                for action in recommendation.actions]
        for _action, role in mine:
            roles[role] += 1
        counting = [action.date for action, role in mine if role is ActionRole.COUNTS]
        if counting:
            earliest = min(counting)
            first = earliest if first is None else min(first, earliest)
        if judged_from > as_of:
            continue
        due += 1
        after = [role for _action, role in mine if role in (
            ActionRole.COUNTS, ActionRole.AWAITING_VERIFICATION)]
        followed += bool(after)
        verified += bool(counting)
        if not counting:
            planned = sum(action.state is ActionState.PLANNED for action, _role in mine)
            unanswered.append(Unanswered(recommendation.id, days_since, planned))
    return FollowUpMetrics(
        recommendations=len(event.recommendations),
        due=due,
        followed_up=followed,
        verified=verified,
        implemented=implemented,
        follow_up_rate=_rate(followed, due),
        verified_rate=_rate(verified, due),
        implemented_rate=_rate(implemented, len(event.recommendations)),
        days_to_first_follow_up=None if first is None else (first - event.end_date).days,
        days_since_event=days_since,
        cost=event.cost,
        unanswered=tuple(unanswered),
        counted_actions=roles[ActionRole.COUNTS],
        awaiting_verification=roles[ActionRole.AWAITING_VERIFICATION],
        at_event=roles[ActionRole.AT_EVENT],
        meeting_only=roles[ActionRole.MEETING_ONLY],
        first_due=first_due,
    )


def status_of(recommendations: int, due: int, verified: int,
              settings: FollowUpSettings = FollowUpSettings()) -> FollowUpStatus:
    """The verdict from the counts: the rule the report's SQL repeats."""
    if recommendations == 0:
        return FollowUpStatus.NONE_RECORDED
    if due == 0:
        return FollowUpStatus.PENDING
    if verified == 0:
        return FollowUpStatus.TALK_SHOP
    if Fraction(verified, due) < Fraction(settings.weak_threshold):
        return FollowUpStatus.WEAK
    return FollowUpStatus.FOLLOWED_UP


def assess_event(
    event: Event, as_of: dt.date, settings: FollowUpSettings = FollowUpSettings()
) -> EventFollowUp:
    """Status and metrics of one event, as of the given date."""
    metrics = follow_up_metrics(event, as_of, settings)
    return EventFollowUp(status_of(metrics.recommendations, metrics.due, metrics.verified,
                                   settings), metrics)


def follow_up_status(
    event: Event, as_of: dt.date, settings: FollowUpSettings = FollowUpSettings()
) -> FollowUpStatus:
    """The talk-shop rule of the design, as of the given date."""
    return assess_event(event, as_of, settings).status


@dataclass(frozen=True)
class PortfolioTotals:
    """Events of a group by status, and what the talk shops cost.

    ``talk_shop_share`` is talk shops among the *judged* events (talk shop, weak, followed
    up): a pending event has not had its chance yet and an event without recommendations
    has nothing to follow, so counting them would dilute the share. None when no event of
    the group is judged. ``talk_shop_cost`` sums the known costs; ``talk_shops_without_cost``
    says how many talk shops it leaves out, so the sum reads as "at least".
    """

    events: int = 0
    none_recorded: int = 0
    pending: int = 0
    talk_shops: int = 0
    weak: int = 0
    followed_up: int = 0
    talk_shop_cost: Decimal = Decimal(0)
    talk_shops_without_cost: int = 0

    @property
    def judged(self) -> int:
        return self.talk_shops + self.weak + self.followed_up

    @property
    def talk_shop_share(self) -> Decimal | None:
        return _rate(self.talk_shops, self.judged)


_COUNTER = {
    FollowUpStatus.NONE_RECORDED: "none_recorded",
    FollowUpStatus.PENDING: "pending",
    FollowUpStatus.TALK_SHOP: "talk_shops",
    FollowUpStatus.WEAK: "weak",
    FollowUpStatus.FOLLOWED_UP: "followed_up",
}


def portfolio_totals(results: Iterable[EventFollowUp]) -> PortfolioTotals:
    """Totals over per-event results: the reference the app's SQL aggregation is tested against."""
    counts = dict.fromkeys(_COUNTER.values(), 0)
    cost = Decimal(0)
    without_cost = events = 0
    for result in results:
        events += 1
        counts[_COUNTER[result.status]] += 1
        if result.status is FollowUpStatus.TALK_SHOP:
            if result.metrics.cost is None:
                without_cost += 1
            else:
                cost += result.metrics.cost
    return PortfolioTotals(
        events=events, talk_shop_cost=cost, talk_shops_without_cost=without_cost, **counts
    )


def portfolio_totals_by(pairs: Iterable[tuple[K, EventFollowUp]]) -> dict[K, PortfolioTotals]:
    """Totals per group key (organiser, funder, country, theme, year).

    Takes ``(key, result)`` pairs because an event with two funders or themes belongs to
    two groups; the group totals then add up to more than the portfolio, as they should.
    """
    groups: dict[K, list[EventFollowUp]] = {}
    for key, result in pairs:
        groups.setdefault(key, []).append(result)
    return {key: portfolio_totals(results) for key, results in groups.items()}
