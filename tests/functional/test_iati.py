"""IATI 2.03: the export validates against the official schema and carries approved figures
only; the import reads the official sample, refuses what is not IATI 2.x, writes nothing on a
dry run or a bad activity, changes nothing the second time, and a round trip keeps the
framework."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from lxml import etree

from app import create_app
from app.audit import Actor, AuditEvent
from app.auth.models import MemberRole, Role
from app.cli import alembic_config
from app.frameworks.models import (
    Indicator,
    PeriodState,
    ReportingPeriod,
    Result,
    ResultLevel,
    Target,
)
from app.iati import export
from app.iati.importer import ImportReport, run_import
from app.programmes.models import ActivityStatus, Programme, Project
from seed import loader
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    MemberFactory,
    ProgrammeFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    ResultFactory,
    UserFactory,
)
from tests_support import app_test_config

DATA = Path(__file__).resolve().parents[1] / "data" / "iati"
SAMPLE = DATA / "activity-standard-example-annotated.xml"
SCHEMA = Path(__file__).resolve().parents[2] / "app" / "iati" / "schema" / \
    "iati-activities-schema.xsd"


def schema_errors(document: bytes) -> list[str]:
    """Checked here with lxml against the schema file, not through the app's own helper."""
    checker = etree.XMLSchema(etree.parse(str(SCHEMA)))
    valid = checker.validate(etree.fromstring(document))
    return [] if valid else [str(e) for e in checker.error_log]


def importing(session: Any, app: Flask, content: bytes, name: str = "file.xml",
              **kwargs: Any) -> ImportReport:
    with app.test_request_context():
        return run_import(session, Actor.system(), io.BytesIO(content), name, **kwargs)


def counts(session: Any) -> tuple[int, ...]:
    session.expire_all()
    return tuple(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
                 for model in (Project, Result, Indicator, ReportingPeriod, Target, AuditEvent))


def activity(identifier: str, *, baseline: str = "5", title: str = "Youth outreach") -> str:
    return f"""
  <iati-activity default-currency="USD">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XM-TEST" type="21"><narrative>Test org</narrative></reporting-org>
    <title><narrative>{title}</narrative>
      <narrative xml:lang="ru">Работа с молодёжью</narrative></title>
    <description><narrative>What it does</narrative></description>
    <participating-org role="4"><narrative>Partner</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2024-01-01"/>
    <activity-date type="3" iso-date="2024-12-31"/>
    <recipient-country code="KG"/>
    <result type="1">
      <title><narrative>Young people trained</narrative></title>
      <indicator measure="1" ascending="1">
        <title><narrative>Number of young people trained</narrative></title>
        <baseline year="2024" value="{baseline}"/>
        <period><period-start iso-date="2024-01-01"/><period-end iso-date="2024-06-30"/>
          <target value="40"/><actual value="35"/></period>
        <period><period-start iso-date="2024-07-01"/><period-end iso-date="2024-12-31"/>
          <target value="80"/></period>
      </indicator>
    </result>
  </iati-activity>"""


def activities_file(*items: str, version: str = "2.02") -> bytes:
    return (f'<?xml version="1.0"?>\n<iati-activities version="{version}">'
            + "".join(items) + "</iati-activities>").encode()


# --- export -----------------------------------------------------------------------------------

def test_documented_programmes_export_valid_iati_203(app: Flask, session: Any) -> None:
    loader.load(session, Actor.system(), today=dt.date(2025, 6, 30))
    programmes = list(session.scalars(sa.select(Programme).order_by(Programme.code)))
    assert len(programmes) >= 5
    exported = 0
    with app.test_request_context():
        for programme in programmes:
            projects = export.programme_projects(session, programme)
            document = export.build(session, projects)
            assert schema_errors(document) == [], programme.code
            root = etree.fromstring(document)
            assert root.get("version") == "2.03"
            assert len(root.findall("iati-activity")) == len(projects)
            for node in root.iter("sector"):
                assert (node.get("vocabulary"), node.get("code")) == ("1", "15220")
            exported += len(projects)
    assert exported >= 5


