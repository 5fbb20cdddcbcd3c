"""Report-back links: a manager sends one to a recommendation's focal point, who reports
without an account; refused links write nothing; a manager verifies or rejects the report;
the focal point is reminded once before the due date."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from monitoring_data import build

from app.audit import AuditEvent
from app.evidence.models import EvidenceFile, SubjectKind
from app.followup import reportback
from app.followup.models import FollowUpAction, Recommendation, ReportBackLink
from app.mail.models import MailMessage
from indicators.followup import ActionState
from seed.factories import EventFactory, RecommendationFactory

PDF = b"%PDF-1.4\n% decree on the youth councils\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_limits(app: Flask) -> Any:
    """Each test starts with no requests counted against its address."""
    app.extensions.pop("report_back_throttle", None)
    yield
    app.extensions.pop("report_back_throttle", None)


@pytest.fixture
def world(session: Any) -> Any:
    setup = build(session, code="RBK")
    event = EventFactory(title="Dialogue with youth councils", project_id=setup.project.id,
                         start_date=dt.date(2025, 2, 3), end_date=dt.date(2025, 2, 4))
    setup.rec = RecommendationFactory(
        event=event, number="1", text="Fund the youth councils in every region",
        due_date=dt.date(2025, 9, 30), focal_name="Aigerim Sadykova",
        focal_email="a.sadykova@ministry.example", focal_organisation="Ministry of Youth")
    setup.other = RecommendationFactory(event=event, number="2",
                                        text="Publish the curricula review in Kyrgyz")
    setup.event = event
    session.commit()
    return setup


def counts(session: Any) -> tuple[int, int, int, int]:
    session.expire_all()
    return (session.scalar(sa.select(sa.func.count(FollowUpAction.id))),
            session.scalar(sa.select(sa.func.count(AuditEvent.id))),
            session.scalar(sa.select(sa.func.count(EvidenceFile.id))),
            session.scalar(sa.select(sa.func.count(MailMessage.id))))


def send(client: Any, auth: Any, session: Any, world: Any,
         locale: str = "en") -> tuple[ReportBackLink, str]:
    """A manager sends the link; returns it and the path the e-mail gives the focal point."""
    auth.login(world.manager)
    response = client.post(f"/followup/recommendations/{world.rec.id}/report-back",
                           data={"locale": locale})
    assert response.status_code == 302
    auth.logout()
    session.expire_all()
    link = session.scalars(sa.select(ReportBackLink).order_by(ReportBackLink.id.desc())).first()
    message = session.scalar(sa.select(MailMessage).where(
        MailMessage.dedupe_key == f"report-back-link-{link.id}"))
    path = re.search(r"https?://[^/\s]+(/followup/report-back/\S+)", message.text)
    assert path, message.text
    return link, path.group(1)


def report(client: Any, url: str, file: bytes | None = None, **fields: Any) -> Any:
    data: dict[str, Any] = {"state": "done", "action_date": "2025-06-01",
                            "kind": "funding_committed",
                            "description": "Budget line for youth councils adopted", **fields}
    if file is not None:
        data["file"] = (io.BytesIO(file), "decree.pdf")
        data.setdefault("file_title", "Decree No. 12")
    return client.post(url, data=data, content_type="multipart/form-data")


def sign(app: Flask, data: dict[str, int]) -> str:
    with app.app_context():
        return str(reportback._serializer().dumps(data))


def test_the_focal_point_is_named_on_the_recommendation_and_a_bad_address_is_refused(
        client: Any, auth: Any, session: Any, world: Any) -> None:
    auth.login(world.manager)
    rec = world.rec
    form = {"number": "1", "text": rec.text, "priority": "normal", "version": rec.version,
            "focal_name": "Aigerim Sadykova", "focal_email": "not an address",
            "focal_organisation": "Ministry of Youth"}
    response = client.post(f"/followup/recommendations/{rec.id}/edit", data=form)
    assert response.status_code == 422
    assert "not an address is not an e-mail address" in response.get_data(as_text=True)
    form["focal_email"] = "aigerim@youth.example"
    assert client.post(f"/followup/recommendations/{rec.id}/edit",
                       data=form).status_code == 302
    session.expire_all()
    assert session.get(Recommendation, rec.id).focal_email == "aigerim@youth.example"
    change = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "recommendation.update")).all()[-1]
    assert change.changes["focal_email"] == ["a.sadykova@ministry.example",
                                             "aigerim@youth.example"]


def test_a_manager_sends_a_link_and_the_focal_point_reports_an_unverified_action(
        app: Flask, client: Any, auth: Any, session: Any, world: Any) -> None:
    link, path = send(client, auth, session, world, "ru")
    assert link.locale == "ru" and link.focal_email == "a.sadykova@ministry.example"
    days = (link.expires_at - link.created_at).days
    assert days == 60
    message = session.scalar(sa.select(MailMessage).where(MailMessage.kind == "report_back"))
    assert message.to_address == "a.sadykova@ministry.example"
    assert "Уважаем" in message.text or "рекомендац" in message.text.lower()

    page = client.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dialogue with youth councils" in text and "Fund the youth councils" in text
    assert "Publish the curricula review" not in text  # nothing else of the event
    assert "RBK" not in text  # nor of its project

    response = report(client, path, file=PDF)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    session.expire_all()
    [action] = session.scalars(sa.select(FollowUpAction)).all()
    assert action.recommendation_id == world.rec.id and action.report_back_link_id == link.id
    assert action.state is ActionState.DONE and action.verified_at is None
    assert action.recorded_by_id is None and "Aigerim Sadykova" in (action.actor or "")
    [file] = session.scalars(sa.select(EvidenceFile)).all()
    assert (file.subject_kind, file.subject_id) == (SubjectKind.ACTION, action.id)
    audit = session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "followup_action.report_back"))
    assert audit.user_id is None and audit.changes["report_back_link_id"] == [None, link.id]
    assert session.get(ReportBackLink, link.id).last_used_at is not None

    # The manager sees it as awaiting verification, with where it came from, and the link.
    auth.login(world.manager)
    detail = client.get(f"/followup/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Done, awaiting verification" in detail
    assert f"report-back link {link.id}" in detail
    assert f'id="report-back-{link.id}"' in detail and "Active" in detail


def test_an_upload_the_evidence_checks_refuse_records_nothing(
        client: Any, auth: Any, session: Any, world: Any) -> None:
    _link, path = send(client, auth, session, world)
    before = counts(session)
    response = report(client, path, file=b"MZ\x90\x00 an executable pretending to be a pdf")
    assert response.status_code == 422
    assert counts(session) == before


@pytest.mark.parametrize("how", ["expired", "revoked", "tampered", "other recommendation",
                                 "forged for another recommendation"])
def test_a_refused_link_shows_why_and_writes_nothing(
        app: Flask, client: Any, auth: Any, session: Any, world: Any, how: str) -> None:
    link, path = send(client, auth, session, world)
    if how == "expired":
        link.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.commit()
        expected = "This link has expired"
    elif how == "revoked":
        auth.login(world.manager)
        assert client.post(f"/followup/report-back-links/{link.id}/revoke").status_code == 302
        auth.logout()
        expected = "withdrawn by its sender"
    elif how == "tampered":
        path = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
        expected = "This link is not valid"
    elif how == "other recommendation":
        path = path.replace(f"/report-back/{world.rec.id}/", f"/report-back/{world.other.id}/")
        expected = "belongs to another recommendation"
    else:  # signed by the app, but naming a recommendation the link is not bound to
        path = (f"/followup/report-back/{world.other.id}/"
                + sign(app, {"l": link.id, "r": world.other.id}))
        expected = "This link is not valid"
    before = counts(session)
    page = client.get(path)
    assert page.status_code in (404, 410) and expected in page.get_data(as_text=True)
    assert "Fund the youth councils" not in page.get_data(as_text=True)
    posted = report(client, path, file=PDF)
    assert posted.status_code in (404, 410) and expected in posted.get_data(as_text=True)
    assert counts(session) == before
    session.expire_all()
    assert session.get(ReportBackLink, link.id).last_used_at is None


def test_the_manager_verifies_or_rejects_what_came_back(
        client: Any, auth: Any, session: Any, world: Any) -> None:
    _link, path = send(client, auth, session, world)
    report(client, path, file=PDF)
    report(client, path, description="Councils met once", kind="meeting_held")
    session.expire_all()
    first, second = session.scalars(sa.select(FollowUpAction).order_by(FollowUpAction.id))
    auth.login(world.manager)
    # A report is rejected only with a reason; then it can no longer be verified.
    client.post(f"/followup/actions/{second.id}/reject",
                data={"version": second.version, "reason": "  "})
    session.expire_all()
    assert session.get(FollowUpAction, second.id).rejected_at is None
    client.post(f"/followup/actions/{second.id}/reject",
                data={"version": second.version, "reason": "Only a meeting, no decision"})
    client.post(f"/followup/actions/{second.id}/verify", data={"version": second.version + 1})
    session.expire_all()
    rejected = session.get(FollowUpAction, second.id)
    assert rejected.rejection_reason == "Only a meeting, no decision"
    assert rejected.rejected_by_id == world.manager.id and rejected.verified_at is None
    assert session.scalar(sa.select(AuditEvent.reason).where(
        AuditEvent.action == "followup_action.reject")) == "Only a meeting, no decision"
    # The one with a file as its evidence is verified, and counts.
    response = client.post(f"/followup/actions/{first.id}/verify",
                           data={"version": first.version})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(FollowUpAction, first.id).verified_by_id == world.manager.id
    page = client.get(f"/followup/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Rejected" in page and "Only a meeting, no decision" in page


def test_only_a_reported_action_can_be_rejected(client: Any, auth: Any, session: Any,
                                               world: Any) -> None:
    from seed.factories import FollowUpActionFactory

    action = FollowUpActionFactory(recommendation=world.rec, state=ActionState.DONE,
                                   action_date=dt.date(2025, 5, 1))
    session.commit()
    auth.login(world.manager)
    client.post(f"/followup/actions/{action.id}/reject",
                data={"version": action.version, "reason": "No"})
    session.expire_all()
    assert session.get(FollowUpAction, action.id).rejected_at is None


def test_too_many_requests_from_one_address_are_refused(
        app: Flask, client: Any, auth: Any, session: Any, world: Any) -> None:
    _link, path = send(client, auth, session, world)
    app.config["REPORT_BACK_LIMIT"] = 3
    app.extensions.pop("report_back_throttle", None)
    try:
        assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
        before = counts(session)
        refused = report(client, path)
        assert refused.status_code == 429 and "Too many requests" in refused.get_data(
            as_text=True)
        assert counts(session) == before
    finally:
        app.config["REPORT_BACK_LIMIT"] = 30


def test_a_report_without_its_csrf_token_is_refused(
        app: Flask, client: Any, auth: Any, session: Any, world: Any, csrf_on: Any) -> None:
    auth.login(world.manager)
    page = client.get(f"/followup/recommendations/{world.rec.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post(f"/followup/recommendations/{world.rec.id}/report-back",
                data={"locale": "en", "csrf_token": token.group(1)})
    auth.logout()
    session.expire_all()
    link = session.scalars(sa.select(ReportBackLink)).one()
    message = session.scalar(sa.select(MailMessage).where(MailMessage.kind == "report_back"))
    path = re.search(r"(/followup/report-back/\S+)", message.text).group(1)
    before = counts(session)
    assert report(client, path).status_code == 400
    assert counts(session) == before
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert report(client, path, csrf_token=token).status_code == 200
    session.expire_all()
    assert session.scalars(sa.select(FollowUpAction)).one().report_back_link_id == link.id


def test_the_focal_point_is_reminded_once_before_the_due_date(
        app: Flask, client: Any, auth: Any, session: Any, world: Any) -> None:
    link, _path = send(client, auth, session, world)
    link.expires_at = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    session.commit()

    def run(now: str) -> str:
        result = app.test_cli_runner().invoke(args=["notify", "send-due", "--now", now])
        assert result.exit_code == 0, result.output
        return result.output

    def reminders() -> list[MailMessage]:
        session.expire_all()
        return list(session.scalars(sa.select(MailMessage).where(
            MailMessage.kind == "report_back_reminder")))

    run("2025-09-01T06:00:00+00:00")  # 29 days before: too early
    assert reminders() == []
    run("2025-09-20T06:00:00+00:00")  # within 14 days
    run("2025-09-21T06:00:00+00:00")  # the next day's run sends nothing twice
    [reminder] = reminders()
    assert reminder.to_address == "a.sadykova@ministry.example"
    assert reminder.dedupe_key == f"report-back-reminder-{link.id}-2025-09-30"
    assert "2025-09-30" in reminder.text and "/followup/report-back/" in reminder.text
    # A revoked link is not reminded of a new due date.
    auth.login(world.manager)
    client.post(f"/followup/report-back-links/{link.id}/revoke")
    rec = session.get(Recommendation, world.rec.id)
    rec.due_date = dt.date(2025, 10, 2)
    session.commit()
    run("2025-09-22T06:00:00+00:00")
    assert len(reminders()) == 1


def test_a_rejected_report_no_longer_awaits_verification_on_any_page(
        app: Flask, client: Any, auth: Any, session: Any, world: Any) -> None:
    from app.followup.assess import assess, settings_from
    from app.followup.report import figures_query

    # A rejection counts from the day it is made: as of today, not as of an earlier date.
    as_of = dt.datetime.now(dt.UTC).date()
    settings = settings_from(app.config)

    def figures() -> tuple[tuple[int, int], tuple[int, int]]:
        session.expire_all()
        event = session.get(type(world.event), world.event.id)
        metrics = assess(event, as_of, settings).metrics
        row = next(r for r in session.execute(figures_query(as_of, settings)).mappings()
                   if r["id"] == world.event.id)
        return ((metrics.awaiting_verification, metrics.followed_up),
                (int(row["awaiting"]), int(row["followed_up"])))

    _link, path = send(client, auth, session, world)
    report(client, path, description="Councils met once", kind="meeting_held")
    assert figures() == ((1, 1), (1, 1))
    action = session.scalars(sa.select(FollowUpAction)).one()
    auth.login(world.manager)
    client.post(f"/followup/actions/{action.id}/reject",
                data={"version": action.version, "reason": "Only a meeting, no decision"})
    assert figures() == ((0, 0), (0, 0))
    page = client.get(f"/followup/events/{world.event.id}").get_data(as_text=True)
    assert "Report rejected" in page


def _html_link(html: str) -> str:
    found = re.search(r'<a href="(https?://[^"]+)"[^>]*>([^<]+)</a>', html)
    assert found, html
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(("locale", "button"), [("en", "Report on this recommendation"),
                                                ("ru", "Сообщить о выполнении рекомендации")])
def test_the_link_e_mail_has_an_html_part_with_the_same_link_in_the_focal_points_language(
        client: Any, auth: Any, session: Any, world: Any, locale: str, button: str) -> None:
    world.rec.text = 'Fund the youth councils <script>alert(1)</script> & "=HYPERLINK()"'
    session.commit()
    link, path = send(client, auth, session, world, locale)
    message = session.scalar(sa.select(MailMessage).where(
        MailMessage.dedupe_key == f"report-back-link-{link.id}"))
    assert message.html is not None
    assert _html_link(message.html).endswith(path)  # the link of the text part
    assert f">{button}</a>" in message.html
    assert f'<html lang="{locale}">' in message.html
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;=HYPERLINK()&#34;" in message.html
    assert "2025-09-30" in message.html  # the due date
    assert client.get(path).status_code == 200  # the HTML link opens the report page


def test_the_reminder_has_an_html_part_with_the_link_and_the_due_date(
        app: Flask, client: Any, auth: Any, session: Any, world: Any) -> None:
    _link, path = send(client, auth, session, world, "ru")
    result = app.test_cli_runner().invoke(args=["notify", "send-due", "--now",
                                                "2025-09-20T06:00:00+00:00"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    reminder = session.scalar(sa.select(MailMessage).where(
        MailMessage.kind == "report_back_reminder"))
    assert reminder.html is not None and '<html lang="ru">' in reminder.html
    assert _html_link(reminder.html).endswith(path)
    assert "2025-09-30" in reminder.html and "Fund the youth councils" in reminder.html
