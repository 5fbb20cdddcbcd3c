"""Which decision each state of a period allows, written out by hand: submit from open or
returned, approve and return from submitted, reopen from approved; everything else refused
with the state named, nothing changed, nothing recorded."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build

from app.audit import Actor, AuditEvent
from app.errors import ServiceError, StaleEdit
from app.frameworks.models import PeriodState
from app.monitoring import approval
from app.monitoring.models import Notification

OPEN, RETURNED, SUBMITTED, APPROVED = (PeriodState.OPEN, PeriodState.RETURNED,
                                       PeriodState.SUBMITTED, PeriodState.APPROVED)


def _do(action: str, session: Any, setup: Any, actor: Actor, reason: str | None = "Check Q1"
        ) -> Any:
    period = setup.period
    if action == "submit":
        return approval.submit(session, actor, period, period.version)
    if action == "approve":
        return approval.approve(session, actor, period, period.version)
    if action == "return":
        return approval.return_period(session, actor, period, period.version, reason)
    return approval.reopen(session, actor, period, period.version, reason)


# (state before, action) -> state after, or None where the action is refused
TABLE = {
    (OPEN, "submit"): SUBMITTED, (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "submit"): None, (APPROVED, "submit"): None,
    (SUBMITTED, "approve"): APPROVED,
    (OPEN, "approve"): None, (RETURNED, "approve"): None, (APPROVED, "approve"): None,
    (SUBMITTED, "return"): RETURNED,
    (OPEN, "return"): None, (RETURNED, "return"): None, (APPROVED, "return"): None,
    (APPROVED, "reopen"): OPEN,
    (OPEN, "reopen"): None, (RETURNED, "reopen"): None, (SUBMITTED, "reopen"): None,
}
STATE_WORD = {OPEN: "Open", RETURNED: "Returned", SUBMITTED: "Submitted",
              APPROVED: "Approved · locked"}
EVENT = {"submit": "period.submit", "approve": "period.approve", "return": "period.return",
         "reopen": "period.reopen"}


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session)


@pytest.mark.parametrize(("before", "action"), list(TABLE))
def test_each_decision_in_each_state(app: Any, session: Any, setup: Any,
                                     before: PeriodState, action: str) -> None:
    setup.period.state = before
    session.commit()
    version = setup.period.version
    actor = Actor(setup.manager.id)
    after = TABLE[(before, action)]
    with app.app_context():
        if after is None:
            with pytest.raises(ServiceError) as refused:
                _do(action, session, setup, actor)
            assert not isinstance(refused.value, StaleEdit)
            assert (str(refused.value.message)
                    == f"This cannot be done while the period is {STATE_WORD[before]}.")
            session.rollback()
        else:
            _do(action, session, setup, actor)
    session.expire_all()
    assert setup.period.state == (after or before)
    assert (setup.period.version > version) is (after is not None)
    events = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == EVENT[action])).all()
    assert len(events) == (1 if after else 0)
    if after:
        assert events[0].changes["state"] == [before.value, after.value]
        assert events[0].entity_id == str(setup.period.id)


@pytest.mark.parametrize("action", ["return", "reopen"])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_return_and_reopen_need_a_reason(app: Any, session: Any, setup: Any, action: str,
                                         reason: str | None) -> None:
    setup.period.state = SUBMITTED if action == "return" else APPROVED
    session.commit()
    with app.app_context(), pytest.raises(ServiceError) as refused:
        _do(action, session, setup, Actor(setup.manager.id), reason)
    assert refused.value.field == "reason"
    assert "Give a reason" in str(refused.value.message)


def test_the_reason_is_kept_trimmed_and_shown_to_the_officers(app: Any, session: Any,
                                                               setup: Any) -> None:
    setup.period.state = SUBMITTED
    session.commit()
    with app.app_context():
        _do("return", session, setup, Actor(setup.manager.id), "  Q1 total is wrong  ")
    session.expire_all()
    assert setup.period.return_reason == "Q1 total is wrong"
    assert setup.period.decided_by_id == setup.manager.id
    note = session.scalars(sa.select(Notification).where(
        Notification.user_id == setup.officer.id)).one()
    assert "Q1 total is wrong" in note.message and setup.manager.name in note.message
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "period.return")).one()
    assert event.reason == "Q1 total is wrong"


@pytest.mark.parametrize("action", ["submit", "approve", "return", "reopen"])
def test_a_stale_version_is_refused_for_every_decision(app: Any, session: Any, setup: Any,
                                                       action: str) -> None:
    before = {"submit": OPEN, "approve": SUBMITTED, "return": SUBMITTED, "reopen": APPROVED}
    setup.period.state = before[action]
    session.commit()
    period = setup.period
    stale = period.version - 1
    officer, manager = Actor(setup.officer.id), Actor(setup.manager.id)
    decide = {
        "submit": lambda: approval.submit(session, officer, period, stale),
        "approve": lambda: approval.approve(session, manager, period, stale),
        "return": lambda: approval.return_period(session, manager, period, stale, "x"),
        "reopen": lambda: approval.reopen(session, manager, period, stale, "x"),
    }[action]
    with app.app_context(), pytest.raises(StaleEdit):
        decide()
    session.rollback()
    session.expire_all()
    assert period.state == before[action]


def test_approval_names_the_decider_and_the_system_when_nobody_signed_in(
        app: Any, session: Any, setup: Any) -> None:
    setup.period.state = SUBMITTED
    session.commit()
    with app.app_context():
        _do("approve", session, setup, Actor.system())
    session.expire_all()
    assert setup.period.decided_by_id is None
    assert setup.period.return_reason is None
    note = session.scalars(sa.select(Notification).where(
        Notification.user_id == setup.officer.id)).one()
    assert "PVE Track approved the period" in note.message


def test_only_the_current_version_decides(app: Any, session: Any, setup: Any) -> None:
    """A version from the future is as stale as one from the past; the current one is
    accepted however large the number (compared by value, not identity)."""
    period = setup.period
    period.state = SUBMITTED
    session.commit()
    with app.app_context(), pytest.raises(StaleEdit):
        approval.approve(session, Actor(setup.manager.id), period, period.version + 1)
    session.rollback()
    period.version = 1000
    session.commit()
    session.expire_all()
    with app.app_context():
        approval.approve(session, Actor(setup.manager.id), period, int("1000"))
    session.expire_all()
    assert period.state == APPROVED
