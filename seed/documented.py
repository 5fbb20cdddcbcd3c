"""The documented dataset: what the source documents say, as plain, validated records.

PVE Track exists to follow workshop recommendations until something happens. Its demonstration
data must therefore be beyond reproach: every record here rests on a passage of one of the
source documents (``shared/seeds/*.txt``), quoted exactly, and anything that is not documented
(a results-chain statement worded by us, a container that only groups context figures) says so
with ``illustrative = true`` and a note. A figure the documents do not give is left out, never
guessed.

The data lives in three TOML files under ``seed/data``:

``organisations.toml``
    ``[[organisation]]``.
``events.toml``
    ``[[event]]``, ``[[recommendation]]`` (``event = <event id>``) and ``[[follow_up]]``
    (``recommendation = <recommendation id>``).
``programmes.toml``
    ``[[programme]]``, ``[[project]]`` (``programme = <id>``), ``[[result]]``
    (``project = <id>``, ``code = "1.1"``), ``[[indicator]]`` (``project`` and ``result`` code),
    ``[[value]]`` (``indicator = <id>``) and ``[[budget_line]]``.

Conventions the loader into the database can rely on:

* Dates are written ``"YYYY-MM-DD"``, ``"YYYY-MM"`` or ``"YYYY"``; the form is the precision
  the documents give (``PartialDate.precision``). Nothing is padded to a day that is not
  documented; ``first_day``/``last_day`` give the bounds when a full date is required.
* Numbers are ``Decimal`` (TOML floats are read as decimals, so ``0.000`` stays exact).
* A ``qualifier`` ("more than", "about", ...) keeps the documents' hedging next to a number:
  "more than 300" is stored as 300 with qualifier "more than".
* Values of kind ``planned`` are targets for their period; values of kind ``reported`` are
  data values.
* ``aggregate = true`` on a recommendation means the documents say an event made
  recommendations but do not quote them; the record stands for all of them.
* Programme and project ``code`` values are identifiers assigned here; the documents give none.

``load_documented`` validates everything it reads and raises ``ValueError`` naming the file,
the record and the field, because a silently skipped record would make a talk shop look
followed up, or the other way round.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "DATA_DIR",
    "DOCUMENTS",
    "BudgetLine",
    "DocumentedDataset",
    "Event",
    "FollowUpAction",
    "Indicator",
    "IndicatorValue",
    "Note",
    "Organisation",
    "PartialDate",
    "Programme",
    "Project",
    "Provenance",
    "Recommendation",
    "Reference",
    "Result",
    "load_documented",
    "number_provenance",
    "numbers_in",
    "provenance_in",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

ORGANISATIONS_FILE = "organisations.toml"
EVENTS_FILE = "events.toml"
PROGRAMMES_FILE = "programmes.toml"

#: The source documents a passage may cite (file names in ``shared/seeds``).
DOCUMENTS = frozenset(
    {
        "000_0bdb9c3b4a5d49d1.txt",
        "001_436a3518ccd8ed53.txt",
        "002_7657b3fa1ce70616.txt",
        "003_c0298f46aeeae6bd.txt",
        "004_1e1a6a2f2c58fe5b.txt",
    }
)

MAX_PASSAGE = 300

ORGANISATION_KINDS = (
    "donor",
    "un_agency",
    "intergovernmental",
    "government",
    "ngo",
    "academic",
    "private",
)
EVENT_KINDS = ("workshop", "conference", "seminar", "round_table", "training", "high_level_meeting")
THEMES = (
    "research",
    "youth",
    "women",
    "religious_leaders",
    "online",
    "media",
    "prisons",
    "migrants",
    "returnees",
    "border_management",
    "national_strategy",
    "regional_cooperation",
    "civil_society",
    "governance_human_rights",
    "training",
    "donor_coordination",
    "law_enforcement",
    "families",
)
PRIORITIES = ("critical", "important", "normal")
RECOMMENDATION_STATUSES = (
    "not_started",
    "in_progress",
    "partially_implemented",
    "implemented",
    "not_implemented",
    "no_longer_applicable",
)
ACTION_KINDS = (
    "project_launched",
    "activity_held",
    "policy_adopted",
    "funding_committed",
    "institution_created",
    "document_published",
    "meeting_held",
    "other",
)
ACTION_STATES = ("planned", "done")
RESULT_LEVELS = ("goal", "outcome", "output")
INDICATOR_TYPES = ("output", "outcome", "impact", "context")
MEASURES = ("number", "percentage", "nominal", "ordinal", "qualitative")
DIRECTIONS = ("increase", "decrease", "maintain")
CALCULATIONS = ("sum", "mean", "max", "latest", "ratio")
CUMULATIONS = ("non_cumulative", "cumulative", "non_summing_cumulative")
FREQUENCIES = ("monthly", "quarterly", "semi_annual", "annual")
DISAGGREGATIONS = ("sex", "age_group", "country", "target_group", "location")
VALUE_KINDS = ("reported", "planned")
BUDGET_KINDS = ("planned", "contracted", "actual")
QUALIFIERS = ("more than", "at least", "about", "almost", "at most", "less than")
PRECISIONS = ("day", "month", "year")

#: ISO 3166-1 alpha-2 codes, so that a typo in a country is caught rather than stored.
_ISO_3166_ALPHA_2 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRY_CODES = frozenset(_ISO_3166_ALPHA_2.split())
CURRENCIES = frozenset({"KZT", "USD", "EUR", "KGS", "TJS", "UZS", "TMT", "NOK"})

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RESULT_CODE = re.compile(r"^[1-9][0-9]*(?:\.[1-9][0-9]*)*$")
_DATE_TEXT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


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


# --------------------------------------------------------------------------------------------
# Numbers and provenance of a record
# --------------------------------------------------------------------------------------------


def numbers_in(record: Record) -> list[Decimal]:
    """The documented numbers a record states, for checking them against its passages.

    Counts, values, targets, baselines, scores and amounts are included; identifiers, dates and
    recommendation numbers are not (the numbering of bullet lists is ours). An illustrative
    record states no documented number, so it yields none.
    """
    if record.illustrative:
        return []
    candidates: list[Decimal | None] = []
    if isinstance(record, Event):
        candidates = [
            record.participants_total,
            record.participants_women,
            record.participants_men,
            record.duration_days,
            record.cost,
        ]
    elif isinstance(record, Indicator):
        candidates = [
            record.baseline.value if record.baseline else None,
            record.target.value if record.target else None,
        ]
    elif isinstance(record, IndicatorValue):
        candidates = [record.value, record.numerator, record.denominator]
    elif isinstance(record, BudgetLine):
        candidates = [record.amount, record.equivalent_amount]
    return [number for number in candidates if number is not None]


def number_provenance(record: Record) -> tuple[Provenance, ...]:
    """The passages a record's numbers must appear in: its own and its baseline's/target's."""
    found = list(record.sources)
    if isinstance(record, Indicator):
        for reference in (record.baseline, record.target):
            if reference is not None:
                found.extend(reference.sources)
    return tuple(found)


