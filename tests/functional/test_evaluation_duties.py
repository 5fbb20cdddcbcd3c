"""Separation of duties: evaluators judge the data but can never change it, its targets or
the framework; programme officers never see or give scores."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest

from app.auth.models import MemberRole, Role
from app.auth.permissions import RULES, can
from seed.factories import MemberFactory, ProjectFactory, UserFactory

# What changes data, targets, frameworks, projects and follow-up records.
CHANGES = ["data.enter", "period.submit", "period.decide", "activity.record", "framework.edit",
           "project.edit", "project.members.manage", "programmes.edit", "organisations.edit",
           "followup.edit", "followup.record", "followup.verify", "recommendations.link",
           "users.manage"]
EVALUATION = [action for action in RULES if action.startswith("evaluation.")]


def test_every_changing_action_is_known() -> None:
    assert set(CHANGES) <= set(RULES)


def test_an_evaluator_may_change_nothing_even_on_their_project(session: Any) -> None:
    project = ProjectFactory()
    evaluator = UserFactory(role=Role.EVALUATOR)
    MemberFactory(user=evaluator, project=project, role=MemberRole.EVALUATOR)
    session.flush()
    session.refresh(evaluator)
    for action in CHANGES:
        assert not can(evaluator, action, project), action
    assert can(evaluator, "evaluation.score", project)
    assert can(evaluator, "data.view", project)


def test_an_officer_may_neither_see_nor_give_scores_on_their_project(session: Any) -> None:
    project = ProjectFactory()
    officer = UserFactory(role=Role.OFFICER)
    MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    session.flush()
    session.refresh(officer)
    assert can(officer, "data.enter", project)
    for action in EVALUATION:
        assert not can(officer, action, project), action


def _matrix_rows() -> dict[str, dict[str, tuple[str, ...]]]:
    support = Path(__file__).resolve().parents[1] / "support"
    rows: dict[str, dict[str, tuple[str, ...]]] = {}
    for module in pkgutil.iter_modules([str(support)]):
        if module.name.startswith("matrix_"):
            rows.update(importlib.import_module(module.name).ROWS)
    return rows


WRITES = sorted((endpoint, method) for endpoint, methods in _matrix_rows().items()
                for method in methods
                if method == "POST" and endpoint.split(".")[0] in {"monitoring", "frameworks"}
                and not endpoint.startswith("monitoring.notification"))


@pytest.mark.parametrize(("endpoint", "method"), WRITES)
def test_the_role_matrix_refuses_evaluators_every_data_and_framework_change(
        endpoint: str, method: str) -> None:
    evaluator = _matrix_rows()[endpoint][method][4]
    assert evaluator == "forbidden", f"{endpoint} {method} is open to evaluators"
