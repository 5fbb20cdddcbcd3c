"""Reporting periods of a project, the data entry grid, and the period's way to approval."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.auth.permissions import authorize, can
from app.db import db
from app.errors import ServiceError, StaleEdit
from app.evidence import services as evidence_services
from app.evidence.models import SubjectKind
from app.frameworks.models import ReportingPeriod
from app.monitoring import approval, entry
from app.monitoring import figures as indicator_figures
from app.monitoring.blueprint import bp
from app.monitoring.grid import Grid, build_grid, fingerprint
from app.monitoring.models import DataValue
from app.pagination import paginate
from app.programmes.models import Project
from app.web import current_actor, get_or_404
from indicators.types import StatusBands


@bp.get("/projects/<int:project_id>/periods")
def periods(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("data.view", project)
    values = (sa.select(sa.func.count(DataValue.id))
              .where(DataValue.period_id == ReportingPeriod.id).scalar_subquery())
    query = (sa.select(ReportingPeriod, values.label("values"))
             .where(ReportingPeriod.project_id == project.id)
             .order_by(ReportingPeriod.start_date.desc(), ReportingPeriod.frequency))
    return render_template("monitoring/periods.html", project=project,
                           page=paginate(db.session, query, rows=True), today=date.today())


def _period(period_id: int) -> ReportingPeriod:
    period: ReportingPeriod = get_or_404(ReportingPeriod, period_id,
                                         joinedload(ReportingPeriod.project))
    return period


def _render_grid(period: ReportingPeriod, grid: Grid, status: int = 200,
                 posted: dict[str, entry.Posted] | None = None,
                 refused: entry.GridRefused | None = None) -> Any:
    project = period.project
    user = g.user
    editable = period.state.value in {"open", "returned"} and can(user, "data.enter", project)
    ids = {i for i in (period.submitted_by_id, period.decided_by_id) if i is not None}
    people = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids)))
                  .all()) if ids else {}
    # The figures approving this period would give: its values count, marked provisional.
    config = current_app.config
    loaded = indicator_figures.load(
        db.session, project, StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"]),
        include_provisional=True)
    figures = {block.indicator.id: loaded.of(block.indicator).period(period.start_date)
               for block in grid.blocks}
    evidence = evidence_services.counts(
        db.session, SubjectKind.VALUE, [block.indicator.id for block in grid.blocks], period.id)
    return render_template(
        "monitoring/period_data.html", period=period, project=project, grid=grid,
        posted=posted or {}, errors=refused.errors if refused else {},
        conflicts=refused.conflicts if refused else {},
        refused_message=str(refused.message) if refused else "", editable=editable,
        fingerprint=fingerprint, people=people, today=date.today(), figures=figures,
        evidence=evidence), status


@bp.route("/periods/<int:period_id>/data", methods=["GET", "POST"])
def period_data(period_id: int) -> Any:
    period = _period(period_id)
    if request.method == "GET":
        authorize("data.view", period.project)
        return _render_grid(period, build_grid(db.session, period))
    authorize("data.enter", period.project)
    saved = _save(period)
    if not isinstance(saved, int):
        return saved
    _flash_saved(period, saved)
    return redirect(url_for(".period_data", period_id=period.id))


def _save(period: ReportingPeriod) -> Any:
    """Save the grid's rows: the number written, or the page showing what was refused."""
    grid = build_grid(db.session, period)
    posted = entry.posted_rows(grid, request.form)
    try:
        return entry.save_values(db.session, current_actor(), period, posted, grid)
    except entry.GridRefused as exc:
        db.session.rollback()  # the page's error summary says what was refused, row by row
        return _render_grid(period, grid, 409 if exc.conflicts else 422, posted, exc)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        status = 409 if isinstance(exc, StaleEdit) else 422
        return _render_grid(period, build_grid(db.session, period), status, posted)


def _flash_saved(period: ReportingPeriod, saved: int) -> None:
    if saved:
        flash(ngettext("%(num)d value saved as a draft.", "%(num)d values saved as a draft.",
                       saved), "success")
    else:
        flash(_("Nothing changed."), "info")
    mismatches = build_grid(db.session, period).mismatch_count
    if mismatches:
        flash(ngettext("%(num)d total disagrees with its categories: see the warning beside it. "
                       "The period cannot be submitted until it agrees.",
                       "%(num)d totals disagree with their categories: see the warnings beside "
                       "them. The period cannot be submitted until they agree.", mismatches),
              "warning")


def _version() -> int | None:
    return request.form.get("period_version", type=int)


@bp.post("/periods/<int:period_id>/submit")
def period_submit(period_id: int) -> Any:
    period = _period(period_id)
    authorize("period.submit", period.project)
    if can(g.user, "data.enter", period.project) and period.state.value in {"open", "returned"}:
        saved = _save(period)
        if not isinstance(saved, int):
            return saved
    return _decide(period, lambda: approval.submit(db.session, current_actor(), period,
                                                   _version()),
                   _("The period was submitted for approval."))


def _decide(period: ReportingPeriod, action: Any, done: str) -> Any:
    """Submit, approve, return or reopen; someone else's decision meanwhile answers 409 with
    the period as it now is."""
    try:
        action()
    except StaleEdit:  # a stale page, or a decision taken at the same moment
        db.session.rollback()
        flash(str(approval.STALE_PERIOD), "error")
        return _render_grid(period, build_grid(db.session, period), 409)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for(".period_data", period_id=period.id))


@bp.post("/periods/<int:period_id>/approve")
def period_approve(period_id: int) -> Any:
    period = _period(period_id)
    authorize("period.decide", period.project)
    return _decide(period, lambda: approval.approve(db.session, current_actor(), period,
                                                    _version()),
                   _("The period is approved and now locked for everyone."))


@bp.post("/periods/<int:period_id>/return")
def period_return(period_id: int) -> Any:
    period = _period(period_id)
    authorize("period.decide", period.project)
    return _decide(period, lambda: approval.return_period(
        db.session, current_actor(), period, _version(), request.form.get("reason")),
        _("The period was returned to its officers."))


@bp.post("/periods/<int:period_id>/reopen")
def period_reopen(period_id: int) -> Any:
    period = _period(period_id)
    authorize("period.decide", period.project)
    return _decide(period, lambda: approval.reopen(
        db.session, current_actor(), period, _version(), request.form.get("reason")),
        _("Lock exception recorded: the period is open again."))
