"""Validation rules refuse a share over 100 % and a negative count, in the grid and in an import,
naming the indicator, period, category, value and rule, and writing nothing."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build, grid_form

from app.frameworks.models import Indicator
from app.monitoring.models import DataValue

HEADER = ["indicator", "period_start", "period_end", "disaggregation", "category", "value",
          "numerator", "denominator", "text", "comment", "evidence_url"]


@pytest.fixture
def setup(session: Any) -> Any:
    return build(session, code="RULES-1")


def _count(session: Any) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count(DataValue.id))) or 0


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True)).replace("&#34;", '"')


def test_the_grid_refuses_a_share_over_the_whole_and_a_negative_count(
        client: Any, auth: Any, setup: Any, session: Any) -> None:
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    form.update({f"{setup.key('R')}-numerator": "50", f"{setup.key('R')}-denominator": "40",
                 f"{setup.key('N')}-value": "-40"})
    response = client.post(f"/periods/{setup.period.id}/data", data=form)
    assert response.status_code == 422
    page = _text(response)
    assert "R · " in page and "the numerator 50 is more than the denominator 40" in page
    assert "N · " in page and "the value -40 is negative" in page
    assert "Total" in page  # the category is named
    assert _count(session) == 0
    form.update({f"{setup.key('R')}-numerator": "40", f"{setup.key('N')}-value": "40"})
    assert client.post(f"/periods/{setup.period.id}/data", data=form).status_code == 302
    assert _count(session) == 2


def test_an_import_refuses_them_too_and_writes_nothing(client: Any, auth: Any, setup: Any,
                                                       session: Any) -> None:
    auth.login(setup.officer)
    p = setup.period
    dates = [p.start_date.isoformat(), p.end_date.isoformat()]
    rows = [["N", *dates, "total", "total", "12", "", "", "", "", ""],
            ["N", *dates, "sex", "female", "-5", "", "", "", "", ""],
            ["R", *dates, "total", "total", "", "50", "40", "", "", ""]]
    body = ("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n").encode()
    response = client.post(f"/projects/{setup.project.id}/import", data={
        "file": (io.BytesIO(body), "values.csv"), "mode": "import"},
        content_type="multipart/form-data")
    page = _text(response)
    assert "N · " in page and "female" in page and "the value -5 is negative" in page
    assert "the numerator 50 is more than the denominator 40" in page
    assert _count(session) == 0  # all or nothing: the good first row was not written


def test_rules_are_set_on_the_indicator_and_then_apply(client: Any, auth: Any, setup: Any,
                                                       session: Any) -> None:
    indicator = setup.indicators["N"]
    indicator.max_value, indicator.whole_numbers = Decimal(100), True
    indicator.allow_negative = True
    setup.indicators["R"].allow_over_whole = True
    session.commit()
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    form.update({f"{setup.key('N')}-value": "100.5"})
    page = _text(client.post(f"/periods/{setup.period.id}/data", data=form))
    assert "100.5 is above this indicator's maximum of 100" in page
    assert "the value 100.5 is not a whole number" in page
    form.update({f"{setup.key('N')}-value": "-3", f"{setup.key('R')}-numerator": "50",
                 f"{setup.key('R')}-denominator": "40"})
    assert client.post(f"/periods/{setup.period.id}/data", data=form).status_code == 302
    stored = session.scalar(sa.select(Indicator).where(Indicator.id == indicator.id))
    assert stored.rules.allow_negative and _count(session) == 2


def test_the_data_quality_page_lists_stored_values_that_break_a_rule(
        client: Any, auth: Any, setup: Any, session: Any) -> None:
    from seed.factories import DataValueFactory

    period = setup.period
    female = setup.categories[("sex", "female")]
    bad = DataValueFactory(indicator=setup.indicators["N"], period=period, value=Decimal(-3))
    DataValueFactory(indicator=setup.indicators["N"], period=period, category_id=female,
                     value=Decimal(4))
    share = DataValueFactory(indicator=setup.indicators["R"], period=period, value=None,
                             numerator=Decimal(9), denominator=Decimal(6))
    session.commit()
    auth.login(setup.officer)
    page = _text(client.get(f"/projects/{setup.project.id}/data-quality"))
    assert f'id="value-{bad.id}"' in page and f'id="value-{share.id}"' in page
    assert page.count('class="card" id="value-') == 2  # the good value is not listed
    assert "the value -3 is negative" in page and "the numerator 9 is more than" in page
    assert "Accept as an exception" not in page  # officers read, managers decide
    assert client.post(f"/values/{bad.id}/accept-exception",
                       data={"version": "1", "reason": "x"}).status_code == 403
    auth.logout()
    auth.login(setup.manager)
    response = client.post(f"/values/{bad.id}/accept-exception",
                           data={"version": str(bad.version), "reason": ""},
                           follow_redirects=True)
    assert "Say why this value is right" in _text(response)
    response = client.post(f"/values/{bad.id}/accept-exception",
                           data={"version": str(bad.version),
                                 "reason": "A correction of last quarter's double count."},
                           follow_redirects=True)
    page = _text(response)
    assert "Accepted exception" in page and "double count" in page
    assert f'id="value-{bad.id}"' in page  # still listed: accepted, not hidden
    from app.audit import AuditEvent
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "value.rule_exception")).one()
    assert event.user_id == setup.manager.id and event.entity_id == str(bad.id)


def test_the_sql_selection_is_the_rule(session: Any, setup: Any) -> None:
    """Random stored figures: the page's SQL picks exactly those the pure rules refuse."""
    import random

    from app.monitoring.quality import out_of_rule_query
    from indicators.validation import check
    from seed.factories import DataValueFactory, IndicatorFactory

    rnd = random.Random(7)
    expected = set()
    for n in range(40):
        ratio = rnd.random() < 0.4
        indicator = IndicatorFactory(
            project=setup.project, code=f"X{n}", numerator_label="a" if ratio else None,
            denominator_label="b" if ratio else None,
            calculation="ratio" if ratio else "sum",
            min_value=rnd.choice([None, Decimal(0), Decimal(5)]),
            max_value=rnd.choice([None, Decimal(10), Decimal(100)]),
            whole_numbers=rnd.random() < 0.5, allow_negative=rnd.random() < 0.3,
            allow_over_whole=rnd.random() < 0.3)
        if indicator.min_value is not None and indicator.max_value is not None:
            indicator.max_value = max(indicator.max_value, indicator.min_value)
        period = setup.period
        figures = ({"numerator": Decimal(rnd.choice(["-1", "3", "4.5", "12"])),
                    "denominator": Decimal(rnd.choice(["0", "4", "10"]))} if ratio
                   else {"value": Decimal(rnd.choice(["-4", "0", "2.5", "7", "50", "150"]))})
        stored = DataValueFactory(indicator=indicator, period=period,
                                  value=figures.get("value"),
                                  numerator=figures.get("numerator"),
                                  denominator=figures.get("denominator"))
        session.flush()
        if check(indicator.rules, **figures):
            expected.add(stored.id)
    got = {row[0].id for row in session.execute(out_of_rule_query(setup.project))}
    assert got == expected and 5 < len(expected) < 40


def test_a_huge_bad_cell_is_named_not_echoed_whole(client: Any, auth: Any, setup: Any,
                                                   session: Any) -> None:
    auth.login(setup.officer)
    p = setup.period
    huge = "x" * 100_000
    rows = [[huge, p.start_date.isoformat(), p.end_date.isoformat(), "total", "total", "1",
             "", "", "", "", ""],
            ["N", p.start_date.isoformat(), p.end_date.isoformat(), "total", "total", huge,
             "", "", "", "", ""]]
    body = ("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n").encode()
    response = client.post(f"/projects/{setup.project.id}/import", data={
        "file": (io.BytesIO(body), "values.csv"), "mode": "check"},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "x" * 99 + "…" in page and "x" * 101 not in page
    assert "no indicator" in page and "is not a number" in page
    assert _count(session) == 0
