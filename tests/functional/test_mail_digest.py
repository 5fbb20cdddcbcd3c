"""E-mail and digests with real parts: an SMTP server in this process (aiosmtpd) receives the
messages, the real Redis (a database of these tests' own) holds the queue, and the worker runs
here (an RQ SimpleWorker in burst mode). ``flask notify send-due`` composes the digests."""

from __future__ import annotations

import datetime as dt
import logging
import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from monitoring_data import build

from app.audit import AuditEvent
from app.auth.models import Locale, MemberRole, Role
from app.frameworks.models import PeriodState
from app.jobs import services as jobs
from app.mail import preferences
from app.mail.models import DigestFrequency, DigestPreference, MailMessage, MailState
from app.mail.services import queue_message
from indicators.followup import ActionState
from seed.factories import MemberFactory, UserFactory
from seed.factories.followup import EventFactory, FollowUpActionFactory, RecommendationFactory
from tests_support import redis_or_skip, redis_test_url

REDIS_TEST_URL = redis_test_url("TEST_MAIL_REDIS_URL", 12)
BASE = "https://pvetrack.test"
MONDAY = "2025-03-10T06:00:00+00:00"  # a Monday
TODAY = dt.date(2025, 3, 10)
NEXT_MONDAY = "2025-03-17T06:00:00+00:00"