def provenance_in(record: Record) -> tuple[Provenance, ...]:
    """Every passage a record cites, including those of its notes, baseline and target."""
    found = list(number_provenance(record))
    for note in record.notes:
        found.extend(note.sources)
    return tuple(found)


# --------------------------------------------------------------------------------------------
# Reading and validation
# --------------------------------------------------------------------------------------------


class _Fields:
    """Reads the fields of one raw TOML table and reports problems with their location.

    Every accessor marks its key as read; ``finish`` then rejects keys nobody read, so that a
    misspelt field is an error instead of a silently missing fact.
    """

    def __init__(self, file_name: str, kind: str, raw: object, position: int) -> None:
        self.file_name = file_name
        self.kind = kind
        if not isinstance(raw, dict):
            raise ValueError(f"{file_name}: {kind} #{position}: expected a table")
        self.raw: dict[str, Any] = raw
        self.seen: set[str] = set()
        ident = raw.get("id")
        self.label = f"{kind} {ident!r}" if isinstance(ident, str) else f"{kind} #{position}"

    def error(self, key: str, problem: str) -> ValueError:
        return ValueError(f"{self.file_name}: {self.label}: field {key!r}: {problem}")

    def relabel(self, label: str) -> None:
        self.label = f"{self.kind} {label!r}"

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.raw:
            if required:
                raise self.error(key, "is required")
            return None
        return self.raw[key]

    def text(self, key: str, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "must be non-empty text")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def slug(self, key: str = "id") -> str:
        value = self.required_text(key)
        if not _SLUG.match(value):
            raise self.error(key, f"{value!r} is not a lower-case slug (a-z, 0-9, hyphens)")
        return value

    def optional_slug(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _SLUG.match(value):
            raise self.error(key, f"{value!r} is not a lower-case slug (a-z, 0-9, hyphens)")
        return value

    def choice(self, key: str, allowed: Iterable[str], required: bool = True) -> str | None:
        value = self.text(key, required)
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            raise self.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def required_choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.choice(key, allowed, required=True)
        assert value is not None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a list of non-empty texts")
        if len(set(value)) != len(value):
            raise self.error(key, "lists an entry twice")
        return tuple(value)

    def choices(self, key: str, allowed: Iterable[str]) -> tuple[str, ...]:
        values = self.texts(key)
        allowed = tuple(allowed)
        for value in values:
            if value not in allowed:
                raise self.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return values

    def country(self, key: str = "country") -> str | None:
        value = self.text(key)
        if value is not None and value not in COUNTRY_CODES:
            raise self.error(key, f"{value!r} is not an ISO 3166-1 alpha-2 code")
        return value

    def countries(self, key: str = "countries") -> tuple[str, ...]:
        return self.choices(key, sorted(COUNTRY_CODES))

    def currency(self, key: str, required: bool = False) -> str | None:
        return self.choice(key, sorted(CURRENCIES), required)

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def number(self, key: str, required: bool = False) -> Decimal | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.error(key, "must be a number")
        number = Decimal(value)
        if not number.is_finite():
            raise self.error(key, "must be a finite number")
        return number

    def integer(self, key: str) -> int:
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.error(key, "must be a whole number of at least 1")
        return value

    def partial_date(self, key: str) -> PartialDate | None:
        value = self._get(key, False)
        if value is None:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def provenance(self, key: str, raw: object) -> Provenance:
        if not isinstance(raw, dict):
            raise self.error(key, "must be a table with document, passage and locator")
        unknown = set(raw) - {"document", "passage", "locator"}
        if unknown:
            raise self.error(key, f"unknown keys {sorted(unknown)}")
        document, passage, locator = raw.get("document"), raw.get("passage"), raw.get("locator")
        for name, value in (("document", document), ("passage", passage), ("locator", locator)):
            if not isinstance(value, str) or not value.strip():
                raise self.error(key, f"{name} must be non-empty text")
        assert isinstance(document, str)
        assert isinstance(passage, str)
        assert isinstance(locator, str)
        if document not in DOCUMENTS:
            raise self.error(key, f"unknown source document {document!r}")
        if len(passage) > MAX_PASSAGE:
            raise self.error(key, f"passage is {len(passage)} characters, over {MAX_PASSAGE}")
        return Provenance(document, passage, locator)

    def sources(self) -> tuple[Provenance, ...]:
        """``source = {...}`` or ``sources = [{...}, ...]``, not both."""
        single = self._get("source", False)
        many = self._get("sources", False)
        if single is not None and many is not None:
            raise self.error("sources", "give either source or sources, not both")
        if single is not None:
            return (self.provenance("source", single),)
        if many is None:
            return ()
        if not isinstance(many, list) or not many:
            raise self.error("sources", "must be a non-empty list of tables")
        return tuple(self.provenance("sources", item) for item in many)

    def notes(self) -> tuple[Note, ...]:
        raw = self._get("notes", False)
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.error("notes", "must be a list of tables")
        notes = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise self.error("notes", "each note needs a text")
            unknown = set(item) - {"text", "source", "sources"}
            if unknown:
                raise self.error("notes", f"unknown keys {sorted(unknown)}")
            sub = _Fields(self.file_name, self.kind, dict(item), 0)
            sub.label = self.label
            sub.seen.add("text")
            notes.append(Note(item["text"], sub.sources()))
        return tuple(notes)

    def reference(self, key: str) -> Reference | None:
        raw = self._get(key, False)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise self.error(key, "must be a table")
        sub = _Fields(self.file_name, self.kind, raw, 0)
        sub.label = f"{self.label} {key}"
        reference = Reference(
            value=_required_number(sub, "value"),
            qualifier=sub.choice("qualifier", QUALIFIERS, required=False),
            date=sub.partial_date("date"),
            note=sub.text("note"),
            sources=sub.sources(),
        )
        sub.finish()
        return reference

    def common(self) -> dict[str, Any]:
        """Provenance, notes and the illustrative flag, which every record kind has."""
        sources = self.sources()
        illustrative = self.flag("illustrative")
        illustrative_note = self.text("illustrative_note")
        if illustrative and illustrative_note is None:
            raise self.error("illustrative_note", "an illustrative record must say why")
        if not illustrative and illustrative_note is not None:
            raise self.error("illustrative_note", "given but the record is not illustrative")
        if not sources and not illustrative:
            raise self.error("source", "a record needs a source or illustrative = true")
        return {
            "sources": sources,
            "notes": self.notes(),
            "illustrative": illustrative,
            "illustrative_note": illustrative_note,
        }

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.seen)
        if unknown:
            raise self.error(unknown[0], "is not a known field")


