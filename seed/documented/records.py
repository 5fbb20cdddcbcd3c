"""The record types of the documented dataset."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from seed.documented.vocabulary import (
    _DATE_TEXT,
    EVENTS_FILE,
    ORGANISATIONS_FILE,
    PROGRAMMES_FILE,
)

# --------------------------------------------------------------------------------------------
# Record types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month or only a year.

    The documents often give "November 2011" or "2023"; storing the first of the month would
    present an invented day as fact, so the precision travels with the date.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        date(self.year, self.month or 1, self.day or 1)  # raises on an impossible date

    @classmethod
    def parse(cls, raw: object) -> PartialDate:
        """Read ``"YYYY"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"`` or a TOML date."""
        if isinstance(raw, date):
            return cls(raw.year, raw.month, raw.day)
        if not isinstance(raw, str):
            raise ValueError(f"expected a date as text, got {type(raw).__name__}")
        match = _DATE_TEXT.match(raw)
        if match is None:
            raise ValueError(f"not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: {raw!r}")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first_day(self) -> date:
        """The earliest day the partial date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The latest day the partial date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Provenance:
    """Where a record comes from: a source document, an exact short passage, a locator."""

    document: str
    passage: str
    locator: str


@dataclass(frozen=True)
class Note:
    """A documented remark that belongs to a record but is not one of its fields."""

    text: str
    sources: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Reference:
    """A baseline or a life-of-project target: one documented value with its own source."""

    value: Decimal
    qualifier: str | None = None
    date: PartialDate | None = None
    note: str | None = None
    sources: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Organisation:
    """An organisation the documents name as organiser, funder, participant or implementer."""

    id: str
    name: str
    kind: str
    acronym: str | None = None
    country: str | None = None
    parent: str | None = None
    other_names: tuple[str, ...] = ()
    kind_note: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None


@dataclass(frozen=True)
class Event:
    """A workshop, conference or meeting.

    ``dates_are_bounds`` marks events whose dates are not documented: ``start`` and ``end``
    then give the window in which the event certainly took place, and ``date_note`` says why.
    """

    id: str
    title: str
    kind: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    dates_are_bounds: bool = False
    date_note: str | None = None
    city: str | None = None
    country: str | None = None
    location_note: str | None = None
    organisers: tuple[str, ...] = ()
    organisers_note: str | None = None
    hosts: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    funders_note: str | None = None
    participating_organisations: tuple[str, ...] = ()
    participants_total: Decimal | None = None
    participants_women: Decimal | None = None
    participants_men: Decimal | None = None
    participants_qualifier: str | None = None
    participants_note: str | None = None
    duration_days: Decimal | None = None
    cost: Decimal | None = None
    cost_currency: str | None = None
    report_url: str | None = None
    project: str | None = None
    kind_note: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None

    @property
    def date_precision(self) -> str | None:
        """The precision of the start date, as the documents give it."""
        return self.start.precision if self.start is not None else None


@dataclass(frozen=True)
class Recommendation:
    """A recommendation of an event, summarised in our own words."""

    id: str
    event: str
    number: int
    text: str
    themes: tuple[str, ...]
    priority: str
    status: str
    title: str | None = None
    number_note: str | None = None
    addressees: tuple[str, ...] = ()
    addressees_note: str | None = None
    responsible_organisation: str | None = None
    due: PartialDate | None = None
    status_note: str | None = None
    aggregate: bool = False
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None


@dataclass(frozen=True)
class FollowUpAction:
    """Something done, or only promised (``state = "planned"``), after a recommendation.

    Only ``done`` actions count as follow-up. An undated action may carry ``not_before`` and
    ``not_after`` bounds taken from the documents.
    """

    id: str
    recommendation: str
    kind: str
    state: str
    description: str
    date: PartialDate | None = None
    date_note: str | None = None
    not_before: PartialDate | None = None
    not_after: PartialDate | None = None
    actor: str | None = None
    actor_organisations: tuple[str, ...] = ()
    evidence_url: str | None = None
    linked_project: str | None = None
    linked_event: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None


@dataclass(frozen=True)
class Programme:
    """A programme: a lead organisation, countries, period, donors."""

    id: str
    code: str
    title: str
    lead_organisation: str | None = None
    lead_organisation_note: str | None = None
    partner_organisations: tuple[str, ...] = ()
    donors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    start: PartialDate | None = None
    end: PartialDate | None = None
    period_note: str | None = None
    currency: str | None = None
    url: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None


@dataclass(frozen=True)
class Project:
    """A project of a programme; it holds the results framework."""

    id: str
    programme: str
    code: str
    title: str
    implementers: tuple[str, ...] = ()
    implementer_note: str | None = None
    countries: tuple[str, ...] = ()
    start: PartialDate | None = None
    end: PartialDate | None = None
    period_note: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None


@dataclass(frozen=True)
class Result:
    """A goal, outcome or output of a project's results chain."""

    project: str
    code: str
    level: str
    statement: str
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None

    @property
    def id(self) -> str:
        """``<project>/<code>``, unique across the dataset."""
        return f"{self.project}/{self.code}"


