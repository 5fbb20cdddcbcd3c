"""Indicator identification: the bank picker, every field, periods, targets and the SMART check."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.errors import ServiceError, ValidationFailed
from app.frameworks import indicator_services as services
from app.frameworks.models import Frequency, Indicator, ReportingPeriod, ResultLevel, Target
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    ResultFactory,
)

ACTOR = Actor(user_id=None)
FULL = {
    "code": "1.1a", "name": "Peer speakers trained", "type": "output", "measure": "number",
    "unit": "people", "direction": "increase", "calculation": "sum",
    "cumulation": "cumulative", "frequency": "quarterly", "baseline_value": "0",
    "baseline_date": "2024-01-15", "baseline_note": "No training before the project",
    "target_value": "300", "data_source": "Training records", "collection_method": "Registers",
    "means_of_verification": "Signed attendance sheets", "responsible": "M&E officer",
    "version": "0",
}


def _project(session: Any, **kwargs: Any) -> Any:
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31),
                             **kwargs)
    session.flush()
    return project


def test_bank_search_and_pick_prefill_the_form(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = _project(session)
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, code="1.1")
    session.commit()
    base = f"/projects/{project.id}/framework/indicators"
    fragment = client.get(f"{base}/bank?q=peer+speakers&result={output.id}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "PVE-YTH-01" in fragment and "<html" not in fragment
    assert f"bank=PVE-YTH-01&amp;result={output.id}" in fragment
    page = client.get(f"{base}/new?q=religious+leaders").get_data(as_text=True)
    assert "PVE-REL-" in page  # the search works without scripts too
    form = client.get(f"{base}/new?bank=PVE-YTH-01&result={output.id}").get_data(as_text=True)
    assert "Copied from the bank: PVE-YTH-01" in form
    assert 'value="Young people trained as peer speakers against violent extremism"' in form
    assert 'value="1.1a"' in form and 'value="PVE-YTH-01"' in form
    assert re.search(r'<option (selected )?value="quarterly"( selected)?>', form)
    assert "Signed attendance sheets; Training agenda and completion list" in form


def test_every_field_is_saved_with_disaggregations_and_periods(client: Any, login_as: Any,
                                                               session: Any, app: Any) -> None:
    login_as(Role.MANAGER)
    project = _project(session)
    output = ResultFactory(project=project, level=ResultLevel.OUTPUT, code="1.1")
    session.commit()
    types = dict(session.execute(sa.text("SELECT code, id FROM disaggregation_types")).all())
    response = client.post(f"/projects/{project.id}/framework/indicators/new", data={
        **FULL, "result_id": output.id, "definition": "Counts each person once",
        "disaggregations": [types["sex"], types["age_group"]], "sensitive": "y",
        "activity_source": "participants", "activity_kind": "training",
        "bank_code": "pve-yth-01"})
    assert response.status_code == 302
    indicator = session.scalars(sa.select(Indicator)).one()
    assert response.headers["Location"].endswith(f"/indicators/{indicator.id}/targets")
    assert indicator.bank_code == "PVE-YTH-01" and indicator.sensitive
    assert indicator.baseline_date == dt.date(2024, 1, 15)
    assert [t.code for t in indicator.disaggregations] == ["sex", "age_group"]
    periods = session.scalars(sa.select(ReportingPeriod).order_by(ReportingPeriod.start_date)).all()
    assert (periods[0].start_date, periods[0].end_date) == (dt.date(2024, 1, 1),
                                                            dt.date(2024, 3, 31))
    assert len(periods) == 4
    assert periods[0].due_date == dt.date(2024, 3, 31) + dt.timedelta(
        days=app.config["REPORT_DUE_DAYS"])
    actions = session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.action.not_like("login%")).order_by(AuditEvent.id)).all()
    assert actions == ["periods.create", "indicator.create"]


def test_indicator_rules_name_the_field(session: Any) -> None:
    project = _project(session)
    other = ResultFactory(project=ProjectFactory())
    session.commit()

    def refused(**change: Any) -> dict[str, list[str]]:
        values = {**FULL, "version": None, "baseline_date": None, "baseline_value": None,
                  "target_value": None, **change}
        with pytest.raises(ValidationFailed) as error:
            services.create_indicator(session, ACTOR, project, values)
        return {f: [str(m) for m in ms] for f, ms in error.value.errors.items()}

    assert refused(calculation="ratio") == {
        "numerator_label": ["A ratio needs what it counts above and below the line."],
        "denominator_label": ["A ratio needs what it counts above and below the line."]}
    assert refused(type="outcome", activity_source="participants") == {"activity_source": [
        "Only output indicators count activities or participants from the activity log."]}
    assert "activity_kind" in refused(activity_kind="training")
    assert refused(bank_code="PVE-XXX-99") == {"bank_code": [
        "The indicator bank has no indicator PVE-XXX-99."]}
    assert refused(measure="loud", frequency="weekly") == {
        "measure": ["Unknown value: loud"], "frequency": ["Unknown value: weekly"]}
    assert refused(direction="") == {"direction": ["This field is required."]}
    assert refused(result_id=other.id) == {"result_id": [
        f"Result number {other.id} is not part of this project."]}
    assert refused(disaggregations=[987654]) == {"disaggregations": [
        "Unknown disaggregation: 987654"]}
    services.create_indicator(session, ACTOR, project, {**FULL, "baseline_value": None,
                                                        "target_value": None,
                                                        "baseline_date": None})
    assert refused() == {"code": ["This code is already used in this project: 1.1a"]}


def test_targets_per_period_are_all_or_nothing(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = _project(session)
    indicator = IndicatorFactory(project=project, frequency=Frequency.SEMI_ANNUAL)
    session.commit()
    url = f"/projects/{project.id}/framework/indicators/{indicator.id}/targets"
    page = client.get(url).get_data(as_text=True)
    assert "no reporting periods at this frequency (Every six months)" in page
    assert client.post(f"/projects/{project.id}/framework/periods", data={
        "frequency": "semi_annual", "indicator": indicator.id}).status_code == 302
    first, second = session.scalars(sa.select(ReportingPeriod).order_by(
        ReportingPeriod.start_date)).all()
    version = str(indicator.version)
    bad = client.post(url, data={f"p{first.id}": "100", f"p{second.id}": "lots",
                                 "version": version})
    assert bad.status_code == 422
    assert session.scalar(sa.select(sa.func.count(Target.id))) == 0
    assert client.post(url, data={f"p{first.id}": "100", f"p{second.id}": "200",
                                  "version": version}).status_code == 302
    stale = client.post(url, data={f"p{first.id}": "1", f"p{second.id}": "2",
                                   "version": version})
    assert stale.status_code == 409
    assert "Now saved:" in stale.get_data(as_text=True)
    session.expire_all()
    targets = session.scalars(sa.select(Target.value).order_by(Target.period_id)).all()
    assert targets == [Decimal(100), Decimal(200)]
    fresh = str(session.get(Indicator, indicator.id).version)
    client.post(url, data={f"p{first.id}": "", f"p{second.id}": "250", "version": fresh})
    assert session.scalars(sa.select(Target.value)).all() == [Decimal(250)]
    events = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "indicator.targets").order_by(AuditEvent.id)).all()
    assert events[-1].changes == {"2024-01-01": ["100.0000", None],
                                  "2024-07-01": ["200.0000", "250"]}
    session.expire_all()
    current = session.get(Indicator, indicator.id)
    with pytest.raises(ValidationFailed, match="not a reporting period of this indicator"):
        services.set_targets(session, ACTOR, current, current.version,
                             {first.id + second.id + 10: Decimal(1)})


def test_periods_need_the_project_dates(session: Any) -> None:
    project = ProjectFactory(start_date=None, end_date=None)
    session.commit()
    with pytest.raises(ServiceError, match="start and an end date first"):
        services.ensure_periods(session, ACTOR, project, "annual")
    with pytest.raises(ValidationFailed, match="Unknown value: fortnightly"):
        services.ensure_periods(session, ACTOR, project, "fortnightly")
    dated = _project(session)
    existing = ReportingPeriodFactory(project=dated, frequency=Frequency.ANNUAL,
                                      start_date=dt.date(2024, 1, 1),
                                      end_date=dt.date(2024, 12, 31))
    session.commit()
    assert services.ensure_periods(session, ACTOR, dated, "annual") == [existing]
    made = services.ensure_periods(session, ACTOR, dated, Frequency.MONTHLY, due_days=10)
    assert len(made) == 12 and made[0].due_date == dt.date(2024, 2, 10)


def test_the_smart_check_lists_each_missing_element(client: Any, login_as: Any,
                                                    session: Any) -> None:
    login_as(Role.MANAGER)
    project = _project(session)
    IndicatorFactory(project=project, code="BARE", baseline_value=None, target_value=None,
                     data_source=None, responsible=" ", frequency=None,
                     means_of_verification=None)
    IndicatorFactory(project=project, code="GOOD")
    session.commit()
    page = client.get(f"/projects/{project.id}/framework/indicators").get_data(as_text=True)
    bare = page[page.index("BARE"):page.index("GOOD")]
    for missing in ("no baseline", "no target", "no data source", "no responsible person",
                    "no frequency", "no means of verification"):
        assert missing in bare
    assert "Complete" in page[page.index("GOOD"):]


def test_indicator_edit_stale_and_delete(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = _project(session)
    indicator = IndicatorFactory(project=project, code="1a", name="Before")
    reported = IndicatorFactory(project=project, code="1b")
    DataValueFactory(indicator=reported, period=ReportingPeriodFactory(project=project))
    session.commit()
    url = f"/projects/{project.id}/framework/indicators/{indicator.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Before"' in page
    data = {**FULL, "code": "1a", "version": str(indicator.version)}
    assert client.post(url, data={**data, "name": "First"}).status_code == 302
    stale = client.post(url, data={**data, "name": "Second"})
    assert stale.status_code == 409 and "First" in stale.get_data(as_text=True)
    with pytest.raises(ServiceError, match="1b has reported values"):
        services.delete_indicator(session, ACTOR, reported, reported.version)
    indicator_id = indicator.id
    session.expire_all()
    version = session.get(Indicator, indicator_id).version
    client.post(f"/projects/{project.id}/framework/indicators/{indicator_id}/delete",
                data={"version": version})
    session.expire_all()
    assert session.get(Indicator, indicator_id) is None


def test_the_indicator_bank_is_searchable(client: Any, login_as: Any) -> None:
    login_as(Role.OFFICER)
    page = client.get("/indicator-bank?q=returnees&level=outcome").get_data(as_text=True)
    assert "PVE-RET-" in page and "PVE-YTH-01" not in page
    everything = client.get("/indicator-bank?level=bogus&theme=bogus").get_data(as_text=True)
    assert "66 indicators" in everything


def test_targets_in_a_locked_period_are_refused(client: Any, login_as: Any,
                                                session: Any) -> None:
    from app.frameworks.models import PeriodState

    login_as(Role.MANAGER)
    project = _project(session)
    indicator = IndicatorFactory(project=project, frequency=Frequency.SEMI_ANNUAL)
    session.commit()
    client.post(f"/projects/{project.id}/framework/periods", data={
        "frequency": "semi_annual", "indicator": indicator.id})
    first, second = session.scalars(sa.select(ReportingPeriod).order_by(
        ReportingPeriod.start_date)).all()
    first.state = PeriodState.APPROVED
    session.commit()
    url = f"/projects/{project.id}/framework/indicators/{indicator.id}/targets"
    refused = client.post(url, data={f"p{first.id}": "100", f"p{second.id}": "200",
                                     "version": str(indicator.version)})
    assert refused.status_code == 422
    assert "approved and locked" in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Target.id))) == 0