def _required_number(fields: _Fields, key: str) -> Decimal:
    value = fields.number(key, required=True)
    assert value is not None
    return value


def _read_file(path: Path, sections: Iterable[str]) -> dict[str, list[Any]]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise ValueError(f"{path.name}: file not found in {path.parent}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: not valid TOML: {exc}") from None
    allowed = tuple(sections)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValueError(f"{path.name}: unknown section {unknown[0]!r}; expected {allowed}")
    result: dict[str, list[Any]] = {}
    for section in allowed:
        items = data.get(section, [])
        if not isinstance(items, list):
            raise ValueError(f"{path.name}: {section!r} must be an array of tables ([[{section}]])")
        result[section] = items
    return result


def _each(
    file_name: str, kind: str, items: list[Any], build: Callable[[_Fields], T]
) -> tuple[T, ...]:
    records = []
    for position, raw in enumerate(items, start=1):
        fields = _Fields(file_name, kind, raw, position)
        record = build(fields)
        fields.finish()
        records.append(record)
    return tuple(records)


def _period(
    fields: _Fields, start_key: str = "start", end_key: str = "end"
) -> tuple[PartialDate | None, PartialDate | None]:
    start, end = fields.partial_date(start_key), fields.partial_date(end_key)
    if start is not None and end is not None and end.last_day < start.first_day:
        raise fields.error(end_key, f"{end} is before {start_key} {start}")
    return start, end


