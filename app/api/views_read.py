"""The API's reads: lists with cursor pagination and filters, and the follow-up report and
IPTT figures from the same loaders as the pages."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.api import schemas as s
from app.api.access import allowed, visible
from app.api.blueprint import bp, read
from app.api.paging import answer, page
from app.api.problems import ApiProblem
from app.auth.permissions import RULES, STAFF, project_scope
from app.cache import cached
from app.db import db
from app.followup.assess import settings_from, today
from app.followup.models import Event, FollowUpAction, Recommendation
from app.followup.portfolio import report_page
from app.followup.reason import reason
from app.followup.report import ReportFilters
from app.frameworks.models import Indicator, PeriodState, ReportingPeriod, Result, Target
from app.monitoring.models import Activity, DataValue
from app.programmes.models import Programme, Project
from app.reports import iptt
from indicators.types import StatusBands

T = TypeVar("T")


class _OfProject(Protocol):
    project_id: Any


P = TypeVar("P", bound=_OfProject)


def _role_may(action: str) -> None:
    """403 unless the user's role may ``action`` on some project at all."""
    if g.user.role not in RULES[action]:
        raise ApiProblem(403, _("Your role does not allow this."))


def _project(project_id: int | None, action: str) -> Project | None:
    if project_id is None:
        return None
    project = db.session.get(Project, project_id)
    visible(action, project)
    return project


def _scoped(query: sa.Select[Any], column: Any, project_id: int | None,
            action: str) -> sa.Select[Any]:
    """``query`` narrowed to one project the user may see, or to all they may."""
    _role_may(action)
    if _project(project_id, action) is not None:
        return query.where(column == project_id)
    return query.where(project_scope(g.user, column))


def _listed(page_model: Any, item: Any, rows: list[Any], cursor: str | None) -> Any:
    items = [item.model_validate(_attrs(row)) for row in rows]
    return answer(page_model(items=items, next_cursor=cursor))


def _record(model: type[P], record_id: int, action: str, *options: Any) -> P:
    """The record of a project's framework or data; 404 unless the user may ``action`` on its
    project (another project's record is not there for them)."""
    _role_may(action)
    found = db.session.get(model, record_id, options=list(options))
    project = db.session.get(Project, found.project_id) if found is not None else None
    visible(action, project)
    assert found is not None
    return found


def _followup_record(model: type[T], record_id: int) -> T:
    """A record of the follow-up, which every role may read; 404 when there is none."""
    allowed("followup.view")
    found = db.session.get(model, record_id)
    if found is None:
        raise ApiProblem(404, _("No such record, or not one you may see."))
    return found


def _attrs(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}


@bp.get("/programmes")
@read(s.ProgrammePage, query=s.ListQuery, tags=("framework",))
def programmes(query: s.ListQuery) -> Any:
    """Programmes: all for managers, those of your projects for others."""
    _role_may("programme.view")
    base = sa.select(Programme)
    if g.user.role not in STAFF:
        base = base.where(Programme.id.in_(
            sa.select(Project.programme_id).where(project_scope(g.user, Project.id))))
    rows, cursor = page(base, Programme.id, query.cursor, query.limit)
    return _listed(s.ProgrammePage, s.Programme, rows, cursor)


@bp.get("/programmes/<int:programme_id>")
@read(s.Programme, tags=("framework",))
def programme(programme_id: int) -> Any:
    """One programme, if one of your projects (or, for managers, any) is in it."""
    found = db.session.get(Programme, programme_id, options=[selectinload(Programme.projects)])
    visible("programme.view", found)
    return answer(s.Programme.model_validate(found))


@bp.get("/projects")
@read(s.ProjectPage, query=s.ProjectsQuery, tags=("framework",))
def projects(query: s.ProjectsQuery) -> Any:
    """Projects: all for managers, those you are a member of for others."""
    _role_may("projects.list")
    base = sa.select(Project).where(project_scope(g.user, Project.id))
    if query.programme is not None:
        base = base.where(Project.programme_id == query.programme)
    rows, cursor = page(base, Project.id, query.cursor, query.limit)
    return _listed(s.ProjectPage, s.Project, rows, cursor)