@dataclass(frozen=True)
class Indicator:
    """An indicator attached to a result of a project."""

    id: str
    project: str
    result: str
    code: str
    name: str
    type: str
    measure: str
    unit: str
    calculation: str
    cumulation: str
    definition: str | None = None
    direction: str | None = None
    frequency: str | None = None
    disaggregation: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    baseline: Reference | None = None
    target: Reference | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None

    @property
    def result_id(self) -> str:
        """The id of the result the indicator measures."""
        return f"{self.project}/{self.result}"


@dataclass(frozen=True)
class IndicatorValue:
    """One value of an indicator for one period (and optionally one category)."""

    indicator: str
    kind: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    period_note: str | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    category: str | None = None
    qualifier: str | None = None
    note: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None

    @property
    def id(self) -> str:
        """A readable key: indicator, period, category and kind."""
        period = f"{self.start or '?'}..{self.end or '?'}"
        category = f"[{self.category}]" if self.category else ""
        return f"{self.indicator}@{period}{category}:{self.kind}"


@dataclass(frozen=True)
class BudgetLine:
    """A documented amount of money for a programme (and the projects it covers)."""

    id: str
    programme: str
    description: str
    amount: Decimal
    currency: str
    kind: str
    projects: tuple[str, ...] = ()
    category: str | None = None
    qualifier: str | None = None
    date: PartialDate | None = None
    equivalent_amount: Decimal | None = None
    equivalent_currency: str | None = None
    equivalent_qualifier: str | None = None
    sources: tuple[Provenance, ...] = ()
    notes: tuple[Note, ...] = ()
    illustrative: bool = False
    illustrative_note: str | None = None


Record = (
    Organisation
    | Event
    | Recommendation
    | FollowUpAction
    | Programme
    | Project
    | Result
    | Indicator
    | IndicatorValue
    | BudgetLine
)

T = TypeVar("T")


@dataclass(frozen=True)
class DocumentedDataset:
    """Everything the three data files hold, validated and cross-referenced."""

    organisations: tuple[Organisation, ...]
    events: tuple[Event, ...]
    recommendations: tuple[Recommendation, ...]
    follow_up_actions: tuple[FollowUpAction, ...]
    programmes: tuple[Programme, ...]
    projects: tuple[Project, ...]
    results: tuple[Result, ...]
    indicators: tuple[Indicator, ...]
    values: tuple[IndicatorValue, ...]
    budget_lines: tuple[BudgetLine, ...]
    _index: dict[str, dict[str, Any]] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self._index.update(
            {
                "organisation": {o.id: o for o in self.organisations},
                "event": {e.id: e for e in self.events},
                "recommendation": {r.id: r for r in self.recommendations},
                "programme": {p.id: p for p in self.programmes},
                "project": {p.id: p for p in self.projects},
                "indicator": {i.id: i for i in self.indicators},
            }
        )

    def organisation(self, id: str) -> Organisation:
        """The organisation with this id (``KeyError`` if there is none)."""
        organisation: Organisation = self._index["organisation"][id]
        return organisation

    def event(self, id: str) -> Event:
        """The event with this id."""
        event: Event = self._index["event"][id]
        return event

    def recommendation(self, id: str) -> Recommendation:
        """The recommendation with this id."""
        recommendation: Recommendation = self._index["recommendation"][id]
        return recommendation

    def project(self, id: str) -> Project:
        """The project with this id."""
        project: Project = self._index["project"][id]
        return project

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id."""
        indicator: Indicator = self._index["indicator"][id]
        return indicator

    def recommendations_of(self, event_id: str) -> tuple[Recommendation, ...]:
        """The event's recommendations, in document order."""
        found = (r for r in self.recommendations if r.event == event_id)
        return tuple(sorted(found, key=lambda r: r.number))

    def actions_of(self, recommendation_id: str) -> tuple[FollowUpAction, ...]:
        """The follow-up actions recorded for a recommendation."""
        return tuple(a for a in self.follow_up_actions if a.recommendation == recommendation_id)

    def values_of(self, indicator_id: str) -> tuple[IndicatorValue, ...]:
        """The values recorded for an indicator."""
        return tuple(v for v in self.values if v.indicator == indicator_id)

    def records(self) -> Iterator[tuple[str, Record]]:
        """Every record with the name of the file it comes from."""
        groups: tuple[tuple[str, Iterable[Record]], ...] = (
            (ORGANISATIONS_FILE, self.organisations),
            (EVENTS_FILE, self.events),
            (EVENTS_FILE, self.recommendations),
            (EVENTS_FILE, self.follow_up_actions),
            (PROGRAMMES_FILE, self.programmes),
            (PROGRAMMES_FILE, self.projects),
            (PROGRAMMES_FILE, self.results),
            (PROGRAMMES_FILE, self.indicators),
            (PROGRAMMES_FILE, self.values),
            (PROGRAMMES_FILE, self.budget_lines),
        )
        for file_name, records in groups:
            for record in records:
                yield file_name, record