def _organisation(fields: _Fields) -> Organisation:
    return Organisation(
        id=fields.slug(),
        name=fields.required_text("name"),
        kind=fields.required_choice("kind", ORGANISATION_KINDS),
        acronym=fields.text("acronym"),
        country=fields.country(),
        parent=fields.optional_slug("parent"),
        other_names=fields.texts("other_names"),
        kind_note=fields.text("kind_note"),
        **fields.common(),
    )


def _event(fields: _Fields) -> Event:
    ident = fields.slug()
    start, end = _period(fields)
    precision = fields.choice("date_precision", PRECISIONS, required=False)
    if start is None and precision is not None:
        raise fields.error("date_precision", "given without a start date")
    if start is not None and precision is not None and precision != start.precision:
        raise fields.error(
            "date_precision", f"{precision!r} but the start date {start} is {start.precision}"
        )
    dates_are_bounds = fields.flag("dates_are_bounds")
    date_note = fields.text("date_note")
    if (start is None or dates_are_bounds) and date_note is None:
        raise fields.error("date_note", "required when the dates are missing or only bounds")
    participants = {key: fields.number(f"participants_{key}") for key in ("total", "women", "men")}
    for key, count in participants.items():
        if count is not None and count < 0:
            raise fields.error(f"participants_{key}", "must not be negative")
    total, women, men = participants["total"], participants["women"], participants["men"]
    if total is not None and (women or 0) + (men or 0) > total:
        raise fields.error("participants_total", "is less than women and men together")
    cost = fields.number("cost")
    cost_currency = fields.currency("cost_currency")
    if (cost is None) != (cost_currency is None):
        raise fields.error("cost_currency", "cost and cost_currency go together")
    return Event(
        id=ident,
        title=fields.required_text("title"),
        kind=fields.required_choice("kind", EVENT_KINDS),
        start=start,
        end=end,
        dates_are_bounds=dates_are_bounds,
        date_note=date_note,
        city=fields.text("city"),
        country=fields.country(),
        location_note=fields.text("location_note"),
        organisers=fields.texts("organisers"),
        organisers_note=fields.text("organisers_note"),
        hosts=fields.texts("hosts"),
        funders=fields.texts("funders"),
        funders_note=fields.text("funders_note"),
        participating_organisations=fields.texts("participating_organisations"),
        participants_total=total,
        participants_women=women,
        participants_men=men,
        participants_qualifier=fields.choice("participants_qualifier", QUALIFIERS, False),
        participants_note=fields.text("participants_note"),
        duration_days=fields.number("duration_days"),
        cost=cost,
        cost_currency=cost_currency,
        report_url=fields.text("report_url"),
        project=fields.optional_slug("project"),
        kind_note=fields.text("kind_note"),
        **fields.common(),
    )