@pytest.fixture
def approved_and_open(session: Any) -> Any:
    project = ProjectFactory(code="EXP-1", countries=["KG", "TJ"], budget=Decimal("120000"),
                             status=ActivityStatus.IMPLEMENTATION)
    result = ResultFactory(project=project, level=ResultLevel.OUTPUT, code="1.1",
                           statement="Young people trained")
    indicator = IndicatorFactory(project=project, result=result, code="OP1",
                                 name="Young people trained", baseline_value=Decimal(0),
                                 target_value=Decimal(100))
    approved = ReportingPeriodFactory(project=project, start_date=dt.date(2024, 1, 1),
                                      end_date=dt.date(2024, 6, 30),
                                      due_date=dt.date(2024, 7, 31), state=PeriodState.APPROVED)
    still_open = ReportingPeriodFactory(project=project, start_date=dt.date(2024, 7, 1),
                                        end_date=dt.date(2024, 12, 31),
                                        due_date=dt.date(2025, 1, 31), state=PeriodState.OPEN)
    DataValueFactory(indicator=indicator, period=approved, value=Decimal(37))
    DataValueFactory(indicator=indicator, period=still_open, value=Decimal(55))
    session.commit()
    return project


def test_project_export_has_approved_actuals_only(app: Flask, session: Any,
                                                  approved_and_open: Any) -> None:
    with app.test_request_context():
        document = export.build(session, [approved_and_open])
    assert schema_errors(document) == []
    root = etree.fromstring(document)
    node = root.find("iati-activity")
    assert node.findtext("iati-identifier") == "XI-PVETRACK-EXP-1"
    assert [c.get("code") for c in node.findall("recipient-country")] == ["KG", "TJ"]
    assert [c.get("percentage") for c in node.findall("recipient-country")] == ["50", "50"]
    assert node.find("activity-status").get("code") == "2"
    assert node.find("budget/value").text == "120000"
    indicator = node.find("result/indicator")
    assert indicator.find("baseline").get("value") == "0"
    periods = indicator.findall("period")
    assert [p.find("period-start").get("iso-date") for p in periods] == ["2024-01-01"]
    assert periods[0].find("actual").get("value") == "37"  # the open period's 55 is left out
    # No value of the open period anywhere: not as an actual, nor in a period of its own.
    assert "55" not in [element.get("value") for element in root.iter()]


def test_own_identifier_is_used(app: Flask, session: Any, approved_and_open: Any) -> None:
    approved_and_open.iati_identifier = "XM-DAC-7-PVE-001"
    session.commit()
    with app.test_request_context():
        root = etree.fromstring(export.build(session, [approved_and_open]))
    assert root.findtext("iati-activity/iati-identifier") == "XM-DAC-7-PVE-001"


# --- import -----------------------------------------------------------------------------------

def test_official_sample_creates_its_activity_with_results(app: Flask, session: Any) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    report = importing(session, app, SAMPLE.read_bytes(), SAMPLE.name, programme=programme)
    assert report.ok, report.problems
    assert report.version == "2.03"
    project = session.scalar(sa.select(Project).where(
        Project.iati_identifier == "AA-AAA-123456789-ABC123"))
    assert project is not None
    assert project.code == "ABC123"
    assert project.title == "Activity title"
    assert project.countries == ["AF", "AG"]
    assert project.status == ActivityStatus.IMPLEMENTATION  # activity-status code 2
    assert (project.start_date, project.end_date) == (dt.date(2012, 4, 28),
                                                      dt.date(2015, 12, 31))
    assert project.source_document == SAMPLE.name
    assert project.source_locator == "AA-AAA-123456789-ABC123"
    results = list(session.scalars(sa.select(Result).where(Result.project_id == project.id)))
    assert [(r.statement, r.level) for r in results] == [("Result title", ResultLevel.OUTPUT)]
    indicators = list(session.scalars(sa.select(Indicator).where(
        Indicator.project_id == project.id)))
    assert [i.name for i in indicators] == ["Indicator title"]
    assert indicators[0].baseline_value == Decimal(10)
    assert indicators[0].baseline_date == dt.date(2012, 1, 1)
    targets = list(session.execute(
        sa.select(ReportingPeriod.start_date, ReportingPeriod.end_date, Target.value)
        .join(ReportingPeriod, Target.period_id == ReportingPeriod.id)
        .where(Target.indicator_id == indicators[0].id)))
    assert [tuple(t) for t in targets] == [(dt.date(2013, 1, 1), dt.date(2013, 3, 31), Decimal(10))]
    assert report.actuals_left == 1
    assert any("not imported" in line for line in report.summary())


