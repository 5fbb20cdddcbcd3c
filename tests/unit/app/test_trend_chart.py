"""The trend chart drawn on the server: one mark per target and per actual, provisional
actuals drawn apart, the text escaped, nothing drawn without figures."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask

from app.reports.charts import trend
from indicators.figures import Figures, PeriodResult
from indicators.types import Cumulation, Status


def _period(month: int, value: int | None, target: int | None, *, to_date: int | None = None,
            provisional: bool = False) -> PeriodResult:
    return PeriodResult(start=date(2024, month, 1), end=date(2024, month, 28),
                        value=None if value is None else Decimal(value),
                        to_date=None if to_date is None else Decimal(to_date),
                        target=None if target is None else Decimal(target), progress=None,
                        basis=None, status=Status.NO_DATA, provisional=provisional)


def _draw(app: Flask, figures: Figures, cumulation: Any = Cumulation.NON_CUMULATIVE,
          **kwargs: Any) -> str:
    with app.test_request_context():
        return str(trend(figures, cumulation, lop_target=kwargs.get("lop"),
                         title=kwargs.get("title", "Trend"), chart_id="c1"))


def test_one_mark_per_target_and_actual_with_provisional_ones_hollow(app: Flask) -> None:
    figures = Figures((_period(1, 10, 20, to_date=10), _period(4, 30, 20, to_date=40),
                       _period(7, 25, 20, to_date=65, provisional=True),
                       _period(10, None, 20)))
    svg = _draw(app, figures, lop=Decimal(80))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="target"') == 4
    assert svg.count('class="actual"') == 2
    assert svg.count('class="provisional"') == 1
    assert "Life-of-project target" in svg and "Provisional" in svg
    # the description reads every figure for screen readers
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg)
    assert desc and "target 20, actual 30" in desc.group(1) and "(provisional)" in desc.group(1)


def test_a_cumulative_indicator_is_drawn_by_its_running_figure(app: Flask) -> None:
    figures = Figures((_period(1, 10, None, to_date=10), _period(4, 30, None, to_date=40)))
    svg = _draw(app, figures, Cumulation.CUMULATIVE)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg)
    assert desc and "actual 40" in desc.group(1) and "actual 30" not in desc.group(1)


def test_nothing_to_draw_gives_nothing(app: Flask) -> None:
    assert _draw(app, Figures(())) == ""
    assert _draw(app, Figures((_period(1, None, None),))) == ""


def test_text_is_escaped(app: Flask) -> None:
    svg = _draw(app, Figures((_period(1, 10, 20),)), title='<script>alert(1)</script>"')
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_periods_are_named_by_their_month_and_year_in_the_reader_s_language(app: Flask) -> None:
    from flask_babel import force_locale

    figures = Figures((_period(9, 10, 20), _period(11, 30, 20)))
    with app.test_request_context(), force_locale("ru"):
        svg = str(trend(figures, Cumulation.NON_CUMULATIVE, lop_target=None, title="Trend",
                        chart_id="c1"))
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg)
    assert desc and desc.group(1).startswith("сентябрь 2024: ")
    assert "ноябрь 2024: " in desc.group(1)
    # under the axis: the month's name, then the year on a line of its own
    assert re.search(r">сентябрь<tspan [^>]*>2024</tspan>", svg)
    assert "сент." not in svg and "нояб." not in svg
    english = _draw(app, figures)
    assert "September 2024: " in english and re.search(r">November<tspan [^>]*>2024<", english)
    assert "Sep 2024" not in english


def test_the_last_period_is_always_named_and_names_do_not_crowd(app: Flask) -> None:
    figures = Figures(tuple(_period(month, month, None) for month in range(1, 13)))
    svg = _draw(app, figures)
    named = re.findall(r">([A-Z][a-z]+)<tspan", svg)
    assert named[-1] == "December" and len(named) <= 5
    assert named == ["March", "June", "September", "December"]
