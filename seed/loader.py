"""Put the documented dataset into the database, keeping every record's provenance.

One transaction: either the whole dataset is loaded or nothing is. Each record is written
with the source document, locator and passage it rests on (or marked illustrative), and
each creation is recorded in the audit trail as the work of the system.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.followup.models import (
    ActionKind,
    DatePrecision,
    Event,
    EventKind,
    EventOrganisation,
    EventRole,
    FollowUpAction,
    Recommendation,
    RecommendationTheme,
    Theme,
)
from app.frameworks.models import (
    TOTAL_CODE,
    BudgetCategory,
    BudgetLine,
    DisaggregationCategory,
    DisaggregationType,
    Frequency,
    Indicator,
    IndicatorType,
    PeriodState,
    ReportingPeriod,
    Result,
    ResultLevel,
    Target,
    frequency_of,
)
from app.monitoring.models import DataValue
from app.programmes.models import (
    ActivityStatus,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeDonor,
    Project,
)
from indicators.followup import ActionState, RecommendationStatus
from indicators.types import Calculation, Cumulation, Direction, Measure
from seed import documented as doc

SEED_REASON = "documented dataset"
DUE_DAYS = 30


def provenance(record: Any) -> dict[str, Any]:
    """The provenance columns of a record: every passage it cites, in order."""
    sources: tuple[doc.Provenance, ...] = record.sources
    documents = list(dict.fromkeys(s.document for s in sources))
    note = getattr(record, "illustrative_note", None)
    return {
        "source_document": "; ".join(documents)[:200] or None,
        "source_locator": "; ".join(s.locator for s in sources)[:300] or None,
        "source_passage": "\n\n".join(s.passage for s in sources) or note,
        "illustrative": bool(record.illustrative),
    }


def _notes(record: Any, *labelled: tuple[str, str | None]) -> str | None:
    """The record's notes as text, each extra note introduced by what it is about."""
    texts = [f"{label}: {text}" if label else text for label, text in labelled if text]
    texts += [n.text for n in getattr(record, "notes", ())]
    return "\n".join(texts) or None