def test_second_import_changes_nothing(app: Flask, session: Any) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    first = importing(session, app, SAMPLE.read_bytes(), programme=programme)
    assert first.ok and first.created["project"] == 1
    before = counts(session)
    second = importing(session, app, SAMPLE.read_bytes(), programme=programme)
    assert second.ok
    assert second.changes == 0
    assert second.unchanged == 1
    assert any("nothing to change" in line for line in second.summary())
    assert counts(session) == before


def test_dry_run_writes_nothing(app: Flask, session: Any) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    before = counts(session)
    report = importing(session, app, SAMPLE.read_bytes(), programme=programme, dry_run=True)
    assert report.ok
    assert report.created["project"] == 1 and report.created["indicator"] == 1
    assert any("Would create" in line for line in report.summary())
    assert counts(session) == before


def test_a_bad_activity_refuses_the_whole_file(app: Flask, session: Any) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    before = counts(session)
    content = activities_file(activity("XM-TEST-GOOD"), activity("XM-TEST-BAD", baseline="lots"))
    report = importing(session, app, content, programme=programme)
    assert not report.ok
    assert len(report.problems) == 1
    assert "XM-TEST-BAD" in report.problems[0]
    assert "baseline value" in report.problems[0] and "'lots'" in report.problems[0]
    assert counts(session) == before  # not even the good activity


def test_a_two_point_oh_two_file_imports(app: Flask, session: Any) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    report = importing(session, app, activities_file(activity("XM-TEST-A1")),
                       programme=programme)
    assert report.ok and report.version == "2.02"
    project = session.scalar(sa.select(Project).where(Project.iati_identifier == "XM-TEST-A1"))
    assert project.code == "A1"
    indicator = session.scalar(sa.select(Indicator).where(Indicator.project_id == project.id))
    assert indicator.target_value == Decimal(80)  # the last period's target
    assert report.actuals_left == 1


@pytest.mark.parametrize(("content", "expected"), [
    (activities_file(activity("X-1"), version="1.05"), "version 1.05"),
    (activities_file(activity("X-1"), version="1.03"), "version 1.03"),
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"identifier,title\nX-1,Youth\n", "not XML"),
    (b"<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Hi<br></body></html>",
     "HTML"),
    (b"<html><body><p>Not found</p></body></html>", "HTML"),
    (b'<?xml version="1.0"?><iati-organisations version="2.03"/>', "<iati-organisations>"),
    (activities_file(activity("X-1"), version="3.0"), "version 3.0"),
])
def test_files_that_are_not_iati_2_are_refused(app: Flask, session: Any, content: bytes,
                                               expected: str) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    before = counts(session)
    report = importing(session, app, content, programme=programme)
    assert report.refused is not None and expected in report.refused
    assert report.summary() == [report.refused]
    assert counts(session) == before


def test_activity_names_its_programme_as_parent(app: Flask, session: Any) -> None:
    ProgrammeFactory(code="PARENT", iati_identifier="XM-TEST-PARENT")
    session.commit()
    item = activity("XM-TEST-C1").replace(
        '<result type="1">', '<related-activity ref="XM-TEST-PARENT" type="1"/>'
        '<result type="1">')
    report = importing(session, app, activities_file(item))
    assert report.ok, report.problems
    project = session.scalar(sa.select(Project).where(Project.iati_identifier == "XM-TEST-C1"))
    assert project.programme.code == "PARENT"
    orphan = importing(session, app, activities_file(activity("XM-TEST-C2")))
    assert not orphan.ok and "XM-TEST-C2" in orphan.problems[0]
    assert "programme" in orphan.problems[0]


def test_large_files_are_read_as_a_stream(app: Flask, session: Any) -> None:
    """Two thousand activities in one file: read one at a time, all written, one commit."""
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    content = activities_file(*(activity(f"XM-TEST-S{n}") for n in range(2000)))
    seen: list[int] = []
    report = importing(session, app, content, programme=programme, progress=seen.append)
    assert report.ok and report.created["project"] == 2000
    assert seen[0] == 50 and seen[-1] == 2000
    assert len(report.lines) == 200  # the report lists a bounded number of them


# --- round trip -------------------------------------------------------------------------------

