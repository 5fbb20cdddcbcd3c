"""Numbers, percentages, money and dates are written by Babel in the reader's language, each by
one function of ``app.formatting``; counted phrases agree with their number; a source document
is named by its title, never by its file name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale

from app import formatting
from app.followup.labels import status_count
from app.followup.reason import reason
from app.web import source_titles
from indicators.followup import FollowUpMetrics, FollowUpSettings, FollowUpStatus

NBSP = "\u00a0"


@pytest.fixture
def request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context("/"):
        yield


@pytest.mark.usefixtures("request_context")
@pytest.mark.parametrize(("locale", "value", "expected"), [
    ("en", Decimal(1) / 6, "16.7%"),
    ("ru", Decimal(1) / 6, f"16,7{NBSP}%"),
    ("en", Decimal("0.25"), "25%"),  # a whole percentage has no decimals
    ("ru", Decimal("0.25"), f"25{NBSP}%"),
    ("en", Decimal("1.5"), "150%"),
    ("en", 0.375, "37.5%"),
    ("ru", Decimal("12.3456"), f"1{NBSP}234,6{NBSP}%"),  # grouped, at most one decimal
    ("en", Decimal("-0.125"), "-12.5%"),
])
def test_a_percentage_is_written_the_locale_s_way_with_at_most_one_decimal(
        locale: str, value: object, expected: str) -> None:
    with force_locale(locale):
        assert formatting.percent(value) == expected


@pytest.mark.usefixtures("request_context")
def test_a_value_in_per_cent_and_an_absent_share() -> None:
    with force_locale("ru"):
        assert formatting.per_cent(Decimal(45)) == f"45{NBSP}%"
        assert formatting.per_cent(33.333) == f"33,3{NBSP}%"
    with force_locale("en"):
        assert formatting.per_cent(45) == "45%"
    assert formatting.percent(None) == "—" and formatting.per_cent(None) == "—"


@pytest.mark.usefixtures("request_context")
def test_numbers_and_money_follow_the_reader_s_locale() -> None:
    with force_locale("en"):
        assert formatting.number(Decimal("12345.678")) == "12,345.678"
        assert formatting.number(1.26, 1) == "1.3"
        assert formatting.number(2.0, 1) == "2"
        assert formatting.money(Decimal("1234.5")) == "$1,234.50"
    with force_locale("ru"):
        assert formatting.number(Decimal("12345.678")) == f"12{NBSP}345,678"
        assert formatting.number(1.26, 1) == "1,3"
        assert formatting.money(Decimal("1234.5"), "EUR") == f"1{NBSP}234,50{NBSP}€"
    assert formatting.number(None) == "—" and formatting.money(None) == "—"


@pytest.mark.usefixtures("request_context")
def test_a_month_and_year_names_the_month_as_it_stands_alone() -> None:
    september = dt.date(2013, 9, 14)
    with force_locale("ru"):
        assert formatting.month_year(september) == "сентябрь 2013"
        assert formatting.date(september, "month") == "сентябрь 2013"
        assert formatting.month_year(dt.date(2024, 3, 31)) == "март 2024"
        assert "сент." not in formatting.date(september, "month")
    with force_locale("en"):
        assert formatting.month_year(september) == "September 2013"
        assert formatting.date(september, "month") == "September 2013"
        assert formatting.date(september) == "Sep 14, 2013"  # other formats are Babel's own
    assert formatting.date(None, "month") == ""


@pytest.mark.usefixtures("request_context")
def test_the_template_filters_are_these_functions(app: Flask) -> None:
    render = app.jinja_env.from_string(
        "{{ share|percent }} | {{ percent(share) }} | {{ day|date('month') }} | {{ n|number }}")
    with force_locale("ru"):
        assert render.render(share=Decimal(1) / 6, day=dt.date(2013, 9, 1), n=1500) == (
            f"16,7{NBSP}% | 16,7{NBSP}% | сентябрь 2013 | 1{NBSP}500")


@pytest.mark.usefixtures("request_context")
def test_counted_follow_up_statuses_agree_with_their_number() -> None:
    with force_locale("en"):
        assert status_count(FollowUpStatus.TALK_SHOP, 1) == "1 talk shop"
        assert status_count(FollowUpStatus.TALK_SHOP, 2) == "2 talk shops"
        assert status_count("pending", 1) == "1 pending"
        assert status_count(FollowUpStatus.NONE_RECORDED, 3) == "3 without recommendations"
        for status in FollowUpStatus:
            assert status_count(status, 5).startswith("5 ")


def _metrics(due: int, verified: int) -> FollowUpMetrics:
    rate = Decimal(verified) / due
    return FollowUpMetrics(
        recommendations=due, due=due, followed_up=verified, verified=verified, implemented=0,
        follow_up_rate=rate, verified_rate=rate, implemented_rate=Decimal(0),
        days_to_first_follow_up=30, days_since_event=400, cost=None, unanswered=(),
        counted_actions=verified, awaiting_verification=0, at_event=0, meeting_only=0,
        first_due=dt.date(2024, 6, 1))


@pytest.mark.usefixtures("request_context")
def test_the_reason_counts_the_recommendations_due_in_words_that_agree() -> None:
    as_of, settings = dt.date(2025, 1, 1), FollowUpSettings()
    with force_locale("en"):
        one = reason(FollowUpStatus.FOLLOWED_UP, _metrics(1, 1), as_of, settings)
        assert one.startswith("Followed up: 1 of the 1 recommendation due by Jan 1, 2025 (100%) "
                              "has a verified follow-up action")
        many = reason(FollowUpStatus.FOLLOWED_UP, _metrics(4, 3), as_of, settings)
        assert "3 of the 4 recommendations due" in many and "(75%) have" in many
        weak = reason(FollowUpStatus.WEAK, _metrics(6, 1), as_of, settings)
        assert "only 1 of the 6 recommendations due" in weak
        assert "(16.7%)" in weak and "threshold of 25%" in weak
        assert "1 recommendations" not in one + many + weak
    with force_locale("ru"):
        # the percentages are Babel's, whatever the catalogue says of the sentence
        weak = reason(FollowUpStatus.WEAK, _metrics(6, 1), as_of, settings)
        assert f"16,7{NBSP}%" in weak and f"25{NBSP}%" in weak and "16,7%" not in weak


@pytest.mark.usefixtures("request_context")
def test_a_source_document_is_named_by_its_title_never_by_its_file_name() -> None:
    titles = source_titles("001_436a3518ccd8ed53.txt; 002_7657b3fa1ce70616.txt")
    assert titles[0].startswith("Workshop report: Recognizing and Responding to Radicalization")
    assert titles[1].startswith("Report of the NATO Advanced Research Workshop, Astana")
    with force_locale("en"):
        # a file without a known title, twice: one neutral label, not its name
        assert source_titles("999_0000000000000000.txt; scan 7.PDF") == ["source document"]
        assert source_titles("003_c0298f46aeeae6bd.txt; 998_ffff.txt")[1] == "source document"
    # a description written by someone is no file name: it is shown as written
    assert source_titles("Workshop report 2023") == ["Workshop report 2023"]
    assert source_titles("Joint Plan of Action, annex 2.1") == ["Joint Plan of Action, annex 2.1"]
    assert source_titles(None) == [] and source_titles("") == []
    joined = " ".join(source_titles("000_0bdb9c3b4a5d49d1.txt; 004_1e1a6a2f2c58fe5b.txt"))
    assert ".txt" not in joined
