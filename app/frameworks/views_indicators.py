"""Indicator identification: the project's indicators, picked from the bank or written anew,
their reporting periods and targets; and the indicator bank itself."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.frameworks import chain, completeness, labels
from app.frameworks import indicator_services as services
from app.frameworks.blueprint import bp
from app.frameworks.indicator_forms import (
    INDICATOR_FORM_FIELDS,
    IndicatorForm,
    prefill_from_bank,
    targets_form,
)
from app.frameworks.models import (
    TOTAL_CODE,
    DisaggregationType,
    Indicator,
    IndicatorType,
    ReportingPeriod,
    Result,
    Target,
    indicator_disaggregations,
)
from app.frameworks.pages import load_project, owned, posted_version, result_choices, run_action
from app.programmes.models import Project
from app.web import current_actor, record_id, save_form
from indicators import bank, suggest
from indicators.smart import missing

BANK_LIMIT = 12
SUGGESTION_LIMIT = 5


def _disaggregation_types() -> list[DisaggregationType]:
    return list(db.session.scalars(sa.select(DisaggregationType).where(
        DisaggregationType.code != TOTAL_CODE).order_by(DisaggregationType.id)))


@bp.get("/projects/<int:project_id>/framework/indicators")
def indicators(project_id: int) -> Any:
    project = load_project(project_id, "framework.view")
    rows = db.session.scalars(
        sa.select(Indicator).where(Indicator.project_id == project.id)
        .options(joinedload(Indicator.result)).order_by(Indicator.position, Indicator.id)).all()
    breakdowns: dict[int, list[DisaggregationType]] = {}
    for indicator_id, kind in db.session.execute(  # one query, unlike a batched selectinload
            sa.select(indicator_disaggregations.c.indicator_id, DisaggregationType)
            .join(DisaggregationType,
                  DisaggregationType.id == indicator_disaggregations.c.type_id)
            .join(Indicator, Indicator.id == indicator_disaggregations.c.indicator_id)
            .where(Indicator.project_id == project.id).order_by(DisaggregationType.id)):
        breakdowns.setdefault(indicator_id, []).append(kind)
    targets = dict(db.session.execute(completeness.total_targets(project.id)).all())
    periods = dict(db.session.execute(
        sa.select(ReportingPeriod.frequency, sa.func.count(ReportingPeriod.id))
        .where(ReportingPeriod.project_id == project.id)
        .group_by(ReportingPeriod.frequency)).all())
    gaps = {i.id: missing(completeness.plan(i)) for i in rows}
    return render_template("frameworks/indicators.html", project=project, rows=rows, gaps=gaps,
                           targets=targets, periods=periods, breakdowns=breakdowns)


def _suggest_code(project: Project, result: Result | None) -> str:
    taken = set(db.session.scalars(sa.select(Indicator.code).where(
        Indicator.project_id == project.id)))
    if result is not None:
        for letter in string.ascii_lowercase:
            if f"{result.code}{letter}" not in taken:
                return f"{result.code}{letter}"
    number = len(taken) + 1
    while f"I{number}" in taken:
        number += 1
    return f"I{number}"


def _indicator_form(project: Project, obj: Indicator | None = None,
                    **kwargs: Any) -> IndicatorForm:
    form = IndicatorForm(obj=obj, **kwargs)
    form.result_id.choices = result_choices(project, _("— not linked to a result yet —"))
    form.set_disaggregation_choices(_disaggregation_types())
    if obj is not None and request.method == "GET":
        form.disaggregations.data = [t.id for t in obj.disaggregations]
    return form


def _language() -> str:
    return str(get_locale())


def _bank_matches(query: str) -> tuple[list[bank.BankIndicator], int]:
    found = bank.search_in(query, _language())
    return list(found[:BANK_LIMIT]), len(found)


def _result_themes(result: Result) -> list[bank.Theme]:
    """The themes of the bank indicators already measuring this result or a result above it:
    what the chain says the result is about, without asking the manager again."""
    chain = []
    node: Result | None = result
    while node is not None and node.id not in chain:
        chain.append(node.id)
        node = node.parent
    found = set()
    for code in db.session.scalars(sa.select(Indicator.bank_code).where(
            Indicator.result_id.in_(chain), Indicator.bank_code.is_not(None))):
        entry = bank.get(code or "")
        if entry is not None:
            found.add(entry.theme)
    return sorted(found)


def _chosen_themes(result: Result) -> tuple[list[bank.Theme], str]:
    """The themes the suggestions rank by, and where they come from: ``ticked`` in the query
    (``themes=1&theme=…``, shown but not saved, as after a refused save), else those ``saved``
    with the result, else those of the ``chain``."""
    if request.args.get("themes") == "1":
        known = {t.value: t for t in bank.Theme}
        return sorted({known[v] for v in request.args.getlist("theme") if v in known}), "ticked"
    saved = sorted(t.theme for t in result.themes)
    if saved:
        return saved, "saved"
    return _result_themes(result), "chain"


def _suggestions(result: Result, themes: list[bank.Theme]) -> list[dict[str, Any]]:
    """The bank indicators that fit the result, in the reader's language, with their reasons."""
    found = suggest.suggest(result.statement, result.level.value, themes,
                            limit=SUGGESTION_LIMIT)
    rows = []
    for item in found:
        entry = bank.get(item.code)
        if entry is not None:
            rows.append({"entry": bank.localised(entry, _language()),
                         "reasons": [_reason_text(reason) for reason in item.reasons]})
    return rows


