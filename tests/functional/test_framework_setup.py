"""Resource allocation, the results chain with its theory of change and assumptions, and the
risk register: services, validation, stale edits and the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.errors import ServiceError, StaleEdit, ValidationFailed
from app.frameworks import chain as results_services
from app.frameworks import services as framework_services
from app.frameworks.models import Assumption, BudgetLine, Result, ResultLevel, Risk
from seed.factories import IndicatorFactory, ProjectFactory, ResultFactory

ACTOR = Actor(user_id=None, ip="127.0.0.1")


def _actions(session: Any) -> list[str]:
    session.expire_all()
    return list(session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.action.not_like("login%")).order_by(AuditEvent.id)))


def _messages(error: ValidationFailed) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in error.errors.items()}


def test_budget_lines_totals_and_the_me_warning(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory(budget=Decimal("1000"))
    goal = ResultFactory(project=project, code="G")
    session.commit()
    url = f"/projects/{project.id}/framework/budget"
    assert client.post(url + "/new", data={
        "category": "activities", "description": "Dialogues", "result_id": goal.id,
        "planned": "900", "actual": "250", "version": "0"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Nothing is set aside for monitoring and evaluation" in page
    assert client.post(url + "/new", data={
        "category": "monitoring_evaluation", "description": "Baseline survey", "result_id": "",
        "planned": "100", "version": "0"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Nothing is set aside" not in page
    # 100 of 1,000 for M&E: a percentage as Babel writes it in English, no decimals when whole
    assert '<span class="stat-n">10%</span>' in page and "10.0 %" not in page
    assert "$1,000.00" in page and "$250.00" in page
    lines = session.scalars(sa.select(BudgetLine).order_by(BudgetLine.id)).all()
    assert [(line.result_id, line.planned) for line in lines] == [
        (goal.id, Decimal("900.00")), (None, Decimal("100.00"))]
    assert _actions(session) == ["budget_line.create", "budget_line.create"]
    over = client.post(url + "/new", data={"category": "travel", "description": "Trips",
                                           "planned": "5", "version": "0"})
    assert over.status_code == 302
    assert "plan $5.00 more than the project" in client.get(url).get_data(as_text=True)


def test_budget_line_validation_stale_edit_and_delete(client: Any, login_as: Any,
                                                      session: Any) -> None:
    login_as(Role.MANAGER)
    project, other = ProjectFactory(), ProjectFactory()
    foreign = ResultFactory(project=other)
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        framework_services.create_budget_line(session, ACTOR, project, {
            "category": "travel", "description": "Trips", "planned": Decimal(-1)})
    assert _messages(refused.value) == {"planned": ["Give an amount of 0 or more, not -1."]}
    with pytest.raises(ValidationFailed, match=f"Result number {foreign.id} is not part"):
        framework_services.create_budget_line(session, ACTOR, project, {
            "category": "travel", "description": "Trips", "planned": Decimal(1),
            "result_id": foreign.id})
    with pytest.raises(ValidationFailed, match="Unknown value: food"):
        framework_services.create_budget_line(session, ACTOR, project, {
            "category": "food", "description": "Lunch", "planned": Decimal(1)})
    line = framework_services.create_budget_line(session, ACTOR, project, {
        "category": "travel", "description": "Trips", "planned": Decimal(10)})
    line_id = line.id
    edit = f"/projects/{project.id}/framework/budget/{line.id}/edit"
    form = {"category": "travel", "planned": "10", "version": str(line.version)}
    assert client.post(edit, data={**form, "description": "First"}).status_code == 302
    stale = client.post(edit, data={**form, "description": "Second"})
    assert stale.status_code == 409
    assert "First" in stale.get_data(as_text=True)
    session.expire_all()
    assert session.get(BudgetLine, line.id).description == "First"
    delete = f"/projects/{project.id}/framework/budget/{line.id}/delete"
    stale_delete = client.post(delete, data={"version": str(line.version - 1)},
                               follow_redirects=True)
    assert "Someone else changed this record" in stale_delete.get_data(as_text=True)
    session.expire_all()
    current = session.get(BudgetLine, line_id).version  # a stale version removed nothing
    client.post(delete, data={"version": str(current)})
    session.expire_all()
    assert session.get(BudgetLine, line_id) is None
    assert _actions(session)[-2:] == ["budget_line.update", "budget_line.delete"]


def test_results_chain_codes_parents_and_theory_of_change(client: Any, login_as: Any,
                                                          session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    session.commit()
    new = f"/projects/{project.id}/framework/results/new"
    goal_data = {"level": "goal", "statement": "Fewer young people join violent groups",
                 "toc_if": "communities offer belonging", "toc_then": "fewer are recruited",
                 "toc_because": "recruiters exploit isolation", "version": "0"}
    assert client.post(new, data=goal_data).status_code == 302
    goal = session.scalars(sa.select(Result)).one()
    assert goal.code == "G" and goal.toc_because == "recruiters exploit isolation"
    for level, parent in (("outcome", goal.id),):
        client.post(new, data={"level": level, "parent_id": parent, "statement": "Trust grows",
                               "version": "0"})
    outcome = session.scalars(sa.select(Result).where(Result.level == ResultLevel.OUTCOME)).one()
    assert outcome.code == "1"
    for statement in ("Youth clubs open", "Mentors trained"):
        assert client.post(new, data={"level": "output", "parent_id": outcome.id,
                                      "statement": statement, "version": "0"}).status_code == 302
    session.expire_all()
    codes = session.scalars(sa.select(Result.code).where(
        Result.level == ResultLevel.OUTPUT).order_by(Result.position)).all()
    assert codes == ["1.1", "1.2"]
    orphan = client.post(new, data={"level": "output", "parent_id": goal.id,
                                    "statement": "x", "version": "0"})
    assert orphan.status_code == 422
    assert "Choose the outcome this output contributes to." in orphan.get_data(as_text=True)
    taken = client.post(new, data={"level": "output", "parent_id": outcome.id, "code": "1.1",
                                   "statement": "x", "version": "0"})
    assert "This code is already used in this project: 1.1" in taken.get_data(as_text=True)
    with pytest.raises(ValidationFailed, match="A goal is the top of the chain"):
        results_services.create_result(session, ACTOR, project, {
            "level": "goal", "parent_id": goal.id, "statement": "x"})
    page = client.get(f"/projects/{project.id}/framework/results").get_data(as_text=True)
    assert page.index("Youth clubs open") < page.index("Mentors trained")
    assert "recruiters exploit isolation" in page


def test_reordering_and_renumbering_are_all_or_nothing(client: Any, login_as: Any,
                                                       session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    goal = ResultFactory(project=project, code="G", position=0)
    outcome = ResultFactory(project=project, level=ResultLevel.OUTCOME, parent=goal, code="1",
                            position=0)
    first, second, third = (ResultFactory(project=project, level=ResultLevel.OUTPUT,
                                          parent=outcome, code=c, position=i)
                            for i, c in enumerate(("1.1", "1.2", "1.3")))
    session.commit()
    move = f"/projects/{project.id}/framework/results/{third.id}/move"
    version = third.version
    assert client.post(move, data={"direction": "up", "version": version}).status_code == 302
    session.expire_all()
    order = session.scalars(sa.select(Result.code).where(Result.parent_id == outcome.id)
                            .order_by(Result.position)).all()
    assert order == ["1.1", "1.3", "1.2"]
    stale = client.post(move, data={"direction": "up", "version": version},
                        follow_redirects=True)
    assert "Someone else changed this record" in stale.get_data(as_text=True)
    with pytest.raises(ServiceError, match=r"1\.1 is already first"):
        results_services.move_result(session, ACTOR, session.get(Result, first.id),
                                     session.get(Result, first.id).version, "up")
    session.rollback()
    client.post(f"/projects/{project.id}/framework/results/renumber")
    session.expire_all()
    renumbered = session.scalars(sa.select(Result).where(Result.parent_id == outcome.id)
                                 .order_by(Result.position)).all()
    assert [(r.id, r.code) for r in renumbered] == [
        (first.id, "1.1"), (third.id, "1.2"), (second.id, "1.3")]
    [event] = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "result.renumber")).all()
    assert event.changes == {"1.3": ["1.3", "1.2"], "1.2": ["1.2", "1.3"]}
    assert results_services.renumber_results(session, ACTOR, project) == {}


def test_a_result_with_children_or_indicators_is_not_removed(session: Any) -> None:
    project = ProjectFactory()
    goal = ResultFactory(project=project, code="G")
    outcome = ResultFactory(project=project, level=ResultLevel.OUTCOME, parent=goal, code="1")
    IndicatorFactory(project=project, result=outcome)
    session.commit()
    with pytest.raises(ServiceError, match="G has results below it"):
        results_services.delete_result(session, ACTOR, goal, goal.version)
    with pytest.raises(ServiceError, match="1 has indicators"):
        results_services.delete_result(session, ACTOR, outcome, outcome.version)
    with pytest.raises(StaleEdit):
        results_services.delete_result(session, ACTOR, goal, goal.version + 1)


def test_assumptions_with_their_status(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    goal = ResultFactory(project=project, code="G")
    session.commit()
    base = f"/projects/{project.id}/framework"
    assert client.post(f"{base}/results/{goal.id}/assumptions/new", data={
        "text": "Imams keep taking part", "status": "untested", "version": "0"}
    ).status_code == 302
    assumption = session.scalars(sa.select(Assumption)).one()
    assert client.post(f"{base}/assumptions/{assumption.id}/edit", data={
        "text": "Imams keep taking part", "status": "failed", "note": "Ministry ban",
        "version": str(assumption.version)}).status_code == 302
    page = client.get(f"{base}/results/{goal.id}/edit").get_data(as_text=True)
    assert "Imams keep taking part" in page and "Failed" in page and "Ministry ban" in page
    with pytest.raises(ValidationFailed, match="Unknown value: maybe"):
        results_services.create_assumption(session, ACTOR, goal, {"text": "x", "status": "maybe"})
    empty = client.post(f"{base}/results/{goal.id}/assumptions/new",
                        data={"text": " ", "status": "holding", "version": "0"})
    assert empty.status_code == 422
    session.expire_all()
    client.post(f"{base}/assumptions/{assumption.id}/delete",
                data={"version": session.get(Assumption, assumption.id).version})
    assert _actions(session) == ["assumption.create", "assumption.update", "assumption.delete"]


def test_risk_register_sorted_by_score_and_validated(client: Any, login_as: Any,
                                                     session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    session.commit()
    new = f"/projects/{project.id}/framework/risks/new"
    for description, category, likelihood, impact in (
            ("Staff turnover", "operational", 2, 2),
            ("Participants labelled as extremists", "do_no_harm", 3, 5),
            ("Detention of activists", "human_rights", 2, 5)):
        assert client.post(new, data={
            "category": category, "description": description, "likelihood": likelihood,
            "impact": impact, "owner": "Director", "review_date": "2025-06-30",
            "version": "0"}).status_code == 302
    page = client.get(f"/projects/{project.id}/framework/risks").get_data(as_text=True)
    assert (page.index("Participants labelled") < page.index("Detention of activists")
            < page.index("Staff turnover"))
    assert ">15<" in page and "Do no harm" in page and "Human rights" in page
    refused = client.post(new, data={"category": "operational", "description": "x",
                                     "likelihood": "6", "impact": "0", "version": "0"})
    assert refused.status_code == 422
    with pytest.raises(ValidationFailed) as error:
        framework_services.create_risk(session, ACTOR, project, {
            "category": "operational", "description": "x", "likelihood": 6, "impact": 2})
    assert _messages(error.value) == {"likelihood": ["Give a whole number from 1 to 5, not 6."]}
    assert session.scalar(sa.select(sa.func.count(Risk.id))) == 3
    assert _actions(session) == ["risk.create"] * 3


def test_a_result_keeps_its_parent_when_edited_even_if_the_chain_skips_a_level(
        client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    goal = ResultFactory(project=project, code="1")
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, parent=goal, code="1.1")
    session.commit()
    url = f"/projects/{project.id}/framework/results/{output.id}/edit"
    data = {"parent_id": goal.id, "code": "1.1", "statement": "Lessons reach the public",
            "toc_if": "lessons are held", "toc_then": "people hear", "toc_because": "access",
            "version": output.version}
    assert client.post(url, data=data).status_code == 302
    moved = client.post(url, data={**data, "version": output.version + 1, "parent_id": ""})
    assert "Choose the outcome this output contributes to." in moved.get_data(as_text=True)
    session.expire_all()
    assert session.get(Result, output.id).toc_then == "people hear"
