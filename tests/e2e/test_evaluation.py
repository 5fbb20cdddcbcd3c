"""An evaluator scores an assigned project's indicators and criteria and finalises; a manager
then reads the evaluation report with the agreement between evaluators."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from browser import live_server, sign_in

from app.audit import Actor
from app.auth.models import Role, User
from app.evaluation.models import Criterion, ScoreState
from app.frameworks.models import Frequency
from app.programmes import services as programme_services
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    ProjectFactory,
    ProjectRatingFactory,
    ReportingPeriodFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e


def _project(session: Any) -> dict[str, Any]:
    """A project with one quarter and two indicators, the demo evaluator assigned to it, and
    a second evaluator who has already finalised scores."""
    project = ProjectFactory(code="EV-E2E-1", title="Peer speakers against recruitment",
                             start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31))
    period = ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                    start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 3, 31),
                                    due_date=dt.date(2024, 4, 30))
    indicators = []
    for n, (name, value) in enumerate([("Young people trained as peer speakers", 45),
                                       ("Counter-narrative videos published", 12)]):
        indicator = IndicatorFactory(project=project, code=f"1.{n + 1}", name=name,
                                     frequency=Frequency.QUARTERLY, target_value=Decimal(200))
        DataValueFactory(indicator=indicator, period=period, value=Decimal(value),
                         evidence_url=f"https://example.org/evidence/{n}")
        TargetFactory(indicator=indicator, period=period, value=Decimal(50))
        indicators.append(indicator)
    colleague = UserFactory(role=Role.EVALUATOR, name="Zarina Colleague")
    session.flush()
    evaluator = session.scalar(sa.select(User).where(User.role == Role.EVALUATOR,
                                                     User.email == "evaluator@example.org"))
    for user in (evaluator, colleague):
        programme_services.add_member(session, Actor.system(), project, user)
    for indicator in indicators:
        IndicatorScoreFactory(indicator=indicator, period=period, evaluator=colleague,
                              achievement=3, data_quality=3, state=ScoreState.FINAL,
                              justification="Colleague: the sheets match the totals.")
    for criterion in Criterion:
        ProjectRatingFactory(project=project, evaluator=colleague, criterion=criterion,
                             rating=3, state=ScoreState.FINAL,
                             justification=f"Colleague on {criterion.value}.")
    session.commit()
    return {"project_id": project.id, "indicator_ids": [i.id for i in indicators]}


@pytest.fixture(scope="module")
def evaluation_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with live_server(tmp_path_factory.mktemp("e2e-evaluation"), "e2e_evaluation",
                     _project) as served:
        yield served


def _fill(card: Any, scales: dict[str, int], justification: str) -> None:
    for scale, level in scales.items():
        card.get_by_role("group", name=scale).locator(f"input[value='{level}']").check()
    card.get_by_label("Justification").fill(justification)


def test_evaluator_scores_and_finalises_then_manager_reads_the_report(
        page: Any, evaluation_server: tuple[str, Any]) -> None:
    from playwright.sync_api import expect

    base, data = evaluation_server
    sign_in(page, base, "evaluator", wait=True)
    page.goto(f"{base}/evaluation")
    page.get_by_role("link", name=re.compile("EV-E2E-1")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peer speakers")
    expect(page.get_by_text("Colleague: the sheets match")).to_have_count(0)

    first = page.locator(f"#ind-{data['indicator_ids'][0]}")
    first.get_by_role("button", name="Save draft").click()  # nothing filled in
    expect(page.locator(f"#ind-{data['indicator_ids'][0]}")).to_contain_text(
        "Justification is required")

    for n, indicator_id in enumerate(data["indicator_ids"]):
        card = page.locator(f"#ind-{indicator_id}")
        _fill(card, {"Achievement": 4 - n, "Data quality": 3},
              f"Indicator {n + 1}: attendance sheets checked against the reported total.")
        card.get_by_role("button", name="Save draft").click()
        expect(page.get_by_role("status")).to_contain_text("Saved as a draft")
        expect(page.locator(f"#ind-{indicator_id}")).to_contain_text("Draft")
    for criterion in ("relevance", "coherence", "effectiveness", "efficiency", "impact",
                      "sustainability"):
        card = page.locator(f"#crit-{criterion}")
        _fill(card, {"Rating": 3 if criterion != "efficiency" else 2},
              f"My reading of {criterion} from the progress reports.")
        card.get_by_role("button", name="Save draft").click()
        expect(page.locator(f"#crit-{criterion}")).to_contain_text("Draft")

    page.get_by_role("button", name="Finalise all my drafts").click()
    expect(page.get_by_role("status")).to_contain_text("8 drafts finalised")
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.locator(f"#ind-{data['indicator_ids'][0]}")).to_contain_text("finalised on")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "manager", wait=True)
    page.goto(f"{base}/projects/{data['project_id']}")
    page.locator("#main").get_by_role("link", name="Evaluation", exact=True).click()
    page.get_by_role("link", name="Evaluation report").click()
    agreement = page.get_by_role("region", name="Agreement between evaluators")
    expect(agreement).to_contain_text("Krippendorff's alpha (ordinal)")
    expect(agreement).to_contain_text("2 evaluators")
    expect(agreement.locator(".stat-n").first).to_have_text(re.compile(r"^-?\d\.\d{3}$"))
    expect(page.get_by_text("Indicator 1: attendance sheets checked")).to_be_visible()
    expect(page.get_by_text("Colleague on efficiency.")).to_be_visible()
