"""Reading and validating the three TOML files of the documented dataset."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------------------------
# Reading and validation
# --------------------------------------------------------------------------------------------
from app.weblinks import normalise_web_address
from seed.documented.fields import _Fields, _required_number
from seed.documented.records import (
    BudgetLine,
    DocumentedDataset,
    Event,
    FollowUpAction,
    Indicator,
    IndicatorValue,
    Organisation,
    PartialDate,
    Programme,
    Project,
    Recommendation,
    Result,
    T,
)
from seed.documented.vocabulary import (
    _RESULT_CODE,
    ACTION_KINDS,
    ACTION_STATES,
    BUDGET_KINDS,
    CALCULATIONS,
    CUMULATIONS,
    DATA_DIR,
    DIRECTIONS,
    DISAGGREGATIONS,
    EVENT_KINDS,
    EVENTS_FILE,
    FREQUENCIES,
    INDICATOR_TYPES,
    MEASURES,
    ORGANISATION_KINDS,
    ORGANISATIONS_FILE,
    PRECISIONS,
    PRIORITIES,
    PROGRAMMES_FILE,
    QUALIFIERS,
    RECOMMENDATION_STATUSES,
    RESULT_LEVELS,
    THEMES,
    VALUE_KINDS,
)


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
        report_url=normalise_web_address(fields.text("report_url")),
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
        evidence_url=normalise_web_address(fields.text("evidence_url")),
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
