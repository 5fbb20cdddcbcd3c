"""The indicator tracking table: its page, filters and files, read back.

The world: a project of 2024 with an outcome measured once a year and an output measured each
quarter, cumulatively, broken down by sex. Every expected figure below is worked out by hand
from the values and targets set here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from app.auth.models import MemberRole, Role
from app.frameworks.models import (
    DisaggregationCategory,
    DisaggregationType,
    Frequency,
    PeriodState,
    ResultLevel,
)
from app.reports import documents
from indicators.types import Cumulation
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    MemberFactory,
    ProgrammeFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    ResultFactory,
    TargetFactory,
)

UTC = dt.UTC


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=UTC)


class World:
    def __init__(self, session: Any, programme: Any = None) -> None:
        self.project = ProjectFactory(code="IPTT-1", start_date=dt.date(2024, 1, 1),
                                      end_date=dt.date(2024, 12, 31),
                                      **({"programme": programme} if programme else {}))
        goal = ResultFactory(project=self.project, level=ResultLevel.GOAL, code="G",
                             statement="Young people reject violence")
        outcome = ResultFactory(project=self.project, level=ResultLevel.OUTCOME, code="1",
                                parent=goal, statement="Young people trust local authorities")
        output = ResultFactory(project=self.project, level=ResultLevel.OUTPUT, code="1.1",
                               parent=outcome, statement="Young people trained")
        sex = session.scalar(sa.select(DisaggregationType).where(DisaggregationType.code == "sex"))
        self.sex = sex
        cats = {c.code: c for c in session.scalars(
            sa.select(DisaggregationCategory).where(DisaggregationCategory.type_id == sex.id))}
        self.trained = IndicatorFactory(
            project=self.project, result=output, code="T.1", name="Young people trained",
            frequency=Frequency.QUARTERLY, cumulation=Cumulation.CUMULATIVE,
            baseline_value=Decimal(0), target_value=Decimal(200), unit="people")
        self.trained.disaggregations = [sex]
        self.trust = IndicatorFactory(
            project=self.project, result=outcome, code="O.1", name="Trust in local authorities",
            frequency=Frequency.ANNUAL, baseline_value=Decimal(0), target_value=Decimal(10))
        quarters = [(dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
                    (dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
                    (dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
                    (dt.date(2024, 10, 1), dt.date(2024, 12, 31))]
        states = [(PeriodState.APPROVED, _at("2024-04-20")),
                  (PeriodState.APPROVED, _at("2024-07-15")),
                  (PeriodState.SUBMITTED, None), (PeriodState.OPEN, None)]
        self.quarters = [ReportingPeriodFactory(
            project=self.project, frequency=Frequency.QUARTERLY, start_date=start,
            end_date=end, due_date=end + dt.timedelta(days=20), state=state, decided_at=decided)
            for (start, end), (state, decided) in zip(quarters, states, strict=True)]
        self.year = ReportingPeriodFactory(
            project=self.project, frequency=Frequency.ANNUAL, start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 1, 31),
            state=PeriodState.APPROVED, decided_at=_at("2025-02-01"))
        for period, target in zip(self.quarters, (40, 80, 120, 200), strict=True):
            TargetFactory(indicator=self.trained, period=period, value=Decimal(target))
        for period, value, entered in zip(self.quarters[:3], (30, 70, 60),
                                          ("2024-04-10", "2024-07-05", "2024-10-05"),
                                          strict=True):
            DataValueFactory(indicator=self.trained, period=period, value=Decimal(value),
                             entered_at=_at(entered))
        for period, female, male in ((self.quarters[0], 20, 10), (self.quarters[1], 40, 30)):
            for code, value in (("female", female), ("male", male)):
                DataValueFactory(indicator=self.trained, period=period,
                                 category_id=cats[code].id, value=Decimal(value),
                                 entered_at=_at("2024-07-05"))
                TargetFactory(indicator=self.trained, period=period, category_id=cats[code].id,
                              value=Decimal(20 if period is self.quarters[0] else 40))
        TargetFactory(indicator=self.trust, period=self.year, value=Decimal(10))
        DataValueFactory(indicator=self.trust, period=self.year, value=Decimal(12),
                         entered_at=_at("2025-01-10"))
        session.commit()


@pytest.fixture
def world(session: Any) -> World:
    return World(session)


def _book(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def _row(sheet: Any, code: str, name_part: str | None = None) -> tuple[Any, ...]:
    for row in sheet.iter_rows(values_only=True):
        if row[1] == code and (name_part is None or name_part in str(row[2])):
            return row
    raise AssertionError(f"no row {code} {name_part}")


def _cells(sheet: Any, code: str, name_part: str | None = None) -> list[Any]:
    for row in sheet.iter_rows():
        if row[1].value == code and (name_part is None or name_part in str(row[2].value)):
            return list(row)
    raise AssertionError(f"no row {code} {name_part}")


def test_the_table_follows_each_indicators_cumulation_and_targets(
        client: FlaskClient, login_as: Any, world: World) -> None:
    login_as(Role.MANAGER)
    book = _book(client, f"/projects/{world.project.id}/iptt.xlsx")
    sheet = book["Totals"]
    trained = _row(sheet, "T.1")
    # baseline, life-of-project target, to date (approved Q1 30 + Q2 70), as of, progress
    assert trained[4:7] == (0, 200, 100)
    assert trained[7].date() == dt.date(2024, 6, 30)
    assert trained[8] == pytest.approx(0.5)
    # Q1: target 40, running 30, 75 %; Q2: target 80, running 100, 125 %; Q3 submitted: not
    # counted; Q4: target only
    assert trained[10:13] == (40, 30, pytest.approx(0.75))
    assert trained[13:16] == (80, 100, pytest.approx(1.25))
    assert trained[16:19] == (120, None, None)
    assert trained[19:22] == (200, None, None)
    trust = _row(sheet, "O.1")
    assert trust[4:7] == (0, 10, 12)
    assert trust[10:13] == (10, 12, pytest.approx(1.2))
    assert sheet.freeze_panes == "D4"
    cells = _cells(sheet, "T.1")
    assert cells[12].number_format == "0%" and cells[11].number_format == "#,##0.##"
    about = {r[0]: r[1] for r in book["About these figures"].iter_rows(values_only=True)}
    assert about["Values counted"] == "approved values only"
    assert "IPTT-1" in about["Projects"]


def test_provisional_values_count_only_when_asked_and_are_marked(
        client: FlaskClient, login_as: Any, world: World) -> None:
    login_as(Role.MANAGER)
    sheet = _book(client, f"/projects/{world.project.id}/iptt.xlsx?provisional=1")["Totals"]
    trained = _row(sheet, "T.1")
    assert trained[6] == 160 and trained[8] == pytest.approx(0.8)
    assert trained[16:19] == (120, 160, pytest.approx(160 / 120))
    cells = _cells(sheet, "T.1")
    assert cells[17].font.italic and cells[17].fill.fgColor.rgb.endswith("FFF4D6")
    assert not cells[14].font.italic  # the approved quarter stays plain
    page = client.get(f"/projects/{world.project.id}/iptt?provisional=1").get_data(
        as_text=True)
    assert 'class="num provisional">160' in page


def test_a_disaggregation_adds_a_sheet_and_rows_per_category(
        client: FlaskClient, login_as: Any, world: World) -> None:
    login_as(Role.MANAGER)
    url = f"/projects/{world.project.id}/iptt.xlsx?disaggregation={world.sex.id}"
    book = _book(client, url)
    assert book.sheetnames == ["Totals", "Sex", "About these figures"]
    sheet = book["Sex"]
    female = _row(sheet, "T.1", "Female")
    male = _row(sheet, "T.1", "Male")
    # female: Q1 20 of 20 (100 %), Q2 running 60 of 40 (150 %); male: 10 of 20, 40 of 40
    assert female[10:16] == (20, 20, pytest.approx(1.0), 40, 60, pytest.approx(1.5))
    assert male[10:16] == (20, 10, pytest.approx(0.5), 40, 40, pytest.approx(1.0))
    with pytest.raises(AssertionError):
        _row(sheet, "O.1")  # not broken down by sex
    assert not any("Female" in str(r[2]) for r in book["Totals"].iter_rows(values_only=True))
    page = client.get(f"/projects/{world.project.id}/iptt?disaggregation={world.sex.id}")
    text = page.get_data(as_text=True)
    assert "Sex: Female" in text and "Sex: Male" in text
    assert client.get(f"/projects/{world.project.id}/iptt").get_data(
        as_text=True).count("Sex: Female") == 0


def test_csv_gives_one_line_per_row_and_period(client: FlaskClient, login_as: Any,
                                               world: World) -> None:
    login_as(Role.MANAGER)
    body = client.get(f"/projects/{world.project.id}/iptt.csv?disaggregation={world.sex.id}")
    assert body.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True))))
    q2 = next(r for r in rows if r["indicator_code"] == "T.1" and r["category"] == "total"
              and r["period_start"] == "2024-04-01")
    numbers = [Decimal(q2[k]) for k in ("period_target", "period_actual", "period_met",
                                        "actual_to_date")]
    assert numbers == [80, 100, Decimal("1.25"), 100]
    assert q2["to_date_as_of"] == "2024-06-30" and q2["provisional"] == "no"
    female = next(r for r in rows if r["indicator_code"] == "T.1" and r["category"] == "female"
                  and r["period_start"] == "2024-04-01")
    assert Decimal(female["period_actual"]) == 60 and female["disaggregation"] == "sex"
    assert {r["result_level"] for r in rows} == {"outcome", "output"}


def test_level_period_range_and_as_of_filters(client: FlaskClient, login_as: Any,
                                              world: World) -> None:
    login_as(Role.MANAGER)
    base = f"/projects/{world.project.id}/iptt.xlsx"
    sheet = _book(client, base + "?level=output")["Totals"]
    assert _row(sheet, "T.1")
    with pytest.raises(AssertionError):
        _row(sheet, "O.1")
    sheet = _book(client, base + "?from=2024-04-01&to=2024-06-30")["Totals"]
    trained = _row(sheet, "T.1")
    assert trained[10:13] == (80, 100, pytest.approx(1.25))  # Q2 is the only quarter shown
    assert len([c for c in trained[10:] if c is not None]) == 3
    # on 10 July the second quarter was reported (5 July) but not yet approved (15 July)
    sheet = _book(client, base + "?as_of=2024-07-10")["Totals"]
    assert _row(sheet, "T.1")[6] == 30
    sheet = _book(client, base + "?as_of=2024-07-10&provisional=1")["Totals"]
    assert _row(sheet, "T.1")[6] == 100
    # on 15 April the first quarter was reported but not approved; the second had begun, the
    # third not
    sheet = _book(client, base + "?as_of=2024-04-15")["Totals"]
    trained = _row(sheet, "T.1")
    assert trained[6] is None and trained[10:16] == (40, None, None, 80, None, None)
    assert len(trained) == 16
    page = client.get(f"/projects/{world.project.id}/iptt?from=2024-13-01").get_data(
        as_text=True)
    assert "2024-13-01 is not a date like 2025-12-31" in page


def test_pdf_in_english_and_russian(client: FlaskClient, login_as: Any, world: World) -> None:
    user = login_as(Role.MANAGER)
    response = client.get(f"/projects/{world.project.id}/iptt.pdf?provisional=1")
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Indicator tracking table: IPTT-1" in text
    # 125 % and 4/3: percentages with at most one decimal
    assert "Young people trained" in text and "125%" in text and "133.3%" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    # text extraction may split a word at a kerning pair ("PVE T rack"): compare without spaces
    assert f"by{user.name}".replace(" ", "") in "".join(text.split())
    assert "Trends" in text  # the charts are printed after the table
    client.post("/language", data={"locale": "ru", "next": "/"})
    ru = PdfReader(io.BytesIO(client.get(f"/projects/{world.project.id}/iptt.pdf").data))
    text = "\n".join(page.extract_text() for page in ru.pages)
    assert "Таблица отслеживания индикаторов: IPTT-1" in text
    assert f"Стр. 1 из {len(ru.pages)}" in text and "Что означают эти цифры" in text


def test_programme_table_shows_only_the_projects_the_reader_may_see(
        session: Any, client: FlaskClient, login_as: Any) -> None:
    programme = ProgrammeFactory(code="PRG-IPTT")
    mine = World(session, programme)
    other = ProjectFactory(code="IPTT-OTHER", programme=programme)
    IndicatorFactory(project=other, code="X.1", name="Hidden from the officer")
    session.commit()
    officer = login_as(Role.OFFICER)
    MemberFactory(user=officer, project=mine.project, role=MemberRole.OFFICER)
    session.commit()
    page = client.get(f"/programmes/{programme.id}/iptt").get_data(as_text=True)
    assert "IPTT-1" in page and "Young people trained" in page
    assert "IPTT-OTHER" not in page and "Hidden from the officer" not in page
    rows = client.get(f"/programmes/{programme.id}/iptt.csv").get_data(as_text=True)
    assert "T.1" in rows and "X.1" not in rows and "IPTT-OTHER" not in rows
    assert client.get(f"/projects/{other.id}/iptt").status_code == 403


def test_query_count_does_not_grow_with_indicators_and_periods(
        session: Any, client: FlaskClient, login_as: Any, count_queries: Any) -> None:
    login_as(Role.MANAGER)
    world = World(session)

    def count(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    url = f"/projects/{world.project.id}/iptt?disaggregation={world.sex.id}"
    before = count(url)
    for number in range(6):
        indicator = IndicatorFactory(project=world.project, code=f"T.{number + 2}",
                                     frequency=Frequency.QUARTERLY)
        indicator.disaggregations = [world.sex]
        for period in world.quarters:
            DataValueFactory(indicator=indicator, period=period, value=Decimal(number))
            TargetFactory(indicator=indicator, period=period, value=Decimal(10))
    session.commit()
    assert count(url) == before


def test_a_long_pdf_is_printed_in_parts_with_page_numbers_running_on(
        client: FlaskClient, login_as: Any, world: World, monkeypatch: Any) -> None:
    """Every place a long document may be cut starts a part of its own here: the pages keep
    their order, their heading and footer, and numbers that run on from part to part."""
    user = login_as(Role.MANAGER)
    url = f"/projects/{world.project.id}/iptt.pdf?provisional=1"
    whole = PdfReader(io.BytesIO(client.get(url).data))
    monkeypatch.setattr(documents, "PART_SIZE", 1)
    parted = PdfReader(io.BytesIO(client.get(url).data))
    pages = [page.extract_text() for page in parted.pages]

    assert len(pages) > len(whole.pages)  # the charts and the notes now start new pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}" in page and f"Page {number} of" not in page
        assert "Indicator tracking table: IPTT-1" in page
        assert f"by{user.name}".replace(" ", "") in "".join(page.split())
        assert "Figures as of" in page
    text = "".join("".join(page.split()) for page in pages)  # extraction splits "T rends"
    assert text.index("Youngpeopletrained") < text.index("Aboutthesefigures") \
        < text.index("Trends")
    assert parted.metadata is not None
    assert parted.metadata.title == "Indicator tracking table: IPTT-1"
    assert parted.trailer["/Root"]["/Lang"] == "en"


def test_a_title_cannot_break_out_of_the_page_style(client: FlaskClient, login_as: Any,
                                                    world: World, session: Any) -> None:
    world.project.code = 'X"}</style><h1>INJECTED</h1>'
    session.commit()
    login_as(Role.MANAGER)
    reader = PdfReader(io.BytesIO(client.get(f"/projects/{world.project.id}/iptt.pdf").data))
    first = reader.pages[0].extract_text()
    title = 'Indicator tracking table: X"}</style><h1>INJECTED</h1>'
    assert first.count(title) == 2  # the document's title and the page heading
    assert f"Page 1 of {len(reader.pages)}" in first  # the rest of the page style stands
    assert "\nINJECTED\n" not in "\n" + first + "\n"
