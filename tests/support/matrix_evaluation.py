"""Role matrix rows of evaluation: the evaluators of a project score it and see their own
scores; managers read every score, record consensus and read the report; programme officers
see no score at all, not even on their own project. Nobody touches another project's
evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.auth.models import Role
from app.evaluation.models import Criterion, ScoreState
from app.frameworks.models import Frequency
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    ProjectRatingFactory,
    ReportingPeriodFactory,
    UserFactory,
)

A, F, L = "allowed", "forbidden", "login"
VIEW = (L, A, A, F, A)  # staff, and the evaluator of project A; officers never
SCORE = (L, A, F, F, A)  # admins, and the evaluator of project A
STAFF = (L, A, A, F, F)

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "evaluation.index": {"GET": VIEW},
    "evaluation.project": {"GET": VIEW},
    "evaluation.score_indicator": {"POST": SCORE},
    "evaluation.rate_project": {"POST": SCORE},
    "evaluation.finalise": {"POST": SCORE},
    "evaluation.consensus_indicator": {"GET": STAFF, "POST": STAFF},
    "evaluation.consensus_criterion": {"GET": STAFF, "POST": STAFF},
    "evaluation.report": {"GET": STAFF},
    "evaluation.report_csv": {"GET": STAFF},
    "evaluation.report_xlsx": {"GET": STAFF},
}

OTHER_PROJECT: list[tuple[str, str]] = [
    (endpoint, method) for endpoint, methods in ROWS.items() for method in methods
    if endpoint != "evaluation.index"
]


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    def ids(project: Any, evaluator: Any, state: ScoreState) -> dict[str, Any]:
        period = ReportingPeriodFactory(project=project, frequency=Frequency.ANNUAL,
                                        start_date=dt.date(2023, 1, 1),
                                        end_date=dt.date(2023, 12, 31),
                                        due_date=dt.date(2024, 1, 31))
        indicator = IndicatorFactory(project=project, frequency=Frequency.ANNUAL)
        DataValueFactory(indicator=indicator, period=period)
        IndicatorScoreFactory(indicator=indicator, period=period, evaluator=evaluator,
                              state=state)
        ProjectRatingFactory(project=project, evaluator=evaluator, state=state,
                             criterion=Criterion.RELEVANCE)
        return {"indicator_id": indicator.id, "period_id": period.id,
                "criterion": Criterion.RELEVANCE.value, "aspect": "achievement"}

    other = UserFactory(role=Role.EVALUATOR)
    ids_a = ids(world["project_a"], world["users"]["evaluator"], ScoreState.DRAFT)
    ids_b = ids(world["project_b"], other, ScoreState.FINAL)
    session.flush()
    return ids_a, ids_b