def _reason_text(reason: suggest.Reason) -> str:
    """One reason for a suggestion, worded in the reader's language."""
    code, terms = reason.code, reason.terms
    if code is suggest.ReasonCode.CONCEPTS:
        quoted = ", ".join(_("“%(words)s”", words=term) for term in terms)
        return _("Same idea as %(words)s in the statement", words=quoted)
    if code is suggest.ReasonCode.WORDS:
        return _("Shares the words: %(words)s", words=", ".join(terms))
    if code is suggest.ReasonCode.THEME:
        return _("Theme of this result: %(theme)s",
                 theme=labels.THEME.get(bank.Theme(terms[0]), terms[0]))
    level = labels.INDICATOR_TYPE.get(IndicatorType(terms[0]), terms[0])
    if code is suggest.ReasonCode.LEVEL_SAME:
        return _("%(level)s indicator: the level of this result", level=level)
    return _("%(level)s indicator: one level from this result", level=level)


@bp.route("/projects/<int:project_id>/framework/indicators/new", methods=["GET", "POST"])
def indicator_new(project_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    result_id = request.args.get("result", type=record_id)
    result = db.session.get(Result, result_id) if result_id else None
    if result is not None and result.project_id != project.id:
        result = None
    form = _indicator_form(project, version=0, result_id=result.id if result else None,
                           code=_suggest_code(project, result))
    entry = bank.get(request.args.get("bank", "")) if request.args.get("bank") else None
    picked = bank.localised(entry, _language()) if entry is not None else None
    if picked is not None and request.method == "GET":
        prefill_from_bank(form, picked)
    query = (request.args.get("q") or "").strip()
    matches, total = _bank_matches(query) if query else ([], 0)
    themes, themes_source = _chosen_themes(result) if result is not None else ([], "chain")
    suggestions = _suggestions(result, themes) if result is not None and picked is None else []
    saved = save_form(form, lambda v: services.create_indicator(db.session, current_actor(),
                                                                project, v),
                      INDICATOR_FORM_FIELDS, "frameworks/indicator_form.html", project=project,
                      indicator=None, picked=picked, query=query, matches=matches, total=total,
                      result=result, suggestions=suggestions, themes=themes,
                      themes_source=themes_source, all_themes=list(bank.Theme))
    if isinstance(saved, Indicator):
        return redirect(url_for(".indicator_targets", project_id=project.id,
                                indicator_id=saved.id))
    return saved


@bp.post("/projects/<int:project_id>/framework/results/<int:result_id>/themes")
def result_themes_save(project_id: int, result_id: int) -> Any:
    """Save the themes ticked beside a result's indicator suggestions, then suggest again."""
    project = load_project(project_id, "framework.edit")
    result = owned(Result, result_id, project)
    ticked = request.form.getlist("theme")
    try:
        chain.set_result_themes(db.session, current_actor(), result, posted_version(), ticked)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        # what was ticked is still shown, unsaved, with the result's version as it is now
        return redirect(url_for(".indicator_new", project_id=project.id, result=result.id,
                                themes=1, theme=ticked))
    flash(_("The themes of %(code)s were saved.", code=result.code), "success")
    return redirect(url_for(".indicator_new", project_id=project.id, result=result.id))


@bp.get("/projects/<int:project_id>/framework/indicators/bank")
def indicator_bank_pick(project_id: int) -> Any:
    """The bank's matches for the picker on the new-indicator page (an htmx fragment)."""
    project = load_project(project_id, "framework.edit")
    query = (request.args.get("q") or "").strip()
    matches, total = _bank_matches(query)
    return render_template("frameworks/_bank_matches.html", project=project, query=query,
                           matches=matches, total=total,
                           result_id=request.args.get("result", type=record_id))


@bp.route("/projects/<int:project_id>/framework/indicators/<int:indicator_id>/edit",
          methods=["GET", "POST"])
def indicator_edit(project_id: int, indicator_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    indicator = owned(Indicator, indicator_id, project, selectinload(Indicator.disaggregations))
    form = _indicator_form(project, indicator)
    saved = save_form(form, lambda v: services.update_indicator(
        db.session, current_actor(), indicator, form.version.data, v), INDICATOR_FORM_FIELDS,
        "frameworks/indicator_form.html", project=project, indicator=indicator, picked=None,
        query="", matches=[], total=0, result=None, suggestions=[], themes=[],
        themes_source="chain", all_themes=[])
    if isinstance(saved, Indicator):
        return redirect(url_for(".indicators", project_id=project.id))
    return saved


@bp.post("/projects/<int:project_id>/framework/indicators/<int:indicator_id>/delete")
def indicator_delete(project_id: int, indicator_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    indicator = owned(Indicator, indicator_id, project)
    code = indicator.code
    run_action(lambda: services.delete_indicator(db.session, current_actor(), indicator,
                                                 posted_version()),
               _("%(code)s was removed.", code=code))
    return redirect(url_for(".indicators", project_id=project.id))


@bp.route("/projects/<int:project_id>/framework/indicators/<int:indicator_id>/targets",
          methods=["GET", "POST"])
def indicator_targets(project_id: int, indicator_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    indicator = owned(Indicator, indicator_id, project)
    periods = services.indicator_periods(db.session, indicator)
    total = services.total_category_id(db.session)
    current = {t.period_id: t.value for t in db.session.scalars(
        sa.select(Target).where(Target.indicator_id == indicator.id,
                                Target.category_id == total))}
    form = targets_form(periods, current)
    if request.method == "GET":
        form.version.data = indicator.version

    def save(_values: dict[str, Any]) -> Indicator:
        values: dict[int, Decimal | None] = {p.id: form[f"p{p.id}"].data for p in periods}
        return services.set_targets(db.session, current_actor(), indicator, form.version.data,
                                    values)

    saved = save_form(form, save, [], "frameworks/targets.html", project=project,
                      indicator=indicator, periods=periods, saved_targets=current)
    if isinstance(saved, Indicator):
        return redirect(url_for(".indicators", project_id=project.id))
    return saved


@bp.post("/projects/<int:project_id>/framework/periods")
def periods_create(project_id: int) -> Any:
    project = load_project(project_id, "framework.edit")
    frequency = request.form.get("frequency", "")
    run_action(lambda: services.ensure_periods(db.session, current_actor(), project, frequency),
               _("The reporting periods were created."))
    indicator_id = request.form.get("indicator", type=record_id)
    if indicator_id:
        return redirect(url_for(".indicator_targets", project_id=project.id,
                                indicator_id=indicator_id))
    return redirect(url_for(".indicators", project_id=project.id))


@bp.get("/indicator-bank")
def indicator_bank() -> Any:
    authorize("indicator_bank.view")
    query = (request.args.get("q") or "").strip()
    level = request.args.get("level") or None
    theme = request.args.get("theme") or None
    if level not in {v.value for v in bank.Level}:
        level = None
    if theme not in {v.value for v in bank.Theme}:
        theme = None
    found = bank.search_in(query, _language(), level, theme)
    return render_template("frameworks/bank.html", found=found, query=query, level=level,
                           theme=theme, levels=list(bank.Level), themes=list(bank.Theme))