class Inbox:
    """What the SMTP server received; ``refuse`` makes it answer 451 to that many messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self.refused = 0

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    handler.port = controller.port  # type: ignore[attr-defined]
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mail(app: Flask, inbox: Inbox) -> Iterator[Any]:
    """The app sending through the test SMTP server, from a queue on Redis database 12."""
    connection = redis_or_skip(REDIS_TEST_URL)
    connection.flushdb()
    saved = {k: app.config[k] for k in ("REDIS_URL", "MAIL_HOST", "MAIL_PORT", "MAIL_USE_TLS",
                                          "MAIL_USE_SSL", "MAIL_RETRY_INTERVALS", "BASE_URL",
                                          "MAIL_SENDER")}
    app.config.update(REDIS_URL=REDIS_TEST_URL, MAIL_HOST="127.0.0.1",
                      MAIL_PORT=inbox.port,  # type: ignore[attr-defined]
                      MAIL_USE_TLS=False, MAIL_USE_SSL=False, MAIL_RETRY_INTERVALS=[0, 0],
                      BASE_URL=BASE, MAIL_SENDER="PVE Track <noreply@pvetrack.test>")
    try:
        yield connection
    finally:
        app.config.update(saved)
        connection.flushdb()


def work(app: Flask) -> None:
    jobs.worker(app, burst=True, simple=True)


def send_due(app: Flask, now: str) -> str:
    result = app.test_cli_runner().invoke(args=["notify", "send-due", "--now", now])
    assert result.exit_code == 0, result.output
    return result.output


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def load(session: Any, model: Any, **where: Any) -> list[Any]:
    session.expire_all()
    return list(session.scalars(sa.select(model).filter_by(**where)))


@pytest.fixture
def world(session: Any) -> Any:
    """Project WLD (2024–2025, quarterly). On Monday 10 March 2025: Q1 2024 returned to its
    officer, Q2 submitted (awaiting approval), Q3 open and overdue, Q4 approved, Q1 2025 still
    running. Its event of February 2025 has recommendation 1 due on 20 March with nothing
    done, recommendation 2 due on 15 March with a done action nobody has verified yet and
    recommendation 3 due on 30 April (beyond 30 days). An older event of January 2024 has one
    recommendation with nothing done (a talk shop). An evaluator and an officer of another
    project complete it."""
    setup = build(session, code="WLD")
    setup.officer.name, setup.officer.email = "Olga Officer", "olga@example.org"
    setup.manager.name, setup.manager.email = "Max Manager", "max@example.org"
    q1, q2, _q3, q4 = setup.periods[:4]
    q1.state, q1.return_reason = PeriodState.RETURNED, "Totals missing"
    q2.state = PeriodState.SUBMITTED
    q4.state = PeriodState.APPROVED
    for period in setup.periods[4:]:
        period.state = PeriodState.APPROVED if period.end_date < TODAY else PeriodState.OPEN
    evaluator = UserFactory(role=Role.EVALUATOR, name="Eva Evaluator", email="eva@example.org")
    MemberFactory(user=evaluator, project=setup.project, role=MemberRole.EVALUATOR)
    idle = UserFactory(role=Role.OFFICER, name="Ivan Idle", email="ivan@example.org")
    recent = EventFactory(title="Dialogue with youth councils", project_id=setup.project.id,
                          start_date=dt.date(2025, 2, 3), end_date=dt.date(2025, 2, 4))
    due_soon = RecommendationFactory(event=recent, number="1", due_date=dt.date(2025, 3, 20),
                                     text="Fund the youth councils")
    done = RecommendationFactory(event=recent, number="2", due_date=dt.date(2025, 3, 15))
    FollowUpActionFactory(recommendation=done, action_date=dt.date(2025, 3, 1),
                          state=ActionState.DONE, description="Councils funded in two regions")
    RecommendationFactory(event=recent, number="3", due_date=dt.date(2025, 4, 30))
    old = EventFactory(title="Workshop on school curricula", project_id=setup.project.id,
                       start_date=dt.date(2024, 1, 8), end_date=dt.date(2024, 1, 10))
    old_rec = RecommendationFactory(event=old, number="1", text="Revise the curricula")
    session.commit()
    setup.evaluator, setup.idle = evaluator, idle
    setup.recent, setup.due_soon, setup.done = recent, due_soon, done
    setup.old, setup.old_rec = old, old_rec
    return setup


def test_the_digest_says_to_each_role_what_waits_for_them(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    output = send_due(app, MONDAY)
    assert "digests: 3 queued" in output
    assert inbox.messages == []  # nothing is sent before the worker runs
    work(app)
    assert sorted(str(m["To"]) for m in inbox.messages) == [
        "Eva Evaluator <eva@example.org>", "Max Manager <max@example.org>",
        "Olga Officer <olga@example.org>"]

    q1, q2, q3 = world.periods[:3]
    officer = text_of(inbox.to("olga@example.org")[0])
    assert "Your overdue and returned reports (2)" in officer
    assert f"{BASE}/periods/{q1.id}/data" in officer and "Returned to you" in officer
    assert f"{BASE}/periods/{q3.id}/data" in officer and "Overdue" in officer
    assert f"/periods/{q2.id}/data" not in officer  # submitted: the manager's, not hers
    assert "Recommendations due within 30 days with nothing done (1)" in officer
    assert f"{BASE}/followup/recommendations/{world.due_soon.id}" in officer
    assert "Recommendation 1 of Dialogue with youth councils" in officer
    assert "awaiting your approval" not in officer and "verification" not in officer

    manager = text_of(inbox.to("max@example.org")[0])
    assert "Reports awaiting your approval (1)" in manager
    assert f"{BASE}/periods/{q2.id}/data" in manager
    assert f"/periods/{q1.id}/data" not in manager
    assert "Follow-up actions awaiting verification (1)" in manager
    assert f"{BASE}/followup/recommendations/{world.done.id}" in manager
    assert "Councils funded in two regions" in manager
    assert "overdue and returned" not in manager

    evaluator = text_of(inbox.to("eva@example.org")[0])
    assert "Recommendations due within 30 days with nothing done (1)" in evaluator
    assert "overdue and returned" not in evaluator
    assert "verification" not in evaluator and "approval" not in evaluator

    message = inbox.to("max@example.org")[0]
    assert message["Subject"] == "PVE Track: 3 things waiting for you"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(rf"<{BASE}/unsubscribe/[\w.-]+>", message["List-Unsubscribe"])
    html = html_of(message)
    assert f'href="{BASE}/periods/{q2.id}/data"' in html
    assert "Reports awaiting your approval" in html

    # Ivan's project has nothing for him: no message, and none recorded.
    assert load(session, MailMessage, user_id=world.idle.id) == []
    sent = load(session, MailMessage, kind="digest")
    assert {m.state for m in sent} == {MailState.SENT} and {m.attempts for m in sent} == {1}
    audited = load(session, AuditEvent, action="mail.send")
    assert sorted(int(e.entity_id) for e in audited) == sorted(m.id for m in sent)


def test_a_second_run_in_the_same_week_sends_nothing_again(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    send_due(app, MONDAY)
    work(app)
    assert len(inbox.messages) == 3
    assert "digests: 0 queued" in send_due(app, MONDAY)
    assert "digests: 0 queued" in send_due(app, "2025-03-13T18:00:00+00:00")  # same week
    work(app)
    assert len(inbox.messages) == 3
    assert len(load(session, MailMessage, kind="digest")) == 3
    # The next week is a new period: the digests go out again.
    assert "digests: 3 queued" in send_due(app, NEXT_MONDAY)


def test_daily_digests_go_out_once_a_day(app: Flask, session: Any, mail: Any, inbox: Inbox,
                                         world: Any) -> None:
    with app.test_request_context():
        preferences.save(session, _actor(world.officer), world.officer.id,
                         frequency=DigestFrequency.DAILY, wanted=list(preferences.KINDS),
                         version=0)
    send_due(app, MONDAY)
    send_due(app, "2025-03-10T20:00:00+00:00")
    send_due(app, "2025-03-11T06:00:00+00:00")
    work(app)
    keys = sorted(m.dedupe_key for m in load(session, MailMessage, user_id=world.officer.id))
    assert keys == [f"digest:{world.officer.id}:daily:2025-03-10",
                    f"digest:{world.officer.id}:daily:2025-03-11"]
    assert len(inbox.to("olga@example.org")) == 2


def test_nothing_is_sent_when_there_is_nothing_to_say(
        app: Flask, session: Any, mail: Any, inbox: Inbox) -> None:
    UserFactory(role=Role.MANAGER, email="calm@example.org")
    UserFactory(role=Role.OFFICER, email="quiet@example.org")
    session.commit()
    assert "digests: 0 queued" in send_due(app, MONDAY)
    work(app)
    assert inbox.messages == []
    assert load(session, MailMessage) == []


def test_a_verdict_that_changed_since_the_last_digest_is_told(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    send_due(app, MONDAY)
    work(app)
    first = text_of(inbox.to("max@example.org")[0])
    assert "verdict changed" not in first  # the first digest only takes note of the verdicts
    FollowUpActionFactory(recommendation=world.old_rec, action_date=dt.date(2024, 4, 2),
                          state=ActionState.DONE, description="Curricula revised",
                          verified_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
                          verified_by_id=world.manager.id)
    session.commit()
    send_due(app, NEXT_MONDAY)
    work(app)
    second = text_of(inbox.to("max@example.org")[1])
    # The old event was followed up; the recent one's recommendations came due with nothing
    # verified in time.
    assert "Events whose follow-up verdict changed (2)" in second
    assert "Workshop on school curricula: Talk shop → Followed up" in second
    assert "Dialogue with youth councils: Pending → Talk shop" in second
    assert f"{BASE}/followup/events/{world.old.id}" in second
    officer = text_of(inbox.to("olga@example.org")[1])  # the event is of her project
    assert "Workshop on school curricula: Talk shop → Followed up" in officer


def test_the_digest_is_in_the_recipients_language(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    world.manager.locale = Locale.RU
    session.commit()
    send_due(app, MONDAY)
    work(app)
    russian = inbox.to("max@example.org")[0]
    assert russian["Subject"] == "PVE Track: 3 дела ждут вас"
    assert russian["Content-Language"] == "ru"
    body = text_of(russian)
    assert "Отчёты, ожидающие вашего утверждения (1)" in body
    assert "Reports awaiting" not in body
    assert inbox.to("olga@example.org")[0]["Subject"] == "PVE Track: 3 things waiting for you"


def _actor(user: Any) -> Any:
    from app.audit import Actor

    return Actor(user_id=user.id)


def _links(message: EmailMessage) -> list[str]:
    return re.findall(rf"{BASE}/unsubscribe/[\w.-]+", text_of(message))


def test_one_click_unsubscribe_turns_off_only_that_kind(
        app: Flask, session: Any, client: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    send_due(app, MONDAY)
    work(app)
    message = inbox.to("max@example.org")[0]
    body = text_of(message)
    approvals_at = body.index("Reports awaiting your approval")
    link = next(u for u in _links(message) if body.index(u) > approvals_at)
    path = link.removeprefix(BASE)

    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert client.get(tampered).status_code == 404
    assert client.post(tampered).status_code == 404
    assert load(session, DigestPreference, user_id=world.manager.id)[0].muted == []

    page = client.get(path)  # no one is signed in
    assert page.status_code == 200 and "Reports awaiting your approval" in page.text
    assert load(session, DigestPreference, user_id=world.manager.id)[0].muted == []  # GET asks
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    pref = load(session, DigestPreference, user_id=world.manager.id)[0]
    assert pref.muted == ["approvals"]
    assert pref.frequency is DigestFrequency.WEEKLY
    audit = load(session, AuditEvent, action="mail.unsubscribe")
    assert [(e.user_id, e.changes["kind"]) for e in audit] == [(world.manager.id, "approvals")]

    send_due(app, NEXT_MONDAY)
    work(app)
    next_week = text_of(inbox.to("max@example.org")[1])
    assert "Reports awaiting your approval" not in next_week
    assert "Follow-up actions awaiting verification (1)" in next_week


def test_the_list_unsubscribe_header_stops_the_whole_digest(
        app: Flask, session: Any, client: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    send_due(app, MONDAY)
    work(app)
    header = inbox.to("olga@example.org")[0]["List-Unsubscribe"]
    path = header.strip("<>").removeprefix(BASE)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    pref = load(session, DigestPreference, user_id=world.officer.id)[0]
    assert pref.frequency is DigestFrequency.OFF
    assert load(session, DigestPreference, user_id=world.manager.id)[0].frequency is (
        DigestFrequency.WEEKLY)
    send_due(app, NEXT_MONDAY)
    work(app)
    assert len(inbox.to("olga@example.org")) == 1
    assert len(inbox.to("max@example.org")) == 2


def test_a_link_signed_for_another_purpose_is_refused(app: Flask, client: Any,
                                                      world: Any) -> None:
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer(app.config["SECRET_KEY"], salt="another-purpose").dumps(
        {"u": world.manager.id, "k": "approvals"})
    assert client.post(f"/unsubscribe/{forged}").status_code == 404
    with app.app_context():
        unknown_kind = preferences.make_token(world.manager.id, "everything")
    assert client.post(f"/unsubscribe/{unknown_kind}").status_code == 404


def test_a_failing_smtp_server_is_tried_three_times_then_dead_lettered(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    from rq import Queue
    from rq.registry import FailedJobRegistry

    inbox.refuse = 99
    with app.app_context():
        message = queue_message(session, to_address="focal@example.org", to_name="Focal Point",
                                subject="Report back", text="Please report", kind="test",
                                dedupe_key="test:retry")
        assert message is not None
        session.commit()
    work(app)
    assert inbox.refused == 3 and inbox.messages == []
    failed = load(session, MailMessage, id=message.id)[0]
    assert failed.state is MailState.FAILED
    assert failed.attempts == 3
    assert failed.last_error and "451" in failed.last_error
    registry = FailedJobRegistry(queue=Queue(jobs.QUEUE, connection=mail))
    assert f"pvetrack-mail-{message.id}" in registry.get_job_ids()
    assert [e.entity_id for e in load(session, AuditEvent, action="mail.fail")] == [
        str(message.id)]


def test_a_passing_failure_is_retried_and_the_message_sent(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    inbox.refuse = 1
    with app.app_context():
        message = queue_message(session, to_address="focal@example.org", to_name=None,
                                subject="Report back", text="Please report",
                                html="<p>Please report</p>", kind="test",
                                dedupe_key="test:once")
        session.commit()
    work(app)
    assert message is not None
    sent = load(session, MailMessage, id=message.id)[0]
    assert (sent.state, sent.attempts, sent.last_error) == (MailState.SENT, 2, None)
    assert len(inbox.messages) == 1
    assert html_of(inbox.messages[0]).strip() == "<p>Please report</p>"


def test_the_same_dedupe_key_is_recorded_and_sent_once(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    with app.app_context():
        first = queue_message(session, to_address="a@example.org", to_name=None,
                              subject="One", text="x", kind="test", dedupe_key="test:same")
        session.commit()
        second = queue_message(session, to_address="a@example.org", to_name=None,
                               subject="Two", text="y", kind="test", dedupe_key="test:same")
        session.commit()
    work(app)
    assert first is not None and second is None
    assert [str(m["Subject"]) for m in inbox.messages] == ["One"]


def test_a_rolled_back_message_is_never_sent(app: Flask, session: Any, mail: Any,
                                             inbox: Inbox, world: Any) -> None:
    with app.app_context():
        queue_message(session, to_address="a@example.org", to_name=None, subject="Never",
                      text="x", kind="test", dedupe_key="test:rollback")
        session.rollback()
        session.commit()
    work(app)
    assert inbox.messages == []
    assert mail.llen(f"rq:queue:{jobs.QUEUE}") == 0


def test_without_a_mail_server_the_message_goes_to_the_log(
        app: Flask, session: Any, world: Any, caplog: Any) -> None:
    assert not app.config["MAIL_HOST"] and not app.config["REDIS_URL"]
    caplog.set_level(logging.INFO, logger="app.mail.services")
    with app.app_context():
        message = queue_message(session, to_address="a@example.org", to_name=None,
                                subject="Logged only", text="The body", kind="test",
                                dedupe_key="test:log")
        session.commit()
    assert message is not None
    logged = load(session, MailMessage, id=message.id)[0]
    assert logged.state is MailState.LOGGED and logged.attempts == 1
    assert "Logged only" in caplog.text and "The body" in caplog.text


def test_a_bad_address_is_refused_and_nothing_recorded(app: Flask, session: Any) -> None:
    from app.errors import ServiceError

    with app.app_context(), pytest.raises(ServiceError, match="not an e-mail address"):
        queue_message(session, to_address="someone\r\nBcc: x@example.org", to_name=None,
                      subject="x", text="x", kind="test", dedupe_key="test:bad")
    assert load(session, MailMessage) == []


def test_the_account_page_saves_the_digest_settings(app: Flask, session: Any, client: Any,
                                                    auth: Any, world: Any) -> None:
    auth.login(world.officer)
    page = client.get("/account")
    weekly = re.search(r'<input[^>]*value="weekly"[^>]*>', page.text)
    assert weekly and "checked" in weekly.group(0)
    daily = re.search(r'<input[^>]*value="daily"[^>]*>', page.text)
    assert daily and "checked" not in daily.group(0)
    response = client.post("/account/digest", data={
        "frequency": "daily", "kinds": ["reports", "verdicts"], "version": "0"})
    assert response.status_code == 302
    pref = load(session, DigestPreference, user_id=world.officer.id)[0]
    assert pref.frequency is DigestFrequency.DAILY
    assert pref.muted == ["recommendations"]  # an officer is not asked about approvals
    stale = client.post("/account/digest", data={"frequency": "off", "kinds": [],
                                                 "version": "0"})
    assert stale.status_code == 302
    assert load(session, DigestPreference, user_id=world.officer.id)[0].frequency is (
        DigestFrequency.DAILY)
    assert [e.changes["frequency"] for e in load(session, AuditEvent,
                                                   action="mail.preferences")] == [
        ["weekly", "daily"]]


def _offered(page: str) -> set[str]:
    return set(re.findall(r'<input[^>]*name="kinds"[^>]*value="([a-z]+)"', page)) | set(
        re.findall(r'<input[^>]*value="([a-z]+)"[^>]*name="kinds"', page))


def test_each_role_is_offered_the_kinds_that_can_concern_it(
        app: Flask, session: Any, client: Any, auth: Any, world: Any) -> None:
    expected = {
        world.officer: {"reports", "recommendations", "verdicts"},
        world.manager: {"approvals", "recommendations", "verifications", "verdicts"},
        world.evaluator: {"recommendations", "verdicts"},
    }
    for user, kinds in expected.items():
        auth.login(user)
        assert _offered(client.get("/account").text) == kinds, user.role
        auth.logout()


def test_a_kind_not_offered_is_refused_and_one_muted_before_stays_muted(
        app: Flask, session: Any, client: Any, auth: Any, world: Any) -> None:
    with app.test_request_context():
        preferences.save(session, _actor(world.manager), world.manager.id,
                         frequency=DigestFrequency.WEEKLY, wanted=["verdicts"], version=0)
    pref = load(session, DigestPreference, user_id=world.manager.id)[0]
    muted = ["approvals", "recommendations", "reports", "verifications"]
    assert pref.muted == muted
    auth.login(world.manager)
    refused = client.post("/account/digest", data={
        "frequency": "weekly", "kinds": ["reports"], "version": str(pref.version)})
    assert refused.status_code in (200, 302)
    session.expire_all()
    assert load(session, DigestPreference, user_id=world.manager.id)[0].muted == muted
    saved = client.post("/account/digest", data={
        "frequency": "weekly", "kinds": ["approvals"], "version": str(pref.version)})
    assert saved.status_code == 302
    session.expire_all()
    # reports, muted before and not offered to a manager, keeps its setting
    assert load(session, DigestPreference, user_id=world.manager.id)[0].muted == [
        "recommendations", "reports", "verdicts", "verifications"]


def test_without_a_queue_a_page_never_talks_to_the_smtp_server_send_due_does(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    app.config["REDIS_URL"] = None
    with app.test_request_context("/", method="POST"):
        message = queue_message(session, to_address="focal@example.org", to_name=None,
                                subject="From a page", text="x", kind="test",
                                dedupe_key="test:page")
        session.commit()
    assert message is not None
    assert inbox.messages == []
    assert load(session, MailMessage, id=message.id)[0].state is MailState.QUEUED
    output = send_due(app, MONDAY)
    assert "1 waiting message(s) sent" in output
    assert [str(m["Subject"]) for m in inbox.messages if m["Subject"] == "From a page"] == [
        "From a page"]
    assert load(session, MailMessage, id=message.id)[0].state is MailState.SENT


def test_a_message_that_never_reached_the_queue_is_put_on_it_by_send_due(
        app: Flask, session: Any, mail: Any, inbox: Inbox, world: Any) -> None:
    from app.mail import services as mail_services

    def down(ids: list[int]) -> None:
        raise ConnectionError("Redis is down")

    real = mail_services._enqueue
    mail_services._enqueue = down  # the queue cannot be reached when the message is committed
    try:
        with app.app_context():
            message = queue_message(session, to_address="lost@example.org", to_name=None,
                                    subject="Lost", text="x", kind="test", dedupe_key="test:lost")
            session.commit()
    finally:
        mail_services._enqueue = real
    assert message is not None
    work(app)
    assert inbox.messages == [] and load(session, MailMessage, id=message.id)[0].state \
        == MailState.QUEUED
    # Recorded a moment ago, it may still be on its way: left alone.
    send_due(app, "2026-12-07T06:00")
    with app.app_context():
        assert mail_services.requeue_lost(session) == 0
    # Older than LOST_AFTER with no job on the queue: queued again, once, and sent.
    later = load(session, MailMessage, id=message.id)[0].created_at + dt.timedelta(minutes=6)
    with app.app_context():
        assert mail_services.requeue_lost(session, now=later) == 1
        assert mail_services.requeue_lost(session, now=later) == 0
    work(app)
    assert [m["To"] for m in inbox.messages] == ["lost@example.org"]
    assert load(session, MailMessage, id=message.id)[0].state == MailState.SENT