def _recommendation(fields: _Fields) -> Recommendation:
    themes = fields.choices("themes", THEMES)
    if not themes:
        raise fields.error("themes", "at least one theme is required")
    status = fields.required_choice("status", RECOMMENDATION_STATUSES)
    status_note = fields.text("status_note")
    if status_note is None:
        raise fields.error("status_note", "say what the status rests on")
    return Recommendation(
        id=fields.slug(),
        event=fields.slug("event"),
        number=fields.integer("number"),
        text=fields.required_text("text"),
        themes=themes,
        priority=fields.required_choice("priority", PRIORITIES),
        status=status,
        title=fields.text("title"),
        number_note=fields.text("number_note"),
        addressees=fields.texts("addressees"),
        addressees_note=fields.text("addressees_note"),
        responsible_organisation=fields.optional_slug("responsible_organisation"),
        due=fields.partial_date("due"),
        status_note=status_note,
        aggregate=fields.flag("aggregate"),
        **fields.common(),
    )


def _follow_up(fields: _Fields) -> FollowUpAction:
    ident = fields.slug()
    when = fields.partial_date("date")
    date_note = fields.text("date_note")
    if when is None and date_note is None:
        raise fields.error("date_note", "an undated action must say why it has no date")
    not_before, not_after = _period(fields, "not_before", "not_after")
    return FollowUpAction(
        id=ident,
        recommendation=fields.slug("recommendation"),
        kind=fields.required_choice("kind", ACTION_KINDS),
        state=fields.required_choice("state", ACTION_STATES),
        description=fields.required_text("description"),
        date=when,
        date_note=date_note,
        not_before=not_before,
        not_after=not_after,
        actor=fields.text("actor"),
        actor_organisations=fields.texts("actor_organisations"),
        evidence_url=fields.text("evidence_url"),
        linked_project=fields.optional_slug("linked_project"),
        linked_event=fields.optional_slug("linked_event"),
        **fields.common(),
    )


def _programme(fields: _Fields) -> Programme:
    ident = fields.slug()
    start, end = _period(fields)
    return Programme(
        id=ident,
        code=fields.required_text("code"),
        title=fields.required_text("title"),
        lead_organisation=fields.optional_slug("lead_organisation"),
        lead_organisation_note=fields.text("lead_organisation_note"),
        partner_organisations=fields.texts("partner_organisations"),
        donors=fields.texts("donors"),
        countries=fields.countries(),
        start=start,
        end=end,
        period_note=fields.text("period_note"),
        currency=fields.currency("currency"),
        url=fields.text("url"),
        **fields.common(),
    )


