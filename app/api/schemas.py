"""What the API reads and writes, as pydantic models: they serialise every answer and are
the source of the OpenAPI document's schemas. Decimal figures travel as text ("12.5"), so no
digit is lost to floating point."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.frameworks.models import PeriodState


def _decimal_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return value


def num(value: Decimal | None) -> str | None:
    """A figure as the API writes it: "12.5", "300"."""
    return None if value is None else str(_decimal_text(value))


Num = Annotated[str | None, BeforeValidator(_decimal_text),
                Field(description="A decimal number as text, e.g. \"12.5\"")]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- problems ---------------------------------------------------------------------------

class ProblemItem(BaseModel):
    field: str | None = None
    row: int | None = None
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemItem] | None = None


# --- query strings ----------------------------------------------------------------------

class ListQuery(BaseModel):
    cursor: str | None = Field(None, max_length=200,
                               description="The next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class ProjectQuery(ListQuery):
    project: Id | None = None


class ProjectsQuery(ListQuery):
    programme: Id | None = None


class PeriodsQuery(ProjectQuery):
    state: PeriodState | None = None


class ValuesQuery(ProjectQuery):
    period: Id | None = None
    indicator: Id | None = None
    provisional: bool = Field(False, description="Include values of periods not yet "
                                                 "approved, marked provisional")


class ActivitiesQuery(ProjectQuery):
    start_from: date | None = Field(None, description="Activities starting on or after")
    start_to: date | None = Field(None, description="Activities starting on or before")


class RecommendationsQuery(ListQuery):
    event: Id | None = None


class ActionsQuery(ListQuery):
    recommendation: Id | None = None


class ReportQuery(BaseModel):
    as_of: date | None = None
    page: int = Field(1, ge=1, le=100000)


class IpttQuery(BaseModel):
    provisional: bool = False
    as_of: date | None = None


# --- records ----------------------------------------------------------------------------

class Programme(Record):
    id: int
    code: str
    title: str
    description: str | None
    countries: list[str]
    start_date: date | None
    end_date: date | None
    currency: str
    budget: Num
    status: str
    iati_identifier: str | None
    version: int


class Project(Record):
    id: int
    programme_id: int
    code: str
    title: str
    description: str | None
    countries: list[str]
    start_date: date | None
    end_date: date | None
    budget: Num
    status: str
    version: int


class Result(Record):
    id: int
    project_id: int
    parent_id: int | None
    level: str
    code: str
    position: int = Field(description="Order among the results of the same parent")
    statement: str
    toc_if: str | None = Field(description="Theory of change: if …")
    toc_then: str | None = Field(description="Theory of change: then …")
    toc_because: str | None = Field(description="Theory of change: because …")
    themes: list[str] = Field(description="Themes of the indicator bank the result is about")
    version: int


class Target(Record):
    period_id: int
    category_id: int
    value: Num


class Indicator(Record):
    id: int
    project_id: int
    result_id: int | None
    code: str
    name: str
    definition: str | None
    type: str
    measure: str
    unit: str | None
    direction: str
    calculation: str
    cumulation: str
    frequency: str | None
    baseline_value: Num
    baseline_date: date | None
    target_value: Num = Field(description="Life-of-project target")
    version: int
    targets: list[Target]


class Period(Record):
    id: int
    project_id: int
    frequency: str
    start_date: date
    end_date: date
    due_date: date
    state: str
    version: int


class Value(Record):
    id: int
    indicator_id: int
    period_id: int
    category_id: int
    value: Num
    numerator: Num
    denominator: Num
    text: str | None
    comment: str | None
    evidence_url: str | None
    entered_at: datetime
    version: int
    provisional: bool = Field(description="The period is not approved yet")


class Participants(Record):
    sex: str
    age_group: str
    count: int


class Activity(Record):
    id: int
    project_id: int
    result_id: int | None
    kind: str
    title: str
    description: str | None
    start_date: date
    end_date: date | None
    country: str | None
    place: str | None
    cost: Num
    version: int
    participants: list[Participants]


class Event(Record):
    id: int
    project_id: int | None
    title: str
    kind: str
    start_date: date
    end_date: date
    city: str | None
    country: str | None
    participants_total: int | None
    cost: Num
    currency: str | None
    version: int


class Recommendation(Record):
    id: int
    event_id: int
    number: str
    title: str | None
    text: str
    priority: str
    due_date: date | None
    status: str
    version: int


class FollowUpAction(Record):
    id: int
    recommendation_id: int
    action_date: date | None
    kind: str
    state: str
    description: str
    actor: str | None
    evidence_url: str | None
    project_id: int | None
    activity_id: int | None
    verified_at: datetime | None
    version: int


def _page(name: str, item: type[BaseModel]) -> type[BaseModel]:
    from pydantic import create_model

    return create_model(name, items=(list[item], ...),  # type: ignore[valid-type]
                        next_cursor=(str | None, Field(None, description=(
                            "Pass as ?cursor= for the next page; null on the last"))))


ProgrammePage = _page("ProgrammePage", Programme)
ProjectPage = _page("ProjectPage", Project)
ResultPage = _page("ResultPage", Result)
IndicatorPage = _page("IndicatorPage", Indicator)
PeriodPage = _page("PeriodPage", Period)
ValuePage = _page("ValuePage", Value)
ActivityPage = _page("ActivityPage", Activity)
EventPage = _page("EventPage", Event)
RecommendationPage = _page("RecommendationPage", Recommendation)
ActionPage = _page("FollowUpActionPage", FollowUpAction)


# --- reports ----------------------------------------------------------------------------

class ReportTotals(BaseModel):
    events: int
    none_recorded: int
    pending: int
    talk_shops: int
    weak: int
    followed_up: int
    talk_shop_share: Num


class ReportEvent(BaseModel):
    id: int
    title: str
    status: str
    reason: str
    recommendations: int
    due: int
    followed_up: int
    verified: int
    implemented: int
    follow_up_rate: Num
    verified_rate: Num
    implemented_rate: Num
    days_to_first_follow_up: int | None
    cost: Num
    currency: str | None


class FollowUpReport(BaseModel):
    as_of: date
    totals: ReportTotals
    talk_shop_cost: dict[str, Num]
    page: int
    pages: int
    events: list[ReportEvent]


class IpttCell(BaseModel):
    period_id: int
    target: Num
    actual: Num
    met: Num
    provisional: bool
    status: str


class IpttRow(BaseModel):
    indicator_id: int
    indicator_code: str
    indicator_name: str
    result_id: int | None
    category: str | None
    baseline: Num
    lop_target: Num
    to_date: Num
    as_of: date | None
    progress: Num
    status: str
    provisional: bool
    cells: list[IpttCell | None]


class IpttPeriod(BaseModel):
    id: int
    start_date: date
    end_date: date
    state: str


class IpttTable(BaseModel):
    frequency: str | None
    periods: list[IpttPeriod]
    rows: list[IpttRow]


class Iptt(BaseModel):
    project_id: int
    project_code: str
    provisional: bool
    tables: list[IpttTable]


# --- writes -----------------------------------------------------------------------------

class ValueRow(BaseModel):
    indicator_id: Id
    category_id: Id | None = Field(None, description="Omit for the indicator's total")
    value: str | None = Field(None, max_length=40)
    numerator: str | None = Field(None, max_length=40)
    denominator: str | None = Field(None, max_length=40)
    text: str | None = Field(None, max_length=5000)
    comment: str | None = Field(None, max_length=2000)
    evidence_url: str | None = Field(None, max_length=500)
    version: int | None = Field(None, ge=0, le=2**31 - 1, description=(
        "The version of the stored value this row replaces; 0 for a new value"))


class ValuesBatch(BaseModel):
    rows: list[ValueRow] = Field(min_length=1, max_length=2000)


class ValuesSaved(BaseModel):
    period_id: int
    saved: int = Field(description="Values written or removed")
    values: list[Value]


class ParticipantsIn(BaseModel):
    sex: str = Field(max_length=20)
    age_group: str = Field(max_length=20)
    count: int = Field(ge=0, le=10**6)


class ActivityIn(BaseModel):
    kind: str = Field(max_length=40)
    title: str = Field(max_length=300)
    description: str | None = Field(None, max_length=20000)
    start_date: date
    end_date: date | None = None
    result_id: Id | None = None
    country: str | None = Field(None, max_length=2)
    place: str | None = Field(None, max_length=200)
    cost: str | None = Field(None, max_length=40)
    participants: list[ParticipantsIn] = Field(default_factory=list, max_length=40)


class ActionIn(BaseModel):
    kind: str = Field(max_length=40)
    state: str = Field(max_length=20)
    description: str = Field(max_length=20000)
    action_date: date | None = None
    actor: str | None = Field(None, max_length=300)
    evidence_url: str | None = Field(None, max_length=500)
