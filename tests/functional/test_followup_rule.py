"""Every branch of the talk-shop rule, through the event page, the list and the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app.auth.models import Role
from indicators.followup import ActionState
from seed.factories import EventFactory, FollowUpActionFactory, RecommendationFactory

END = dt.date(2024, 1, 10)
DUE = END + dt.timedelta(days=180)  # 2024-07-08: judged from this day on


def done(day: dt.date | None = END + dt.timedelta(days=30), **kw: Any) -> dict[str, Any]:
    """A done action, verified the day after it (only verified actions decide the verdict)."""
    checked = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9), dt.UTC) if day else None
    return {"action_date": day, "state": ActionState.DONE, "verified_at": checked, **kw}


def planned(day: dt.date | None = None) -> dict[str, Any]:
    return {"action_date": day, "state": ActionState.PLANNED}


def make_event(session: Any, *recommendations: list[dict[str, Any]], **kw: Any) -> Any:
    """An event ending on END; one recommendation per list of action specifications."""
    event = EventFactory(start_date=END - dt.timedelta(days=2), end_date=END, **kw)
    for number, specs in enumerate(recommendations, start=1):
        rec = RecommendationFactory(event=event, number=str(number), position=number)
        for spec in specs:
            FollowUpActionFactory(recommendation=rec, **spec)
    session.commit()
    return event


def page(client: Any, event: Any, as_of: dt.date) -> str:
    response = client.get(f"/followup/events/{event.id}?as_of={as_of.isoformat()}")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def report_row(client: Any, event: Any, as_of: dt.date) -> dict[str, str]:
    body = client.get(f"/followup/report.csv?as_of={as_of.isoformat()}").get_data(as_text=True)
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["event_id"] == str(event.id)]
    assert len(rows) == 1
    return rows[0]


def listed_status(client: Any, event: Any, as_of: dt.date) -> str:
    body = client.get(f"/followup/?as_of={as_of.isoformat()}").get_data(as_text=True)
    row = next(r for r in body.split("<tr>") if f"/followup/events/{event.id}?" in r)
    match = re.search(r'class="badge badge-([a-z_]+)"', row)
    assert match, row
    return match.group(1)


@pytest.fixture
def manager(login_as: Any) -> Any:
    return login_as(Role.MANAGER)


def check(client: Any, event: Any, as_of: dt.date, status: str) -> str:
    """The status is the same on the event page, in the list and in the report."""
    html = page(client, event, as_of)
    assert f'verdict verdict-{status}"' in html
    assert report_row(client, event, as_of)["status"] == status
    assert listed_status(client, event, as_of) == status
    return html


def test_no_recommendations(client: Any, manager: Any, session: Any) -> None:
    event = make_event(session)
    html = check(client, event, DUE, "none_recorded")
    assert "No recommendations are recorded for this event" in html


def test_pending_until_the_grace_period_ends_then_judged(client: Any, manager: Any,
                                                         session: Any) -> None:
    event = make_event(session, [], [])
    html = check(client, event, DUE - dt.timedelta(days=1), "pending")
    assert "none of its 2 recommendations is due yet; the first is judged from Jul 8, 2024" \
        in html
    check(client, event, DUE, "talk_shop")


def test_talk_shop_names_each_unanswered_recommendation_and_the_days(
    client: Any, manager: Any, session: Any
) -> None:
    event = make_event(session, [], [planned(), planned(END + dt.timedelta(days=400))],
                       [done(None)], [done(DUE + dt.timedelta(days=1))])
    html = check(client, event, DUE, "talk_shop")
    assert "Talk shop: not one of the 4 recommendations due by Jul 8, 2024 has a verified " \
           "follow-up action after the event." in html
    why = html.split("Why it is a talk shop")[1].split("</table>")[0]
    assert why.count("<tr>") == 1 + 4  # header and every recommendation
    assert why.count('data-label="Days since the event">180</td>') == 4
    assert "2 planned, none kept" in why  # promises are shown, and do not count
    assert "Without a date it cannot count as follow-up" in html  # the undated done action
    assert "so it does not count as of that date" in html  # the one done after the date
    row = report_row(client, event, DUE)
    assert (row["followed_up"], row["follow_up_rate"], row["days_since_event"]) == \
           ("0", "0.0000", "180")


def test_planned_actions_only_are_still_a_talk_shop(client: Any, manager: Any,
                                                    session: Any) -> None:
    event = make_event(session, [planned(END + dt.timedelta(days=10))], [planned()])
    html = check(client, event, DUE + dt.timedelta(days=5), "talk_shop")
    assert "Promise" in html and "A promise is shown but never counts" in html


def test_weak_under_the_threshold_and_followed_up_at_it(client: Any, manager: Any,
                                                        session: Any) -> None:
    weak = make_event(session, [done()], [], [], [], [])  # 1 of 5: 20 %
    html = check(client, weak, DUE, "weak")
    assert "Weak follow-up: only 1 of the 5 recommendations due by Jul 8, 2024 (20%) have a " \
           "verified follow-up action after the event, under the threshold of 25%." in html
    assert "Recommendations without follow-up" in html
    at_threshold = make_event(session, [done()], [], [], [])  # 1 of 4: exactly 25 %
    html = check(client, at_threshold, DUE, "followed_up")
    assert "Followed up: 1 of the 4 recommendations due by Jul 8, 2024 (25%) have a verified " \
           "follow-up action after the event." in html


def test_followed_up_with_its_metrics(client: Any, manager: Any, session: Any) -> None:
    late = dt.datetime.combine(DUE, dt.time(23, 59), dt.UTC)
    event = make_event(session,
                       [done(END + dt.timedelta(days=45), verified_at=late),
                        done(verified_at=None)],
                       [done(END + dt.timedelta(days=90), verified_at=None)], [])
    check(client, event, DUE, "followed_up")
    row = report_row(client, event, DUE)
    assert (row["recommendations"], row["followed_up"], row["verified"]) == ("3", "2", "1")
    # the first action that counts is the verified one, 45 days after the event; the one
    # dated 30 days after it awaits verification
    assert row["days_to_first_follow_up"] == "45"
    assert row["verified_rate"] == "0.3333"
    # a verification made after the "as of" day does not count yet
    previous = report_row(client, event, DUE - dt.timedelta(days=1))
    assert previous["status"] == "pending" and previous["verified"] == "0"


def test_a_done_action_counts_from_its_date(client: Any, manager: Any, session: Any) -> None:
    day = DUE + dt.timedelta(days=10)
    event = make_event(session, [done(day, verified_at=dt.datetime.combine(day, dt.time(18),
                                                                            dt.UTC))], [])
    check(client, event, DUE + dt.timedelta(days=9), "talk_shop")
    check(client, event, DUE + dt.timedelta(days=10), "followed_up")


@pytest.fixture
def strict(app: Flask) -> Iterator[None]:
    """Other settings: 30 days' grace, weak under one half."""
    before = app.config["FOLLOWUP_GRACE_DAYS"], app.config["FOLLOWUP_WEAK_THRESHOLD"]
    app.config.update(FOLLOWUP_GRACE_DAYS=30, FOLLOWUP_WEAK_THRESHOLD="0.5")
    try:
        yield
    finally:
        app.config["FOLLOWUP_GRACE_DAYS"], app.config["FOLLOWUP_WEAK_THRESHOLD"] = before


