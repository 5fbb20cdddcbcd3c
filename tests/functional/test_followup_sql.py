"""The report's SQL gives the statuses and metrics of ``indicators.followup.assess_event``.

Random events (seeded), every status, actions dated before and after the "as of" day,
undated and planned actions, verifications made before and after it; judged with several
settings and several dates, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from followup_data import generate, insert, metrics_tuple, organisation_pool, reference_event

from app.followup.portfolio import build_report
from app.followup.report import ReportFilters, figures_query, organisation_labels, to_figures
from indicators.followup import (
    FollowUpSettings,
    assess_event,
    portfolio_totals,
    portfolio_totals_by,
)

SETTINGS = [
    FollowUpSettings(),
    FollowUpSettings(grace_days=0, weak_threshold=Decimal("1")),
    FollowUpSettings(grace_days=365, weak_threshold=Decimal("0.5")),
    FollowUpSettings(grace_days=30, weak_threshold=Decimal("0.3333")),
    FollowUpSettings(meetings_count=True),
]


@pytest.mark.parametrize("seed", range(5))
def test_sql_figures_equal_the_reference_rule(session: Any, seed: int) -> None:
    events = generate(80, seed)
    pool = organisation_pool(session, prefix=f"Seed{seed}")
    insert(session, events, pool)
    session.flush()
    rnd = random.Random(seed)
    dates = [dt.date(2011, 6, 1), dt.date(2030, 1, 1)] + [
        dt.date(2012, 1, 1) + dt.timedelta(days=rnd.randrange(5500)) for _ in range(3)]
    statuses = set()
    for settings in SETTINGS:
        for as_of in dates:
            labels = organisation_labels(session)
            rows = {row.id: to_figures(row, as_of, labels, settings)
                    for row in session.execute(figures_query(as_of, settings))}
            expected_results = []
            for event in events:
                expected = assess_event(reference_event(event, as_of), as_of, settings)
                got = rows[event.id]
                assert got.status is expected.status, (event, as_of, settings)
                assert metrics_tuple(got.metrics) == metrics_tuple(expected.metrics)
                assert sorted(got.organiser_ids) == sorted(pool[i] for i in event.organisers)
                assert sorted(got.funder_ids) == sorted(pool[i] for i in event.funders)
                expected_results.append(expected)
                statuses.add(expected.status)
            # The report's totals, added up in SQL, against the core's on the same events.
            assert build_report(session, as_of, settings).totals == portfolio_totals(
                expected_results)
            by_country = [(e.country, r) for e, r in zip(events, expected_results, strict=True)]
            for country, totals in portfolio_totals_by(by_country).items():
                if country is None:  # no filter says "no country"; the overall totals hold them
                    continue
                narrowed = build_report(session, as_of, settings, ReportFilters(country=country))
                assert narrowed.totals == totals, country
    assert len(statuses) == 5, "the random data should reach every status"
