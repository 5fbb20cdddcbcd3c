"""The scoring sheet through the browser forms: what evaluators see, draft, finalise; what
officers and managers see; the rubric setting; the lost-update case with two clients."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from evaluation_data import World, build, sign_in
from flask.testing import FlaskClient

from app.audit import AuditEvent
from app.auth.models import Role
from app.evaluation.models import IndicatorScore, ProjectRating, ScoreState
from app.monitoring.models import DataValue
from seed.factories import UserFactory


@pytest.fixture
def world(session: Any) -> World:
    return build(session)


def _score_url(world: World, n: int = 0, period: int = 0) -> str:
    return (f"/evaluation/indicators/{world.indicators[n].id}/periods/"
            f"{world.periods[period].id}/score")


def _score(world: World, n: int = 0, version: int = 0, **values: Any) -> dict[str, Any]:
    prefix = f"i{world.indicators[n].id}-"
    data = {"achievement": "3", "data_quality": "2",
            "justification": "Three of four quarters reported; attendance sheets match.",
            **values}
    form = {prefix + k: v for k, v in data.items() if v is not None}
    form[prefix + "version"] = str(version)
    return form


def test_the_sheet_shows_results_evidence_flags_and_the_rubric(
        client: FlaskClient, world: World) -> None:
    sign_in(client, world.evaluators[0])
    page = client.get(f"/evaluation/projects/{world.project.id}?period={world.periods[2].id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Young people trained as peer speakers (1)" in body
    assert "https://example.org/evidence/0/" in body
    # quarter 3: actual 60 against a target of 100; to date 150 of 400 -> 37.5 % (one decimal)
    assert ">60<" in body.replace(" ", "") or "<strong>60" in body
    assert "37.5%" in body and "38 %" not in body
    assert "Fully achieved: the target is met or exceeded" in body  # the rubric setting
    assert "Strong: complete, consistent values" in body
    assert "Is the intervention doing the right things?" in body
    page = client.get(f"/evaluation/projects/{world.project.id}?period={world.periods[3].id}")
    assert "Missing period" in page.get_data(as_text=True)


def test_evidence_that_is_not_a_web_address_is_not_a_link(
        client: FlaskClient, session: Any, world: World) -> None:
    session.execute(sa.update(DataValue).where(DataValue.period_id == world.periods[0].id)
                    .values(evidence_url="javascript:alert(1)"))
    session.commit()
    sign_in(client, world.evaluators[0])
    body = client.get(f"/evaluation/projects/{world.project.id}?period={world.periods[0].id}"
                      ).get_data(as_text=True)
    assert "javascript:alert(1)" in body and 'href="javascript' not in body


def test_the_rubric_is_a_setting(app: Any, client: FlaskClient, world: World) -> None:
    rubric = app.config["EVALUATION_RUBRIC"]
    original = rubric["achievement"][4]
    rubric["achievement"][4] = "Met in full, verified on site"
    try:
        sign_in(client, world.evaluators[0])
        body = client.get(f"/evaluation/projects/{world.project.id}").get_data(as_text=True)
    finally:
        rubric["achievement"][4] = original
    assert "Met in full, verified on site" in body


def test_evaluator_drafts_changes_and_finalises_a_score(
        client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, world.evaluators[0])
    response = client.post(_score_url(world), data=_score(world))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#ind-{world.indicators[0].id}")
    score = session.scalars(sa.select(IndicatorScore)).one()
    assert (score.achievement, score.data_quality, score.state) == (3, 2, ScoreState.DRAFT)
    response = client.post(_score_url(world), data={
        **_score(world, version=score.version, achievement="4"),
        f"i{world.indicators[0].id}-finalise": "Save and finalise"})
    assert response.status_code == 302
    session.expire_all()
    score = session.get(IndicatorScore, score.id)
    assert score.state == ScoreState.FINAL and score.achievement == 4
    assert score.finalised_at is not None
    page = client.get(f"/evaluation/projects/{world.project.id}?period={world.periods[0].id}")
    body = page.get_data(as_text=True)
    assert "finalised on" in body and f'action="{_score_url(world)}"' not in body
    refused = client.post(_score_url(world), data=_score(world, version=score.version,
                                                         achievement="1"))
    assert refused.status_code == 422
    assert "final and can no longer be changed" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(IndicatorScore, score.id).achievement == 4
    actions = [e.action for e in session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity == "indicator_score")
        .order_by(AuditEvent.id))]
    assert actions == ["indicator_score.create", "indicator_score.finalise"]


def test_missing_values_are_refused_with_the_field_named(
        client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, world.evaluators[0])
    response = client.post(_score_url(world), data=_score(
        world, achievement=None, data_quality="7", justification="   "))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Achievement: choose a score from 1 to 4." in body
    assert "Data quality: choose a score from 1 to 4." in body
    assert "Justification is required" in body
    assert session.scalar(sa.select(sa.func.count(IndicatorScore.id))) == 0


def test_criteria_ratings_and_finalising_every_draft(
        client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, world.evaluators[0])
    project = world.project
    response = client.post(
        f"/evaluation/projects/{project.id}/criteria/relevance/rate?period={world.periods[0].id}",
        data={"c-relevance-rating": "4", "c-relevance-version": "0",
              "c-relevance-justification": "Answers what young people asked for."})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "#crit-relevance")
    client.post(_score_url(world), data=_score(world))
    client.post(_score_url(world, 1), data=_score(world, 1))
    response = client.post(f"/evaluation/projects/{project.id}/finalise",
                           data={"period": str(world.periods[0].id)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 drafts finalised" in page
    states = set(session.scalars(sa.select(IndicatorScore.state))) | set(
        session.scalars(sa.select(ProjectRating.state)))
    assert states == {ScoreState.FINAL}
    again = client.post(f"/evaluation/projects/{project.id}/finalise",
                        data={"period": str(world.periods[0].id)})
    assert "no drafts to finalise" in client.get(again.headers["Location"]).get_data(
        as_text=True)


def test_the_second_of_two_concurrent_saves_is_refused_with_the_first_value(
        app: Any, session: Any, world: World) -> None:
    first, second = app.test_client(), app.test_client()
    evaluator = world.evaluators[0]
    sign_in(first, evaluator)
    sign_in(second, evaluator)
    url = f"/evaluation/projects/{world.project.id}?period={world.periods[0].id}"
    for client in (first, second):  # both open the sheet before either saves
        assert 'value="0"' in client.get(url).get_data(as_text=True)
    assert first.post(_score_url(world), data=_score(
        world, achievement="4", justification="First window: every quarter verified.")
    ).status_code == 302
    response = second.post(_score_url(world), data=_score(
        world, achievement="1", justification="Second window: nothing verified."))
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "nothing of yours was saved" in body
    assert re.search(r"Now saved:\s*<strong>4</strong>", body)
    assert "First window: every quarter verified." in body
    score = session.scalars(sa.select(IndicatorScore)).one()
    assert (score.achievement, score.version) == (4, 1)
    # the refused form now carries the stored version: reviewing and saving again works
    prefix = f"i{world.indicators[0].id}-"
    version = re.search(rf'name="{prefix}version" type="hidden" value="(\d+)"', body)
    assert version is not None and version.group(1) == "1"
    # the same with a stored score: both hold version 1, the first save wins
    data = _score(world, version=1, achievement="2", justification="Revised after a visit.")
    assert first.post(_score_url(world), data=data).status_code == 302
    response = second.post(_score_url(world), data={**data, f"i{world.indicators[0].id}-"
                                                   "achievement": "3"})
    assert response.status_code == 409
    assert "Revised after a visit." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(IndicatorScore, score.id).achievement == 2
    again = second.post(_score_url(world), data={**data, prefix + "version": "2",
                                                 prefix + "achievement": "3"})
    assert again.status_code == 302
    session.expire_all()
    assert session.get(IndicatorScore, score.id).achievement == 3


def test_officers_see_no_scores_even_on_their_own_project(
        client: FlaskClient, world: World) -> None:
    sign_in(client, world.officer)
    assert client.get(f"/evaluation/projects/{world.project.id}").status_code == 403
    assert client.get("/evaluation").status_code == 403
    assert client.post(_score_url(world), data=_score(world)).status_code == 403
    page = client.get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert f"/evaluation/projects/{world.project.id}" not in page


def test_evaluators_find_their_projects(client: FlaskClient, session: Any, world: World) -> None:
    outsider = UserFactory(role=Role.EVALUATOR)
    session.commit()
    sign_in(client, world.evaluators[0])
    body = client.get("/evaluation").get_data(as_text=True)
    assert world.project.code in body
    page = client.get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert f"/evaluation/projects/{world.project.id}" in page
    other = FlaskClient(client.application)
    sign_in(other, outsider)
    assert world.project.code not in other.get("/evaluation").get_data(as_text=True)
    assert other.get(f"/evaluation/projects/{world.project.id}").status_code == 403


def test_managers_see_results_and_counts_but_do_not_score(
        client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, world.manager)
    page = client.get(f"/evaluation/projects/{world.project.id}").get_data(as_text=True)
    assert "0 final scores" in page and "Save draft" not in page
    assert client.post(_score_url(world), data=_score(world)).status_code == 403
    assert world.project.code in client.get("/evaluation").get_data(as_text=True)


def test_a_period_of_another_project_is_not_found(client: FlaskClient, session: Any,
                                                  world: World) -> None:
    other = build(session, indicators=1, evaluators=0)
    sign_in(client, world.evaluators[0])
    url = f"/evaluation/projects/{world.project.id}?period={other.periods[0].id}"
    assert client.get(url).status_code == 404
    mixed = (f"/evaluation/indicators/{world.indicators[0].id}/periods/"
             f"{other.periods[0].id}/score")
    assert client.post(mixed, data=_score(world)).status_code == 404


def test_unknown_criteria_and_aspects_are_not_found(app: Any, client: FlaskClient,
                                                    world: World) -> None:
    sign_in(client, world.evaluators[0])
    project = world.project.id
    assert client.post(f"/evaluation/projects/{project}/criteria/popularity/rate",
                       data={}).status_code == 404
    client = app.test_client()
    sign_in(client, world.manager)
    assert client.get(f"/evaluation/projects/{project}/criteria/popularity/consensus"
                      ).status_code == 404
    assert client.get(f"/evaluation/indicators/{world.indicators[0].id}/periods/"
                      f"{world.periods[0].id}/consensus/criterion").status_code == 404
