"""Bulk import of values: templates, dry runs, all or nothing, idempotence, every refusal."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from monitoring_data import build

from app.audit import Actor, AuditEvent
from app.monitoring import approval
from app.monitoring.models import DataValue
from seed.factories import DataValueFactory

HEADER = ["indicator", "period_start", "period_end", "disaggregation", "category", "value",
          "numerator", "denominator", "text", "comment", "evidence_url"]


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session, code="IMP-1")


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    return ("\n".join(",".join(r) for r in [header, *rows]) + "\n").encode()


def row(code: str, period: Any, type_code: str = "total", category: str = "total",
        value: str = "", numerator: str = "", denominator: str = "", text: str = "",
        comment: str = "", url: str = "") -> list[str]:
    return [code, period.start_date.isoformat(), period.end_date.isoformat(), type_code,
            category, value, numerator, denominator, text, comment, url]


def upload(client: Any, setup: Any, content: bytes, name: str = "values.csv",
           mode: str = "check") -> Any:
    return client.post(f"/projects/{setup.project.id}/import", data={
        "file": (io.BytesIO(content), name), "mode": mode}, content_type="multipart/form-data")


def values(session: Any) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count(DataValue.id))) or 0


def _good_rows(setup: Any) -> list[list[str]]:
    q1, q2 = setup.periods[0], setup.periods[1]
    return [row("N", q1, value="5"), row("N", q1, "sex", "female", value="3"),
            row("N", q1, "sex", "male", value="2"), row("N", q2, "sex", "female", value="4"),
            row("R", q1, numerator="10", denominator="40", comment="School survey",
                url="https://example.org/survey"),
            row("Q", q1, text="Clubs started in two schools"), row("N", q2)]


def test_dry_run_counts_then_import_then_import_again_changes_nothing(
        client: Any, auth: Any, setup: Any, session: Any) -> None:
    DataValueFactory(indicator=setup.indicators["N"], period=setup.periods[0], value=5)
    DataValueFactory(indicator=setup.indicators["N"], period=setup.periods[1], value=1,
                     category_id=setup.categories[("sex", "female")])
    session.commit()
    auth.login(setup.officer)
    content = csv_bytes(_good_rows(setup))
    checked = upload(client, setup, content)
    assert checked.status_code == 200
    body = checked.get_data(as_text=True)
    assert "Check: nothing was written yet" in body
    assert '<dt>New</dt><dd>4</dd>' in body and '<dt>Changed</dt><dd>1</dd>' in body
    assert '<dt>Unchanged</dt><dd>1</dd>' in body and '<dt>Without a value</dt><dd>1</dd>' in body
    assert values(session) == 2
    imported = upload(client, setup, content, mode="import").get_data(as_text=True)
    assert "Imported" in imported
    assert values(session) == 6
    stored = session.scalar(sa.select(DataValue).where(
        DataValue.indicator_id == setup.indicators["R"].id))
    assert (stored.numerator, stored.denominator, stored.comment) == (10, 40, "School survey")
    assert stored.entered_by_id == setup.officer.id and stored.version == 1
    changed = session.scalar(sa.select(DataValue).where(
        DataValue.period_id == setup.periods[1].id))
    assert changed.value == 4 and changed.version == 2
    again = upload(client, setup, content, mode="import").get_data(as_text=True)
    assert "Nothing to change" in again and '<dt>Unchanged</dt><dd>6</dd>' in again
    events = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "data_values.import")).all()
    assert len(events) == 1
    assert events[0].changes["new"] == [None, 4] and events[0].changes["changed"] == [None, 1]


def test_one_wrong_row_writes_nothing(client: Any, auth: Any, setup: Any,
                                      session: Any) -> None:
    auth.login(setup.officer)
    rows = _good_rows(setup)
    rows.insert(2, row("NOPE", setup.period, value="1"))
    response = upload(client, setup, csv_bytes(rows), mode="import")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Refused: nothing was written" in body
    assert '<td class="num">4</td><td><code>indicator</code></td>' in body
    assert "The project has no indicator “NOPE”." in body
    assert values(session) == 0


def _errors(client: Any, setup: Any, rows: list[list[str]]) -> str:
    response = upload(client, setup, csv_bytes(rows), mode="import")
    assert response.status_code == 422, response.get_data(as_text=True)[-2000:]
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("case", "column", "message"), [
    ("unknown category", "category", "is not a category of this indicator"),
    ("category of another disaggregation", "category", "is not a category of this indicator"),
    ("unknown period", "period_start", "no reporting period from 2030-01-01"),
    ("computed indicator", "indicator", "computed from the activity log"),
    ("formula", "value", "Formulas are not accepted"),
    ("formula in text", "comment", "Formulas are not accepted"),
    ("not a number", "value", "“lots” is not a number"),
    ("ratio without denominator", "denominator", "numerator and the denominator together"),
    ("text for a number", "text", "takes a number, not text"),
    ("duplicate", "indicator", "same indicator, period and category as row 2"),
])
def test_each_wrong_row_is_named_with_its_column(client: Any, auth: Any, setup: Any,
                                                 session: Any, case: str, column: str,
                                                 message: str) -> None:
    q1 = setup.period
    bad = {
        "unknown category": row("N", q1, "sex", "other", value="1"),
        "category of another disaggregation": row("N", q1, "age_group", "15_24", value="1"),
        "unknown period": ["N", "2030-01-01", "2030-03-31", "total", "total", "1", "", "", "",
                           "", ""],
        "computed indicator": row("W", q1, value="3"),
        "formula": row("N", q1, "sex", "male", value="=1+1"),
        "formula in text": row("N", q1, "sex", "male", value="-2", comment="@SUM(A1:A9)"),
        "not a number": row("N", q1, "sex", "male", value="lots"),
        "ratio without denominator": row("R", q1, numerator="3"),
        "text for a number": row("N", q1, "sex", "male", value="1", text="many"),
        "duplicate": row("N", q1, value="6"),
    }[case]
    auth.login(setup.officer)
    body = _errors(client, setup, [row("N", q1, value="5"), bad])
    assert f'<td class="num">3</td><td><code>{column}</code></td>' in body
    assert message in body
    assert values(session) == 0


def test_locked_period_is_refused(app: Any, client: Any, auth: Any, setup: Any,
                                  session: Any) -> None:
    period = setup.period
    with app.app_context():
        approval.submit(session, Actor(setup.officer.id), period, period.version)
        approval.approve(session, Actor(setup.manager.id), period, period.version)
    auth.login(setup.officer)
    body = _errors(client, setup, [row("N", setup.periods[1], value="5"),
                                   row("N", period, value="5")])
    assert "The period is approved and locked." in body
    assert values(session) == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>",
     "is not a text file"),
    ("values.xlsx", b"indicator,period_start\nN,2024-01-01\n", "is not an Excel workbook"),
    ("values.txt", b"indicator\n", "Upload a .csv or an .xlsx file"),
    ("values.csv", b"name,amount\nx,1\n", "neither the values template"),
    ("values.csv", b"indicator,period,value\nN,2024,1\n", "Missing columns: period_start"),
    ("values.csv", b"", "is empty"),
    ("values.csv", "indicator;caf\xe9\n".encode("latin-1"), "is not UTF-8 text"),
])
def test_wrong_files_are_refused_whole(client: Any, auth: Any, setup: Any, name: str,
                                       content: bytes, message: str) -> None:
    auth.login(setup.officer)
    response = upload(client, setup, content, name=name, mode="import")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "The file was refused; nothing was written." in body and message in body


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_zip_bomb_is_refused_before_it_is_opened(client: Any, auth: Any, setup: Any) -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert len(output.getvalue()) < 100_000
    auth.login(setup.officer)
    response = upload(client, setup, output.getvalue(), name="bomb.xlsx", mode="import")
    assert response.status_code == 422
    assert "a zip bomb" in response.get_data(as_text=True)


def test_oversized_upload_is_refused(app: Any, client: Any, auth: Any, setup: Any) -> None:
    auth.login(setup.officer)
    app.config["MAX_CONTENT_LENGTH"] = 2048
    try:
        response = upload(client, setup, b"indicator," + b"x" * 4096, mode="import")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)


def test_xlsx_import_and_its_formula_cells(client: Any, auth: Any, setup: Any,
                                           session: Any) -> None:
    q1 = setup.period
    auth.login(setup.officer)
    with_formula = _xlsx([HEADER, row("N", q1, value="5"),
                          [*row("N", q1, "sex", "female")[:5], "=B2*2"]])
    response = upload(client, setup, with_formula, name="values.xlsx", mode="import")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert '<td class="num">3</td><td><code>value</code></td>' in body
    assert "Formulas are not accepted" in body and values(session) == 0
    numbers = _xlsx([HEADER, [*row("N", q1)[:5], 5], [*row("N", q1, "sex", "female")[:5], 2.5]])
    body = upload(client, setup, numbers, name="values.xlsx", mode="import").get_data(
        as_text=True)
    assert '<dt>New</dt><dd>2</dd>' in body and values(session) == 2


def test_templates_round_trip_unchanged(client: Any, auth: Any, setup: Any,
                                        session: Any) -> None:
    DataValueFactory(indicator=setup.indicators["N"], period=setup.period, value=7,
                     comment="=not a formula when exported")
    session.commit()
    auth.login(setup.officer)
    for fmt in ("csv", "xlsx"):
        template = client.get(f"/projects/{setup.project.id}/import/values.{fmt}")
        assert template.status_code == 200
        assert f'filename="IMP-1-values.{fmt}"' in template.headers["Content-Disposition"]
        content = template.get_data()
        if fmt == "csv":
            text = content.decode("utf-8-sig")
            lines = text.splitlines()
            assert lines[0].startswith("indicator,indicator_name,period_start")
            assert not any(line.startswith("W,") for line in lines)  # computed: not entered
            assert len(lines) == 1 + 8 * (3 + 3 + 1)  # periods × rows of N, R and Q
            assert "'=not a formula" in text
        body = upload(client, setup, content, name=f"template.{fmt}",
                      mode="import").get_data(as_text=True)
        assert "Nothing to change" in body, body[-3000:]
    assert values(session) == 1


def test_every_duplicate_and_every_bad_row_is_counted(client: Any, auth: Any, setup: Any,
                                                      session: Any) -> None:
    """A file of 3,000 rows of which 2,997 give one key and 3 are wrong: the page counts 2,996
    duplicates and 3 other wrong rows (a wrong row used to stop the count of duplicates at
    0), lists the wrong rows and the first duplicate, says how many more there are, and
    writes nothing."""
    q1 = setup.periods[0]
    rows = [row("N", q1, value="5") for _ in range(3000)]
    rows[10] = row("NOPE", q1, value="1")
    rows[20] = row("N", q1, value="lots")
    rows[30] = row("N", q1, "sex", "nobody", value="2")
    auth.login(setup.officer)
    body = _errors(client, setup, rows)
    assert "3 rows have problems." in body
    assert "2996 rows repeat the indicator, period and category of an earlier row." in body
    assert "2999 problems in all. Correct the file and try again." in body
    assert "… and 2995 more." in body
    assert body.count("<tr><td class=\"num\">") == 4
    assert "same indicator, period and category as row 2." in body
    assert values(session) == 0


def test_a_row_with_two_problems_is_one_wrong_row(client: Any, auth: Any, setup: Any) -> None:
    q1 = setup.periods[0]
    auth.login(setup.officer)
    body = _errors(client, setup, [row("NOPE", q1, "sex", "nobody", value="x")])
    assert "1 row has a problem." in body
    assert "3 problems in all" in body


def test_a_code_that_reads_as_a_formula_is_text_in_the_template_and_imports_back(
        client: Any, auth: Any, setup: Any, session: Any) -> None:
    """An indicator coded "=1+2" is written as text in both templates (no live formula), and
    the template, filled in and imported untouched otherwise, stores the value under it."""
    indicator = setup.indicators["N"]
    indicator.code = "=1+2"
    session.commit()
    auth.login(setup.officer)
    csv_text = client.get(f"/projects/{setup.project.id}/import/values.csv").get_data()
    text = csv_text.decode("utf-8-sig")
    assert not any(line.startswith("=") for line in text.splitlines())
    assert "\n'=1+2," in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/projects/{setup.project.id}/import/values.xlsx").get_data()))
    codes = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert "'=1+2" in codes and not any(str(c).startswith("=") for c in codes)
    cells = [c for c in book.active.iter_rows(min_row=2) if c[0].value == "'=1+2"]
    assert all(c[0].data_type == "s" for c in cells)
    # fill one row of the CSV template (the first quarter's total) and import it
    lines = text.splitlines()
    q1 = setup.periods[0]
    target = next(i for i, line in enumerate(lines) if line.startswith(
        "'=1+2,") and f",{q1.start_date},{q1.end_date},total,total," in line)
    cells_of = lines[target].split(",")
    cells_of[7] = "12"  # value
    lines[target] = ",".join(cells_of)
    body = upload(client, setup, ("\n".join(lines) + "\n").encode(), mode="import")
    assert body.status_code == 200, body.get_data(as_text=True)[-2000:]
    session.expire_all()
    stored = session.scalars(sa.select(DataValue).where(
        DataValue.indicator_id == indicator.id)).one()
    assert stored.value == 12
