"""The talk-shop rule and follow-up metrics, branch by branch and boundary by boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.followup import (
    ActionRole,
    ActionState,
    Event,
    EventFollowUp,
    FollowUpAction,
    FollowUpMetrics,
    FollowUpSettings,
    FollowUpStatus,
    PortfolioTotals,
    Recommendation,
    RecommendationStatus,
    Unanswered,
    action_role,
    assess_event,
    due_date,
    follow_up_metrics,
    follow_up_status,
    portfolio_totals,
    portfolio_totals_by,
)

END = dt.date(2023, 3, 10)
DUE = END + dt.timedelta(days=180)  # 2023-09-06
LATER = DUE + dt.timedelta(days=30)
S = RecommendationStatus


def done(day: dt.date, verified: bool = True) -> FollowUpAction:
    """A done action; verified unless said otherwise (only verified actions decide)."""
    return FollowUpAction(day, ActionState.DONE, verified)


def planned(day: dt.date) -> FollowUpAction:
    return FollowUpAction(day, ActionState.PLANNED)


def rec(
    id_: int, *actions: FollowUpAction, status: RecommendationStatus = S.NOT_STARTED,
    due: dt.date | None = None,
) -> Recommendation:
    return Recommendation(id_, status, actions, due)


def event(*recs: Recommendation, cost: Decimal | None = Decimal("12000")) -> Event:
    return Event(END, cost, recs)


def followed_event(followed: int, total: int) -> Event:
    """``total`` recommendations, of which the first ``followed`` have a verified done action
    dated the day after the event."""
    after = END + dt.timedelta(days=1)
    return event(*(rec(i, *([done(after)] if i < followed else [])) for i in range(total)))


# --- settings ---------------------------------------------------------------------------


def test_default_settings_are_the_designs() -> None:
    settings = FollowUpSettings()
    assert (settings.grace_days, settings.weak_threshold) == (180, Decimal("0.25"))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"grace_days": -1}, ValueError),
        ({"grace_days": 1.5}, TypeError),
        ({"grace_days": True}, TypeError),
        ({"weak_threshold": Decimal(0)}, ValueError),
        ({"weak_threshold": Decimal("1.01")}, ValueError),
        ({"weak_threshold": Decimal("NaN")}, ValueError),
        ({"weak_threshold": 0.25}, TypeError),
    ],
)
def test_settings_are_validated(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        FollowUpSettings(**kwargs)  # type: ignore[arg-type]


def test_settings_boundaries_are_accepted() -> None:
    settings = FollowUpSettings(grace_days=0, weak_threshold=Decimal(1))
    assert due_date(END, settings) == END


def test_due_date_is_end_plus_grace() -> None:
    assert due_date(END) == dt.date(2023, 9, 6)
    assert due_date(END, FollowUpSettings(grace_days=30)) == dt.date(2023, 4, 9)


# --- inputs ------------------------------------------------------------------------------


def test_database_strings_become_enums_and_lists_become_tuples() -> None:
    action = FollowUpAction(END, "done")  # type: ignore[arg-type]
    recommendation = Recommendation(7, "implemented", [action])  # type: ignore[arg-type]
    ev = Event(END, None, [recommendation])  # type: ignore[arg-type]
    assert action.state is ActionState.DONE
    assert recommendation.status is S.IMPLEMENTED
    assert recommendation.actions == (action,)
    assert ev.recommendations == (recommendation,)


def test_enum_values_are_what_the_database_stores() -> None:
    assert [s.value for s in S] == [
        "not_started",
        "in_progress",
        "partially_implemented",
        "implemented",
        "not_implemented",
        "no_longer_applicable",
    ]
    assert [s.value for s in ActionState] == ["planned", "done"]
    assert [s.value for s in FollowUpStatus] == [
        "none_recorded",
        "pending",
        "talk_shop",
        "weak",
        "followed_up",
    ]


@pytest.mark.parametrize("cost", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity")])
def test_event_cost_must_be_a_finite_non_negative_amount(cost: Decimal) -> None:
    with pytest.raises(ValueError, match="finite amount"):
        Event(END, cost)


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="forgotten"):
        Recommendation(1, "forgotten")  # type: ignore[arg-type]


# --- every branch of the rule ------------------------------------------------------------


def test_no_recommendations_is_none_recorded_even_when_long_due() -> None:
    assert follow_up_status(event(), LATER) is FollowUpStatus.NONE_RECORDED


def test_pending_before_the_due_date_even_without_any_action() -> None:
    assert follow_up_status(event(rec(1)), END + dt.timedelta(days=10)) is FollowUpStatus.PENDING


def test_the_day_before_the_due_date_is_still_pending() -> None:
    assert follow_up_status(event(rec(1)), DUE - dt.timedelta(days=1)) is FollowUpStatus.PENDING


def test_on_the_due_date_itself_the_event_is_judged() -> None:
    assert follow_up_status(event(rec(1)), DUE) is FollowUpStatus.TALK_SHOP


def test_pending_wins_over_a_good_record() -> None:
    assert follow_up_status(followed_event(3, 3), END) is FollowUpStatus.PENDING


def test_talk_shop_when_due_and_nothing_done() -> None:
    assert follow_up_status(event(rec(1), rec(2), rec(3)), LATER) is FollowUpStatus.TALK_SHOP


def test_planned_actions_are_promises_and_never_count() -> None:
    ev = event(rec(1, planned(END), planned(DUE)), rec(2, planned(END)))
    assert follow_up_status(ev, LATER) is FollowUpStatus.TALK_SHOP
    metrics = follow_up_metrics(ev, LATER)
    assert metrics.followed_up == 0
    assert [u.planned_actions for u in metrics.unanswered] == [2, 1]


def test_a_verified_planned_action_still_does_not_count() -> None:
    ev = event(rec(1, FollowUpAction(END, ActionState.PLANNED, verified=True)))
    assert follow_up_status(ev, LATER) is FollowUpStatus.TALK_SHOP
    assert follow_up_metrics(ev, LATER).verified == 0


def test_done_action_dated_after_as_of_does_not_count() -> None:
    ev = event(rec(1, done(LATER + dt.timedelta(days=1))))
    assert follow_up_status(ev, LATER) is FollowUpStatus.TALK_SHOP
    assert follow_up_status(ev, LATER + dt.timedelta(days=1)) is FollowUpStatus.FOLLOWED_UP


def test_done_action_dated_on_as_of_counts() -> None:
    assert follow_up_status(event(rec(1, done(LATER))), LATER) is FollowUpStatus.FOLLOWED_UP


@pytest.mark.parametrize("offset", [-2, 0])
def test_a_decision_taken_at_the_event_is_a_commitment_not_follow_up(offset: int) -> None:
    ev = event(rec(1, done(END + dt.timedelta(days=offset))))
    assert follow_up_status(ev, LATER) is FollowUpStatus.TALK_SHOP
    metrics = follow_up_metrics(ev, LATER)
    assert (metrics.at_event, metrics.counted_actions) == (1, 0)
    assert metrics.days_to_first_follow_up is None
    # the day after the event it is follow-up
    later = event(rec(1, done(END + dt.timedelta(days=1))))
    assert follow_up_status(later, LATER) is FollowUpStatus.FOLLOWED_UP
    assert follow_up_metrics(later, LATER).days_to_first_follow_up == 1


def test_an_unverified_done_action_awaits_verification_and_decides_nothing() -> None:
    ev = event(rec(1, done(END + dt.timedelta(days=5), verified=False)))
    assert follow_up_status(ev, LATER) is FollowUpStatus.TALK_SHOP
    metrics = follow_up_metrics(ev, LATER)
    assert (metrics.awaiting_verification, metrics.followed_up, metrics.verified) == (1, 1, 0)


def test_a_rejected_report_is_neither_follow_up_nor_awaiting_verification() -> None:
    rejected = FollowUpAction(END + dt.timedelta(days=5), ActionState.DONE, rejected=True)
    assert action_role(rejected, END, LATER) is ActionRole.REJECTED
    ev = event(rec(1, rejected), rec(2, done(END + dt.timedelta(days=5), verified=False)))
    metrics = follow_up_metrics(ev, LATER)
    assert (metrics.awaiting_verification, metrics.followed_up, metrics.verified) == (1, 1, 0)
    assert [u.recommendation_id for u in metrics.unanswered] == [1, 2]
    assert follow_up_status(ev, LATER) is FollowUpStatus.TALK_SHOP


def test_meetings_alone_are_not_follow_up_unless_the_setting_says_so() -> None:
    meeting = FollowUpAction(END + dt.timedelta(days=30), ActionState.DONE, True, meeting=True)
    ev = event(rec(1, meeting), rec(2))
    result = assess_event(ev, LATER)
    assert result.status is FollowUpStatus.TALK_SHOP and result.meetings_only
    assert result.metrics.meeting_only == 1
    counted = assess_event(ev, LATER, FollowUpSettings(meetings_count=True))
    assert counted.status is FollowUpStatus.FOLLOWED_UP and not counted.meetings_only
    assert counted.metrics.meeting_only == 0
    # a meeting beside a counting action leaves the event followed up, not "meetings only"
    mixed = event(rec(1, meeting), rec(2, done(END + dt.timedelta(days=9))))
    assert assess_event(mixed, LATER).status is FollowUpStatus.FOLLOWED_UP
    assert not assess_event(mixed, LATER).meetings_only


def test_a_recommendation_with_its_own_due_date_is_judged_from_it() -> None:
    own = END + dt.timedelta(days=400)  # later than end + grace
    ev = event(rec(1, due=own), rec(2, due=own))
    assert follow_up_status(ev, LATER) is FollowUpStatus.PENDING  # none due yet
    assert follow_up_status(ev, own - dt.timedelta(days=1)) is FollowUpStatus.PENDING
    assert follow_up_status(ev, own) is FollowUpStatus.TALK_SHOP  # due on the day
    early = event(rec(1, due=END + dt.timedelta(days=10)), rec(2))
    # only the recommendation due by then is judged, before the grace period ends
    metrics = follow_up_metrics(early, END + dt.timedelta(days=20))
    assert (metrics.recommendations, metrics.due, metrics.first_due) == (
        2, 1, END + dt.timedelta(days=10))
    assert follow_up_status(early, END + dt.timedelta(days=20)) is FollowUpStatus.TALK_SHOP


def test_a_pending_event_costs_nothing_as_a_talk_shop() -> None:
    pending = assess_event(event(rec(1, due=LATER + dt.timedelta(days=1))), LATER)
    judged = assess_event(event(rec(1, due=LATER)), LATER)
    assert (pending.status, judged.status) == (FollowUpStatus.PENDING, FollowUpStatus.TALK_SHOP)
    totals = portfolio_totals([pending, judged])
    assert totals.talk_shop_cost == Decimal("12000") and totals.pending == 1


def test_weak_when_under_the_threshold() -> None:
    # 1 of 5 = 20 % < 25 %
    assert follow_up_status(followed_event(1, 5), LATER) is FollowUpStatus.WEAK


def test_threshold_exactly_met_is_not_weak() -> None:
    # 2 of 8 = 25 %: meets the threshold; 1 of 8 (one fewer) is under it
    assert follow_up_status(followed_event(2, 8), LATER) is FollowUpStatus.FOLLOWED_UP
    assert follow_up_status(followed_event(1, 8), LATER) is FollowUpStatus.WEAK


def test_threshold_is_compared_exactly_not_after_rounding() -> None:
    third = FollowUpSettings(weak_threshold=Decimal(1) / Decimal(3))  # 0.3333… (28 digits)
    # 1/3 is above the rounded-down threshold, so it is not weak
    assert follow_up_status(followed_event(1, 3), LATER, third) is FollowUpStatus.FOLLOWED_UP
    assert follow_up_status(followed_event(1, 4), LATER, third) is FollowUpStatus.WEAK
    # just above 1/3, closer than a float can tell apart: 1 of 3 is under it
    above = FollowUpSettings(weak_threshold=Decimal("0.33333333333333333334"))
    assert follow_up_status(followed_event(1, 3), LATER, above) is FollowUpStatus.WEAK


def test_threshold_of_one_demands_every_recommendation() -> None:
    strict = FollowUpSettings(weak_threshold=Decimal(1))
    assert follow_up_status(followed_event(4, 5), LATER, strict) is FollowUpStatus.WEAK
    assert follow_up_status(followed_event(5, 5), LATER, strict) is FollowUpStatus.FOLLOWED_UP


def test_followed_up_otherwise() -> None:
    assert follow_up_status(followed_event(3, 4), LATER) is FollowUpStatus.FOLLOWED_UP


def test_zero_grace_judges_on_the_last_day_of_the_event() -> None:
    settings = FollowUpSettings(grace_days=0)
    assert follow_up_status(event(rec(1)), END, settings) is FollowUpStatus.TALK_SHOP
    assert follow_up_status(event(rec(1)), END - dt.timedelta(days=1), settings) is (
        FollowUpStatus.PENDING
    )


def test_no_longer_applicable_recommendations_stay_in_the_count() -> None:
    ev = event(
        rec(1, done(END + dt.timedelta(days=1))),
        *(rec(i, status=S.NO_LONGER_APPLICABLE) for i in range(2, 6)),
    )
    metrics = follow_up_metrics(ev, LATER)
    assert metrics.recommendations == 5
    assert metrics.follow_up_rate == Decimal("0.2")
    assert follow_up_status(ev, LATER) is FollowUpStatus.WEAK
    only_obsolete = event(rec(1, status=S.NO_LONGER_APPLICABLE))
    assert follow_up_status(only_obsolete, LATER) is FollowUpStatus.TALK_SHOP


# --- metrics -----------------------------------------------------------------------------


def test_metrics_of_a_mixed_event() -> None:
    ev = event(
        rec(1, planned(END), done(END + dt.timedelta(days=40), verified=False),
            status=S.IMPLEMENTED),
        rec(2, done(END + dt.timedelta(days=90)), done(END + dt.timedelta(days=20),
                                                       verified=False)),
        rec(3, planned(END + dt.timedelta(days=5)), done(END), status=S.IMPLEMENTED),
        rec(4, status=S.PARTIALLY_IMPLEMENTED),
        rec(5, done(LATER + dt.timedelta(days=1))),  # after as_of
    )
    assert follow_up_metrics(ev, LATER) == FollowUpMetrics(
        recommendations=5,
        due=5,
        followed_up=2,  # 1 and 2 have a done action after the event
        verified=1,  # only 2 has a verified one
        implemented=2,
        follow_up_rate=Decimal("0.4"),
        verified_rate=Decimal("0.2"),
        implemented_rate=Decimal("0.4"),
        days_to_first_follow_up=90,  # the first verified action after the event
        days_since_event=210,
        cost=Decimal("12000"),
        unanswered=(Unanswered(1, 210, 1), Unanswered(3, 210, 1), Unanswered(4, 210, 0),
                    Unanswered(5, 210, 0)),
        counted_actions=1,
        awaiting_verification=2,
        at_event=1,
        meeting_only=0,
        first_due=DUE,
    )


def test_verified_needs_the_verified_action_itself_to_be_counted() -> None:
    # the verified action lies after as_of; the one before it is unverified
    ev = event(rec(1, done(END + dt.timedelta(days=1), verified=False),
                   done(LATER + dt.timedelta(days=3))))
    metrics = follow_up_metrics(ev, LATER)
    assert (metrics.followed_up, metrics.verified) == (1, 0)


def test_rates_are_exact_decimal_quotients() -> None:
    metrics = follow_up_metrics(followed_event(1, 3), LATER)
    assert metrics.follow_up_rate == Decimal(1) / Decimal(3)


def test_metrics_without_recommendations_have_no_rates() -> None:
    metrics = follow_up_metrics(event(cost=None), LATER)
    assert metrics.recommendations == 0
    assert metrics.follow_up_rate is None
    assert metrics.verified_rate is None
    assert metrics.implemented_rate is None
    assert metrics.days_to_first_follow_up is None
    assert metrics.cost is None
    assert metrics.unanswered == ()


def test_days_since_event_is_negative_before_the_event_ends() -> None:
    ev = event(rec(1))
    assert follow_up_metrics(ev, END - dt.timedelta(days=3)).days_since_event == -3
    assert follow_up_status(ev, END - dt.timedelta(days=3)) is FollowUpStatus.PENDING


def test_first_follow_up_is_the_earliest_counted_action_across_recommendations() -> None:
    ev = event(
        rec(1, done(END + dt.timedelta(days=60))),
        rec(2, done(END + dt.timedelta(days=15)), done(END + dt.timedelta(days=300))),
        rec(3, done(END + dt.timedelta(days=45))),
    )
    assert follow_up_metrics(ev, LATER).days_to_first_follow_up == 15


def test_assess_event_bundles_status_and_metrics() -> None:
    ev = followed_event(1, 5)
    result = assess_event(ev, LATER)
    assert result == EventFollowUp(FollowUpStatus.WEAK, follow_up_metrics(ev, LATER))


# --- portfolio ---------------------------------------------------------------------------


def _result(status: FollowUpStatus, cost: Decimal | None) -> EventFollowUp:
    metrics = follow_up_metrics(event(cost=cost), LATER)
    return EventFollowUp(status, metrics)


def test_portfolio_totals() -> None:
    results = [
        _result(FollowUpStatus.TALK_SHOP, Decimal("50000.50")),
        _result(FollowUpStatus.TALK_SHOP, Decimal("20000")),
        _result(FollowUpStatus.TALK_SHOP, None),
        _result(FollowUpStatus.WEAK, Decimal("99999")),
        _result(FollowUpStatus.FOLLOWED_UP, Decimal("1")),
        _result(FollowUpStatus.PENDING, Decimal("7")),
        _result(FollowUpStatus.NONE_RECORDED, Decimal("3")),
    ]
    totals = portfolio_totals(results)
    assert totals == PortfolioTotals(
        events=7,
        none_recorded=1,
        pending=1,
        talk_shops=3,
        weak=1,
        followed_up=1,
        talk_shop_cost=Decimal("70000.50"),
        talk_shops_without_cost=1,
    )
    assert totals.judged == 5
    assert totals.talk_shop_share == Decimal("0.6")


def test_empty_portfolio_has_no_share() -> None:
    totals = portfolio_totals([])
    assert totals == PortfolioTotals()
    assert totals.talk_shop_cost == Decimal(0)
    assert totals.talk_shop_share is None


def test_portfolio_of_only_pending_events_has_no_share() -> None:
    totals = portfolio_totals([_result(FollowUpStatus.PENDING, None)])
    assert (totals.events, totals.pending, totals.talk_shop_share) == (1, 1, None)


def test_portfolio_totals_by_key_count_an_event_in_each_of_its_groups() -> None:
    shop = _result(FollowUpStatus.TALK_SHOP, Decimal("100"))
    good = _result(FollowUpStatus.FOLLOWED_UP, Decimal("5"))
    by_funder = portfolio_totals_by([("EU", shop), ("UNDP", shop), ("EU", good)])
    assert by_funder == {
        "EU": PortfolioTotals(events=2, talk_shops=1, followed_up=1, talk_shop_cost=Decimal(100)),
        "UNDP": PortfolioTotals(events=1, talk_shops=1, talk_shop_cost=Decimal(100)),
    }
    assert by_funder["EU"].talk_shop_share == Decimal("0.5")


def test_portfolio_of_assessed_events() -> None:
    events = [event(rec(1)), followed_event(1, 5), followed_event(2, 2), event()]
    totals = portfolio_totals(assess_event(ev, LATER) for ev in events)
    counts = (totals.talk_shops, totals.weak, totals.followed_up, totals.none_recorded)
    assert counts == (1, 1, 1, 1)
    assert totals.talk_shop_cost == Decimal("12000")


# --- properties --------------------------------------------------------------------------

RANK = {
    FollowUpStatus.TALK_SHOP: 0,
    FollowUpStatus.WEAK: 1,
    FollowUpStatus.FOLLOWED_UP: 2,
}

days = st.integers(min_value=-30, max_value=400)
actions = st.builds(
    lambda offset, state, verified, meeting: FollowUpAction(
        END + dt.timedelta(days=offset), state, verified, meeting
    ),
    days,
    st.sampled_from(ActionState),
    st.booleans(),
    st.booleans(),
)
recommendations = st.lists(
    st.tuples(st.sampled_from(S), st.lists(actions, max_size=4).map(tuple),
              st.one_of(st.none(), days.map(lambda offset: END + dt.timedelta(days=offset)))),
    min_size=0,
    max_size=8,
).map(lambda items: tuple(Recommendation(i, s, a, d) for i, (s, a, d) in enumerate(items)))
events = recommendations.map(lambda recs: Event(END, Decimal("10"), recs))
as_of_dates = days.map(lambda offset: END + dt.timedelta(days=offset))
thresholds = st.integers(min_value=1, max_value=100).map(lambda p: Decimal(p) / 100)
settings_strategy = st.builds(FollowUpSettings, st.integers(min_value=0, max_value=365), thresholds,
                              st.booleans())


@given(events, as_of_dates, settings_strategy, st.data())
def test_adding_a_done_action_never_makes_the_status_worse(
    ev: Event, as_of: dt.date, settings: FollowUpSettings, data: st.DataObject
) -> None:
    before = follow_up_status(ev, as_of, settings)
    if not ev.recommendations:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(ev.recommendations) - 1))
    offset = data.draw(days)
    target = ev.recommendations[index]
    extended = dataclasses.replace(
        target, actions=(*target.actions, done(END + dt.timedelta(days=offset)))
    )
    recs = (*ev.recommendations[:index], extended, *ev.recommendations[index + 1 :])
    after = follow_up_status(dataclasses.replace(ev, recommendations=recs), as_of, settings)
    if before in RANK:
        assert after in RANK
        assert RANK[after] >= RANK[before]
    else:
        assert after is before  # pending stays pending; adding actions adds no recommendation


@given(events, as_of_dates)
def test_rates_are_shares_and_verified_never_exceeds_followed(ev: Event, as_of: dt.date) -> None:
    metrics = follow_up_metrics(ev, as_of)
    if not ev.recommendations:
        assert metrics.follow_up_rate is None
        return
    if metrics.due == 0:
        assert metrics.follow_up_rate is None and metrics.verified_rate is None
        assert metrics.implemented_rate is not None
        return
    assert metrics.follow_up_rate is not None
    assert metrics.verified_rate is not None
    assert metrics.implemented_rate is not None
    assert 0 <= metrics.follow_up_rate <= 1
    assert 0 <= metrics.implemented_rate <= 1
    assert 0 <= metrics.verified_rate <= metrics.follow_up_rate
    assert metrics.verified + len(metrics.unanswered) == metrics.due


@given(events, as_of_dates, settings_strategy)
def test_status_agrees_with_the_rule_as_written(
    ev: Event, as_of: dt.date, settings: FollowUpSettings
) -> None:
    status = follow_up_status(ev, as_of, settings)
    # counted here from the actions themselves, as the rule is written
    due = [r for r in ev.recommendations
           if as_of >= (r.due or END + dt.timedelta(days=settings.grace_days))]
    verified = [r for r in due if any(
        a.state is ActionState.DONE and END < a.date <= as_of and a.verified
        and (settings.meetings_count or not a.meeting) for a in r.actions)]
    if not ev.recommendations:
        assert status is FollowUpStatus.NONE_RECORDED
    elif not due:
        assert status is FollowUpStatus.PENDING
    elif not verified:
        assert status is FollowUpStatus.TALK_SHOP
    elif len(verified) * 100 < settings.weak_threshold * 100 * len(due):
        assert status is FollowUpStatus.WEAK
    else:
        assert status is FollowUpStatus.FOLLOWED_UP


def test_an_action_is_unverified_and_not_a_meeting_unless_said() -> None:
    action = FollowUpAction(END + dt.timedelta(days=30), ActionState.DONE)
    assert action.verified is False and action.meeting is False
    assert action_role(action, END, LATER) is ActionRole.AWAITING_VERIFICATION


def test_the_values_of_the_rule_cannot_change_once_made() -> None:
    """Every record the rule reads or gives is frozen: a page cannot alter a verdict's inputs
    after it was computed."""

    action = FollowUpAction(END, ActionState.DONE)
    samples = [action, rec(1, action), event(rec(1, action)), FollowUpSettings(),
               Unanswered(1, 10, 0), follow_up_metrics(event(rec(1)), LATER),
               assess_event(event(rec(1)), LATER)]
    for sample in samples:
        field = dataclasses.fields(sample)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(sample, field, None)


def test_settings_refuse_a_threshold_outside_zero_to_one() -> None:
    for bad in ("-0.5", "0", "1.5"):
        with pytest.raises(ValueError, match="weak_threshold"):
            FollowUpSettings(weak_threshold=Decimal(bad))
    assert FollowUpSettings(weak_threshold=Decimal(1)).weak_threshold == 1


def test_an_event_may_cost_nothing_but_not_less() -> None:
    assert event(rec(1), cost=Decimal(0)).cost == 0
    for bad in ("-0.5", "-1", "NaN"):
        with pytest.raises(ValueError, match="cost"):
            event(rec(1), cost=Decimal(bad))


def test_meetings_only_is_a_talk_shop_with_at_least_one_meeting() -> None:
    metrics = follow_up_metrics(event(rec(1)), LATER)
    one, none = (dataclasses.replace(metrics, meeting_only=n) for n in (1, 0))
    assert EventFollowUp(FollowUpStatus.TALK_SHOP, one).meetings_only is True
    assert EventFollowUp(FollowUpStatus.TALK_SHOP, none).meetings_only is False
    for status in set(FollowUpStatus) - {FollowUpStatus.TALK_SHOP}:
        assert EventFollowUp(status, one).meetings_only is False, status
    with pytest.raises(dataclasses.FrozenInstanceError):
        PortfolioTotals().events = 1  # type: ignore[misc]


def test_a_due_date_beyond_the_calendar_is_its_last_day() -> None:
    assert due_date(dt.date.max - dt.timedelta(days=10)) == dt.date.max
    assert due_date(END) == END + dt.timedelta(days=180)
