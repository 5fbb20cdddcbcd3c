"""The talk-shop rule applied to one stored event, through ``indicators.followup``.

The event page judges one event from its recommendations and actions as loaded; the report
judges many from figures aggregated in SQL (``app.followup.report``). Both read the same
settings and the same "as of" date, and a test holds the two to the same answers.

An action without a date cannot be placed before the "as of" date, so a *done* action without
one does not count (the page says so beside it); a planned one is still shown as a promise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app

from app.followup.models import ActionKind, Event, FollowUpAction, Recommendation
from indicators import followup as rule

UNDATED = dt.date.max  # never on or before an "as of" date


def settings_from(config: dict[str, object] | None = None) -> rule.FollowUpSettings:
    """Grace period and weak threshold from the app's settings."""
    config = config if config is not None else current_app.config
    return rule.FollowUpSettings(
        grace_days=int(str(config["FOLLOWUP_GRACE_DAYS"])),
        weak_threshold=Decimal(str(config["FOLLOWUP_WEAK_THRESHOLD"])),
        meetings_count=bool(config.get("FOLLOWUP_MEETINGS_COUNT", False)),
    )


def today() -> dt.date:
    """Today where the app's users are (``PVE_TIMEZONE``)."""
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def parse_as_of(raw: str | None) -> tuple[dt.date, bool]:
    """The "as of" date of a query string, and whether ``raw`` was refused (then: today)."""
    if not raw:
        return today(), False
    try:
        return dt.date.fromisoformat(raw), False
    except ValueError:
        return today(), True


def verified_before(as_of: dt.date) -> dt.datetime:
    """Verifications count when made before the end of the "as of" day (UTC)."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC)


def is_verified(action: FollowUpAction, as_of: dt.date) -> bool:
    return action.verified_at is not None and action.verified_at < verified_before(as_of)


def is_rejected(action: FollowUpAction, as_of: dt.date) -> bool:
    """A reported action refused on verification by the end of the "as of" day."""
    return action.rejected_at is not None and action.rejected_at < verified_before(as_of)


def to_rule(event: Event, as_of: dt.date) -> rule.Event:
    """The plain values ``indicators.followup`` judges, from a loaded event."""
    return rule.Event(
        end_date=event.end_date,
        cost=event.cost,
        recommendations=tuple(
            rule.Recommendation(
                id=recommendation.id,
                status=recommendation.status,
                actions=tuple(
                    rule.FollowUpAction(action.action_date or UNDATED, action.state,
                                        is_verified(action, as_of),
                                        meeting=action.kind == ActionKind.MEETING_HELD,
                                        rejected=is_rejected(action, as_of))
                    for action in recommendation.actions
                ),
                due=recommendation.due_date,
            )
            for recommendation in event.recommendations
        ),
    )


def role_of(action: FollowUpAction, end_date: dt.date, as_of: dt.date,
            settings: rule.FollowUpSettings) -> rule.ActionRole:
    """How a stored action stands in the verdict of its event as of the date."""
    return rule.action_role(
        rule.FollowUpAction(action.action_date or UNDATED, action.state,
                            is_verified(action, as_of),
                            meeting=action.kind == ActionKind.MEETING_HELD,
                            rejected=is_rejected(action, as_of)),
        end_date, as_of, settings)


@dataclass(frozen=True)
class Assessment:
    """An event's status and metrics as of a date, with what the page needs to explain them."""

    as_of: dt.date
    settings: rule.FollowUpSettings
    due: dt.date  # of the recommendations without a due date of their own
    end_date: dt.date
    result: rule.EventFollowUp
    followed: frozenset[int]  # recommendations with a done action as of the date

    @property
    def status(self) -> rule.FollowUpStatus:
        return self.result.status

    @property
    def metrics(self) -> rule.FollowUpMetrics:
        return self.result.metrics

    @property
    def unanswered(self) -> dict[int, rule.Unanswered]:
        return {int(u.recommendation_id): u for u in self.metrics.unanswered}

    def role(self, action: FollowUpAction) -> rule.ActionRole:
        """How this action stands in the verdict as of the date."""
        return role_of(action, self.end_date, self.as_of, self.settings)

    def counts(self, action: FollowUpAction) -> bool:
        """Whether this action counts as follow-up as of the date."""
        return self.role(action) is rule.ActionRole.COUNTS

    def due_of(self, recommendation: Recommendation) -> dt.date:
        return recommendation.due_date or self.due

    def followed_up(self, recommendation: Recommendation) -> bool:
        return recommendation.id in self.followed


def assess(event: Event, as_of: dt.date, settings: rule.FollowUpSettings) -> Assessment:
    """Judge a loaded event (recommendations and their actions loaded with it)."""
    result = rule.assess_event(to_rule(event, as_of), as_of, settings)
    unanswered = {u.recommendation_id for u in result.metrics.unanswered}
    due = rule.due_date(event.end_date, settings)
    followed = frozenset(r.id for r in event.recommendations if r.id not in unanswered
                         and (r.due_date or due) <= as_of)
    return Assessment(as_of, settings, due, event.end_date, result, followed)