def _project(fields: _Fields) -> Project:
    ident = fields.slug()
    start, end = _period(fields)
    return Project(
        id=ident,
        programme=fields.slug("programme"),
        code=fields.required_text("code"),
        title=fields.required_text("title"),
        implementers=fields.texts("implementers"),
        implementer_note=fields.text("implementer_note"),
        countries=fields.countries(),
        start=start,
        end=end,
        period_note=fields.text("period_note"),
        **fields.common(),
    )


def _result(fields: _Fields) -> Result:
    project = fields.slug("project")
    code = fields.required_text("code")
    fields.relabel(f"{project}/{code}")
    if not _RESULT_CODE.match(code):
        raise fields.error("code", f"{code!r} is not a results-chain code like 1 or 1.2")
    return Result(
        project=project,
        code=code,
        level=fields.required_choice("level", RESULT_LEVELS),
        statement=fields.required_text("statement"),
        **fields.common(),
    )


def _indicator(fields: _Fields) -> Indicator:
    ident = fields.slug()
    calculation = fields.required_choice("calculation", CALCULATIONS)
    numerator, denominator = fields.text("numerator"), fields.text("denominator")
    if calculation == "ratio" and (numerator is None or denominator is None):
        raise fields.error("numerator", "a ratio indicator names its numerator and denominator")
    if calculation != "ratio" and (numerator is not None or denominator is not None):
        raise fields.error("numerator", "only a ratio indicator has a numerator")
    return Indicator(
        id=ident,
        project=fields.slug("project"),
        result=fields.required_text("result"),
        code=fields.required_text("code"),
        name=fields.required_text("name"),
        type=fields.required_choice("type", INDICATOR_TYPES),
        measure=fields.required_choice("measure", MEASURES),
        unit=fields.required_text("unit"),
        calculation=calculation,
        cumulation=fields.required_choice("cumulation", CUMULATIONS),
        definition=fields.text("definition"),
        direction=fields.choice("direction", DIRECTIONS, required=False),
        frequency=fields.choice("frequency", FREQUENCIES, required=False),
        disaggregation=fields.choice("disaggregation", DISAGGREGATIONS, required=False),
        numerator=numerator,
        denominator=denominator,
        baseline=fields.reference("baseline"),
        target=fields.reference("target"),
        **fields.common(),
    )


def _value(fields: _Fields) -> IndicatorValue:
    indicator = fields.slug("indicator")
    start, end = _period(fields)
    category = fields.text("category")
    kind = fields.required_choice("kind", VALUE_KINDS)
    shown_category = f"[{category}]" if category else ""
    fields.relabel(f"{indicator}@{start or '?'}..{end or '?'}{shown_category}:{kind}")
    period_note = fields.text("period_note")
    if (start is None or end is None) and period_note is None:
        raise fields.error("period_note", "required when the period is not fully documented")
    value = fields.number("value")
    numerator, denominator = fields.number("numerator"), fields.number("denominator")
    if value is None and (numerator is None or denominator is None):
        raise fields.error("value", "give a value, or a numerator and a denominator")
    if denominator is not None and denominator == 0:
        raise fields.error("denominator", "must not be zero")
    return IndicatorValue(
        indicator=indicator,
        kind=kind,
        start=start,
        end=end,
        period_note=period_note,
        value=value,
        numerator=numerator,
        denominator=denominator,
        category=category,
        qualifier=fields.choice("qualifier", QUALIFIERS, required=False),
        note=fields.text("note"),
        **fields.common(),
    )


