"""The follow-up report: every event's figures, the totals and the charts drawn from them.

Totals and groups are those of ``indicators.followup.portfolio_totals(_by)``. They are
counted in SQL by grouping the per-event figures query of ``report.py`` (so the status of an
event is decided by its one CASE expression): one statement returns a row per status and
group, a few dozen rows whatever the number of events, and the totals and bars are added up
from those. Only the events of the page shown are read as rows. The charts are laid out
here, in numbers a template turns into SVG: a bar per group, split by status.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.followup.models import EventOrganisation, EventRole
from app.followup.report import (
    NO_FILTERS,
    QUERY_CACHE_SIZE,
    STATUS,
    STATUS_ORDER,
    EventFigures,
    ReportFilters,
    count_query,
    figures_query,
    organisation_labels,
    report_order,
    to_figures,
)
from app.pagination import Page
from indicators.followup import FollowUpSettings, FollowUpStatus, PortfolioTotals

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


class Group(NamedTuple):
    """Events of one status within one group, from the SQL summary."""

    chart: str  # "" for the whole report's dimensions, "organiser"/"funder" per organisation
    status: str
    country: str | None
    year: int | None
    currency: str | None
    no_organiser: bool
    no_funder: bool
    organisation: int | None
    events: int
    cost: Decimal | None
    without_cost: int


def _summary_parts(figures: Any) -> list[sa.Select[Any]]:
    """Events counted per status and group, over the rows of :func:`figures_query`.

    The first part groups by country, year, currency and whether the event has organisers
    and funders (the totals, the talk-shop cost per currency and the country and year charts
    add those up); the second joins each event to its organisers and funders and groups by
    organisation (an event with two funders counts for both).
    Their columns are those of :class:`Group`.
    """
    f = figures.c
    year = sa.cast(sa.extract("year", f.start_date), sa.Integer)
    talk_shop = f.status == FollowUpStatus.TALK_SHOP.value
    no_organiser = sa.case((f.organiser_ids.is_(None), 1), else_=0)
    no_funder = sa.case((f.funder_ids.is_(None), 1), else_=0)
    cost = sa.func.sum(sa.case((talk_shop, f.cost)))
    without_cost = sa.func.sum(sa.case((sa.and_(talk_shop, f.cost.is_(None)), 1), else_=0))
    null_int = sa.cast(sa.null(), sa.Integer)
    null_text = sa.cast(sa.null(), sa.String)
    overall = (
        sa.select(sa.literal("").label("chart"), f.status, f.country, year.label("year"),
                  f.currency, no_organiser.label("no_organiser"),
                  no_funder.label("no_funder"), null_int.label("organisation"),
                  sa.func.count().label("events"), cost.label("cost"),
                  without_cost.label("without_cost"))
        .select_from(figures)
        .group_by(f.status, f.country, year, f.currency, no_organiser, no_funder)
    )
    role = sa.cast(EventOrganisation.role, sa.String)
    by_organisation = (
        sa.select(role.label("chart"), f.status, null_text.label("country"),
                  null_int.label("year"), null_text.label("currency"),
                  sa.literal(0).label("no_organiser"), sa.literal(0).label("no_funder"),
                  EventOrganisation.organisation_id.label("organisation"),
                  sa.func.count().label("events"), cost.label("cost"),
                  without_cost.label("without_cost"))
        .select_from(figures)
        .join(EventOrganisation, EventOrganisation.event_id == f.id)
        .group_by(role, f.status, EventOrganisation.organisation_id)
    )
    return [overall, by_organisation]


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def summary_query(as_of: dt.date, settings: FollowUpSettings,
                  filters: ReportFilters = NO_FILTERS) -> sa.CompoundSelect:
    """The groups of :func:`_summary_parts` in one statement."""
    figures = figures_query(as_of, settings, filters).order_by(None).cte("figures")
    return sa.union_all(*_summary_parts(figures))


# The columns of a page's row in :func:`page_and_summary_query`, after the part and position.
FIGURE_COLUMNS = 26
GROUP_TYPES = (sa.String(), sa.String(), sa.String(), sa.Integer(), sa.String(),
               sa.Integer(), sa.Integer(), sa.Integer(), sa.Integer(), sa.Numeric(16, 2),
               sa.Integer())


@functools.lru_cache(maxsize=QUERY_CACHE_SIZE)
def page_and_summary_query(as_of: dt.date, settings: FollowUpSettings,
                           filters: ReportFilters, size: int) -> sa.CompoundSelect:
    """The rows of one page of events and the groups of the summary, in one statement, so
    that the figures of every event are computed once (a CTE both read).

    Each row starts with its part (0: an event of the page, 1: a group) and the event's
    position; an event's row then has the columns of :func:`figures_query`, a group's the
    columns of :class:`Group` after as many NULLs. The page starts at the ``page_offset``
    parameter, or at the last page when that is past the end (as ``_page`` computes it).
    """
    figures = figures_query(as_of, settings, filters).order_by(None).cte("figures")
    f = figures.c
    total = sa.select(sa.func.count()).select_from(figures).scalar_subquery()
    last = sa.case((total > 0, (total - 1) // size * size), else_=0)
    requested = sa.bindparam("page_offset", type_=sa.BigInteger())
    order = report_order(f, filters)
    page = (sa.select(*f, sa.func.row_number().over(order_by=order).label("position"))
            .order_by(*order).limit(size)
            .offset(sa.case((requested > last, last), else_=requested))
            .subquery("page"))
    rows = sa.select(sa.literal(0).label("part"), page.c.position,
                     *(page.c[c.name] for c in f),
                     *(sa.cast(sa.null(), kind) for kind in GROUP_TYPES))
    nulls = [sa.null()] * FIGURE_COLUMNS
    parts = [part.subquery() for part in _summary_parts(figures)]
    groups = [sa.select(sa.literal(1), sa.null(), *nulls, *part.c) for part in parts]
    statement: sa.CompoundSelect = sa.union_all(rows, *groups)
    return statement.order_by(statement.selected_columns.part,
                              statement.selected_columns.position)


def _totals(groups: Iterable[Group]) -> PortfolioTotals:
    """Adds up groups of events into the totals of ``portfolio_totals``."""
    counts = dict.fromkeys(COUNTER.values(), 0)
    cost, without_cost = Decimal(0), 0
    for group in groups:
        status = STATUS[group.status]
        counts[COUNTER[status]] += group.events
        if status is FollowUpStatus.TALK_SHOP:
            cost += group.cost or 0
            without_cost += group.without_cost
    return PortfolioTotals(events=sum(counts.values()), talk_shop_cost=cost,
                           talk_shops_without_cost=without_cost, **counts)


def _charts(groups: list[Group], labels: dict[int, str]) -> list[Chart]:
    overall = [g for g in groups if not g.chart]
    none = str(NOT_RECORDED)
    out = []
    for role, flag, name, title in (
            (EventRole.ORGANISER, "no_organiser", "organiser", _l("By organiser")),
            (EventRole.FUNDER, "no_funder", "funder", _l("By funder"))):
        per: dict[tuple[str, str], list[Group]] = {}
        for g in groups:
            if g.chart == role.value and g.organisation is not None:
                key = (str(g.organisation), labels.get(g.organisation, ""))
                per.setdefault(key, []).append(g)
        unrecorded = [g for g in overall if getattr(g, flag)]
        if unrecorded:
            per[("", none)] = unrecorded
        out.append(chart(name, title, {k: _totals(v) for k, v in per.items()}, _worst_first))
    countries: dict[str, list[Group]] = {}
    years: dict[int, list[Group]] = {}
    for g in overall:
        countries.setdefault(g.country or "", []).append(g)
        years.setdefault(int(g.year or 0), []).append(g)
    out.append(chart("country", _l("By country"), {
        (code, code or none): _totals(v) for code, v in countries.items()}, _worst_first))
    out.append(chart("year", _l("By year"), {
        (str(year), str(year)): _totals(v) for year, v in years.items()}, _chronological))
    return out


def _cost_by_currency(groups: Iterable[Group]) -> dict[str, Decimal]:
    by_currency: dict[str, Decimal] = {}
    for g in groups:
        if not g.chart and g.status == FollowUpStatus.TALK_SHOP.value and g.cost is not None:
            currency = g.currency or ""
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + g.cost
    return dict(sorted(by_currency.items()))


def summarise(session: Session, as_of: dt.date, settings: FollowUpSettings,
              filters: ReportFilters = NO_FILTERS, with_charts: bool = True,
              labels: dict[int, str] | None = None) -> FollowUpReport:
    """The totals and charts of the report, without its rows (``rows`` is left empty)."""
    rows = session.connection().execute(summary_query(as_of, settings, filters))
    if with_charts and labels is None:
        labels = organisation_labels(session)
    return _summary(as_of, settings, filters, rows, with_charts, labels)


def _summary(as_of: dt.date, settings: FollowUpSettings, filters: ReportFilters,
             rows: Iterable[Any], with_charts: bool, labels: dict[int, str] | None
             ) -> FollowUpReport:
    groups = [Group(*row) for row in rows]
    groups = [g._replace(no_organiser=bool(g.no_organiser), no_funder=bool(g.no_funder))
              for g in groups]
    overall = [g for g in groups if not g.chart]
    return FollowUpReport(
        as_of=as_of, settings=settings, filters=filters, rows=[],
        totals=_totals(overall), talk_shop_cost=_cost_by_currency(groups),
        charts=_charts(groups, labels or {}) if with_charts else [])


def event_rows(session: Session, as_of: dt.date, settings: FollowUpSettings,
               filters: ReportFilters = NO_FILTERS, labels: dict[int, str] | None = None,
               offset: int = 0, limit: int | None = None,
               batch: int | None = None) -> Generator[EventFigures, None, None]:
    """The events' figures in the report's order: a slice of them, or all of them read
    from a server-side cursor ``batch`` rows at a time (memory bounded by the batch)."""
    labels = organisation_labels(session) if labels is None else labels
    query = figures_query(as_of, settings, filters)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    options = {"stream_results": True, "yield_per": batch} if batch else {}
    result = session.connection().execute(query, execution_options=options)
    try:
        for row in result:
            yield to_figures(row, as_of, labels, settings)
    finally:  # a reader that stops early (a client gone) closes the server-side cursor now
        result.close()


def _page(session: Session, as_of: dt.date, settings: FollowUpSettings,
          filters: ReportFilters, labels: dict[int, str], number: int, size: int,
          total: int) -> Page:
    # A page past the last shows the last: no offset the database cannot take.
    number = max(1, min(number, -(-total // size) or 1))
    items = list(event_rows(session, as_of, settings, filters, labels,
                            offset=(number - 1) * size, limit=size))
    return Page(items=items, number=number, size=size, total=total)


def events_page(session: Session, as_of: dt.date, settings: FollowUpSettings,
                filters: ReportFilters, number: int, size: int) -> Page:
    """One page of events with their figures: three queries (the organisations' names, the
    count, which computes no figure unless the status is filtered on, and the page's rows)."""
    labels = organisation_labels(session)
    total = session.scalar(count_query(as_of, settings, filters)) or 0
    return _page(session, as_of, settings, filters, labels, number, size, total)


def report_page(session: Session, as_of: dt.date, settings: FollowUpSettings,
                filters: ReportFilters, number: int, size: int) -> tuple[FollowUpReport, Page]:
    """The totals, the charts and one page of events in two queries whatever the number of
    events (the organisations' names, and the page's rows with the summary's groups)."""
    labels = organisation_labels(session)
    result = session.connection().execute(page_and_summary_query(as_of, settings, filters, size),
                                          {"page_offset": (max(1, number) - 1) * size})
    items, groups = [], []
    for row in result:
        if row[0] == 0:
            items.append(to_figures(row[2:2 + FIGURE_COLUMNS], as_of, labels, settings))
        else:
            groups.append(row[2 + FIGURE_COLUMNS:])
    report = _summary(as_of, settings, filters, groups, True, labels)
    total = report.totals.events
    # The statement showed the last page for a number past it; the page says which it was.
    number = max(1, min(number, -(-total // size) or 1))
    return report, Page(items=items, number=number, size=size, total=total)


def build_report(session: Session, as_of: dt.date, settings: FollowUpSettings,
                 filters: ReportFilters = NO_FILTERS, with_charts: bool = True
                 ) -> FollowUpReport:
    """The whole report: the totals and charts of :func:`summarise`, and every event's row."""
    labels = organisation_labels(session)
    summary = summarise(session, as_of, settings, filters, with_charts, labels)
    rows = list(event_rows(session, as_of, settings, filters, labels))
    return replace(summary, rows=rows)
