"""The validation rules of an indicator (``indicators.validation``) applied where a value enters,
and each broken rule said in the reader's language with the indicator, period, category and
value it concerns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.frameworks.models import Indicator
from indicators.validation import Rule, Violation, check

FIELD = {"value": _l("value"), "numerator": _l("numerator"), "denominator": _l("denominator")}


def _number(value: Decimal) -> str:
    return format_decimal(value, "#,##0.####")


def describe(violation: Violation, where: str) -> Any:
    """One broken rule; ``where`` names the indicator, period and category."""
    field, value = FIELD[violation.field], _number(violation.value)
    limit = _number(violation.limit) if violation.limit is not None else ""
    if violation.rule is Rule.NON_NEGATIVE:
        return _l("%(where)s: the %(field)s %(value)s is negative; this indicator takes only "
                  "zero or more.", where=where, field=field, value=value)
    if violation.rule is Rule.MINIMUM:
        return _l("%(where)s: %(value)s is below this indicator's minimum of %(limit)s.",
                  where=where, value=value, limit=limit)
    if violation.rule is Rule.MAXIMUM:
        return _l("%(where)s: %(value)s is above this indicator's maximum of %(limit)s.",
                  where=where, value=value, limit=limit)
    if violation.rule is Rule.WHOLE_NUMBER:
        return _l("%(where)s: the %(field)s %(value)s is not a whole number; this indicator "
                  "counts whole units.", where=where, field=field, value=value)
    return _l("%(where)s: the numerator %(value)s is more than the denominator %(limit)s: a "
              "share cannot exceed the whole (over 100 %%).", where=where, value=value,
              limit=limit)


def violations(indicator: Indicator, values: dict[str, Any]) -> list[Violation]:
    return check(indicator.rules, value=values.get("value"),
                 numerator=values.get("numerator"), denominator=values.get("denominator"))
