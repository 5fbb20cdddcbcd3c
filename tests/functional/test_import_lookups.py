"""The lookup tables a values import checks its rows against: the project's own indicators
(with how each is entered), its own periods and every category, keyed as a file names them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from monitoring_data import build

from app.frameworks.models import PeriodState
from app.monitoring.imports.checks import IndicatorInfo, Lookups, PeriodInfo
from seed.factories import IndicatorFactory, ReportingPeriodFactory


def test_lookups_hold_the_projects_own_indicators_periods_and_every_category(
        session: Any) -> None:
    # projects built before and after: lower and higher ids than the project's own, each with
    # an indicator and a period of its own that must not be looked up
    other = build(session, code="LK-0")
    setup = build(session, code="LK-1")
    later = build(session, code="LK-2")
    for code, neighbour in (("X0", other), ("X2", later)):
        IndicatorFactory(project=neighbour.project, code=code)
        ReportingPeriodFactory(project=neighbour.project, start_date=dt.date(2030, 1, 1),
                               end_date=dt.date(2030, 3, 31))
    setup.periods[1].state = PeriodState.SUBMITTED
    session.commit()
    lookups = Lookups(session, setup.project)
    assert set(lookups.indicators) == {"n", "r", "q", "w", "p"}
    n, r, q, w = (lookups.indicators[c] for c in "nrqw")
    assert n.id == setup.indicators["N"].id and n.id != other.indicators["N"].id
    assert (n.kind, r.kind, q.kind) == ("number", "ratio", "text")
    assert (n.computed, w.computed) == (False, True)
    assert n.types == frozenset({"total", "sex"})
    assert q.types == frozenset({"total"})
    assert len(lookups.periods) == len(setup.periods) == 8
    assert lookups.period("2030-01-01", "2030-03-31") is None
    first = setup.periods[0]
    assert lookups.periods[(first.start_date, first.end_date)] == PeriodInfo(
        first.id, PeriodState.OPEN)
    assert lookups.period("2024-04-01", "2024-06-30") == PeriodInfo(
        setup.periods[1].id, PeriodState.SUBMITTED)
    assert lookups.period("2024-01-01", "2024-06-30") is None  # start and end must both match
    assert lookups.period("Q1", "2024-03-31") is None
    assert lookups.period(dt.date(2024, 1, 1), "2024-03-31") is None  # type: ignore[arg-type]
    female = next(c for c in setup.categories if c == ("sex", "female"))
    assert lookups.categories[("sex", "female")] == setup.categories[female]
    assert ("total", "total") in lookups.categories


def test_lookup_records_are_frozen() -> None:
    for record in (IndicatorInfo(1, "number", False, frozenset()), PeriodInfo(1,
                                                                              PeriodState.OPEN)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.id = 2  # type: ignore[misc]
