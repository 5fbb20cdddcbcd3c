"""Role matrix rows of the results framework set-up: members of a project read its framework,
only staff change it; nobody outside the project reads or changes anything of it."""

from __future__ import annotations

from typing import Any

from app.frameworks.models import ResultLevel
from seed.factories import (
    AssumptionFactory,
    BudgetLineFactory,
    IndicatorFactory,
    ResultFactory,
    RiskFactory,
)

A, F, L = "allowed", "forbidden", "login"
SIGNED_IN = (L, A, A, A, A)
MEMBERS = (L, A, A, A, A)  # staff, and the officer and evaluator of project A
STAFF = (L, A, A, F, F)
FORM = {"GET": STAFF, "POST": STAFF}

READ = ["framework_overview", "budget", "results_chain", "risks", "indicators"]
FORMS = ["budget_line_new", "budget_line_edit", "risk_new", "risk_edit", "result_new",
         "result_edit", "assumption_new", "assumption_edit", "indicator_new", "indicator_edit",
         "indicator_targets"]
ACTIONS = ["budget_line_delete", "risk_delete", "result_move", "results_renumber",
           "result_delete", "assumption_delete", "indicator_delete", "periods_create",
           "result_themes_save"]

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    **{f"frameworks.{name}": {"GET": MEMBERS} for name in READ},
    **{f"frameworks.{name}": FORM for name in FORMS},
    **{f"frameworks.{name}": {"POST": STAFF} for name in ACTIONS},
    "reports.project_results": {"GET": MEMBERS},
    "frameworks.indicator_bank_pick": {"GET": STAFF},
    "frameworks.indicator_bank": {"GET": SIGNED_IN},
}

OTHER_PROJECT: list[tuple[str, str]] = [
    (endpoint, method) for endpoint, methods in ROWS.items() for method in methods
    if endpoint != "frameworks.indicator_bank"
]


def _framework(project: Any) -> dict[str, int]:
    goal = ResultFactory(project=project, level=ResultLevel.GOAL)
    assumption = AssumptionFactory(result=goal)
    risk = RiskFactory(project=project)
    line = BudgetLineFactory(project=project)
    indicator = IndicatorFactory(project=project, result=goal)
    return {"result_id": goal.id, "assumption_id": assumption.id, "risk_id": risk.id,
            "budget_line_id": line.id, "indicator_id": indicator.id}


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    ids_a = _framework(world["project_a"])
    ids_b = _framework(world["project_b"])
    session.flush()
    return ids_a, ids_b