def _budget_line(fields: _Fields) -> BudgetLine:
    ident = fields.slug()
    equivalent = fields.number("equivalent_amount")
    equivalent_currency = fields.currency("equivalent_currency")
    if (equivalent is None) != (equivalent_currency is None):
        raise fields.error("equivalent_currency", "goes together with equivalent_amount")
    amount = _required_number(fields, "amount")
    if amount < 0:
        raise fields.error("amount", "must not be negative")
    currency = fields.currency("currency", required=True)
    assert currency is not None
    return BudgetLine(
        id=ident,
        programme=fields.slug("programme"),
        description=fields.required_text("description"),
        amount=amount,
        currency=currency,
        kind=fields.required_choice("kind", BUDGET_KINDS),
        projects=fields.texts("projects"),
        category=fields.text("category"),
        qualifier=fields.choice("qualifier", QUALIFIERS, required=False),
        date=fields.partial_date("date"),
        equivalent_amount=equivalent,
        equivalent_currency=equivalent_currency,
        equivalent_qualifier=fields.choice("equivalent_qualifier", QUALIFIERS, required=False),
        **fields.common(),
    )


def _unique(file_name: str, kind: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ValueError(f"{file_name}: {kind} {ident!r}: field 'id': used twice")
        seen.add(ident)


def _check_refs(
    file_name: str,
    kind: str,
    ident: str,
    key: str,
    wanted: Iterable[str | None],
    known: Mapping[str, object] | set[str],
    target: str,
) -> None:
    for value in wanted:
        if value is not None and value not in known:
            raise ValueError(
                f"{file_name}: {kind} {ident!r}: field {key!r}: no {target} with id {value!r}"
            )


def load_documented(data_dir: Path | None = None) -> DocumentedDataset:
    """Read, validate and cross-reference the three data files.

    Raises ``ValueError`` naming the file, the record and the field at the first problem.
    """
    directory = Path(data_dir) if data_dir is not None else DATA_DIR
    org_data = _read_file(directory / ORGANISATIONS_FILE, ("organisation",))
    event_data = _read_file(directory / EVENTS_FILE, ("event", "recommendation", "follow_up"))
    programme_data = _read_file(
        directory / PROGRAMMES_FILE,
        ("programme", "project", "result", "indicator", "value", "budget_line"),
    )

    organisations = _each(
        ORGANISATIONS_FILE, "organisation", org_data["organisation"], _organisation
    )
    events = _each(EVENTS_FILE, "event", event_data["event"], _event)
    recommendations = _each(
        EVENTS_FILE, "recommendation", event_data["recommendation"], _recommendation
    )
    actions = _each(EVENTS_FILE, "follow_up", event_data["follow_up"], _follow_up)
    programmes = _each(PROGRAMMES_FILE, "programme", programme_data["programme"], _programme)
    projects = _each(PROGRAMMES_FILE, "project", programme_data["project"], _project)
    results = _each(PROGRAMMES_FILE, "result", programme_data["result"], _result)
    indicators = _each(PROGRAMMES_FILE, "indicator", programme_data["indicator"], _indicator)
    values = _each(PROGRAMMES_FILE, "value", programme_data["value"], _value)
    budget_lines = _each(
        PROGRAMMES_FILE, "budget_line", programme_data["budget_line"], _budget_line
    )

    _unique(ORGANISATIONS_FILE, "organisation", (o.id for o in organisations))
    _unique(EVENTS_FILE, "event", (e.id for e in events))
    _unique(EVENTS_FILE, "recommendation", (r.id for r in recommendations))
    _unique(EVENTS_FILE, "follow_up", (a.id for a in actions))
    _unique(PROGRAMMES_FILE, "programme", (p.id for p in programmes))
    _unique(PROGRAMMES_FILE, "project", (p.id for p in projects))
    _unique(PROGRAMMES_FILE, "result", (r.id for r in results))
    _unique(PROGRAMMES_FILE, "indicator", (i.id for i in indicators))
    _unique(PROGRAMMES_FILE, "value", (v.id for v in values))
    _unique(PROGRAMMES_FILE, "budget_line", (b.id for b in budget_lines))

    org_ids = {o.id for o in organisations}
    event_ids = {e.id for e in events}
    rec_ids = {r.id for r in recommendations}
    programme_ids = {p.id for p in programmes}
    project_ids = {p.id for p in projects}
    result_ids = {r.id for r in results}
    indicator_ids = {i.id for i in indicators}

    org_file, ev_file, pr_file = ORGANISATIONS_FILE, EVENTS_FILE, PROGRAMMES_FILE
    for o in organisations:
        _check_refs(org_file, "organisation", o.id, "parent", [o.parent], org_ids, "organisation")
        if o.parent == o.id:
            raise ValueError(f"{org_file}: organisation {o.id!r}: field 'parent': is itself")
    for e in events:
        for key in ("organisers", "hosts", "funders", "participating_organisations"):
            _check_refs(ev_file, "event", e.id, key, getattr(e, key), org_ids, "organisation")
        _check_refs(ev_file, "event", e.id, "project", [e.project], project_ids, "project")
    numbers_by_event: set[tuple[str, int]] = set()
    for r in recommendations:
        _check_refs(ev_file, "recommendation", r.id, "event", [r.event], event_ids, "event")
        _check_refs(
            ev_file,
            "recommendation",
            r.id,
            "responsible_organisation",
            [r.responsible_organisation],
            org_ids,
            "organisation",
        )
        if (r.event, r.number) in numbers_by_event:
            raise ValueError(
                f"{ev_file}: recommendation {r.id!r}: field 'number': "
                f"{r.event!r} already has a recommendation number {r.number}"
            )
        numbers_by_event.add((r.event, r.number))
    for a in actions:
        _check_refs(
            ev_file,
            "follow_up",
            a.id,
            "recommendation",
            [a.recommendation],
            rec_ids,
            "recommendation",
        )
        _check_refs(
            ev_file,
            "follow_up",
            a.id,
            "actor_organisations",
            a.actor_organisations,
            org_ids,
            "organisation",
        )
        _check_refs(
            ev_file,
            "follow_up",
            a.id,
            "linked_project",
            [a.linked_project],
            project_ids,
            "project",
        )
        _check_refs(
            ev_file, "follow_up", a.id, "linked_event", [a.linked_event], event_ids, "event"
        )
    for p in programmes:
        _check_refs(
            pr_file,
            "programme",
            p.id,
            "lead_organisation",
            [p.lead_organisation],
            org_ids,
            "organisation",
        )
        for key in ("partner_organisations", "donors"):
            _check_refs(pr_file, "programme", p.id, key, getattr(p, key), org_ids, "organisation")
    for j in projects:
        _check_refs(
            pr_file, "project", j.id, "programme", [j.programme], programme_ids, "programme"
        )
        _check_refs(
            pr_file, "project", j.id, "implementers", j.implementers, org_ids, "organisation"
        )
    for res in results:
        _check_refs(pr_file, "result", res.id, "project", [res.project], project_ids, "project")
        if "." in res.code:
            parent = f"{res.project}/{res.code.rsplit('.', 1)[0]}"
            _check_refs(pr_file, "result", res.id, "code", [parent], result_ids, "parent result")
    for i in indicators:
        _check_refs(pr_file, "indicator", i.id, "project", [i.project], project_ids, "project")
        _check_refs(pr_file, "indicator", i.id, "result", [i.result_id], result_ids, "result")
    ratio_ids = {i.id for i in indicators if i.calculation == "ratio"}
    for v in values:
        _check_refs(pr_file, "value", v.id, "indicator", [v.indicator], indicator_ids, "indicator")
        if v.indicator in ratio_ids and (v.numerator is None or v.denominator is None):
            raise ValueError(
                f"{pr_file}: value {v.id!r}: field 'numerator': "
                "a value of a ratio indicator needs a numerator and a denominator"
            )
    for b in budget_lines:
        _check_refs(
            pr_file, "budget_line", b.id, "programme", [b.programme], programme_ids, "programme"
        )
        _check_refs(pr_file, "budget_line", b.id, "projects", b.projects, project_ids, "project")

    return DocumentedDataset(
        organisations=organisations,
        events=events,
        recommendations=recommendations,
        follow_up_actions=actions,
        programmes=programmes,
        projects=projects,
        results=results,
        indicators=indicators,
        values=values,
        budget_lines=budget_lines,
    )