@bp.get("/projects/<int:project_id>")
@read(s.Project, tags=("framework",))
def project(project_id: int) -> Any:
    """One project you may see."""
    found = _project(project_id, "project.view")
    return answer(s.Project.model_validate(found))


@bp.get("/results")
@read(s.ResultPage, query=s.ProjectQuery, tags=("framework",))
def results(query: s.ProjectQuery) -> Any:
    """The results chain (goal, outcomes, outputs) of the projects you may see."""
    base = _scoped(sa.select(Result).options(selectinload(Result.themes)), Result.project_id,
                   query.project, "framework.view")
    rows, cursor = page(base, Result.id, query.cursor, query.limit)
    return answer(s.ResultPage(items=[result_model(row) for row in rows], next_cursor=cursor))


@bp.get("/results/<int:result_id>")
@read(s.Result, tags=("framework",))
def result(result_id: int) -> Any:
    """One result of a project you may see, with its theory of change and themes."""
    found = _record(Result, result_id, "framework.view", selectinload(Result.themes))
    return answer(result_model(found))


def result_model(row: Result) -> s.Result:
    return s.Result.model_validate({**_attrs(row),
                                    "themes": [theme.theme.value for theme in row.themes]})


@bp.get("/indicators")
@read(s.IndicatorPage, query=s.ProjectQuery, tags=("framework",))
def indicators(query: s.ProjectQuery) -> Any:
    """Indicators with their targets per period (and category)."""
    base = _scoped(sa.select(Indicator), Indicator.project_id, query.project, "framework.view")
    rows, cursor = page(base, Indicator.id, query.cursor, query.limit)
    return answer(s.IndicatorPage(items=indicator_models(rows), next_cursor=cursor))


@bp.get("/indicators/<int:indicator_id>")
@read(s.Indicator, tags=("framework",))
def indicator(indicator_id: int) -> Any:
    """One indicator of a project you may see, with its targets."""
    found = _record(Indicator, indicator_id, "framework.view")
    return answer(indicator_models([found])[0])


def indicator_models(rows: list[Indicator]) -> list[s.Indicator]:
    """The indicators with their targets, read in one query."""
    targets: dict[int, list[Target]] = {row.id: [] for row in rows}
    for target in db.session.scalars(sa.select(Target).where(
            Target.indicator_id.in_(list(targets))).order_by(Target.id)):
        targets[target.indicator_id].append(target)
    return [s.Indicator.model_validate({
        **_attrs(row), "targets": [s.Target.model_validate(t) for t in targets[row.id]]})
        for row in rows]


@bp.get("/periods")
@read(s.PeriodPage, query=s.PeriodsQuery, tags=("data",))
def periods(query: s.PeriodsQuery) -> Any:
    """Reporting periods and their state (open, submitted, returned, approved)."""
    base = _scoped(sa.select(ReportingPeriod), ReportingPeriod.project_id, query.project,
                   "data.view")
    if query.state is not None:
        base = base.where(ReportingPeriod.state == query.state)
    rows, cursor = page(base, ReportingPeriod.id, query.cursor, query.limit)
    return _listed(s.PeriodPage, s.Period, rows, cursor)


@bp.get("/periods/<int:period_id>")
@read(s.Period, tags=("data",))
def period(period_id: int) -> Any:
    """One reporting period of a project you may see, with its state."""
    return answer(s.Period.model_validate(_record(ReportingPeriod, period_id, "data.view")))


