"""How the interface writes numbers, percentages, money and dates: by Babel, in the reader's
language (the locale of the request, or the one a document or a command forces), each in one
function here. Templates reach them as filters (``app.web``); Python code imports them.

- A percentage is a fraction (0.167) written with the locale's own percent pattern and at most
  ``PERCENT_DECIMALS`` decimals: "16.7%" and "25%" in English, "16,7 %" and "25 %" in Russian
  (with a non-breaking space). Nothing writes a percent sign by hand.
- A month and year is the month's standalone name and the year: "September 2013", «сентябрь
  2013» (not the abbreviated genitive "сент. 2013", nor the "г." of CLDR's skeleton).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from babel import Locale
from babel import numbers as babel_numbers
from flask_babel import format_currency, format_date, format_datetime, get_locale

#: Decimals of every percentage shown: at most one, none when it is whole (16.7 %, 25 %).
PERCENT_DECIMALS = 1
#: What an absent figure reads as.
NOTHING = "—"
#: Date formats that are not Babel's own: "month" is a month and its year.
MONTH = "month"


def _locale() -> Locale:
    return get_locale() or Locale.parse("en")


def _pattern(base: babel_numbers.NumberPattern,
             decimals: int | None) -> babel_numbers.NumberPattern:
    """The locale's own pattern (signs, spaces, grouping) with at most ``decimals`` decimals."""
    if decimals is None:
        return base
    pattern = copy.copy(base)
    pattern.frac_prec = (0, decimals)
    return pattern


@functools.lru_cache(maxsize=64)
def _locale_pattern(locale: Locale, kind: str, decimals: int | None) -> babel_numbers.NumberPattern:
    """The parsed pattern of a locale, once per locale (Babel parses it on each call)."""
    formats = locale.percent_formats if kind == "percent" else locale.decimal_formats
    return _pattern(formats[None], decimals)


def percent(fraction: Any) -> str:
    """A share written as a percentage: 0.1667 -> "16.7%" (en), "16,7 %" (ru)."""
    if fraction is None:
        return NOTHING
    locale = _locale()
    pattern = _locale_pattern(locale, "percent", PERCENT_DECIMALS)
    return babel_numbers.format_percent(fraction, pattern, locale=locale)


def per_cent(value: Any) -> str:
    """A value already counted in per cent (45 for 45 %), written as ``percent`` writes it."""
    if value is None:
        return NOTHING
    return percent(Decimal(str(value)) / 100)


def number(value: Any, decimals: int | None = None) -> str:
    """A number in the locale's digits and grouping: 12345.6 -> "12,345.6", "12 345,6";
    ``decimals`` caps its decimals (the locale's pattern shows up to three)."""
    if value is None:
        return NOTHING
    locale = _locale()
    pattern = _locale_pattern(locale, "decimal", decimals)
    return babel_numbers.format_decimal(value, pattern, locale=locale)


def money(value: Any, currency: str = "USD") -> str:
    return NOTHING if value is None else format_currency(value, currency)


def month_year(day: dt.date) -> str:
    """ "September 2013", «сентябрь 2013»."""
    return format_date(day, "LLLL y")


def month_name(day: dt.date) -> str:
    """The month alone, as it stands without a day: "September", «сентябрь»."""
    return format_date(day, "LLLL")


def date(day: dt.date | None, fmt: str = "medium") -> str:
    """A date in a Babel format (``short``, ``medium``, ``long``, a pattern) or ``month``."""
    if not day:
        return ""
    if fmt == MONTH:
        return month_year(day)
    return format_date(day, fmt)


def datetime(moment: dt.datetime | None, fmt: str = "medium") -> str:
    return format_datetime(moment, fmt) if moment else ""
