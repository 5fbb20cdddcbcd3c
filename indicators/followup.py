"""Follow-up of event recommendations: the talk-shop rule and the metrics shown beside it.

Donors paid for workshops whose recommendations led nowhere. This module names them: an event
whose follow-up is due and none of whose recommendations has a *done* follow-up action is a
talk shop. Planned actions are promises; they are shown but never count.

Everything is judged "as of" a date, so that a report for a past date does not count actions
recorded later, and an action dated in the future (entered in advance) is not follow-up yet.

Decisions the design leaves open, taken here:

- Due date: the follow-up is due on ``end date + grace days``. The rule calls an event pending
  while "today is before end date + grace period", so on that day itself it is due.
- Recommendations marked *no longer applicable* stay in every count and denominator.
  Otherwise declaring recommendations obsolete would be a way out of the talk-shop list; the
  status itself is shown beside the event for the reader to judge.
- A done action dated before the end of the event still counts (it is linked to the
  recommendation and done); ``days_to_first_follow_up`` is then zero or negative, which the
  data-quality checks can flag instead of the action silently disappearing.
- An event with no recommendations has no rates (None, not 0): there is nothing to follow.
- Rates are exact Decimal quotients; the threshold comparison uses fractions, so a share that
  exactly meets the threshold is never pushed under it by rounding.
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
    "assess_event",
    "due_date",
    "follow_up_metrics",
    "follow_up_status",
    "portfolio_totals",
    "portfolio_totals_by",
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", ActionState(self.state))


@dataclass(frozen=True)
class Recommendation:
    id: RecommendationId
    status: RecommendationStatus
    actions: tuple[FollowUpAction, ...] = ()

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


@dataclass(frozen=True)
class FollowUpMetrics:
    recommendations: int
    followed_up: int  # recommendations with at least one done action
    verified: int  # recommendations with at least one done and verified action
    implemented: int  # recommendations whose status is implemented
    follow_up_rate: Decimal | None
    verified_rate: Decimal | None
    implemented_rate: Decimal | None
    days_to_first_follow_up: int | None
    days_since_event: int
    cost: Decimal | None
    unanswered: tuple[Unanswered, ...]


@dataclass(frozen=True)
class EventFollowUp:
    status: FollowUpStatus
    metrics: FollowUpMetrics


def due_date(end_date: dt.date, settings: FollowUpSettings = FollowUpSettings()) -> dt.date:
    """First day on which the event is judged rather than pending."""
    return end_date + dt.timedelta(days=settings.grace_days)


def _done(recommendation: Recommendation, as_of: dt.date) -> list[FollowUpAction]:
    return [
        action
        for action in recommendation.actions
        if action.state is ActionState.DONE and action.date <= as_of
    ]


def _rate(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def follow_up_metrics(event: Event, as_of: dt.date) -> FollowUpMetrics:
    """Counts and rates of follow-up, as of the given date."""
    days_since = (as_of - event.end_date).days
    followed = verified = implemented = 0
    first: dt.date | None = None
    unanswered: list[Unanswered] = []
    for recommendation in event.recommendations:
        done = _done(recommendation, as_of)
        if recommendation.status is RecommendationStatus.IMPLEMENTED:
            implemented += 1
        if not done:
            planned = sum(a.state is ActionState.PLANNED for a in recommendation.actions)
            unanswered.append(Unanswered(recommendation.id, days_since, planned))
            continue
        followed += 1
        verified += any(action.verified for action in done)
        earliest = min(action.date for action in done)
        first = earliest if first is None else min(first, earliest)
    total = len(event.recommendations)
    return FollowUpMetrics(
        recommendations=total,
        followed_up=followed,
        verified=verified,
        implemented=implemented,
        follow_up_rate=_rate(followed, total),
        verified_rate=_rate(verified, total),
        implemented_rate=_rate(implemented, total),
        days_to_first_follow_up=None if first is None else (first - event.end_date).days,
        days_since_event=days_since,
        cost=event.cost,
        unanswered=tuple(unanswered),
    )


def _status(
    event: Event, metrics: FollowUpMetrics, as_of: dt.date, settings: FollowUpSettings
) -> FollowUpStatus:
    if metrics.recommendations == 0:
        return FollowUpStatus.NONE_RECORDED
    if as_of < due_date(event.end_date, settings):
        return FollowUpStatus.PENDING
    if metrics.followed_up == 0:
        return FollowUpStatus.TALK_SHOP
    share = Fraction(metrics.followed_up, metrics.recommendations)
    if share < Fraction(settings.weak_threshold):
        return FollowUpStatus.WEAK
    return FollowUpStatus.FOLLOWED_UP


def assess_event(
    event: Event, as_of: dt.date, settings: FollowUpSettings = FollowUpSettings()
) -> EventFollowUp:
    """Status and metrics of one event, as of the given date."""
    metrics = follow_up_metrics(event, as_of)
    return EventFollowUp(_status(event, metrics, as_of, settings), metrics)


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