@bp.get("/values")
@read(s.ValuePage, query=s.ValuesQuery, tags=("data",))
def values(query: s.ValuesQuery) -> Any:
    """Indicator values of approved periods; provisional=true adds the others, marked."""
    base = _scoped(sa.select(DataValue).join(ReportingPeriod), ReportingPeriod.project_id,
                   query.project, "data.view")
    if not query.provisional:
        base = base.where(ReportingPeriod.state == PeriodState.APPROVED)
    if query.period is not None:
        base = base.where(DataValue.period_id == query.period)
    if query.indicator is not None:
        base = base.where(DataValue.indicator_id == query.indicator)
    rows, cursor = page(base, DataValue.id, query.cursor, query.limit)
    states = {period_id: state for period_id, state in db.session.execute(
        sa.select(ReportingPeriod.id, ReportingPeriod.state).where(
            ReportingPeriod.id.in_({row.period_id for row in rows})))}
    items = [s.Value.model_validate({**_attrs(row), "provisional":
                                     states[row.period_id] != PeriodState.APPROVED})
             for row in rows]
    return answer(s.ValuePage(items=items, next_cursor=cursor))


@bp.get("/activities")
@read(s.ActivityPage, query=s.ActivitiesQuery, tags=("data",))
def activities(query: s.ActivitiesQuery) -> Any:
    """The activity log, with participants by sex and age group."""
    base = _scoped(sa.select(Activity).options(selectinload(Activity.participants)),
                   Activity.project_id, query.project, "data.view")
    if query.start_from is not None:
        base = base.where(Activity.start_date >= query.start_from)
    if query.start_to is not None:
        base = base.where(Activity.start_date <= query.start_to)
    rows, cursor = page(base, Activity.id, query.cursor, query.limit)
    return answer(s.ActivityPage(items=[activity_model(row) for row in rows],
                                 next_cursor=cursor))


@bp.get("/activities/<int:activity_id>")
@read(s.Activity, tags=("data",))
def activity(activity_id: int) -> Any:
    """One activity of a project you may see; its version is the If-Match of a change."""
    found = _record(Activity, activity_id, "data.view", selectinload(Activity.participants))
    return answer(activity_model(found))


def activity_model(activity: Activity) -> s.Activity:
    return s.Activity.model_validate({
        **_attrs(activity),
        "participants": [s.Participants.model_validate(p) for p in activity.participants]})


@bp.get("/events")
@read(s.EventPage, query=s.ProjectQuery, tags=("follow-up",))
def events(query: s.ProjectQuery) -> Any:
    """Events and their follow-up are open to every role, as on the pages."""
    allowed("followup.view")
    base = sa.select(Event)
    if query.project is not None:
        _project(query.project, "project.view")
        base = base.where(Event.project_id == query.project)
    rows, cursor = page(base, Event.id, query.cursor, query.limit)
    return _listed(s.EventPage, s.Event, rows, cursor)


@bp.get("/events/<int:event_id>")
@read(s.Event, tags=("follow-up",))
def event(event_id: int) -> Any:
    """One event, open to every role as the list is."""
    return answer(s.Event.model_validate(_followup_record(Event, event_id)))


@bp.get("/recommendations")
@read(s.RecommendationPage, query=s.RecommendationsQuery, tags=("follow-up",))
def recommendations(query: s.RecommendationsQuery) -> Any:
    """Recommendations of events, with their status."""
    allowed("followup.view")
    base = sa.select(Recommendation)
    if query.event is not None:
        base = base.where(Recommendation.event_id == query.event)
    rows, cursor = page(base, Recommendation.id, query.cursor, query.limit)
    return _listed(s.RecommendationPage, s.Recommendation, rows, cursor)


@bp.get("/recommendations/<int:recommendation_id>")
@read(s.Recommendation, tags=("follow-up",))
def recommendation(recommendation_id: int) -> Any:
    """One recommendation, with its status."""
    return answer(s.Recommendation.model_validate(
        _followup_record(Recommendation, recommendation_id)))


@bp.get("/followup-actions")
@read(s.ActionPage, query=s.ActionsQuery, tags=("follow-up",))
def followup_actions(query: s.ActionsQuery) -> Any:
    """Follow-up actions of recommendations (planned or done, verified or not)."""
    allowed("followup.view")
    base = sa.select(FollowUpAction)
    if query.recommendation is not None:
        base = base.where(FollowUpAction.recommendation_id == query.recommendation)
    rows, cursor = page(base, FollowUpAction.id, query.cursor, query.limit)
    return _listed(s.ActionPage, s.FollowUpAction, rows, cursor)


