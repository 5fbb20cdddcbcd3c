"""Entering a period's values in the grid: drafts, checks, refusals, lost updates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build, grid_form, sign_in

from app.audit import AuditEvent
from app.frameworks.models import PeriodState
from app.monitoring.models import DataValue
from seed.factories.base import use_session


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session)


def _stored(session: Any, setup: Any, key: str) -> DataValue | None:
    session.expire_all()
    indicator_id, category_id = (int(p) for p in key.split("-"))
    return session.scalar(sa.select(DataValue).where(
        DataValue.indicator_id == indicator_id, DataValue.category_id == category_id,
        DataValue.period_id == setup.period.id))


def test_grid_shows_each_indicator_with_its_categories(client: Any, auth: Any,
                                                       setup: Any) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    assert f"{setup.key('N')}-value" in form
    assert f"{setup.key('N', 'sex', 'female')}-value" in form
    assert f"{setup.key('R', 'sex', 'male')}-numerator" in form
    assert f"{setup.key('R')}-denominator" in form
    assert f"{setup.key('Q')}-text" in form
    assert f"{setup.key('N')}-evidence_url" in form and f"{setup.key('N')}-comment" in form
    # activity-sourced indicators are shown computed, with no field to type into
    assert not any(name.startswith(f"{setup.indicators['W'].id}-") for name in form)
    page = client.get(f"/periods/{setup.period.id}/data").get_data(as_text=True)
    assert "Computed" in page and "Count of activities in the activity log" in page


def test_officer_saves_a_draft_of_every_kind_of_value(client: Any, auth: Any, setup: Any,
                                                      session: Any) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    form.update({
        f"{setup.key('N')}-value": "1 234,5",
        f"{setup.key('N')}-comment": "From the attendance sheets",
        f"{setup.key('N')}-evidence_url": "https://example.org/sheets.pdf",
        f"{setup.key('R')}-numerator": "12", f"{setup.key('R')}-denominator": "40",
        f"{setup.key('Q')}-text": "Two speakers now run their own school clubs.",
    })
    response = client.post(f"/periods/{setup.period.id}/data", data=form)
    assert response.status_code == 302
    value = _stored(session, setup, setup.key("N"))
    assert value is not None and value.value == Decimal("1234.5")
    assert value.evidence_url == "https://example.org/sheets.pdf"
    assert value.entered_by_id == setup.officer.id
    ratio = _stored(session, setup, setup.key("R"))
    assert ratio is not None and (ratio.numerator, ratio.denominator) == (12, 40)
    text = _stored(session, setup, setup.key("Q"))
    assert text is not None and text.text.startswith("Two speakers")
    [event] = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "data_values.save")).all()
    assert event.changes["N/total"] == [None, "1234.5"]
    assert event.changes["R/total"] == [None, "12/40"]
    # clearing a value removes it
    form = grid_form(client, setup.period)
    form[f"{setup.key('Q')}-text"] = ""
    assert client.post(f"/periods/{setup.period.id}/data", data=form).status_code == 302
    assert _stored(session, setup, setup.key("Q")) is None


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("N-value", "twelve", "is not a number"),
    ("N-value", "1.23456", "at most four decimal places"),
    ("R-numerator", "5", "numerator and the denominator together"),
    ("N-evidence_url", "javascript:alert(1)", "must be a web address"),
    ("N-comment", "no value to go with", "needs a value to go with"),
])
def test_wrong_values_are_refused_beside_their_row(client: Any, auth: Any, setup: Any,
                                                   session: Any, field: str, raw: str,
                                                   message: str) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    code, name = field.split("-")
    form[f"{setup.key('N', 'sex', 'female')}-value"] = "3"  # a good row: not saved either
    form[f"{setup.key(code)}-{name}"] = raw
    response = client.post(f"/periods/{setup.period.id}/data", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 0


def test_total_against_categories_warns_on_draft_and_refuses_submit(
        client: Any, auth: Any, setup: Any, session: Any) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    form.update({f"{setup.key('N')}-value": "100",
                 f"{setup.key('N', 'sex', 'female')}-value": "60",
                 f"{setup.key('N', 'sex', 'male')}-value": "30"})
    response = client.post(f"/periods/{setup.period.id}/data", data=form,
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "the categories add up to 90, the total is 100" in body
    assert "cannot be submitted until it agrees" in body
    form = grid_form(client, setup.period)
    response = client.post(f"/periods/{setup.period.id}/submit", data=form,
                           follow_redirects=True)
    assert "cannot be submitted while totals disagree" in response.get_data(as_text=True)
    session.refresh(setup.period)
    assert setup.period.state == PeriodState.OPEN
    form = grid_form(client, setup.period)
    form[f"{setup.key('N', 'sex', 'male')}-value"] = "40"
    response = client.post(f"/periods/{setup.period.id}/submit", data=form,
                           follow_redirects=True)
    assert "submitted for approval" in response.get_data(as_text=True)
    session.refresh(setup.period)
    assert setup.period.state == PeriodState.SUBMITTED


def test_ratio_totals_are_checked_on_numerator_and_denominator(
        client: Any, auth: Any, setup: Any) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    form.update({f"{setup.key('R')}-numerator": "10", f"{setup.key('R')}-denominator": "40",
                 f"{setup.key('R', 'sex', 'female')}-numerator": "6",
                 f"{setup.key('R', 'sex', 'female')}-denominator": "20",
                 f"{setup.key('R', 'sex', 'male')}-numerator": "4",
                 f"{setup.key('R', 'sex', 'male')}-denominator": "25"})
    body = client.post(f"/periods/{setup.period.id}/data", data=form,
                       follow_redirects=True).get_data(as_text=True)
    assert "denominator adds up to 45, the total&#39;s is 40" in body
    assert "numerator adds up to" not in body


def test_second_of_two_editors_is_refused_with_the_first_ones_value(
        app: Any, auth: Any, client: Any, setup: Any, session: Any) -> None:
    other = app.test_client()
    auth.login(setup.officer)
    sign_in(other, setup.manager)
    mine, theirs = grid_form(client, setup.period), grid_form(other, setup.period)
    key = setup.key("N")
    theirs[f"{key}-value"] = "70"
    theirs[f"{key}-comment"] = "Counted twice"
    assert other.post(f"/periods/{setup.period.id}/data", data=theirs).status_code == 302
    mine[f"{key}-value"] = "75"
    mine[f"{setup.key('N', 'sex', 'female')}-value"] = "40"
    response = client.post(f"/periods/{setup.period.id}/data", data=mine)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "nothing of yours was saved" in body
    assert f"Now saved by {setup.manager.name}:" in body and "<strong>70</strong>" in body
    assert 'value="75"' in body  # the officer's own value is kept in the form
    assert _stored(session, setup, key).value == 70
    assert _stored(session, setup, setup.key("N", "sex", "female")) is None
    # having seen the other value, saving again is a deliberate choice and goes through
    form = grid_form(client, setup.period)
    form[f"{key}-value"] = "75"
    assert client.post(f"/periods/{setup.period.id}/data", data=form).status_code == 302
    assert _stored(session, setup, key).value == 75


def test_rows_left_alone_do_not_clash_with_another_editor(app: Any, auth: Any, client: Any,
                                                          setup: Any, session: Any) -> None:
    other = app.test_client()
    auth.login(setup.officer)
    sign_in(other, setup.manager)
    mine, theirs = grid_form(client, setup.period), grid_form(other, setup.period)
    theirs[f"{setup.key('N')}-value"] = "70"
    assert other.post(f"/periods/{setup.period.id}/data", data=theirs).status_code == 302
    mine[f"{setup.key('N', 'sex', 'male')}-value"] = "30"
    assert client.post(f"/periods/{setup.period.id}/data", data=mine).status_code == 302
    assert _stored(session, setup, setup.key("N")).value == 70
    assert _stored(session, setup, setup.key("N", "sex", "male")).value == 30


def test_evaluator_reads_but_cannot_enter(client: Any, login_as: Any, setup: Any,
                                          session: Any) -> None:
    from app.auth.models import MemberRole, Role
    from seed.factories import MemberFactory

    evaluator = login_as(Role.EVALUATOR)
    use_session(session)
    MemberFactory(user=evaluator, project=setup.project, role=MemberRole.EVALUATOR)
    session.commit()
    page = client.get(f"/periods/{setup.period.id}/data").get_data(as_text=True)
    assert "Save draft" not in page
    assert client.post(f"/periods/{setup.period.id}/data", data={}).status_code == 403


def _bulk_indicators(session: Any, setup: Any, n: int, start: int) -> None:
    from app.frameworks.models import Indicator, indicator_disaggregations

    session.execute(sa.insert(Indicator), [
        {"project_id": setup.project.id, "code": f"B{i:04d}", "position": 100 + i,
         "name": f"Bulk indicator {i}", "type": "output", "measure": "number",
         "direction": "increase", "calculation": "sum", "cumulation": "non_cumulative",
         "frequency": "quarterly", "version": 1, "illustrative": True}
        for i in range(start, start + n)])
    ids = session.scalars(sa.select(Indicator.id).where(
        Indicator.code.in_([f"B{i:04d}" for i in range(start, start + n)]))).all()
    sex = session.scalar(sa.text("SELECT id FROM disaggregation_types WHERE code = 'sex'"))
    session.execute(sa.insert(indicator_disaggregations),
                    [{"indicator_id": i, "type_id": sex} for i in ids])
    session.execute(sa.insert(DataValue), [
        {"indicator_id": i, "period_id": setup.period.id,
         "category_id": setup.categories[("total", "total")], "value": 5, "version": 1,
         "illustrative": False} for i in ids])
    session.commit()


def test_grid_makes_the_same_number_of_queries_for_10_and_1000_rows(
        client: Any, auth: Any, setup: Any, session: Any, count_queries: Any) -> None:
    auth.login(setup.officer)

    def count() -> int:
        with count_queries() as counter:
            assert client.get(f"/periods/{setup.period.id}/data").status_code == 200
        return counter.count

    _bulk_indicators(session, setup, 3, 0)  # with the five: about 10 rows
    small = count()
    _bulk_indicators(session, setup, 330, 3)  # about 1,000 rows
    large = count()
    assert large == small
    assert small <= 18  # the grid, and the four queries of the figures beside each indicator
