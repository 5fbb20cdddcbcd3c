"""The blueprint of the cross-domain pages; ``views`` registers every route on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import gettext
from markupsafe import Markup

from app.formatting import percent
from app.reports import charts

bp = Blueprint("reports", __name__)


@bp.app_template_filter("percent_met")
def _percent_met(value: Any) -> str:
    return percent(value)


@bp.app_template_global("trend_chart")
def trend_chart(row: Any, chart_id: str) -> Markup:
    """The trend of an indicator row (of the IPTT or of the results page)."""
    indicator = row.indicator
    if row.figures is None:
        return Markup("")
    return charts.trend(row.figures, indicator.cumulation, lop_target=indicator.target_value,
                        title=gettext("Targets and actuals of %(code)s over time",
                                      code=indicator.code), chart_id=chart_id)
