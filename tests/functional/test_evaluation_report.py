"""The evaluation report: agreement, consensus, exports, and its query budget."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from evaluation_data import World, build, bulk_consensus, bulk_indicators, bulk_scores, sign_in
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.audit import AuditEvent
from app.evaluation.models import ConsensusScore, Criterion, ScoreAspect, ScoreState
from app.evaluation.report import build_report
from indicators.agreement import Level, krippendorff_alpha
from indicators.types import StatusBands
from seed.factories import IndicatorScoreFactory, ProjectRatingFactory

# evaluator -> (achievement, data quality) of indicator 1 and 2 in the first quarter
SCORES = {0: [(3, 2), (4, 3)], 1: [(3, 3), (2, 3)], 2: [(4, 2), (2, 4)]}
RATINGS = {Criterion.RELEVANCE: (4, 4, 3), Criterion.EFFICIENCY: (2, 3, 1)}


@pytest.fixture
def world(session: Any) -> World:
    world = build(session, evaluators=3)
    for n, person in enumerate(world.evaluators):
        for indicator, (achievement, quality) in zip(world.indicators, SCORES[n], strict=True):
            IndicatorScoreFactory(indicator=indicator, period=world.periods[0], evaluator=person,
                                  achievement=achievement, data_quality=quality,
                                  justification=f"{person.name} on {indicator.code}")
        for criterion, ratings in RATINGS.items():
            ProjectRatingFactory(project=world.project, evaluator=person, criterion=criterion,
                                 rating=ratings[n], justification=f"{person.name}: {criterion}")
    IndicatorScoreFactory(indicator=world.indicators[0], period=world.periods[1],
                          evaluator=world.evaluators[2], state=ScoreState.DRAFT,
                          justification="A draft nobody else should read")
    session.commit()
    return world


def _reference_units() -> dict[Any, list[int]]:
    units: dict[Any, list[int]] = {}
    for pairs in SCORES.values():
        for i, (achievement, quality) in enumerate(pairs):
            units.setdefault(("a", i), []).append(achievement)
            units.setdefault(("q", i), []).append(quality)
    for criterion, ratings in RATINGS.items():
        units[criterion] = list(ratings)
    return units


def test_alpha_of_the_stored_scores_equals_the_core_on_the_same_data(
        session: Any, world: World) -> None:
    report = build_report(session, world.project, StatusBands(), world.periods[3].end_date)
    expected = krippendorff_alpha(_reference_units(), Level.ORDINAL)
    assert expected is not None
    assert report.agreement.alpha == expected
    achievement = {k: v for k, v in _reference_units().items() if k[0] == "a"}
    assert report.agreement.by_aspect[ScoreAspect.ACHIEVEMENT] == krippendorff_alpha(
        achievement, Level.ORDINAL)
    assert (report.agreement.evaluators, report.agreement.items,
            report.agreement.paired_items) == (3, 6, 6)
    assert report.drafts == [(world.evaluators[2].name, 1)]
    first = report.items[0]
    assert first.spread(ScoreAspect.ACHIEVEMENT).minimum == 3
    assert first.spread(ScoreAspect.ACHIEVEMENT).maximum == 4
    assert first.result.actual == Decimal(40) and first.result.target == Decimal(100)


def test_the_report_page_shows_scores_agreement_and_no_drafts(
        client: FlaskClient, world: World) -> None:
    sign_in(client, world.manager)
    response = client.get(f"/evaluation/projects/{world.project.id}/report")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Evaluator A on 1.1" in body and "Evaluator C: efficiency" in body
    assert "A draft nobody else should read" not in body
    alpha = krippendorff_alpha(_reference_units(), Level.ORDINAL)
    assert f"{alpha:.3f}" in body
    assert "Evaluator C (1)" in body
    assert "Record consensus" in body


def test_a_manager_records_the_consensus_with_a_reason(
        client: FlaskClient, session: Any, world: World) -> None:
    sign_in(client, world.manager)
    indicator, period = world.indicators[1], world.periods[0]
    url = (f"/evaluation/indicators/{indicator.id}/periods/{period.id}/consensus/achievement")
    page = client.get(url).get_data(as_text=True)
    assert "Evaluator B on 1.2" in page and "2–4" in page
    refused = client.post(url, data={"version": "0", "reason": ""})
    assert refused.status_code == 422
    assert "Reason is required" in refused.get_data(as_text=True)
    saved = client.post(url, data={"version": "0", "value": "3",
                                   "reason": "The field visit confirmed most of the training."})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"#item-{indicator.id}-{period.id}")
    found = session.scalars(sa.select(ConsensusScore)).one()
    assert (found.value, found.aspect, found.decided_by_id) == (
        3, ScoreAspect.ACHIEVEMENT, world.manager.id)
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "consensus_score.create")).one()
    assert event.reason == "The field visit confirmed most of the training."
    report = client.get(f"/evaluation/projects/{world.project.id}/report").get_data(as_text=True)
    assert "The field visit confirmed most of the training." in report
    criterion = client.post(
        f"/evaluation/projects/{world.project.id}/criteria/efficiency/consensus",
        data={"version": "0", "value": "2", "reason": "Costs per participant are high."})
    assert criterion.status_code == 302
    stale = client.post(url, data={"version": "0", "value": "4", "reason": "Late edit."})
    assert stale.status_code == 409
    assert "The field visit confirmed" in stale.get_data(as_text=True)


def test_csv_and_xlsx_carry_the_same_rows(client: FlaskClient, world: World) -> None:
    sign_in(client, world.manager)
    response = client.get(f"/evaluation/projects/{world.project.id}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3 * 2 * 2 + 3 * 2  # scores x aspects, plus ratings
    first = next(r for r in rows if r["evaluator"] == "Evaluator A"
                 and r["indicator_code"] == "1.1" and r["aspect"] == "data_quality")
    assert first["score"] == "2" and first["justification"] == "Evaluator A on 1.1"
    assert (first["spread_min"], first["spread_max"], first["evaluators"]) == ("2", "3", "3")
    assert first["actual"] == "40.0000" and first["target"] == "100.0000"
    assert first["period_start"] == "2024-01-01"
    rating = next(r for r in rows if r["criterion"] == "efficiency"
                  and r["evaluator"] == "Evaluator C")
    assert rating["score"] == "1" and rating["item"] == "project"

    response = client.get(f"/evaluation/projects/{world.project.id}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["Scores"]
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == len(rows) + 1
    header = list(table[0])
    assert header[header.index("Justification")] == "Justification"
    assert {r[header.index("Justification")] for r in table[1:]} == {
        r["justification"] for r in rows}
    agreement = {row[0]: row[1] for row in book["Agreement"].iter_rows(values_only=True)}
    alpha = krippendorff_alpha(_reference_units(), Level.ORDINAL)
    assert agreement["Krippendorff's alpha (ordinal), all finalised scores"] == pytest.approx(
        float(alpha), abs=1e-4)
    assert agreement["Evaluators"] == 3


PAGES = ["/evaluation/projects/{id}?period={period}", "/evaluation/projects/{id}/report",
         "/evaluation/projects/{id}/report.csv", "/evaluation"]


def test_pages_keep_their_query_count_from_10_to_1000_indicators(
        app: Any, session: Any, count_queries: Any) -> None:
    world = build(session, indicators=0, evaluators=2)
    evaluator, manager = app.test_client(), app.test_client()
    sign_in(evaluator, world.evaluators[0])
    sign_in(manager, world.manager)

    def counts() -> dict[str, int]:
        result = {}
        for template in PAGES:
            url = template.format(id=world.project.id, period=world.periods[0].id)
            for who, client in (("evaluator", evaluator), ("manager", manager)):
                if "report" in url and who == "evaluator":
                    continue
                with count_queries() as counter:
                    response = client.get(url)
                    assert response.status_code == 200, (url, who)
                result[f"{who} {url}"] = counter.count
        return result

    ids = bulk_indicators(session, world, 10, 0)
    bulk_scores(session, world, ids)
    bulk_consensus(session, world, ids)
    small = counts()
    ids = bulk_indicators(session, world, 990, 10)
    bulk_scores(session, world, ids)
    bulk_consensus(session, world, ids)
    large = counts()
    assert large == small
    assert max(small.values()) <= 14, small


def test_text_that_looks_like_a_formula_stays_text(
        client: FlaskClient, session: Any, world: World) -> None:
    IndicatorScoreFactory(indicator=world.indicators[0], period=world.periods[3],
                          evaluator=world.evaluators[0],
                          justification='=HYPERLINK("https://example.com","click")')
    session.commit()
    sign_in(client, world.manager)
    body = client.get(f"/evaluation/projects/{world.project.id}/report.csv").get_data(
        as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["justification"] for r in rows if r["period_start"] == "2024-10-01"} == {
        '\'=HYPERLINK("https://example.com","click")'}
    book = load_workbook(io.BytesIO(client.get(
        f"/evaluation/projects/{world.project.id}/report.xlsx").get_data()))
    cells = [c for row in book["Scores"].iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
