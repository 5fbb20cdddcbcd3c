"""Field collection: the demo project's XLSForm converts with pyxform, and the submissions
KoboToolbox and ODK Central export for it import once, through the bulk importer's checks."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from pyxform.xls2xform import convert

from app.audit import Actor, AuditEvent
from app.auth.models import MemberRole, Role
from app.frameworks.models import (
    ActivityKind,
    Indicator,
    PeriodState,
    ReportingPeriod,
)
from app.monitoring.models import Activity, DataValue, FieldSubmission
from app.programmes.models import Project
from seed import synthetic
from seed.factories import MemberFactory, UserFactory
from seed.factories.base import use_session

XF = "{http://www.w3.org/2002/xforms}"


@pytest.fixture
def demo(session: Any) -> Any:
    """The demo project of ``flask seed`` (DEMO-P00000-1), with an officer."""
    synthetic.generate(session, Actor.system(), synthetic.Sizes(
        programmes=1, projects_per_programme=1, events=0), seed=1, prefix="DEMO")
    use_session(session)  # the generator lets go of the factories' session
    project = session.scalars(sa.select(Project).where(Project.code == "DEMO-P00000-1")).one()
    officer = UserFactory(role=Role.OFFICER)
    MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    session.commit()
    project.officer = officer
    return project


def download(client: Any, auth: Any, project: Any) -> bytes:
    auth.login(project.officer)
    response = client.get(f"/projects/{project.id}/import/xlsform.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-xlsform.xlsx"')
    return bytes(response.data)


def survey(form: bytes) -> list[dict[str, str]]:
    """The survey sheet, each question with its group path."""
    book = openpyxl.load_workbook(io.BytesIO(form))
    rows = list(book["survey"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    groups: list[str] = []
    found = []
    for values in rows[1:]:
        row = {h: str(v) if v is not None else "" for h, v in zip(header, values, strict=False)}
        if row["type"] == "begin_group":
            groups.append(row["name"])
        elif row["type"] == "end_group":
            groups.pop()
        else:
            found.append({**row, "path": groups.copy()})
    return found


def choices(form: bytes, list_name: str) -> list[dict[str, str]]:
    book = openpyxl.load_workbook(io.BytesIO(form))
    rows = list(book["choices"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, (str(v) for v in r), strict=False)) for r in rows[1:]
            if r[0] == list_name]


def xform(form: bytes, tmp_path: Path) -> ET.Element:
    path = tmp_path / "form.xlsx"
    path.write_bytes(form)
    result = convert(xlsform=str(path))
    return ET.fromstring(result.xform)  # noqa: S314 - pyxform's output for the app's own form


def open_periods(session: Any, project: Any) -> list[ReportingPeriod]:
    return list(session.scalars(sa.select(ReportingPeriod).where(
        ReportingPeriod.project_id == project.id,
        ReportingPeriod.state.in_([PeriodState.OPEN, PeriodState.RETURNED]))
        .order_by(ReportingPeriod.start_date)))


def test_demo_form_converts_with_pyxform_and_holds_the_projects_choices(
        client: Any, auth: Any, demo: Any, session: Any, tmp_path: Path) -> None:
    form = download(client, auth, demo)
    root = xform(form, tmp_path)
    binds = {b.get("nodeset"): b.attrib for b in root.iter(f"{XF}bind")}
    assert binds["/data/report"]["required"] == "true()"
    assert binds["/data/activity/kind"]["required"] == "true()"
    assert binds["/data/activity/participants/female_15_24"]["type"] == "int"
    assert binds["/data/activity/participants/female_15_24"]["constraint"] == ". >= 0"
    assert binds["/data/activity/end_date"]["constraint"].split() == [
        ".", ">=", "/data/activity/start_date"]
    questions = survey(form)
    names = [q["name"] for q in questions]
    indicators = session.scalars(sa.select(Indicator).where(
        Indicator.project_id == demo.id, Indicator.activity_source.is_(None))).all()
    assert indicators
    for indicator in indicators:  # every hand-entered indicator has its total asked for
        labels = [q["label::English (en)"] for q in questions if q["path"][:1] == ["values"]]
        assert any(label.startswith(f"{indicator.code}: Total") for label in labels), \
            indicator.code
    value_binds = [b for n, b in binds.items() if n and n.startswith("/data/values/indicator_")]
    assert value_binds and all(". >= 0" in b.get("constraint", "") for b in value_binds
                               if b.get("type") in ("int", "decimal"))
    assert len(names) == len(set(names))
    groups = [b for n, b in binds.items() if n and re.fullmatch(r"/data/values/indicator_\d+", n)]
    assert len(groups) == len(indicators)
    if any(i.frequency is not None for i in indicators):  # asked in its own periods only
        assert any("/data/values/period" in b.get("relevant", "") for b in groups)
    periods = open_periods(session, demo)
    assert periods
    listed = " ".join(c["label::English (en)"] for c in choices(form, "period"))
    for period in periods:
        assert f"({period.start_date.isoformat()} – {period.end_date.isoformat()})" in listed
    kinds = {c["name"]: c for c in choices(form, "kind")}
    assert set(kinds) == {k.value for k in ActivityKind}
    assert kinds["workshop"]["label::Russian (ru)"] != "Workshop"
    assert re.search("[а-я]", kinds["workshop"]["label::Russian (ru)"])
    translations = {t.get("lang") for t in root.iter(f"{XF}translation")}
    assert translations == {"English (en)", "Russian (ru)"}


def test_the_command_writes_the_form(app: Any, demo: Any, tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    result = app.test_cli_runner().invoke(args=["xlsform", "--project", demo.code, "-o",
                                                str(out)])
    assert result.exit_code == 0, result.output
    written = convert(xlsform=str(out)).xform
    assert 'nodeset="/data/activity/kind"' in written and "/data/values/period" in written
    missing = app.test_cli_runner().invoke(args=["xlsform", "--project", "NOPE", "-o",
                                                 str(out)])
    assert missing.exit_code != 0 and "NOPE" in missing.output


# --- exports of submissions, built from the form's own questions -------------------------

class Export:
    """Submissions for the form in the layout of KoboToolbox or ODK Central."""

    def __init__(self, form: bytes, layout: str) -> None:
        self.questions = survey(form)
        self.layout = layout
        self.rows: list[dict[str, str]] = []

    def header(self, question: dict[str, str]) -> str:
        if self.layout == "kobo-labels":  # Kobo's "Labels" export without group names
            return question["label::Russian (ru)"]
        joiner = "/" if self.layout == "kobo" else "-"
        return joiner.join([*question["path"], question["name"]])

    def add(self, submission: str, answers: dict[str, str], status: str = "") -> None:
        self.rows.append({"id": submission, "status": status, **answers})

    def table(self) -> list[list[str]]:
        data = [self.header(q) for q in self.questions]
        if self.layout.startswith("kobo"):
            head = ["start", "end", *data, "meta/instanceID", "meta/rootUuid", "_id", "_uuid",
                    "_submission_time", "_validation_status", "_index"]
        else:
            head = ["SubmissionDate", "start", "end", *data, "meta-instanceID", "KEY",
                    "SubmitterID", "ReviewState"]
        rows = [head]
        for number, row in enumerate(self.rows, start=1):
            cells = [row.get(q["name"], "") for q in self.questions]
            if self.layout.startswith("kobo"):
                rows.append(["", "", *cells, row.get("edit", row["id"]),
                             row["id"] if "edit" in row else "", str(number),
                             row.get("edit", row["id"])[5:],
                             "2025-01-05T10:00:00", row["status"], str(number)])
            else:
                rows.append(["2025-01-05T10:00:00.000Z", "", "", *cells, row["id"], row["id"],
                             "7", row["status"]])
        return rows

    def csv(self) -> bytes:
        out = io.StringIO()
        csv.writer(out).writerows(self.table())
        return out.getvalue().encode()

    def xlsx(self) -> bytes:
        book = openpyxl.Workbook()
        for row in self.table():
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def value_question(form: bytes, session: Any, project: Any) -> tuple[str, Indicator]:
    """A whole-number or decimal total of a hand-entered indicator, found by its label."""
    for indicator in session.scalars(sa.select(Indicator).where(
            Indicator.project_id == project.id, Indicator.activity_source.is_(None))
            .order_by(Indicator.code)):
        for q in survey(form):
            if (q["label::English (en)"] == f"{indicator.code}: Total"
                    and q["type"] in ("integer", "decimal")):
                return q["name"], indicator
    raise AssertionError("the demo project has no number indicator")


def good_export(form: bytes, session: Any, project: Any, layout: str) -> tuple[Export, Any]:
    period = open_periods(session, project)[0]
    choice = next(c["name"] for c in choices(form, "period")
                  if period.start_date.isoformat() in c["label::English (en)"])
    name, indicator = value_question(form, session, project)
    export = Export(form, layout)
    export.add("uuid:0a1b2c3d-0000-4000-8000-000000000001", {
        "report": "activity", "kind": "workshop", "title": "Youth debate in Osh",
        "start_date": period.start_date.isoformat(), "end_date": period.start_date.isoformat(),
        "country": "KG", "place": "Osh", "cost": "120.50", "female_15_24": "12",
        "male_15_24": "9"})
    export.add("uuid:0a1b2c3d-0000-4000-8000-000000000002", {
        "report": "values", "period": choice, name: "7", "comment": "From the field"})
    export.add("uuid:0a1b2c3d-0000-4000-8000-000000000003", {
        "report": "activity", "kind": "training", "title": "Rejected on the server",
        "start_date": period.start_date.isoformat()},
        status="validation_status_not_approved" if layout == "kobo" else "rejected")
    return export, (period, indicator)


def upload(client: Any, project: Any, content: bytes, name: str, mode: str = "check") -> Any:
    return client.post(f"/projects/{project.id}/import", data={
        "file": (io.BytesIO(content), name), "mode": mode}, content_type="multipart/form-data")


def counts(session: Any, project: Any) -> tuple[int, int, int, int]:
    session.expire_all()
    return (
        session.scalar(sa.select(sa.func.count(Activity.id)).where(
            Activity.project_id == project.id)) or 0,
        session.scalar(sa.select(sa.func.count(DataValue.id))) or 0,
        session.scalar(sa.select(sa.func.count(FieldSubmission.id))) or 0,
        session.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0)


@pytest.mark.parametrize(("layout", "fmt"), [("kobo", "csv"), ("kobo", "xlsx"), ("odk", "csv")])
def test_an_export_imports_once_and_a_second_import_changes_nothing(
        client: Any, auth: Any, demo: Any, session: Any, layout: str, fmt: str) -> None:
    form = download(client, auth, demo)
    export, (period, indicator) = good_export(form, session, demo, layout)
    content = export.csv() if fmt == "csv" else export.xlsx()
    name = f"submissions.{fmt}"
    before = counts(session, demo)
    checked = upload(client, demo, content, name)
    body = checked.get_data(as_text=True)
    assert checked.status_code == 200, body
    assert "Check: nothing was written yet" in body
    assert "2 submissions not imported before." in body
    assert '<dt>New</dt><dd>2</dd>' in body  # the activity and the value
    assert counts(session, demo) == before
    imported = upload(client, demo, content, name, mode="import").get_data(as_text=True)
    assert "Imported" in imported
    activities, values, submissions, audits = counts(session, demo)
    assert (activities, values, submissions) == (before[0] + 1, before[1] + 1, before[2] + 2)
    stored = session.scalars(sa.select(Activity).where(
        Activity.title == "Youth debate in Osh")).one()
    assert stored.kind == ActivityKind.WORKSHOP and stored.country == "KG"
    assert sorted(p.count for p in stored.participants) == [9, 12]
    value = session.scalars(sa.select(DataValue).where(
        DataValue.indicator_id == indicator.id, DataValue.period_id == period.id)).one()
    assert value.value == 7 and value.comment == "From the field"
    assert value.entered_by_id == demo.officer.id
    assert not session.scalar(sa.select(Activity).where(
        Activity.title == "Rejected on the server"))
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "field_submissions.import")).one()
    assert event.changes["source"][1] == ("KoboToolbox" if layout == "kobo" else "ODK Central")
    assert event.changes["file"][1] == name
    assert "uuid:0a1b2c3d-0000-4000-8000-000000000002" in str(event.changes["submissions"])
    again = upload(client, demo, content, name, mode="import").get_data(as_text=True)
    assert "Nothing to change" in again
    assert "2 submissions imported before: left alone." in again
    assert counts(session, demo) == (activities, values, submissions, audits)


def test_labels_export_in_russian_imports(client: Any, auth: Any, demo: Any,
                                          session: Any) -> None:
    """Kobo can export the labels of the questions and answers rather than their names."""
    form = download(client, auth, demo)
    export, (period, indicator) = good_export(form, session, demo, "kobo-labels")
    russian = {c["name"]: c["label::Russian (ru)"] for c in choices(form, "kind")}
    reports = {c["name"]: c["label::Russian (ru)"] for c in choices(form, "report")}
    export.rows[0]["kind"] = russian["workshop"]
    export.rows[0]["report"] = reports["activity"]
    export.rows[1]["report"] = reports["values"]
    export.rows = export.rows[:2]
    imported = upload(client, demo, export.csv(), "labels.csv", mode="import")
    assert "Imported" in imported.get_data(as_text=True)
    assert session.scalars(sa.select(Activity).where(
        Activity.title == "Youth debate in Osh")).one().kind == ActivityKind.WORKSHOP
    assert session.scalars(sa.select(DataValue.value).where(
        DataValue.indicator_id == indicator.id, DataValue.period_id == period.id)).one() == 7


def _refused(client: Any, demo: Any, session: Any, export: Export, *needles: str) -> str:
    before = counts(session, demo)
    response = upload(client, demo, export.csv(), "bad.csv", mode="import")
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body
    assert "Refused: nothing was written" in body
    for needle in needles:
        assert needle in body, needle
    assert counts(session, demo) == before
    return body


def test_an_unknown_indicator_refuses_the_whole_export(client: Any, auth: Any, demo: Any,
                                                       session: Any) -> None:
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "kobo")
    name, _indicator = value_question(form, session, demo)
    unknown = dict(next(q for q in export.questions if q["name"] == name))
    unknown["name"] = "v.ZZ9.total.total.value"
    export.questions.append(unknown)
    export.rows[1]["v.ZZ9.total.total.value"] = "3"
    body = _refused(client, demo, session, export, "uuid:0a1b2c3d-0000-4000-8000-000000000002",
                    "The project has no indicator")
    cells = re.findall(r"<td class=\"num\">(\d+)</td><td><code>([^<]*)</code>", body)
    assert ("3", "values/indicator_1/v.zz9.total.total.value") in cells


def test_a_negative_count_refuses_the_whole_export(client: Any, auth: Any, demo: Any,
                                                   session: Any) -> None:
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "odk")
    export.rows[0]["male_15_24"] = "-4"
    body = _refused(client, demo, session, export, "uuid:0a1b2c3d-0000-4000-8000-000000000001",
                    "“-4”")
    assert "<td class=\"num\">2</td><td><code>activity-participants-male_15_24</code>" in body


def test_a_closed_period_refuses_the_whole_export(client: Any, auth: Any, demo: Any,
                                                  session: Any) -> None:
    form = download(client, auth, demo)
    export, (period, _indicator) = good_export(form, session, demo, "kobo")
    period.state = PeriodState.APPROVED
    session.commit()
    body = _refused(client, demo, session, export, "uuid:0a1b2c3d-0000-4000-8000-000000000002",
                    "The period is approved and locked.",
                    "The activity falls in an approved, locked period.")
    assert "<td class=\"num\">3</td><td><code>values/period</code>" in body


def test_an_edited_submission_is_reported_not_imported_twice(
        client: Any, auth: Any, demo: Any, session: Any) -> None:
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "odk")
    assert upload(client, demo, export.csv(), "first.csv", mode="import").status_code == 200
    export.rows[0]["title"] = "Youth debate in Osh, edited"
    _refused(client, demo, session, export, "uuid:0a1b2c3d-0000-4000-8000-000000000001",
                    "has been edited since")
    assert "edited" not in " ".join(a.title for a in session.scalars(sa.select(Activity)))


def test_the_same_submission_twice_in_one_export_is_refused(
        client: Any, auth: Any, demo: Any, session: Any) -> None:
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "kobo")
    export.rows[1]["id"] = export.rows[0]["id"]
    _refused(client, demo, session, export, "is also in row 2")


def test_only_the_projects_officers_and_staff_get_the_form_and_import(
        client: Any, auth: Any, demo: Any, session: Any) -> None:
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "kobo")
    auth.logout()
    stranger = UserFactory(role=Role.OFFICER)
    evaluator = UserFactory(role=Role.EVALUATOR)
    MemberFactory(user=evaluator, project=demo, role=MemberRole.EVALUATOR)
    session.commit()
    before = counts(session, demo)
    for user in (stranger, evaluator):
        auth.login(user)
        assert client.get(f"/projects/{demo.id}/import/xlsform.xlsx").status_code == 403
        assert upload(client, demo, export.csv(), "s.csv", mode="import").status_code == 403
        auth.logout()
    assert counts(session, demo)[:3] == before[:3]
    manager = UserFactory(role=Role.MANAGER)
    session.commit()
    auth.login(manager)
    assert client.get(f"/projects/{demo.id}/import/xlsform.xlsx").status_code == 200
    assert "Imported" in upload(client, demo, export.csv(), "s.csv",
                                mode="import").get_data(as_text=True)


def test_a_large_export_goes_through_the_background_job(
        app: Any, client: Any, auth: Any, demo: Any, session: Any) -> None:
    """Without a queue the job runs at once; with one, the worker runs the same function."""
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "odk")
    saved = app.config["IMPORT_BACKGROUND_ROWS"]
    app.config["IMPORT_BACKGROUND_ROWS"] = 1
    try:
        before = counts(session, demo)
        response = upload(client, demo, export.csv(), "large.csv", mode="import")
        assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "2 submissions not imported before." in page
        after = counts(session, demo)
        assert after[:3] == (before[0] + 1, before[1] + 1, before[2] + 2)
        again = upload(client, demo, export.csv(), "large.csv", mode="import")
        page = client.get(again.headers["Location"]).get_data(as_text=True)
        assert "2 submissions imported before: left alone." in page
        assert counts(session, demo)[:3] == after[:3]
    finally:
        app.config["IMPORT_BACKGROUND_ROWS"] = saved


def test_a_submission_edited_on_kobo_keeps_its_first_id(client: Any, auth: Any, demo: Any,
                                                         session: Any) -> None:
    """KoboToolbox gives an edit a new instanceID and _uuid, and the first id in rootUuid."""
    form = download(client, auth, demo)
    export, _ = good_export(form, session, demo, "kobo")
    assert upload(client, demo, export.csv(), "first.csv", mode="import").status_code == 200
    export.rows[1]["edit"] = "uuid:9f9f9f9f-0000-4000-8000-000000000002"
    again = upload(client, demo, export.csv(), "first.csv", mode="import").get_data(as_text=True)
    assert "Nothing to change" in again and "imported before: left alone" in again
    name, _indicator = value_question(form, session, demo)
    export.rows[1][name] = "8"
    _refused(client, demo, session, export, "uuid:0a1b2c3d-0000-4000-8000-000000000002",
             "has been edited since")



def test_a_label_typed_as_a_formula_stays_text_in_the_form(tmp_path: Path) -> None:
    from app.monitoring.imports.xlsform import SURVEY_COLUMNS, _sheet

    formula = '=HYPERLINK("http://attacker.example","Youth reached")'
    book = openpyxl.Workbook(write_only=True)
    _sheet(book, "survey", SURVEY_COLUMNS, iter([{"type": "note", "name": "n",
                                                  "label::English (en)": formula}]))
    output = io.BytesIO()
    book.save(output)
    sheet = openpyxl.load_workbook(io.BytesIO(output.getvalue()))["survey"]
    label = sheet.cell(row=2, column=SURVEY_COLUMNS.index("label::English (en)") + 1)
    # Stored as text, exactly as typed: no formula, and no apostrophe for Kobo to show.
    assert (label.value, label.data_type) == (formula, "s")