@dataclass
class Loader:
    session: Session
    actor: Actor
    dataset: doc.DocumentedDataset
    organisations: dict[str, Organisation] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    results: dict[str, Result] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    periods: dict[tuple[int, date, date], ReportingPeriod] = field(default_factory=dict)
    categories: dict[tuple[str, str], DisaggregationCategory] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, obj: Any, entity: str, fields: Iterable[str]) -> Any:
        self.session.add(obj)
        self.session.flush()
        audit.record(self.session, self.actor, f"{entity}.create", entity, obj.id,
                     audit.snapshot(obj, list(fields)), reason=SEED_REASON)
        self.counts[entity] = self.counts.get(entity, 0) + 1
        return obj

    # --- organisations and programmes ------------------------------------------------------

    def load_organisations(self) -> None:
        for record in self.dataset.organisations:
            org = Organisation(name=record.name, acronym=record.acronym,
                               kind=OrganisationKind(record.kind), country=record.country,
                               **provenance(record))
            self.organisations[record.id] = self.add(org, "organisation", ["name", "kind"])

    def _org_id(self, slug: str | None) -> int | None:
        return self.organisations[slug].id if slug else None

    def load_programmes(self, today: date) -> None:
        for record in self.dataset.programmes:
            end = record.end.last_day if record.end else None
            programme = Programme(
                code=record.code, title=record.title,
                description=_notes(record, ("Period", record.period_note),
                                   ("Lead organisation", record.lead_organisation_note)),
                lead_organisation_id=self._org_id(record.lead_organisation),
                countries=list(record.countries),
                start_date=record.start.first_day if record.start else None, end_date=end,
                currency=record.currency or "USD",
                status=ActivityStatus.CLOSED if end and end < today
                else ActivityStatus.IMPLEMENTATION,
                **provenance(record))
            programme.donors = [ProgrammeDonor(organisation_id=self._org_id(d))
                                for d in record.donors]
            self.programmes[record.id] = self.add(programme, "programme", ["code", "title"])
        for item in self.dataset.projects:
            project = self._project(item)
            self.projects[item.id] = self.add(project, "project", ["code", "title"])

    def _project(self, record: doc.Project) -> Project:
        implementer = record.implementers[0] if record.implementers else None
        return Project(
            programme_id=self.programmes[record.programme].id, code=record.code,
            title=record.title,
            description=_notes(record, ("Period", record.period_note),
                               ("Implementer", record.implementer_note)),
            implementer_id=self._org_id(implementer), countries=list(record.countries),
            start_date=record.start.first_day if record.start else None,
            end_date=record.end.last_day if record.end else None,
            status=self.programmes[record.programme].status, **provenance(record))

    def load_results(self) -> None:
        for record in sorted(self.dataset.results, key=lambda r: (r.project, len(r.code))):
            parent_code = record.code.rsplit(".", 1)[0] if "." in record.code else None
            parent = self.results.get(f"{record.project}/{parent_code}") if parent_code else None
            result = Result(
                project_id=self.projects[record.project].id, parent_id=parent.id if parent
                else None, level=ResultLevel(record.level), code=record.code,
                position=int(record.code.rsplit(".", 1)[-1]) if record.code[-1].isdigit()
                else 0,
                statement=record.statement, **provenance(record))
            self.results[f"{record.project}/{record.code}"] = self.add(
                result, "result", ["code", "statement"])

    def load_budget(self) -> None:
        for record in self.dataset.budget_lines:
            if not record.projects:
                continue
            note = (f"{record.qualifier} " if record.qualifier else "") + (
                f"{record.amount:,} {record.currency}")
            if record.equivalent_amount:
                note += (f" ({record.equivalent_qualifier or ''} {record.equivalent_amount:,} "
                         f"{record.equivalent_currency})")
            line = BudgetLine(
                project_id=self.projects[record.projects[0]].id,
                category=BudgetCategory(record.category) if record.category
                else BudgetCategory.ACTIVITIES,
                description=f"{record.description} [{note.strip()}]"[:300],
                planned=record.amount, **provenance(record))
            self.add(line, "budget_line", ["description", "planned"])

    # --- indicators and values -------------------------------------------------------------

    def _category(self, type_code: str, code: str) -> DisaggregationCategory:
        key = (type_code, code)
        if key not in self.categories:
            dtype = self.session.scalars(sa.select(DisaggregationType).where(
                DisaggregationType.code == type_code)).one()
            found = self.session.scalars(sa.select(DisaggregationCategory).where(
                DisaggregationCategory.type_id == dtype.id,
                DisaggregationCategory.code == code)).one_or_none()
            if found is None:
                found = DisaggregationCategory(type_id=dtype.id, code=code, name=code,
                                               position=100)
                self.add(found, "disaggregation_category", ["code", "name"])
            self.categories[key] = found
        return self.categories[key]

    def load_indicators(self) -> None:
        types = {t.code: t for t in self.session.scalars(sa.select(DisaggregationType))}
        for record in self.dataset.indicators:
            project = self.projects[record.project]
            baseline, target = record.baseline, record.target
            indicator = Indicator(
                project_id=project.id, result_id=self.results[record.result_id].id,
                code=record.code, name=record.name, definition=record.definition,
                type=IndicatorType(record.type), measure=Measure(record.measure),
                unit=record.unit, direction=Direction(record.direction or "increase"),
                calculation=Calculation(record.calculation),
                numerator_label=record.numerator, denominator_label=record.denominator,
                cumulation=Cumulation(record.cumulation),
                frequency=Frequency(record.frequency) if record.frequency else None,
                baseline_value=baseline.value if baseline else None,
                baseline_date=baseline.date.last_day if baseline and baseline.date else None,
                baseline_note=_notes(baseline, ("", baseline.qualifier), ("", baseline.note))
                if baseline else None,
                target_value=target.value if target else None,
                **provenance(record))
            if record.disaggregation in types:
                indicator.disaggregations = [types[record.disaggregation]]
            self.indicators[record.id] = self.add(indicator, "indicator", ["code", "name"])

    def _period(self, project_id: int, start: date, end: date) -> ReportingPeriod:
        key = (project_id, start, end)
        if key not in self.periods:
            period = ReportingPeriod(
                project_id=project_id, frequency=frequency_of(start, end), start_date=start,
                end_date=end, due_date=end + timedelta(days=DUE_DAYS),
                state=PeriodState.APPROVED, decided_at=datetime.now(UTC))
            self.periods[key] = self.add(period, "reporting_period", ["start_date", "end_date"])
        return self.periods[key]

    def load_values(self) -> None:
        by_id = {i.id: i for i in self.dataset.indicators}
        for record in self.dataset.values:
            indicator = self.indicators[record.indicator]
            assert record.end is not None  # the reader requires an end for every value
            end = record.end.last_day
            start = record.start.first_day if record.start else record.end.first_day
            period = self._period(indicator.project_id, start, end)
            dtype = by_id[record.indicator].disaggregation if record.category else TOTAL_CODE
            category = self._category(dtype or TOTAL_CODE, record.category or TOTAL_CODE)
            if record.kind == "planned":
                self.add(Target(indicator_id=indicator.id, period_id=period.id,
                                category_id=category.id, value=record.value or Decimal(0)),
                         "target", ["value"])
                continue
            value = DataValue(
                indicator_id=indicator.id, period_id=period.id, category_id=category.id,
                value=record.value, numerator=record.numerator,
                denominator=record.denominator, qualifier=record.qualifier,
                comment=_notes(record, ("", record.note), ("Period", record.period_note)),
                **provenance(record))
            self.add(value, "data_value", ["value", "numerator", "denominator"])

    # --- events, recommendations, follow-up ------------------------------------------------

    def load_events(self) -> None:
        for record in self.dataset.events:
            assert record.start is not None
            assert record.end is not None
            participants_note = " ".join(
                t for t in (record.participants_qualifier, record.participants_note) if t)
            hosts = ", ".join(self.organisations[h].name for h in record.hosts)
            event = Event(
                slug=record.id, title=record.title, kind=EventKind(record.kind),
                start_date=record.start.first_day, end_date=record.end.last_day,
                date_precision=DatePrecision(record.start.precision),
                city=record.city, country=record.country,
                participants_total=int(record.participants_total)
                if record.participants_total is not None else None,
                participants_women=int(record.participants_women)
                if record.participants_women is not None else None,
                participants_men=int(record.participants_men)
                if record.participants_men is not None else None,
                participants_note=participants_note[:200] or None,
                cost=record.cost, currency=record.cost_currency, report_url=record.report_url,
                notes=_notes(record, ("Dates", record.date_note),
                             ("Place", record.location_note),
                             ("Organisers", record.organisers_note),
                             ("Funders", record.funders_note),
                             ("Hosts", hosts or None)),
                project_id=self.projects[record.project].id if record.project else None,
                **provenance(record))
            event.participants = (
                [EventOrganisation(organisation_id=self._org_id(o), role=EventRole.ORGANISER)
                 for o in record.organisers]
                + [EventOrganisation(organisation_id=self._org_id(f), role=EventRole.FUNDER)
                   for f in record.funders])
            self.events[record.id] = self.add(event, "event", ["title", "start_date"])

    def load_recommendations(self) -> None:
        for position, record in enumerate(self.dataset.recommendations):
            recommendation = Recommendation(
                slug=record.id, event_id=self.events[record.event].id,
                number=str(record.number), position=position, title=record.title,
                text=record.text, addressees="; ".join(record.addressees) or None,
                responsible_organisation_id=self._org_id(record.responsible_organisation),
                due_date=record.due.last_day if record.due else None,
                status=RecommendationStatus(record.status),
                status_note=_notes(record, ("", record.status_note),
                                   ("Numbering", record.number_note),
                                   ("Addressees", record.addressees_note)),
                **provenance(record))
            recommendation.themes = [RecommendationTheme(theme=Theme(t)) for t in record.themes]
            self.recommendations[record.id] = self.add(
                recommendation, "recommendation", ["number", "text"])
        for action in self.dataset.follow_up_actions:
            self._load_action(action)

    def _load_action(self, record: doc.FollowUpAction) -> None:
        when = record.date or record.not_after
        note = record.date_note
        if record.date is None and record.not_after is not None:
            note = (note or "") + (f" Undated in the sources: shown at the latest possible "
                                   f"date ({record.not_after}).")
        elif record.date is not None and record.date.precision != "day":
            note = (note or "") + f" Known only to the {record.date.precision} ({record.date})."
        actor_org = record.actor_organisations[0] if record.actor_organisations else None
        action = FollowUpAction(
            recommendation_id=self.recommendations[record.recommendation].id,
            action_date=when.last_day if when else None, date_note=(note or "").strip() or None,
            kind=ActionKind(record.kind), state=ActionState(record.state),
            description=record.description,
            actor=record.actor, actor_organisation_id=self._org_id(actor_org),
            evidence_url=record.evidence_url,
            project_id=self.projects[record.linked_project].id if record.linked_project
            else None,
            # A documented action's evidence is the passage of the published source it rests
            # on, checked when the dataset is loaded; an action entered later waits for a
            # manager to verify it.
            verified_at=utcnow() if record.state == "done" else None,
            linked_event_id=self.events[record.linked_event].id if record.linked_event
            else None,
            **provenance(record))
        self.add(action, "followup_action", ["kind", "state", "description", "verified_at"])


def already_loaded(session: Session) -> bool:
    found = session.scalar(sa.select(sa.func.count(Event.id)).where(Event.slug.is_not(None)))
    return bool(found)


def load(session: Session, actor: Actor, dataset: doc.DocumentedDataset | None = None,
         today: date | None = None) -> dict[str, int]:
    """Load the documented dataset into an empty database; returns counts per entity."""
    loader = Loader(session, actor, dataset or doc.load_documented())
    try:
        loader.load_organisations()
        loader.load_programmes(today or date.today())
        loader.load_results()
        loader.load_budget()
        loader.load_indicators()
        loader.load_values()
        loader.load_events()
        loader.load_recommendations()
    except Exception:
        session.rollback()
        raise
    session.commit()
    return loader.counts
