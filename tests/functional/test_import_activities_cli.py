"""Bulk import of activities, and ``flask monitoring import`` from the shell."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build

from app.audit import Actor
from app.frameworks.models import ResultLevel
from app.monitoring import approval
from app.monitoring.models import Activity, AgeGroup, DataValue, Sex
from seed.factories import ResultFactory

HEADER = "kind,title,start_date,end_date,country,place,output,cost,female_15_24,male_25_34\n"


@pytest.fixture
def setup(session: Any) -> Any:
    built = build(session, code="ACT-1")
    ResultFactory(project=built.project, level=ResultLevel.OUTPUT, code="1.1")
    session.commit()
    return built


def upload(client: Any, setup: Any, content: str, mode: str = "import") -> Any:
    return client.post(f"/projects/{setup.project.id}/import", data={
        "file": (io.BytesIO(content.encode()), "activities.csv"), "mode": mode},
        content_type="multipart/form-data")


GOOD = (HEADER + "workshop,Peer speakers in Osh,2024-05-14,2024-05-15,KG,Osh,1.1,1500,14,9\n"
        "training,Imams' media training,2024-06-02,,kz,Almaty,,,,\n")


def test_activities_import_dry_run_import_and_again(client: Any, auth: Any, setup: Any,
                                                    session: Any) -> None:
    auth.login(setup.officer)
    body = upload(client, setup, GOOD, mode="check").get_data(as_text=True)
    assert '<dt>New</dt><dd>2</dd>' in body
    assert session.scalar(sa.select(sa.func.count(Activity.id))) == 0
    assert "Imported" in upload(client, setup, GOOD).get_data(as_text=True)
    session.expire_all()
    osh = session.scalars(sa.select(Activity).where(Activity.place == "Osh")).one()
    assert osh.result_id is not None and osh.cost == 1500
    assert {(p.sex, p.age_group): p.count for p in osh.participants} == {
        (Sex.FEMALE, AgeGroup.AGE_15_24): 14, (Sex.MALE, AgeGroup.AGE_25_34): 9}
    body = upload(client, setup, GOOD).get_data(as_text=True)
    assert "Nothing to change" in body and '<dt>Unchanged</dt><dd>2</dd>' in body
    changed = GOOD.replace(",1500,14,9", ",1500,15,9")
    body = upload(client, setup, changed).get_data(as_text=True)
    assert '<dt>Changed</dt><dd>1</dd>' in body
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(Activity.id))) == 2
    # the template lists what is logged, and importing it back changes nothing
    template = client.get(f"/projects/{setup.project.id}/import/activities.csv")
    assert "Peer speakers in Osh" in template.get_data(as_text=True)
    body = client.post(f"/projects/{setup.project.id}/import", data={
        "file": (io.BytesIO(template.get_data()), "activities.csv"), "mode": "import"},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Nothing to change" in body


@pytest.mark.parametrize(("line", "column", "message"), [
    ("party,Fun,2024-05-14,,,,,,,", "kind", "Unknown kind “party”"),
    ("workshop,,2024-05-14,,,,,,,", "title", "This field is required"),
    ("workshop,Day,14/05/2024,,,,,,,", "start_date", "is not a date like 2025-01-31"),
    ("workshop,Day,2024-05-14,,,,9.9,,,", "output", "has no result “9.9”"),
    ("workshop,Day,2024-05-14,,,,,,ten,", "female_15_24", "whole number of people"),
    ("workshop,=HYPERLINK(\"x\"),2024-05-14,,,,,,,", "title", "Formulas are not accepted"),
    ("workshop,Peer speakers in Osh,2024-05-14,,,,,,,", "title", "same title and start date"),
])
def test_wrong_activity_rows_write_nothing(client: Any, auth: Any, setup: Any, session: Any,
                                           line: str, column: str, message: str) -> None:
    auth.login(setup.officer)
    response = upload(client, setup, GOOD + line + "\n")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'<td class="num">4</td><td><code>{column}</code></td>' in body, body[-2500:]
    assert message in body
    assert session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_activity_in_a_locked_period_is_refused(app: Any, client: Any, auth: Any, setup: Any,
                                                session: Any) -> None:
    period = setup.period
    with app.app_context():
        approval.submit(session, Actor(setup.officer.id), period, period.version)
        approval.approve(session, Actor(setup.manager.id), period, period.version)
    auth.login(setup.officer)
    body = upload(client, setup, GOOD + "workshop,Late,2024-02-01,,,,,,,\n").get_data(
        as_text=True)
    assert "falls in an approved, locked period" in body
    assert session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def _values_file(tmp_path: Path, setup: Any, extra: str = "") -> Path:
    q1 = setup.period
    path = tmp_path / "values.csv"
    path.write_text(
        "indicator,period_start,period_end,disaggregation,category,value\n"
        + "".join(f"N,{q1.start_date},{q1.end_date},sex,{c},{v}\n"
                  for c, v in (("female", 3), ("male", 4)))
        + f"N,{q1.start_date},{q1.end_date},total,total,7\n" + extra)
    return path


def test_cli_dry_run_then_import(app: Any, setup: Any, session: Any, tmp_path: Path) -> None:
    path = _values_file(tmp_path, setup)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["monitoring", "import", str(path), "--project", "ACT-1",
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "new: 3  changed: 0  unchanged: 0" in result.output
    assert "Dry run: nothing was written." in result.output
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 0
    result = runner.invoke(args=["monitoring", "import", str(path), "--project", "ACT-1",
                                 "--user", setup.officer.email])
    assert result.exit_code == 0 and "Imported." in result.output
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 3
    assert set(session.scalars(sa.select(DataValue.entered_by_id))) == {setup.officer.id}
    result = runner.invoke(args=["monitoring", "import", str(path), "--project", "ACT-1"])
    assert "unchanged: 3" in result.output and "Nothing to change." in result.output


def test_cli_reports_errors_and_refusals(app: Any, setup: Any, session: Any,
                                         tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    path = _values_file(tmp_path, setup, "X,2024-01-01,2024-03-31,total,total,1\n"
                        "N,2024-01-01,2024-03-31,sex,female,8\n")
    result = runner.invoke(args=["monitoring", "import", str(path), "--project", "ACT-1"])
    assert result.exit_code == 1
    assert "row 5, column indicator: The project has no indicator “X”." in result.output
    assert ("Refused, nothing was written: 1 row has a problem. 1 row repeats the indicator, "
            "period and category of an earlier row. 2 problems in all.") in result.output
    assert "row 6, column indicator: The same indicator, period and category as row 2." \
        in result.output
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 0
    pdf = tmp_path / "values.csv"
    pdf.write_bytes(b"%PDF-1.4 binary")
    result = runner.invoke(args=["monitoring", "import", str(pdf), "--project", "ACT-1"])
    assert result.exit_code == 1 and "is not a text file" in result.output
    result = runner.invoke(args=["monitoring", "import", str(pdf), "--project", "NOPE"])
    assert "No project has the code 'NOPE'" in result.output
