"""Evidence files through the pages: attach, refuse, download, sensitive data, removal, purge,
key rotation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from evaluation_data import build as evaluation_world
from evaluation_data import sign_in
from flask import Flask
from monitoring_data import build
from werkzeug.test import EnvironBuilder

from app import create_app
from app.audit import Actor, AuditEvent
from app.auth.models import MemberRole, ProjectMember, Role
from app.config import ConfigError
from app.evidence import services
from app.evidence.models import EvidenceBlob, EvidenceFile, EvidenceKind, SubjectKind
from app.evidence.storage import LocalStorage, digest
from app.frameworks.models import PeriodState
from indicators.followup import ActionState
from seed.factories import (
    ActivityFactory,
    EventFactory,
    FollowUpActionFactory,
    IndicatorScoreFactory,
    MemberFactory,
    RecommendationFactory,
    UserFactory,
)
from tests_support import TEST_EVIDENCE_DIR, TEST_EVIDENCE_KEY, app_test_config

PDF = b"%PDF-1.4\n% partner report of the Osh workshop\ntrailer << >>\n%%EOF\n"
STORE = LocalStorage(Path(TEST_EVIDENCE_DIR))


def unique_pdf(tag: str) -> bytes:
    return PDF.replace(b"Osh workshop", f"Osh workshop {tag} {dt.datetime.now().isoformat()}"
                       .encode())


def upload(client: Any, url: str, data: bytes, name: str, **fields: Any) -> Any:
    form = {"title": "Partner report", "kind": "report", **fields,
            "file": (io.BytesIO(data), name)}
    return client.post(url, data=form, content_type="multipart/form-data")


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session)


def value_url(setup: Any, indicator: str = "N", period: int = 0) -> str:
    return (f"/evidence/values/{setup.indicators[indicator].id}/"
            f"{setup.periods[period].id}")


def files(session: Any) -> list[EvidenceFile]:
    session.expire_all()
    return list(session.scalars(sa.select(EvidenceFile).order_by(EvidenceFile.id)))


def test_an_officer_attaches_a_report_to_a_value_and_an_evaluator_opens_it(
        app: Flask, client: Any, auth: Any, session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    data = unique_pdf("value")
    response = upload(client, value_url(setup), data, "Report Q1.pdf",
                      document_date="2024-03-28")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Partner report" in page and "Report Q1.pdf" in page
    [file] = files(session)
    assert (file.subject_kind, file.subject_id, file.subject_part_id) == (
        SubjectKind.VALUE, setup.indicators["N"].id, setup.periods[0].id)
    assert file.project_id == setup.project.id and file.uploaded_by_id == setup.officer.id
    assert file.document_date == dt.date(2024, 3, 28) and not file.sensitive
    assert STORE.get(digest(data)) == data  # stored as uploaded, under its digest
    audit = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "evidence.attach")).one()
    assert audit.entity_id == str(file.id) and audit.user_id == setup.officer.id

    # The data-entry page counts it beside the indicator.
    grid = client.get(f"/periods/{setup.periods[0].id}/data").get_data(as_text=True)
    assert f'href="{value_url(setup)}"' in grid and "1 file" in grid

    evaluator = UserFactory(role=Role.EVALUATOR)
    MemberFactory(user=evaluator, project=setup.project, role=MemberRole.EVALUATOR)
    session.commit()
    auth.logout()
    auth.login(evaluator)
    sheet = client.get(f"/evaluation/projects/{setup.project.id}?period={setup.periods[0].id}")
    assert f'href="/evidence/files/{file.id}"' in sheet.get_data(as_text=True)
    download = client.get(f"/evidence/files/{file.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Report%20Q1.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    # The evaluator may look but not attach.
    assert upload(client, value_url(setup), unique_pdf("x"), "x.pdf").status_code == 403


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "report.pdf", "is named “report.pdf” but"),
    (b"PK\x03\x04" + b"\x00" * 40, "papers.zip", "cannot be read"),
    (b"\x1f\x8b\x08\x00rest", "papers.tar.gz", "gzip archive"),
    (b"MZ" + b"\x00" * 40, "setup.exe", "Windows program"),
    (None, "minutes.docx", "contains macros"),
])
def test_refused_uploads_store_nothing(client: Any, auth: Any, session: Any, setup: Any,
                                       data: bytes | None, name: str, message: str) -> None:
    if data is None:  # a Word document carrying a macro project
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
        data = out.getvalue()
    auth.login(setup.officer)
    response = upload(client, value_url(setup), data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert files(session) == []
    assert session.get(EvidenceBlob, digest(data)) is None
    assert not STORE.exists(digest(data))


def test_an_oversized_file_is_refused_with_the_limit(app: Flask, client: Any, auth: Any,
                                                      session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    # Built by hand so that the request body, spooled to a temporary file, is closed.
    builder = EnvironBuilder(path=value_url(setup), method="POST", data={
        "title": "Scan", "kind": "report", "file": (io.BytesIO(big), "scan.pdf")})
    environ = builder.get_environ()
    app.config["EVIDENCE_MAX_MB"] = 1
    try:
        response = client.open(environ)
    finally:
        app.config["EVIDENCE_MAX_MB"] = 15
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 422
    assert "at most 1 MB" in response.get_data(as_text=True)
    assert files(session) == [] and not STORE.exists(digest(big))


def test_a_missing_title_names_the_field_and_stores_nothing(client: Any, auth: Any,
                                                            session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    data = unique_pdf("untitled")
    response = upload(client, value_url(setup), data, "r.pdf", title="  ")
    assert response.status_code == 422
    assert files(session) == [] and not STORE.exists(digest(data))


def test_the_same_file_twice_is_stored_once(client: Any, auth: Any, session: Any,
                                            setup: Any) -> None:
    auth.login(setup.officer)
    data = unique_pdf("twice")
    assert upload(client, value_url(setup, "N"), data, "a.pdf").status_code == 303
    assert upload(client, value_url(setup, "R"), data, "b.pdf").status_code == 303
    assert len(files(session)) == 2
    assert session.scalar(sa.select(sa.func.count()).select_from(EvidenceBlob).where(
        EvidenceBlob.sha256 == digest(data))) == 1


def test_no_file_is_attached_to_a_value_of_a_submitted_or_approved_period(
        client: Any, auth: Any, session: Any, setup: Any) -> None:
    auth.login(setup.manager)  # a file attached while the period was open
    assert upload(client, value_url(setup), unique_pdf("open"), "r.pdf").status_code == 303
    [attached] = files(session)
    auth.logout()
    setup.periods[0].state = PeriodState.APPROVED
    setup.periods[1].state = PeriodState.SUBMITTED
    session.commit()
    auth.login(setup.officer)
    for period, words in ((0, "approved"), (1, "submitted")):
        page = client.get(value_url(setup, period=period)).get_data(as_text=True)
        assert words in page and 'enctype="multipart/form-data"' not in page
        response = upload(client, value_url(setup, period=period), unique_pdf("late"), "r.pdf")
        assert response.status_code == 422
    assert files(session) == [attached]
    # Nor is one removed from an approved period, even by a manager.
    auth.logout()
    auth.login(setup.manager)
    assert ">Remove<" not in client.get(value_url(setup)).get_data(as_text=True)
    refused = client.post(f"/evidence/files/{attached.id}/remove",
                          data={"version": attached.version}, follow_redirects=True)
    assert "approved" in refused.get_data(as_text=True)
    assert files(session)[0].removed_at is None


def test_an_attendance_list_is_sensitive_encrypted_and_hidden_from_members_without_access(
        client: Any, auth: Any, session: Any, setup: Any) -> None:
    activity = ActivityFactory(project=setup.project, start_date=dt.date(2024, 2, 10))
    colleague = UserFactory(role=Role.OFFICER)
    MemberFactory(user=colleague, project=setup.project, role=MemberRole.OFFICER)
    session.commit()
    names = b"name,village\nAida,Kara-Suu\n"
    auth.login(setup.officer)
    response = upload(client, f"/evidence/activities/{activity.id}", names, "list.csv",
                      kind="attendance", title="Register of Kara-Suu participants")
    assert response.status_code == 303
    [file] = files(session)
    assert file.sensitive and file.blob.encrypted
    on_disk = STORE.get(digest(names))
    assert b"Aida" not in on_disk and on_disk != names
    assert Fernet(TEST_EVIDENCE_KEY).decrypt(on_disk) == names

    # Neither the uploader nor a colleague has access to sensitive data: the file is not
    # listed and cannot be downloaded.
    for user in (setup.officer, colleague):
        auth.logout()
        auth.login(user)
        page = client.get(f"/evidence/activities/{activity.id}").get_data(as_text=True)
        assert "Kara-Suu" not in page and f"/evidence/files/{file.id}" not in page
        assert "1 sensitive file is not shown" in page
        assert client.get(f"/evidence/files/{file.id}").status_code == 403
        listing = client.get(f"/projects/{setup.project.id}/activities").get_data(as_text=True)
        assert "1 file" in listing  # the count says a file exists

    # A member allowed sensitive data sees and opens it; the download is audited.
    member = session.scalars(sa.select(ProjectMember).where(
        ProjectMember.user_id == colleague.id)).one()
    member.sensitive_access = True
    session.commit()
    download = client.get(f"/evidence/files/{file.id}")
    assert download.status_code == 200 and download.data == names
    audits = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "evidence.download")).all()
    assert [(a.user_id, a.entity_id) for a in audits] == [(colleague.id, str(file.id))]

    # A manager sees that it exists but may not open it; an administrator may.
    auth.logout()
    auth.login(setup.manager)
    assert client.get(f"/evidence/files/{file.id}").status_code == 403
    auth.logout()
    auth.login(UserFactory(role=Role.ADMIN))
    assert client.get(f"/evidence/files/{file.id}").data == names


def test_files_on_a_sensitive_indicator_are_sensitive_by_default(
        client: Any, auth: Any, session: Any, setup: Any) -> None:
    setup.indicators["N"].sensitive = True
    session.commit()
    auth.login(setup.officer)
    assert upload(client, value_url(setup), unique_pdf("s"), "r.pdf").status_code == 303
    [file] = files(session)
    assert file.sensitive and file.blob.encrypted
    # On the evaluation sheet, an evaluator without access to sensitive data sees that a file
    # exists, not its title or link.
    evaluator = UserFactory(role=Role.EVALUATOR)
    MemberFactory(user=evaluator, project=setup.project, role=MemberRole.EVALUATOR)
    session.commit()
    auth.logout()
    auth.login(evaluator)
    sheet = client.get(f"/evaluation/projects/{setup.project.id}?period={setup.periods[0].id}")
    text = sheet.get_data(as_text=True)
    assert "1 sensitive file not shown" in text and f"/evidence/files/{file.id}" not in text


def test_a_sensitive_upload_without_a_key_is_refused(app: Flask, client: Any, auth: Any,
                                                     session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    data = unique_pdf("nokey")
    app.config["EVIDENCE_KEYS"] = ""
    try:
        response = upload(client, value_url(setup), data, "r.pdf", sensitive="y")
    finally:
        app.config["EVIDENCE_KEYS"] = TEST_EVIDENCE_KEY
    assert response.status_code == 422 and "EVIDENCE_KEYS" in response.get_data(as_text=True)
    assert files(session) == [] and not STORE.exists(digest(data))


def test_another_projects_officer_sees_nothing(client: Any, auth: Any, session: Any,
                                               setup: Any) -> None:
    auth.login(setup.officer)
    assert upload(client, value_url(setup), unique_pdf("own"), "r.pdf").status_code == 303
    [file] = files(session)
    stranger = UserFactory(role=Role.OFFICER)
    MemberFactory(user=stranger, role=MemberRole.OFFICER)  # on a project of their own
    session.commit()
    auth.logout()
    auth.login(stranger)
    assert client.get(value_url(setup)).status_code == 403
    assert client.get(f"/evidence/files/{file.id}").status_code == 403
    assert client.post(f"/evidence/files/{file.id}/remove",
                       data={"version": file.version}).status_code == 403


def test_a_manager_attaches_a_decree_to_a_follow_up_action(client: Any, auth: Any,
                                                           session: Any, setup: Any) -> None:
    event = EventFactory(project_id=setup.project.id)
    action = FollowUpActionFactory(recommendation=RecommendationFactory(event=event))
    session.commit()
    auth.login(setup.manager)
    data = unique_pdf("decree")
    response = upload(client, f"/evidence/actions/{action.id}", data, "decree.pdf",
                      kind="official", title="Decree No. 12")
    assert response.status_code == 303
    page = client.get(f"/followup/events/{event.id}").get_data(as_text=True)
    assert f'href="/evidence/actions/{action.id}"' in page and "1 file" in page
    # The officer of the event's project may see it but, not having attached it, not remove it.
    auth.logout()
    auth.login(setup.officer)
    [file] = files(session)
    assert client.get(f"/evidence/files/{file.id}").data == data
    assert client.post(f"/evidence/files/{file.id}/remove",
                       data={"version": file.version}).status_code == 403


def test_removal_hides_the_file_and_purge_deletes_it_for_good(
        app: Flask, client: Any, auth: Any, session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    kept, dropped = unique_pdf("kept"), unique_pdf("dropped")
    upload(client, value_url(setup, "N"), kept, "kept.pdf")
    upload(client, value_url(setup, "R"), kept, "same content elsewhere.pdf")
    upload(client, value_url(setup, "N"), dropped, "dropped.pdf", title="Dropped")
    first, second, third = files(session)
    first_id, second_id, third_id = first.id, second.id, third.id
    stale = client.post(f"/evidence/files/{third.id}/remove", data={"version": 99})
    assert stale.status_code == 303 and files(session)[2].removed_at is None
    assert client.post(f"/evidence/files/{third.id}/remove",
                       data={"version": third.version}).status_code == 303
    assert client.post(f"/evidence/files/{first.id}/remove",
                       data={"version": first.version}).status_code == 303
    page = client.get(value_url(setup, "N")).get_data(as_text=True)
    assert f"/evidence/files/{third.id}" not in page and f"/evidence/files/{first.id}" not in page
    assert client.get(f"/evidence/files/{third.id}").status_code == 404
    assert STORE.exists(digest(dropped))  # kept until a purge

    manager = setup.manager
    result = app.test_cli_runner().invoke(args=["evidence", "purge", "--by", manager.email])
    assert result.exit_code == 0, result.output
    assert f"purged #{first_id}" in result.output and f"purged #{third_id}" in result.output
    assert "2 files purged; 1 stored content deleted" in result.output
    assert not STORE.exists(digest(dropped))
    assert STORE.exists(digest(kept))  # still attached to R
    assert [f.id for f in files(session)] == [second_id]
    purged = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "evidence.purge")).all()
    assert sorted(a.entity_id for a in purged) == sorted([str(first_id), str(third_id)])
    assert all(a.user_id == manager.id for a in purged)


def test_purge_takes_the_files_of_deleted_records(app: Flask, client: Any, auth: Any,
                                                  session: Any, setup: Any) -> None:
    activity = ActivityFactory(project=setup.project, start_date=dt.date(2024, 2, 10))
    session.commit()
    auth.login(setup.officer)
    data = unique_pdf("orphan")
    upload(client, f"/evidence/activities/{activity.id}", data, "r.pdf")
    session.delete(session.get(type(activity), activity.id))
    session.commit()
    with app.app_context():
        report = services.purge(session, Actor(setup.manager.id))
    assert [why for _id, _title, why in report.files] == ["record deleted"]
    assert files(session) == [] and not STORE.exists(digest(data))


def test_expired_sensitive_files_are_purged_on_request(app: Flask, client: Any, auth: Any,
                                                       session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    today = dt.date.today()
    for tag, until in (("old", today + dt.timedelta(days=1)), ("new", None)):
        upload(client, value_url(setup), unique_pdf(tag), f"{tag}.pdf", title=tag,
               kind="attendance", retain_until=until.isoformat() if until else "")
    old, new = files(session)
    assert old.retain_until == today + dt.timedelta(days=1) and new.retain_until is None
    later = today + dt.timedelta(days=2)
    with app.app_context():
        assert services.purge(session, Actor(setup.manager.id), expired=True).files == []
        report = services.purge(session, Actor(setup.manager.id), expired=True, today=later)
    assert [(f[0], f[2]) for f in report.files] == [(old.id, "expired")]
    assert [f.id for f in files(session)] == [new.id]


def test_a_retention_date_in_the_past_is_refused(client: Any, auth: Any, session: Any,
                                                 setup: Any) -> None:
    auth.login(setup.officer)
    response = upload(client, value_url(setup), unique_pdf("past"), "r.pdf",
                      kind="attendance", retain_until="2001-01-01")
    assert response.status_code == 422 and "already past" in response.get_data(as_text=True)
    assert files(session) == []


def test_key_rotation_encrypts_again_with_the_new_key(app: Flask, client: Any, auth: Any,
                                                      session: Any, setup: Any) -> None:
    auth.login(setup.officer)
    data = unique_pdf("rotate")
    upload(client, value_url(setup), data, "r.pdf", sensitive="y")
    new_key = Fernet.generate_key().decode()
    app.config["EVIDENCE_KEYS"] = f"{new_key},{TEST_EVIDENCE_KEY}"
    try:
        result = app.test_cli_runner().invoke(
            args=["evidence", "rotate-key", "--by", setup.manager.email])
    finally:
        app.config["EVIDENCE_KEYS"] = TEST_EVIDENCE_KEY
    assert result.exit_code == 0, result.output
    assert "1 sensitive file encrypted with the first key" in result.output
    assert Fernet(new_key).decrypt(STORE.get(digest(data))) == data
    assert session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.action == "evidence.rotate_key")).all() == ["evidence.rotate_key"]


def test_the_purge_command_needs_a_manager(app: Flask, session: Any, setup: Any) -> None:
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["evidence", "purge", "--by", setup.officer.email])
    assert refused.exit_code != 0 and "not a manager" in refused.output
    unknown = runner.invoke(args=["evidence", "purge", "--by", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No active user" in unknown.output


def test_production_refuses_to_start_without_the_key_once_sensitive_files_exist(
        session: Any) -> None:
    production = {"ENV": "production", "EVIDENCE_KEYS": ""}
    services.check_keys_at_start(production, session)  # nothing sensitive stored: it starts
    session.add(EvidenceBlob(sha256="f" * 64, size=1, media_type="text/plain", encrypted=True))
    session.commit()
    with pytest.raises(ConfigError, match="EVIDENCE_KEYS"):
        services.check_keys_at_start(production, session)
    services.check_keys_at_start({**production, "EVIDENCE_KEYS": TEST_EVIDENCE_KEY}, session)


def test_a_manager_allows_and_withdraws_a_members_access_to_sensitive_data(
        client: Any, auth: Any, session: Any, setup: Any) -> None:
    member = session.scalars(sa.select(ProjectMember).where(
        ProjectMember.user_id == setup.officer.id)).one()
    url = f"/projects/{setup.project.id}/members/{member.id}/sensitive"
    auth.login(setup.officer)
    assert client.post(url, data={"allowed": "1"}).status_code == 403
    auth.logout()
    auth.login(setup.manager)
    page = client.get(f"/projects/{setup.project.id}/members").get_data(as_text=True)
    assert "Not allowed" in page
    assert client.post(url, data={"allowed": "1"}).status_code == 302
    session.expire_all()
    assert session.get(ProjectMember, member.id).sensitive_access is True
    assert "Allowed" in client.get(f"/projects/{setup.project.id}/members").get_data(
        as_text=True)
    assert client.post(url, data={"allowed": "0"}).status_code == 302
    session.expire_all()
    assert session.get(ProjectMember, member.id).sensitive_access is False
    changes = [a.changes["sensitive_access"] for a in session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "project.member_sensitive")
        .order_by(AuditEvent.id))]
    assert changes == [[False, True], [True, False]]


def test_a_member_added_with_access_to_sensitive_data(client: Any, auth: Any, session: Any,
                                                     setup: Any) -> None:
    newcomer = UserFactory(role=Role.EVALUATOR)
    session.commit()
    auth.login(setup.manager)
    response = client.post(f"/projects/{setup.project.id}/members",
                           data={"user_id": newcomer.id, "sensitive_access": "y"})
    assert response.status_code == 302
    member = session.scalars(sa.select(ProjectMember).where(
        ProjectMember.user_id == newcomer.id)).one()
    assert member.sensitive_access is True and member.role is MemberRole.EVALUATOR


def test_the_follow_up_report_counts_recommendations_with_documented_follow_up(
        client: Any, auth: Any, session: Any, setup: Any) -> None:
    # Event of 8-10 March 2023; three recommendations, each with a done action in June 2023.
    event = EventFactory(title="Regional workshop on prevention", project_id=setup.project.id)
    with_file, without_file, promise = (RecommendationFactory(event=event, number=str(n))
                                        for n in (1, 2, 3))
    documented_action = FollowUpActionFactory(recommendation=with_file)
    FollowUpActionFactory(recommendation=without_file)
    planned = FollowUpActionFactory(recommendation=promise, state=ActionState.PLANNED)
    session.commit()
    auth.login(setup.manager)
    for action in (documented_action, planned):
        assert upload(client, f"/evidence/actions/{action.id}", unique_pdf(str(action.id)),
                      "letter.pdf", kind="official").status_code == 303

    as_of = dt.date.today().isoformat()
    page = client.get(f"/followup/events/{event.id}?as_of={as_of}").get_data(as_text=True)
    assert "1 of 3 recommendations has documented follow-up" in page
    report = client.get(f"/followup/report?as_of={as_of}").get_data(as_text=True)
    assert "documented 1" in report
    csv_text = client.get(f"/followup/report.csv?as_of={as_of}").get_data(as_text=True)
    header, *rows = list(csv.reader(io.StringIO(csv_text)))
    [row] = [r for r in rows if r[header.index("event_id")] == str(event.id)]
    assert row[header.index("documented")] == "1"
    # As of the day before the file was attached, nothing was documented yet.
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    before = client.get(f"/followup/events/{event.id}?as_of={yesterday}").get_data(as_text=True)
    assert "0 of 3 recommendations have documented follow-up" in before
    # A removed file documents nothing.
    [file] = [f for f in files(session) if f.subject_id == documented_action.id]
    client.post(f"/evidence/files/{file.id}/remove", data={"version": file.version})
    page = client.get(f"/followup/events/{event.id}?as_of={as_of}").get_data(as_text=True)
    assert "0 of 3 recommendations have documented follow-up" in page


def test_evaluation_exports_leave_sensitive_files_out_unless_the_reader_may_and_asks(
        client: Any, session: Any) -> None:
    world = evaluation_world(session, evaluators=1)
    indicator, period = world.indicators[0], world.periods[0]
    IndicatorScoreFactory(indicator=indicator, period=period, evaluator=world.evaluators[0])
    for title, name, sensitive in (("=HYPERLINK(\"http://x\")", "report.pdf", False),
                                   ("Names of participants", "names.csv", True)):
        data = f"{title} {name}".encode()
        session.add(EvidenceBlob(sha256=digest(data), size=len(data), media_type="text/plain",
                                 encrypted=sensitive))
        session.add(EvidenceFile(
            subject_kind=SubjectKind.VALUE, subject_id=indicator.id, subject_part_id=period.id,
            project_id=world.project.id, blob_sha256=digest(data), title=title,
            kind=EvidenceKind.REPORT, filename=name, sensitive=sensitive))
    admin = UserFactory(role=Role.ADMIN)
    session.commit()

    def evidence_cell(user: Any, query: str) -> str:
        client.post("/logout")
        sign_in(client, user)
        text = client.get(f"/evaluation/projects/{world.project.id}/report.csv{query}")
        header, *rows = list(csv.reader(io.StringIO(text.get_data(as_text=True))))
        [cell] = {r[header.index("evidence_files")] for r in rows
                  if r[header.index("indicator_code")] == indicator.code
                  and r[header.index("period_start")] == period.start_date.isoformat()}
        return cell

    public = "'=HYPERLINK(\"http://x\") (report.pdf)"  # a title never runs as a formula
    assert evidence_cell(admin, "") == public
    assert evidence_cell(admin, "?sensitive=1") == public + "; Names of participants (names.csv)"
    assert evidence_cell(world.manager, "?sensitive=1") == public


@pytest.mark.parametrize("first_sensitive", [False, True])
def test_the_same_file_uploaded_twice_at_the_same_moment_is_stored_once(
        app: Flask, monkeypatch: Any, client: Any, auth: Any, session: Any, setup: Any,
        first_sensitive: bool) -> None:
    """The second upload does not see the first one's content yet, inserts it too, and meets
    the unique digest: it takes the first one's record instead of failing."""
    data = unique_pdf(f"race {first_sensitive}")
    auth.login(setup.officer)
    assert upload(client, value_url(setup, "N"), data, "a.pdf",
                  sensitive="y" if first_sensitive else "").status_code == 303
    monkeypatch.setattr(services, "existing_blob", lambda _session, _sha: None)
    assert upload(client, value_url(setup, "R"), data, "b.pdf").status_code == 303
    assert len(files(session)) == 2
    blob = session.get(EvidenceBlob, digest(data))
    assert blob is not None and blob.encrypted is first_sensitive
    with app.app_context():
        assert all(services.read(f) == data for f in files(session))


def test_the_production_start_check_leaves_no_connection_open(database_url: str) -> None:
    """The check runs before the server forks its workers: no connection may stay pooled."""
    production = create_app(app_test_config(database_url, ENV="production",
                                            SECRET_KEY="s" * 40, EVIDENCE_KEYS=""))
    engine = production.extensions["pvetrack_db"].engine
    try:
        assert engine.pool.checkedin() == 0
    finally:
        engine.dispose()
