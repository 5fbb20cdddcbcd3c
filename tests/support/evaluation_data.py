"""A project ready to be evaluated: quarterly periods, indicators with targets and values,
evaluators, an officer and a manager; and bulk inserts for the query-budget tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import MemberRole, Role, User
from app.evaluation.models import ConsensusScore, IndicatorScore, ScoreAspect, ScoreState
from app.frameworks.models import Frequency, Indicator, PeriodState, ReportingPeriod
from app.programmes.models import Project
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    MemberFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    TargetFactory,
    UserFactory,
)
from seed.factories.framework import total_category_id

QUARTERS = [(dt.date(2024, m, 1), dt.date(2024, m + 2, 30 if m in (4, 7) else 31))
            for m in (1, 4, 7, 10)]


@dataclass
class World:
    project: Project
    periods: list[ReportingPeriod]
    indicators: list[Indicator]
    evaluators: list[User]
    officer: User
    manager: User
    other: dict[str, Any] = field(default_factory=dict)


def build(session: Session, *, indicators: int = 2, evaluators: int = 2,
          project: Project | None = None) -> World:
    """A project with four 2024 quarters; each indicator has a target of 100 per quarter
    and values 40, 50, 60 in the first three quarters, which are approved (the fourth is
    missing and still open)."""
    project = project or ProjectFactory(start_date=dt.date(2024, 1, 1),
                                        end_date=dt.date(2025, 12, 31))
    periods = [ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                      start_date=start, end_date=end,
                                      due_date=end + dt.timedelta(days=30),
                                      state=PeriodState.APPROVED if n < 3 else PeriodState.OPEN)
               for n, (start, end) in enumerate(QUARTERS)]
    made = []
    for n in range(indicators):
        indicator = IndicatorFactory(project=project, code=f"1.{n + 1}", position=n,
                                     name=f"Young people trained as peer speakers ({n + 1})",
                                     baseline_value=Decimal(0), target_value=Decimal(400))
        for period, value in zip(periods, (40, 50, 60), strict=False):
            DataValueFactory(indicator=indicator, period=period, value=Decimal(value),
                             evidence_url=f"https://example.org/evidence/{n}/{period.id}")
        for period in periods:
            TargetFactory(indicator=indicator, period=period, value=Decimal(100))
        made.append(indicator)
    people = [UserFactory(role=Role.EVALUATOR, name=f"Evaluator {chr(65 + i)}")
              for i in range(evaluators)]
    for person in people:
        MemberFactory(user=person, project=project, role=MemberRole.EVALUATOR)
    officer = UserFactory(role=Role.OFFICER)
    MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    manager = UserFactory(role=Role.MANAGER, name="Marat Manager")
    session.commit()
    return World(project, periods, made, people, officer, manager)


def bulk_indicators(session: Session, world: World, count: int, start: int) -> list[int]:
    """Insert ``count`` more indicators, each with a value in the first period, in a few
    statements; returns their ids."""
    session.execute(sa.insert(Indicator), [
        {"project_id": world.project.id, "code": f"B.{i}", "position": 1000 + i,
         "name": f"Bulk indicator {i}", "type": "output", "measure": "number",
         "direction": "increase", "calculation": "sum", "cumulation": "non_cumulative",
         "frequency": "quarterly", "target_value": Decimal(400), "baseline_value": Decimal(0),
         "version": 1, "sensitive": False, "illustrative": True}
        for i in range(start, start + count)])
    ids = list(session.scalars(sa.select(Indicator.id).where(
        Indicator.project_id == world.project.id, Indicator.code.like("B.%"),
        Indicator.position >= 1000 + start)))
    from app.monitoring.models import DataValue

    total = total_category_id()
    session.execute(sa.insert(DataValue), [
        {"indicator_id": i, "period_id": world.periods[0].id, "category_id": total,
         "value": Decimal(30), "version": 1, "illustrative": True,
         "entered_at": dt.datetime.now(dt.UTC)} for i in ids])
    session.commit()
    return ids


def bulk_scores(session: Session, world: World, indicator_ids: list[int],
                state: ScoreState = ScoreState.FINAL) -> None:
    """Every evaluator scores every given indicator in the first period (one INSERT)."""
    now = dt.datetime.now(dt.UTC)
    session.execute(sa.insert(IndicatorScore), [
        {"indicator_id": i, "period_id": world.periods[0].id, "evaluator_id": person.id,
         "achievement": 1 + (i + n) % 4, "data_quality": 1 + i % 4,
         "justification": f"Justified {i} by {n}", "state": state.value,
         "finalised_at": now if state == ScoreState.FINAL else None, "version": 1,
         "created_at": now, "updated_at": now}
        for i in indicator_ids for n, person in enumerate(world.evaluators)])
    session.commit()


def sign_in(client: Any, user: User) -> None:
    """Sign ``user`` in on a test client (CSRF is off in the test profile)."""
    from seed.factories import DEFAULT_PASSWORD

    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.data[:300]


def bulk_consensus(session: Session, world: World, indicator_ids: list[int]) -> None:
    """A manager's consensus on the achievement of every given indicator (one INSERT)."""
    now = dt.datetime.now(dt.UTC)
    session.execute(sa.insert(ConsensusScore), [
        {"project_id": world.project.id, "indicator_id": i, "period_id": world.periods[0].id,
         "aspect": ScoreAspect.ACHIEVEMENT.value, "value": 3, "reason": f"Settled {i}",
         "decided_by_id": world.manager.id, "version": 1, "created_at": now, "updated_at": now}
        for i in indicator_ids])
    session.commit()
