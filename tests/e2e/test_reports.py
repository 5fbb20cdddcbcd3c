"""Reports in a real browser, at desktop and phone width: a manager follows the dashboard's
figures to the lists behind them, opens a project's tracking table, breaks it down by sex and
downloads it as Excel and as PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from browser import live_server, sign_in
from openpyxl import load_workbook
from pypdf import PdfReader

from app.frameworks.models import (
    DisaggregationCategory,
    DisaggregationType,
    Frequency,
    PeriodState,
)
from seed.factories import (
    DataValueFactory,
    EventFactory,
    IndicatorFactory,
    ProjectFactory,
    RecommendationFactory,
    ReportingPeriodFactory,
    TargetFactory,
)

pytestmark = pytest.mark.e2e
ACTION_TIMEOUT = 30_000  # as tests/e2e/conftest.py: the limit, not a wait


def _world(session: Any) -> dict[str, Any]:
    project = ProjectFactory(code="IPTT-E2E", title="Peer educators in Khujand",
                             start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    sex = session.scalar(sa.select(DisaggregationType).where(DisaggregationType.code == "sex"))
    female = session.scalar(sa.select(DisaggregationCategory).where(
        DisaggregationCategory.type_id == sex.id, DisaggregationCategory.code == "female"))
    indicator = IndicatorFactory(project=project, code="P.1", name="Peer educators trained",
                                 frequency=Frequency.QUARTERLY, target_value=Decimal(100))
    indicator.disaggregations = [sex]
    period = ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                    start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 3, 31),
                                    due_date=dt.date(2024, 4, 30), state=PeriodState.APPROVED)
    ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                           start_date=dt.date(2024, 4, 1), end_date=dt.date(2024, 6, 30),
                           due_date=dt.date(2024, 7, 31), state=PeriodState.OPEN)
    DataValueFactory(indicator=indicator, period=period, value=Decimal(18))
    DataValueFactory(indicator=indicator, period=period, category_id=female.id,
                     value=Decimal(11))
    TargetFactory(indicator=indicator, period=period, category_id=female.id, value=Decimal(10))
    event = EventFactory(title="Khujand round table without follow-up",
                         start_date=dt.date(2023, 2, 1), end_date=dt.date(2023, 2, 2))
    RecommendationFactory(event=event, text="Set up a municipal prevention council.")
    session.commit()
    return {"project_id": project.id}


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with live_server(tmp_path_factory.mktemp("e2e-reports"), "e2e_reports", _world) as served:
        yield served


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_manager_follows_the_dashboard_and_downloads_the_tracking_table(
        browser: Any, reports_server: tuple[str, Any], width: int) -> None:
    from playwright.sync_api import expect

    base, data = reports_server
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    sign_in(page, base, "manager", wait=True)

    page.get_by_role("link", name=re.compile("reports? overdue")).click()
    page.wait_for_url(re.compile(r"/tasks\?show=overdue$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue reports")
    expect(page.locator("table")).to_contain_text("IPTT-E2E")
    page.go_back()
    page.get_by_role("link", name=re.compile("of judged events are talk shops")).first.click()
    page.wait_for_url(re.compile(r"/followup/report\?status=talk_shop$"))
    expect(page.locator("table.report")).to_contain_text("Khujand round table")
    page.go_back()
    page.locator(f'a[href="/projects/{data["project_id"]}/iptt"]').first.click()
    page.wait_for_url(re.compile(rf"/projects/{data['project_id']}/iptt$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("IPTT-E2E")

    page.get_by_label("Sex").check()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Show").click()
    assert "disaggregation=" in page.url
    expect(page.locator("table.iptt")).to_contain_text("Sex: Female")

    with page.expect_download() as excel:
        page.get_by_role("link", name="Excel").click()
    book = load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    assert book.sheetnames == ["Totals", "Sex", "About these figures"]
    female = next(r for r in book["Sex"].iter_rows(values_only=True)
                  if r[1] == "P.1" and "Female" in str(r[2]))
    assert female[10:13] == (10, 11, pytest.approx(1.1))
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(pdf.value.path().read_bytes()))
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "Sex:Female" in text and "Peereducatorstrained" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