def framework(session: Any, project: Project) -> dict[str, Any]:
    results = sorted((r.code, r.level.value, r.statement) for r in session.scalars(
        sa.select(Result).where(Result.project_id == project.id))
        if session.scalar(sa.select(sa.func.count(Indicator.id)).where(
            Indicator.result_id == r.id)))
    indicators = sorted(
        (i.code, i.name, i.measure.value, i.direction.value, i.baseline_value,
         i.result.code if i.result else None)
        for i in session.scalars(sa.select(Indicator).where(Indicator.project_id == project.id))
        if i.result_id is not None)
    targets = sorted(session.execute(
        sa.select(Indicator.code, ReportingPeriod.start_date, ReportingPeriod.end_date,
                  Target.value).join(Indicator, Target.indicator_id == Indicator.id)
        .join(ReportingPeriod, Target.period_id == ReportingPeriod.id)
        .where(Indicator.project_id == project.id, Indicator.result_id.is_not(None))).all())
    return {"project": (project.code, project.title, project.countries, project.status.value,
                        project.start_date, project.end_date, project.budget),
            "results": results, "indicators": indicators, "targets": [tuple(t) for t in targets]}


def test_round_trip_into_a_fresh_database(app: Flask, session: Any, tmp_path: Path) -> None:
    loader.load(session, Actor.system(), today=dt.date(2025, 6, 30))
    source_programme = session.scalar(sa.select(Programme).where(Programme.code == "KZ-AST-RA"))
    projects = export.programme_projects(session, source_programme)
    with app.test_request_context():
        document = export.build(session, projects)
    expected = {p.code: framework(session, p) for p in projects}
    assert sum(len(f["targets"]) for f in expected.values()) > 0

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    command.upgrade(alembic_config(url), "head")
    fresh = create_app(app_test_config(url))
    state = fresh.extensions["pvetrack_db"]
    try:
        with fresh.app_context():
            other = state.session_factory()
            other.add(Programme(code="KZ-AST-RA", title="Imported", currency="USD",
                                countries=[], gcts_pillars=[], poa_priorities=[],
                                target_groups=[], drivers=[], levels=[]))
            other.commit()
            with fresh.test_request_context():
                report = run_import(other, Actor.system(), io.BytesIO(document), "export.xml")
            assert report.ok, report.problems
            assert report.created["project"] == len(projects)
            got = {p.code: framework(other, p) for p in other.scalars(sa.select(Project))}
            assert got == expected
            again = run_import(other, Actor.system(), io.BytesIO(document), "export.xml")
            assert again.ok and again.changes == 0
            other.close()
    finally:
        state.engine.dispose()


# --- pages and permissions ----------------------------------------------------------------------

def test_manager_checks_then_confirms_an_import(app: Flask, client: Any, login_as: Any,
                                                session: Any) -> None:
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    login_as(Role.MANAGER)
    page = client.get("/iati/import")
    assert page.status_code == 200
    checked = client.post("/iati/import", data={
        "file": (io.BytesIO(SAMPLE.read_bytes()), SAMPLE.name),
        "programme_id": str(programme.id)}, content_type="multipart/form-data")
    body = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "Would create" in body and "AA-AAA-123456789-ABC123" in body
    assert counts(session)[0] == session.scalar(sa.select(sa.func.count(Project.id)))
    assert session.scalar(sa.select(Project).where(
        Project.iati_identifier == "AA-AAA-123456789-ABC123")) is None
    stored = body.split('name="stored" value="', 1)[1].split('"', 1)[0]
    done = client.post("/iati/import/confirm", data={
        "stored": stored, "filename": SAMPLE.name, "programme_id": str(programme.id)})
    assert done.status_code == 200
    assert "Created" in done.get_data(as_text=True)
    session.expire_all()
    project = session.scalar(sa.select(Project).where(
        Project.iati_identifier == "AA-AAA-123456789-ABC123"))
    assert project is not None and project.programme_id == programme.id
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "iati.import"))
    assert event is not None and event.changes["file"] == [None, SAMPLE.name]
    creation = session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "project.create", AuditEvent.entity_id == str(project.id)))
    assert creation.changes["source"] == [None, f"{SAMPLE.name}#AA-AAA-123456789-ABC123"]
    # the same check cannot be confirmed twice
    assert client.post("/iati/import/confirm", data={
        "stored": stored, "filename": SAMPLE.name}).status_code == 422


def test_import_refusal_is_shown(client: Any, login_as: Any) -> None:
    login_as(Role.MANAGER)
    refused = client.post("/iati/import", data={
        "file": (io.BytesIO(activities_file(activity("X-1"), version="1.05")), "old.xml")},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "version 1.05" in refused.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EVALUATOR])
