"""A manager reads one indicator on the results page, the period's review page and the
evaluation sheet, and sees the same actual and status on each; provisional values appear only
when asked for, and marked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from browser import live_server, sign_in

from app.frameworks.models import Frequency, PeriodState
from indicators.types import Cumulation
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    ProjectFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.e2e


def _project(session: Any) -> dict[str, Any]:
    """Two approved quarters (117 trained, then 36 more) and a third submitted with 10."""
    project = ProjectFactory(code="FIG-E2E-1", title="Prevention skills for young people",
                             start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    quarters = [ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                       start_date=dt.date(2024, m, 1),
                                       end_date=dt.date(2024, m + 2, 28), state=state)
                for m, state in ((1, PeriodState.APPROVED), (4, PeriodState.APPROVED),
                                 (7, PeriodState.SUBMITTED))]
    indicator = IndicatorFactory(project=project, code="1.1.1",
                                 name="Young people trained in prevention skills",
                                 frequency=Frequency.QUARTERLY, cumulation=Cumulation.CUMULATIVE,
                                 baseline_value=Decimal(0), target_value=Decimal(460))
    for period, value in zip(quarters, (117, 36, 10), strict=True):
        DataValueFactory(indicator=indicator, period=period, value=Decimal(value))
    session.commit()
    return {"project": project.id, "indicator": indicator.id,
            "periods": [p.id for p in quarters]}


@pytest.fixture(scope="module")
def figures_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with live_server(tmp_path_factory.mktemp("e2e-figures"), "e2e_figures", _project) as served:
        yield served


def test_a_manager_sees_one_actual_and_status_on_every_page(
        page: Any, figures_server: tuple[str, Any]) -> None:
    from playwright.sync_api import expect

    base, data = figures_server
    sign_in(page, base, "manager", wait=True)
    # 153 of 460 by the end of June, with 178 of the year's 365 days gone: at risk.
    page.goto(f"{base}/projects/{data['project']}/results")
    card = page.locator(".fw-indicator", has_text="Young people trained")
    expect(card.locator("dd").nth(2)).to_contain_text("153")
    expect(card).to_contain_text("At risk")
    expect(card).not_to_contain_text("Provisional")

    page.goto(f"{base}/periods/{data['periods'][1]}/data")
    review = page.locator(".dc-figures")
    expect(review).to_contain_text("In this period 36")
    expect(review).to_contain_text("Actual to date 153")
    expect(review).to_contain_text("At risk")

    page.goto(f"{base}/evaluation/projects/{data['project']}?period={data['periods'][1]}")
    sheet = page.locator(".ev-figures")
    expect(sheet).to_contain_text(re.compile(r"Value in the period\s*36"))
    expect(sheet).to_contain_text(re.compile(r"Actual to date\s*153"))
    expect(sheet).to_contain_text("At risk")

    # The submitted third quarter counts only when asked for, and is marked.
    page.goto(f"{base}/projects/{data['project']}/results")
    page.get_by_role("link", name="Include provisional values").click()
    expect(card.locator("dd").nth(2)).to_contain_text("163")
    expect(card).to_contain_text("Provisional")
    page.get_by_role("link", name="Show approved values only").click()
    expect(card.locator("dd").nth(2)).to_contain_text("153")