@bp.get("/followup-actions/<int:action_id>")
@read(s.FollowUpAction, tags=("follow-up",))
def followup_action(action_id: int) -> Any:
    """One follow-up action; its version is the If-Match of a change."""
    return answer(s.FollowUpAction.model_validate(_followup_record(FollowUpAction, action_id)))


@bp.get("/followup-report")
@read(s.FollowUpReport, query=s.ReportQuery, tags=("follow-up",))
def followup_report(query: s.ReportQuery) -> Any:
    """The follow-up report's totals and one page of events, from the report page's own
    computation (and its cache)."""
    allowed("followup.report")
    as_of, settings = query.as_of or today(), settings_from()
    filters = ReportFilters.from_args({})
    size = int(current_app.config["PAGE_SIZE"])
    report, shown = cached("followup.report_page", (as_of, settings, filters, query.page, size),
                           lambda: report_page(db.session, as_of, settings, filters,
                                               query.page, size))
    t = report.totals
    rows = [s.ReportEvent(
        id=row.id, title=row.title, status=row.status.value,
        reason=reason(row.status, row.metrics, as_of, settings),
        recommendations=row.recommendations, due=row.due, followed_up=row.followed_up,
        verified=row.verified, implemented=row.implemented,
        follow_up_rate=row.metrics.follow_up_rate, verified_rate=row.metrics.verified_rate,
        implemented_rate=row.metrics.implemented_rate,
        days_to_first_follow_up=row.metrics.days_to_first_follow_up,
        cost=row.cost, currency=row.currency) for row in shown.items]
    return answer(s.FollowUpReport(
        as_of=as_of, page=shown.number, pages=shown.pages, events=rows,
        talk_shop_cost={k: s.num(v) for k, v in report.talk_shop_cost.items()},
        totals=s.ReportTotals(events=t.events, none_recorded=t.none_recorded,
                              pending=t.pending, talk_shops=t.talk_shops, weak=t.weak,
                              followed_up=t.followed_up,
                              talk_shop_share=s.num(t.talk_shop_share))))


@bp.get("/projects/<int:project_id>/iptt")
@read(s.Iptt, query=s.IpttQuery, tags=("reports",))
def project_iptt(project_id: int, query: s.IpttQuery) -> Any:
    """The project's indicator tracking table, from the loader of the IPTT page."""
    found = _project(project_id, "framework.view")
    assert found is not None
    config = current_app.config
    tracking = iptt.load(db.session, [found], StatusBands(config["STATUS_ON_TRACK"],
                                                          config["STATUS_AT_RISK"]),
                         iptt.Filters(include_provisional=query.provisional,
                                      as_of=query.as_of))
    tables = []
    for table in tracking.projects[0].tables:
        rows = [s.IpttRow(
            indicator_id=row.indicator.id, indicator_code=row.indicator.code,
            indicator_name=row.indicator.name, result_id=row.indicator.result_id,
            category=row.category.name if row.category else None, baseline=s.num(row.baseline),
            lop_target=s.num(row.lop_target), to_date=s.num(row.to_date), as_of=row.as_of,
            progress=s.num(row.progress), status=row.status.value, provisional=row.provisional,
            cells=[None if cell is None else s.IpttCell(
                period_id=period.id, target=s.num(cell.target), actual=s.num(cell.actual),
                met=s.num(cell.met),
                provisional=cell.provisional, status=cell.status.value)
                for period, cell in zip(table.periods, row.cells, strict=True)])
            for row in table.rows]
        tables.append(s.IpttTable(
            frequency=table.frequency.value if table.frequency else None,
            periods=[s.IpttPeriod(id=p.id, start_date=p.start_date, end_date=p.end_date,
                                  state=p.state.value) for p in table.periods], rows=rows))
    return answer(s.Iptt(project_id=found.id, project_code=found.code,
                         provisional=tracking.provisional, tables=tables))


