"""The follow-up report: every event's figures, the totals and the charts drawn from them.

Totals and groups are those of ``indicators.followup.portfolio_totals(_by)``, counted in one
pass over the per-event rows the SQL aggregation returns (a test holds them equal). The
charts are laid out here, in numbers a template turns into SVG: a bar per group, split by
status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.followup.report import (
    NO_FILTERS,
    STATUS_ORDER,
    EventFigures,
    ReportFilters,
    figures_query,
    organisation_labels,
    to_figures,
)
from indicators.followup import FollowUpSettings, FollowUpStatus, PortfolioTotals

K = TypeVar("K")
SEGMENTS = STATUS_ORDER  # the order of the segments in a bar
COUNTER = {FollowUpStatus.TALK_SHOP: "talk_shops", FollowUpStatus.WEAK: "weak",
           FollowUpStatus.FOLLOWED_UP: "followed_up", FollowUpStatus.PENDING: "pending",
           FollowUpStatus.NONE_RECORDED: "none_recorded"}
CHART_WIDTH = 400
ROW_HEIGHT = 40
BAR_HEIGHT = 16
MAX_BARS = 10
NOT_RECORDED = _l("Not recorded")


@dataclass(frozen=True)
class Segment:
    status: FollowUpStatus
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    key: str  # the filter value that narrows the report to this group ("" for none)
    label: Any
    totals: PortfolioTotals
    segments: tuple[Segment, ...]
    y: int


@dataclass(frozen=True)
class Chart:
    name: str  # the filter it narrows: organiser, funder, country, year
    title: Any
    bars: tuple[Bar, ...]
    hidden: int  # groups left out of the chart

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT


@dataclass(frozen=True)
class FollowUpReport:
    as_of: dt.date
    settings: FollowUpSettings
    filters: ReportFilters
    rows: list[EventFigures]
    totals: PortfolioTotals
    talk_shop_cost: dict[str, Decimal]  # per currency
    charts: list[Chart] = field(default_factory=list)


def _bar(key: str, label: Any, totals: PortfolioTotals, scale: int, y: int) -> Bar:
    segments, x = [], 0.0
    for status in SEGMENTS:
        count = getattr(totals, COUNTER[status])
        if count:
            width = CHART_WIDTH * count / scale
            segments.append(Segment(status, count, round(x, 2), round(width, 2)))
            x += width
    return Bar(key, label, totals, tuple(segments), y)


def chart(name: str, title: Any, groups: dict[tuple[str, Any], PortfolioTotals],
          order: Callable[[tuple[tuple[str, Any], PortfolioTotals]], Any]) -> Chart:
    """Bars for the groups ``(filter key, label) -> totals``, first ``MAX_BARS`` by ``order``."""
    ranked = sorted(groups.items(), key=order)
    shown = ranked[:MAX_BARS]
    scale = max((totals.events for _, totals in shown), default=1) or 1
    bars = tuple(_bar(key, label, totals, scale, i * ROW_HEIGHT)
                 for i, ((key, label), totals) in enumerate(shown))
    return Chart(name, title, bars, len(ranked) - len(shown))


def _worst_first(item: tuple[tuple[str, Any], PortfolioTotals]) -> Any:
    (key, label), totals = item
    return (-totals.talk_shops, -totals.events, key == "", str(label))


def _chronological(item: tuple[tuple[str, Any], PortfolioTotals]) -> Any:
    return item[0][0]


def tally(rows: Iterable[EventFigures]) -> PortfolioTotals:
    """Totals of ``indicators.followup.portfolio_totals``, in one pass over plain rows."""
    counts = dict.fromkeys(COUNTER.values(), 0)
    cost, without_cost, events = Decimal(0), 0, 0
    for row in rows:
        events += 1
        counts[COUNTER[row.status]] += 1
        if row.status is FollowUpStatus.TALK_SHOP:
            if row.cost is None:
                without_cost += 1
            else:
                cost += row.cost
    return PortfolioTotals(events=events, talk_shop_cost=cost,
                           talk_shops_without_cost=without_cost, **counts)


def tally_by(pairs: Iterable[tuple[K, EventFigures]]) -> dict[K, PortfolioTotals]:
    """Totals per group; an event in two groups (two funders) counts in both."""
    groups: dict[K, list[EventFigures]] = {}
    for key, row in pairs:
        groups.setdefault(key, []).append(row)
    return {key: tally(rows) for key, rows in groups.items()}


def _by_organisation(rows: list[EventFigures], labels: dict[int, str], funders: bool
                     ) -> dict[tuple[str, str], list[EventFigures]]:
    """Events per organiser (or funder), and those with none under "not recorded"."""
    groups: dict[tuple[str, str], list[EventFigures]] = {}
    keys = {org_id: (str(org_id), label) for org_id, label in labels.items()}
    unrecorded = []
    for row in rows:
        ids = row.funder_ids if funders else row.organiser_ids
        for org_id in ids:
            groups.setdefault(keys[org_id], []).append(row)
        if not ids:
            unrecorded.append(row)
    if unrecorded:
        groups[("", str(NOT_RECORDED))] = unrecorded
    return groups


def charts(rows: list[EventFigures], labels: dict[int, str]) -> list[Chart]:
    out = []
    for funders, name, title in ((False, "organiser", _l("By organiser")),
                                 (True, "funder", _l("By funder"))):
        groups = _by_organisation(rows, labels, funders)
        out.append(chart(name, title, {k: tally(v) for k, v in groups.items()}, _worst_first))
    countries: dict[str, list[EventFigures]] = {}
    years: dict[int, list[EventFigures]] = {}
    for row in rows:
        countries.setdefault(row.country or "", []).append(row)
        years.setdefault(row.start_date.year, []).append(row)
    none = str(NOT_RECORDED)
    out.append(chart("country", _l("By country"), {
        (code, code or none): tally(v) for code, v in countries.items()}, _worst_first))
    out.append(chart("year", _l("By year"), {
        (str(year), str(year)): tally(v) for year, v in years.items()}, _chronological))
    return out


def talk_shop_cost(rows: Iterable[EventFigures]) -> dict[str, Decimal]:
    """Money spent on talk shops, per currency (costs in different currencies never add)."""
    by_currency: dict[str, Decimal] = {}
    for row in rows:
        if row.status is FollowUpStatus.TALK_SHOP and row.cost is not None:
            currency = row.currency or ""
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + row.cost
    return dict(sorted(by_currency.items()))


def build_report(session: Session, as_of: dt.date, settings: FollowUpSettings,
                 filters: ReportFilters = NO_FILTERS, with_charts: bool = True
                 ) -> FollowUpReport:
    """The whole report in two queries: the per-event figures and the organisations' names."""
    labels = organisation_labels(session)
    rows = [to_figures(row, as_of, labels, settings) for row in
            session.connection().execute(figures_query(as_of, settings, filters))]
    return FollowUpReport(
        as_of=as_of, settings=settings, filters=filters, rows=rows,
        totals=tally(rows),
        talk_shop_cost=talk_shop_cost(rows),
        charts=charts(rows, labels) if with_charts else [],
    )
