"""Every place that shows an indicator's actual, progress or status for a period shows the same:
the results page, the period's review page, the evaluation sheet and the evaluation report's
CSV, for random frameworks and values in random period states, with and without provisional
values. Each page is read as a person reads it, from its HTML or its file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.auth.models import MemberRole, Role
from app.evaluation.models import ScoreState
from app.frameworks.models import Frequency, PeriodState
from indicators.types import Calculation, Cumulation, Direction, Measure
from seed.factories import (
    DataValueFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    MemberFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    TargetFactory,
    UserFactory,
)

QUARTERS = [(dt.date(2024, m, 1), dt.date(2024, m + 2, 28)) for m in (1, 4, 7, 10)]
STATES = [PeriodState.APPROVED, PeriodState.APPROVED, PeriodState.SUBMITTED, PeriodState.OPEN,
          PeriodState.RETURNED]
STATUS_CLASS = re.compile(r'class="badge badge-(on_track|at_risk|off_track|no_data)"')
PERCENT = re.compile(r'<span class="num">(-?[\d,]+(?:\.\d+)?)%</span>')  # English

framework = st.fixed_dictionaries({
    "calculation": st.sampled_from([Calculation.SUM, Calculation.MEAN, Calculation.MAX,
                                    Calculation.LATEST, Calculation.RATIO]),
    "cumulation": st.sampled_from(list(Cumulation)),
    "direction": st.sampled_from([Direction.INCREASE, Direction.DECREASE]),
    "baseline": st.sampled_from([None, 0, 10]),
    "target": st.sampled_from([None, 40, 150]),
    "values": st.lists(st.one_of(st.none(), st.integers(0, 90)), min_size=2, max_size=4),
    "states": st.lists(st.sampled_from(STATES), min_size=4, max_size=4),
    "period_targets": st.lists(st.sampled_from([None, 20, 60]), min_size=4, max_size=4),
    "provisional": st.booleans(),
})


def _build(session: Any, spec: dict[str, Any]) -> tuple[Any, Any, list[Any]]:
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31))
    periods = [ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                      start_date=start, end_date=end, state=state)
               for (start, end), state in zip(QUARTERS, spec["states"], strict=True)]
    ratio = spec["calculation"] is Calculation.RATIO
    direction = spec["direction"]
    baseline, target = spec["baseline"], spec["target"]
    if direction is Direction.DECREASE and target is not None:
        baseline, target = 200, target  # a fall from 200 towards the target
    indicator = IndicatorFactory(
        project=project, code="1.1", name="Measured", frequency=Frequency.QUARTERLY,
        calculation=spec["calculation"], cumulation=spec["cumulation"], direction=direction,
        measure=Measure.PERCENTAGE if ratio else Measure.NUMBER,
        numerator_label="yes" if ratio else None, denominator_label="asked" if ratio else None,
        baseline_value=None if baseline is None else Decimal(baseline),
        target_value=None if target is None else Decimal(target))
    for period, value, goal in zip(periods, spec["values"], spec["period_targets"],
                                   strict=False):
        if goal is not None:
            TargetFactory(indicator=indicator, period=period, value=Decimal(goal))
        if value is None:
            continue
        if ratio:
            DataValueFactory(indicator=indicator, period=period, value=None,
                             numerator=Decimal(value), denominator=Decimal(100))
        else:
            DataValueFactory(indicator=indicator, period=period, value=Decimal(value))
    return project, indicator, periods


def _num(text: str) -> Decimal:
    """A number as a page shows it: grouped, up to three decimals, perhaps a per cent sign."""
    return Decimal(text.replace(",", "").replace("%", "").replace("\xa0", "").strip())


def _same(page: str, exact: str) -> bool:
    """Whether a page's number is the file's exact number as the page rounds it."""
    return _num(page) == Decimal(exact).quantize(Decimal("0.001"), ROUND_HALF_EVEN).normalize()


def _same_percent(page: str, exact: str) -> bool:
    """Whether a page's percentage is the file's exact share as the page rounds it: per cent,
    one decimal at most."""
    return _num(page) == (Decimal(exact) * 100).quantize(Decimal("0.1"), ROUND_HALF_EVEN)


def _card(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def _seen(block: str, label: str) -> tuple[str | None, str | None, str | None]:
    """(actual to date, progress %, status) as a block of a page shows them."""
    found = re.search(label + r"\s*(?:</dt>\s*<dd>)?\s*(?:<strong>)?\s*([^<]+?)\s*<", block)
    actual = found.group(1).strip() if found else None
    percent = PERCENT.search(block)
    status = STATUS_CLASS.search(block)
    return (None if actual in (None, "—") else actual,
            percent.group(1) if percent else None,
            status.group(1) if status else "no_data")  # no figure, no badge: no data


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=framework)
def test_every_page_shows_the_same_figures(client: FlaskClient, login_as: Any, session: Any,
                                           spec: dict[str, Any]) -> None:
    project, indicator, periods = _build(session, spec)
    evaluator = UserFactory(role=Role.EVALUATOR, name="Evaluator E")
    MemberFactory(user=evaluator, project=project, role=MemberRole.EVALUATOR)
    for period in periods:
        IndicatorScoreFactory(indicator=indicator, period=period, evaluator=evaluator,
                              state=ScoreState.FINAL, justification="Seen.")
    session.commit()
    login_as(Role.MANAGER)
    extra = "provisional=1" if spec["provisional"] else ""
    results = client.get(f"/projects/{project.id}/results?{extra}").get_data(as_text=True)
    card = _card(results, "Measured", "</li>")
    shown = _seen(card, "Actual to date")
    report = client.get(f"/evaluation/projects/{project.id}/report.csv?{extra}")
    rows = {r["period_start"]: r for r in csv.DictReader(io.StringIO(report.get_data(
        as_text=True))) if r["item"] == "indicator" and r["aspect"] == "achievement"}
    for period in periods:
        sheet = client.get(f"/evaluation/projects/{project.id}?period={period.id}&{extra}"
                           ).get_data(as_text=True)
        on_sheet = _seen(_card(sheet, "Measured", "</dl>"), "Actual to date")
        row = rows[period.start_date.isoformat()]
        in_csv = (row["to_date"] or None, row["progress"] or None, row["status"])
        assert on_sheet[2] == in_csv[2], (period.start_date, on_sheet, in_csv)
        assert (on_sheet[0] is None) == (in_csv[0] is None), (on_sheet, in_csv)
        if in_csv[0] is not None:
            assert _same(on_sheet[0], in_csv[0]), (on_sheet, in_csv)
        if in_csv[1] is not None:
            assert on_sheet[1] is not None and _same_percent(on_sheet[1], in_csv[1]), (
                on_sheet, in_csv)
        # The review page counts the period under review: it agrees with the sheet when the
        # reader counts provisional values too, or when everything up to the period is approved.
        settled = all(p.state == PeriodState.APPROVED for p in periods[:periods.index(period) + 1])
        if not (spec["provisional"] or settled):
            continue
        review = client.get(f"/periods/{period.id}/data").get_data(as_text=True)
        figures = re.search(r'<p class="dc-figures">(.*?)</p>', review, re.S)
        if in_csv[0] is None:
            assert figures is None
            continue
        assert figures is not None, period.start_date
        in_review = _seen(figures.group(1), "Actual to date")
        assert in_review[0] is not None and on_sheet[0] is not None
        assert _num(in_review[0]) == _num(on_sheet[0]), (period.start_date, in_review, on_sheet)
        assert in_review[1:] == on_sheet[1:], (period.start_date, in_review, on_sheet)
    # The results page shows the last reported period's figures: the sheet's for that period.
    reported = [r for r in rows.values() if r["actual"]]
    if not reported:
        assert shown[0] is None and shown[2] == "no_data"
        return
    last = max(reported, key=lambda r: r["period_start"])
    assert shown[0] is not None and _same(shown[0], last["to_date"])
    assert shown[2] == last["status"]
    if last["progress"]:
        assert shown[1] is not None and _same_percent(shown[1], last["progress"])