def test_grace_period_and_threshold_are_settings(client: Any, manager: Any, session: Any,
                                                 strict: None) -> None:
    # 1 of 4: 25 %, under one half
    event = make_event(session, [done(END + dt.timedelta(days=10))], [], [], [])
    check(client, event, END + dt.timedelta(days=29), "pending")
    html = check(client, event, END + dt.timedelta(days=30), "weak")
    assert "under the threshold of 50%" in html


def test_an_as_of_date_that_does_not_parse_falls_back_to_today(client: Any, manager: Any,
                                                               session: Any) -> None:
    event = make_event(session, [])
    response = client.get(f"/followup/events/{event.id}?as_of=31/12/2024")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is not a date like 2024-12-31" in body


def test_follow_up_meetings_show_their_own_verdict(client: Any, manager: Any,
                                                    session: Any) -> None:
    # a further workshop, itself a talk shop: one recommendation, nothing done about it
    workshop = make_event(session, [], title="Phase II media workshop")
    workshop.start_date = END + dt.timedelta(days=18)
    workshop.end_date = END + dt.timedelta(days=20)
    session.commit()
    first = make_event(session, [done(END + dt.timedelta(days=20), kind="meeting_held",
                                      linked_event_id=workshop.id)], [],
                       title="Ashgabat plan adopted")
    # judged once the workshop's own grace period is over too; meetings alone are not follow-up
    html = check(client, first, DUE + dt.timedelta(days=30), "talk_shop")
    chain = html.split('class="verdict-chain"')[1].split("</p>")[0]
    assert "Phase II media workshop" in chain and "badge-talk_shop" in chain
    assert "1 of them is a talk shop itself." in chain
    assert "1 further meeting or event held does not count as follow-up." in html
    # a meeting dated after the "as of" day is not in the chain yet
    before = page(client, first, END + dt.timedelta(days=19))
    assert 'class="verdict-chain"' not in before
