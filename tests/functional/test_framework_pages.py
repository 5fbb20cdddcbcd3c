"""The completeness view, the results page and the query budget of every framework page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.auth.models import MemberRole, Role
from app.frameworks.models import (
    Assumption,
    BudgetCategory,
    BudgetLine,
    Frequency,
    Indicator,
    IndicatorType,
    PeriodState,
    Result,
    ResultLevel,
    Risk,
    RiskCategory,
    Target,
)
from app.monitoring.models import DataValue
from indicators.types import Calculation, Measure
from seed.factories import (
    AssumptionFactory,
    BudgetLineFactory,
    DataValueFactory,
    IndicatorFactory,
    MemberFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    ResultFactory,
    RiskFactory,
    TargetFactory,
)
from seed.factories.framework import total_category_id

PAST = {"start_date": dt.date(2023, 1, 1), "end_date": dt.date(2023, 12, 31)}


def _chain(project: Any, toc: bool = True) -> tuple[Any, Any, Any]:
    theory = {"toc_if": "if", "toc_then": "then", "toc_because": "because"} if toc else {}
    goal = ResultFactory(project=project, code="G", **theory)
    outcome = ResultFactory(project=project, level=ResultLevel.OUTCOME, parent=goal, code="1",
                            **theory)
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, parent=outcome,
                           code="1.1", **theory)
    return goal, outcome, output


def _complete(session: Any) -> tuple[Any, Any, Any]:
    project = ProjectFactory(budget=Decimal(1000), **PAST)
    _goal, outcome, output = _chain(project)
    AssumptionFactory(result=outcome)
    RiskFactory(project=project)
    BudgetLineFactory(project=project, planned=Decimal(900))
    BudgetLineFactory(project=project, planned=Decimal(100),
                      category=BudgetCategory.MONITORING_EVALUATION)
    period = ReportingPeriodFactory(project=project, frequency=Frequency.ANNUAL,
                                    start_date=dt.date(2023, 1, 1),
                                    end_date=dt.date(2023, 12, 31))
    indicators = [IndicatorFactory(project=project, result=r, code=c,
                                   frequency=Frequency.ANNUAL)
                  for r, c in ((outcome, "1a"), (output, "1.1a"))]
    for indicator in indicators:
        TargetFactory(indicator=indicator, period=period)
    session.commit()
    return project, outcome, indicators[1]


def test_a_complete_framework_shows_every_step_done(client: Any, login_as: Any,
                                                    session: Any) -> None:
    login_as(Role.MANAGER)
    project, _outcome, _indicator = _complete(session)
    page = client.get(f"/projects/{project.id}/framework").get_data(as_text=True)
    assert "The framework is complete" in page
    assert page.count("badge-done") == 4 and "badge-missing" not in page
    results = client.get(f"/projects/{project.id}/results").get_data(as_text=True)
    assert "None: every step of the set-up is complete." in results


def test_the_completeness_view_flags_each_missing_element(client: Any, login_as: Any,
                                                          session: Any) -> None:
    login_as(Role.MANAGER)
    empty = ProjectFactory()
    session.commit()
    page = client.get(f"/projects/{empty.id}/framework").get_data(as_text=True)
    for text in ("No budget line yet.", "No goal yet.", "No outcome yet.", "No output yet.",
                 "No risk recorded.", "No indicator yet."):
        assert text in page
    project = ProjectFactory(budget=Decimal(100), **PAST)
    goal, _outcome, output = _chain(project, toc=False)
    ResultFactory(project=project, level=ResultLevel.OUTCOME, parent=goal, code="2")
    BudgetLineFactory(project=project, planned=Decimal(150))
    RiskFactory(project=project, category=RiskCategory.FIDUCIARY, description="Fraud",
                mitigation=None, owner=None)
    bare = IndicatorFactory(project=project, code="X1", result=None, baseline_value=None,
                            target_value=None, data_source="", responsible=None,
                            frequency=None, means_of_verification=None)
    planned = IndicatorFactory(project=project, code="1.1a", result=output,
                               frequency=Frequency.ANNUAL)
    session.commit()
    page = client.get(f"/projects/{project.id}/framework").get_data(as_text=True)
    base = f"/projects/{project.id}/framework"
    expected = [
        "Nothing is set aside for monitoring and evaluation.",
        "The budget lines plan more than the project's budget.",
        f'Outcomes without an output:\n      <a href="{base}/results/new?parent=',
        "Results without a complete theory of change (if, then, because)",
        f'<a href="{base}/results/{goal.id}/edit">G</a>',
        "No assumption recorded.",
        "No do-no-harm risk recorded.",
        "Risks without a mitigation", "Risks without an owner",
        f'Outcomes and outputs without an indicator:\n      <a href="{base}/indicators/new?result=',
        f'Indicators not linked to a result:\n      <a href="{base}/indicators/{bare.id}/edit">X1',
        "Indicators without a baseline", "Indicators without a target",
        "Indicators without a data source", "Indicators without a responsible person",
        "Indicators without a reporting frequency", "Indicators without a means of verification",
        "Indicators without a target for every reporting period:\n      "
        f'<a href="{base}/indicators/{planned.id}/targets">1.1a</a>',
    ]
    for text in expected:
        assert text in page, text
    assert "badge-done" not in page


def test_members_see_the_gaps_without_links_to_forms(client: Any, login_as: Any,
                                                     session: Any) -> None:
    project = ProjectFactory()
    ResultFactory(project=project, code="G")
    session.commit()
    officer = login_as(Role.OFFICER)
    MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    session.commit()
    page = client.get(f"/projects/{project.id}/framework").get_data(as_text=True)
    assert "Results without a complete theory of change" in page
    assert "/edit" not in page and "Add a goal" not in page


def test_results_page_shows_figures_progress_and_status(client: Any, login_as: Any,
                                                        session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory(**PAST)
    _goal, outcome, output = _chain(project)
    q1, q2 = (ReportingPeriodFactory(project=project, start_date=dt.date(2023, m, 1),
                                     end_date=dt.date(2023, m + 2, 28),
                                     state=PeriodState.APPROVED) for m in (1, 4))
    trained = IndicatorFactory(project=project, result=output, code="1.1a", name="Trained",
                               baseline_value=Decimal(0), target_value=Decimal(100))
    TargetFactory(indicator=trained, period=q1, value=Decimal(50))
    DataValueFactory(indicator=trained, period=q1, value=Decimal(15))
    DataValueFactory(indicator=trained, period=q2, value=Decimal(25))
    trust = IndicatorFactory(project=project, result=outcome, code="1a", name="Trust",
                             measure=Measure.PERCENTAGE, calculation=Calculation.RATIO,
                             numerator_label="trusting", denominator_label="asked",
                             baseline_value=Decimal(20), target_value=Decimal(70),
                             type=IndicatorType.OUTCOME)
    DataValueFactory(indicator=trust, period=q1, value=None, numerator=Decimal(10),
                     denominator=Decimal(40))
    DataValueFactory(indicator=trust, period=q2, value=None, numerator=Decimal(50),
                     denominator=Decimal(80))
    IndicatorFactory(project=project, result=output, code="1.1b", name="Silent")
    session.commit()
    page = client.get(f"/projects/{project.id}/results").get_data(as_text=True)
    trained_card = page[page.index("Trained"):page.index("Silent")]
    assert "40" in trained_card and 'value="40"' in trained_card  # (15 + 25) / 100
    # As of its last reported period (ending 28 Jun 2023), 178 of the project's 364 days have
    # passed: on track needs 0.9 x 178/364 = 0.44 of the way, at risk 0.6 x 178/364 = 0.29.
    assert "At risk" in trained_card and "Targets for 1 period" not in trained_card
    assert "Target for 1 period" in trained_card
    trust_card = page[page.index("Trust"):page.index("Trained")]
    assert "50" in trust_card and 'value="60"' in trust_card  # 60 / 120; (50-20) / (70-20)
    assert "On track" in trust_card  # 0.6 >= 0.44
    assert "No data" in page[page.index("Silent"):]
    assert page.index("Trust") < page.index("Trained")  # the outcome comes before its output


def _grow(session: Any, project: Any, goal: Any, periods: list[Any], n: int) -> None:
    """Add n outputs under n / 10 outcomes, n indicators with targets and values, n risks,
    budget lines and assumptions, with bulk inserts."""
    mark = session.scalar(sa.select(sa.func.count(Result.id)))
    total = total_category_id()
    outcome_rows = [{"project_id": project.id, "parent_id": goal.id, "level": ResultLevel.OUTCOME,
                     "code": f"O{mark}-{i}", "position": i, "statement": f"Outcome {i}",
                     "version": 1} for i in range(max(1, n // 10))]
    session.execute(sa.insert(Result), outcome_rows)
    outcomes = session.scalars(sa.select(Result.id).where(
        Result.code.like(f"O{mark}-%"))).all()
    session.execute(sa.insert(Result), [
        {"project_id": project.id, "parent_id": outcomes[i % len(outcomes)],
         "level": ResultLevel.OUTPUT, "code": f"P{mark}-{i}", "position": i,
         "statement": f"Output {i}", "toc_if": "a", "toc_then": "b", "toc_because": "c",
         "version": 1} for i in range(n)])
    outputs = session.scalars(sa.select(Result.id).where(Result.code.like(f"P{mark}-%"))).all()
    session.execute(sa.insert(Indicator), [
        {"project_id": project.id, "result_id": outputs[i], "code": f"I{mark}-{i}",
         "position": i, "name": f"Indicator {i}", "type": IndicatorType.OUTPUT,
         "frequency": Frequency.QUARTERLY, "baseline_value": 0, "target_value": 100,
         "version": 1} for i in range(n)])
    indicators = session.scalars(sa.select(Indicator.id).where(
        Indicator.code.like(f"I{mark}-%"))).all()
    session.execute(sa.insert(Target), [
        {"indicator_id": i, "period_id": p.id, "category_id": total, "value": 25}
        for i in indicators for p in periods])
    session.execute(sa.insert(DataValue), [
        {"indicator_id": i, "period_id": p.id, "category_id": total, "value": 20, "version": 1}
        for i in indicators for p in periods[:2]])
    session.execute(sa.insert(Risk), [
        {"project_id": project.id, "result_id": outputs[i], "category": RiskCategory.DO_NO_HARM,
         "description": f"Risk {mark}-{i}", "likelihood": 1 + i % 5, "impact": 1 + i % 3,
         "version": 1} for i in range(n)])
    session.execute(sa.insert(BudgetLine), [
        {"project_id": project.id, "result_id": outputs[i], "category": BudgetCategory.TRAVEL,
         "description": f"Line {i}", "planned": 10, "actual": 5, "version": 1}
        for i in range(n)])
    session.execute(sa.insert(Assumption), [
        {"result_id": outputs[i], "text": f"Assumption {i}", "status": "holding", "version": 1}
        for i in range(n)])
    session.commit()


def test_framework_pages_keep_their_query_count_from_10_to_1000_indicators(
    client: Any, login_as: Any, session: Any, count_queries: Any
) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    goal = ResultFactory(project=project, code="G")
    periods = [ReportingPeriodFactory(project=project, start_date=dt.date(2024, m, 1),
                                      end_date=dt.date(2024, m + 2, 28)) for m in (1, 4, 7, 10)]
    first = IndicatorFactory(project=project, result=goal, code="FIRST")
    line = BudgetLineFactory(project=project)
    risk = RiskFactory(project=project)
    assumption = AssumptionFactory(result=goal)
    session.commit()
    base = f"/projects/{project.id}"
    pages = [
        f"{base}", f"/programmes/{project.programme_id}",
        f"/programmes/{project.programme_id}/edit",
        f"{base}/framework", f"{base}/results", f"{base}/framework/budget",
        f"{base}/framework/budget/new", f"{base}/framework/budget/{line.id}/edit",
        f"{base}/framework/results", f"{base}/framework/results/new?level=output",
        f"{base}/framework/results/{goal.id}/edit",
        f"{base}/framework/results/{goal.id}/assumptions/new",
        f"{base}/framework/assumptions/{assumption.id}/edit",
        f"{base}/framework/risks", f"{base}/framework/risks/new",
        f"{base}/framework/risks/{risk.id}/edit", f"{base}/framework/indicators",
        f"{base}/framework/indicators/new?q=youth&bank=PVE-YTH-01",
        f"{base}/framework/indicators/bank?q=women",
        f"{base}/framework/indicators/{first.id}/edit",
        f"{base}/framework/indicators/{first.id}/targets", "/indicator-bank",
    ]

    def counts() -> dict[str, int]:
        found = {}
        for url in pages:
            with count_queries() as counter:
                response = client.get(url)
                assert response.status_code == 200, url
            found[url] = counter.count
        return found

    _grow(session, project, goal, periods, 10)
    small = counts()
    _grow(session, project, goal, periods, 990)
    large = counts()
    assert session.scalar(sa.select(sa.func.count(Indicator.id))) == 1001
    assert large == small
    assert max(small.values()) <= 14, small
