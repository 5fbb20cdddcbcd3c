"""A ratio measured as a percentage reads the same, and is judged the same, everywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from app.auth.models import MemberRole, Role
from app.frameworks.models import Frequency, PeriodState
from indicators.types import Calculation, Measure
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    MemberFactory,
    ProjectFactory,
    ReportingPeriodFactory,
)


def test_percentage_ratio_on_results_and_evaluation_pages(client: Any, login_as: Any,
                                                          session: Any) -> None:
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 3, 31))
    indicator = IndicatorFactory(
        project=project, code="1.1", name="Residents who trust the police",
        calculation=Calculation.RATIO, measure=Measure.PERCENTAGE, unit="%",
        numerator_label="respondents who trust", denominator_label="respondents",
        frequency=Frequency.QUARTERLY, baseline_value=Decimal(20), target_value=Decimal(60))
    period = ReportingPeriodFactory(project=project, start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 3, 31),
                                    due_date=dt.date(2024, 4, 30), state=PeriodState.APPROVED)
    DataValueFactory(indicator=indicator, period=period, value=None,
                     numerator=Decimal(30), denominator=Decimal(100))
    assert indicator.scale == Decimal(100)
    evaluator = login_as(Role.EVALUATOR)
    MemberFactory(user=evaluator, project=project, role=MemberRole.EVALUATOR)
    session.commit()

    results = client.get(f"/projects/{project.id}/results").get_data(as_text=True)
    assert "25%" in results and "25 %" not in results  # (30 - 20) / (60 - 20), in English
    evaluation = client.get(f"/evaluation/projects/{project.id}?period={period.id}")
    body = evaluation.get_data(as_text=True)
    assert "30%" in body and "60%" in body
    assert "3,000" not in body and "6,000" not in body