def test_only_staff_import(client: Any, login_as: Any, role: Role) -> None:
    login_as(role)
    assert client.get("/iati/import").status_code == 403
    assert client.post("/iati/import/confirm", data={"stored": "x"}).status_code == 403


def test_members_download_their_project_only(client: Any, auth: Any, session: Any,
                                             approved_and_open: Any) -> None:
    officer = UserFactory(role=Role.OFFICER)
    MemberFactory(user=officer, project=approved_and_open, role=MemberRole.OFFICER)
    stranger = UserFactory(role=Role.OFFICER)
    other = ProjectFactory(programme=approved_and_open.programme, code="EXP-2")
    session.commit()
    auth.login(officer)
    mine = client.get(f"/projects/{approved_and_open.id}/iati.xml")
    assert mine.status_code == 200 and mine.mimetype == "application/xml"
    assert schema_errors(mine.data) == []
    assert client.get(f"/projects/{other.id}/iati.xml").status_code == 403
    programme_file = client.get(f"/programmes/{approved_and_open.programme_id}/iati.xml")
    identifiers = etree.fromstring(programme_file.data).findall(
        "iati-activity/iati-identifier")
    assert [i.text for i in identifiers] == ["XI-PVETRACK-EXP-1"]  # not EXP-2
    auth.logout()
    auth.login(stranger)
    assert client.get(f"/projects/{approved_and_open.id}/iati.xml").status_code == 403
    assert client.get(
        f"/programmes/{approved_and_open.programme_id}/iati.xml").status_code == 403


def test_a_large_file_is_imported_by_a_job(app: Flask, client: Any, login_as: Any,
                                           session: Any, monkeypatch: Any) -> None:
    from app.jobs.models import Job, JobState

    monkeypatch.setitem(app.config, "IATI_BACKGROUND_BYTES", 100)
    programme = ProgrammeFactory(code="IMP-PRG")
    session.commit()
    login_as(Role.MANAGER)
    content = activities_file(*(activity(f"XM-TEST-J{n}") for n in range(3)))
    checked = client.post("/iati/import", data={
        "file": (io.BytesIO(content), "big.xml"), "programme_id": str(programme.id)},
        content_type="multipart/form-data")
    assert checked.status_code == 302 and "/jobs/" in checked.headers["Location"]
    session.expire_all()
    job = session.scalar(sa.select(Job).order_by(Job.id.desc()))
    assert (job.kind, job.state, job.done, job.total) == ("iati_import", JobState.DONE, 3, 3)
    assert session.scalar(sa.select(Project).where(Project.iati_identifier == "XM-TEST-J0")) \
        is None  # a dry run first
    page = client.get(checked.headers["Location"]).get_data(as_text=True)
    assert "Would create" in page
    stored = page.split('name="stored" value="', 1)[1].split('"', 1)[0]
    done = client.post("/iati/import/confirm", data={
        "stored": stored, "filename": "big.xml", "programme_id": str(programme.id)})
    assert done.status_code == 302
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(Project.id)).where(
        Project.iati_identifier.like("XM-TEST-J%"))) == 3


def test_commands_export_and_import(app: Flask, session: Any, approved_and_open: Any,
                                    tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    out = tmp_path / "exp.xml"
    result = runner.invoke(args=["iati", "export", "--project", "EXP-1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert schema_errors(out.read_bytes()) == []
    programme_file = tmp_path / "prg.xml"
    result = runner.invoke(args=["iati", "export", "--programme",
                                 approved_and_open.programme.code, "-o", str(programme_file)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["iati", "export", "-o", str(out)]).exit_code != 0
    sample = runner.invoke(args=["iati", "import", str(SAMPLE), "--programme",
                                 approved_and_open.programme.code, "--dry-run"])
    assert sample.exit_code == 0, sample.output
    assert "Would create: 1 project" in sample.output
    assert session.scalar(sa.select(Project).where(
        Project.iati_identifier == "AA-AAA-123456789-ABC123")) is None
    old = tmp_path / "old.xml"
    old.write_bytes(activities_file(activity("X-1"), version="1.05"))
    refused = runner.invoke(args=["iati", "import", str(old)])
    assert refused.exit_code == 1 and "version 1.05" in refused.output
