"""Recurring recommendations: confirmed chains for everyone, suggestions for managers."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.permissions import authorize, can
from app.db import db
from app.errors import ServiceError
from app.followup import labels, links, links_job
from app.followup.blueprint import bp
from app.followup.forms import LinkDecisionForm
from app.followup.models import LinkState, RecommendationLink
from app.followup.pages import requested_as_of
from app.pagination import paginate
from app.web import current_actor, get_or_404


@bp.get("/recurring")
def recurring() -> Any:
    authorize("followup.view")
    as_of = requested_as_of()
    suggestions = None
    reasons: dict[int, tuple[str, ...]] = {}
    wording: dict[int, tuple[str, ...]] = {}
    if can(g.user, "recommendations.link"):
        suggestions = paginate(db.session, links.suggestions_query(), rows=True)
        reasons = links.reasons(suggestions.items)
        wording = links.wording(suggestions.items)
    return render_template("followup/recurring.html", chains=links.chains(db.session, as_of),
                           suggestions=suggestions, reasons=reasons, wording=wording,
                           as_of=as_of,
                           concept_label=labels.concept_label)


@bp.post("/recurring/suggest")
def links_suggest() -> Any:
    authorize("recommendations.link")
    # With many recommendations the search is a job; its page follows the pairs scored.
    if links_job.runs_as_job(db.session, current_app.config["SUGGEST_BACKGROUND_RECOMMENDATIONS"]):
        job = links_job.running(db.session)
        if job is not None:
            flash(_("A search for suggestions is already under way; here is its progress."),
                  "info")
        else:
            job = links_job.start(db.session, current_actor())
        return redirect(url_for("jobs.job_page", job_id=job.id))
    try:
        run = links.suggest_links(db.session, current_actor())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(ngettext("%(num)d new link suggested.", "%(num)d new links suggested.",
                       len(run.new)), "success")
    return redirect(url_for(".recurring"))


@bp.post("/links/<int:link_id>/decide")
def link_decide(link_id: int) -> Any:
    authorize("recommendations.link")
    link = get_or_404(RecommendationLink, link_id)
    form = LinkDecisionForm()
    if not form.validate_on_submit() or form.seen.data not in {s.value for s in LinkState}:
        flash(_("Choose to confirm or reject the link."), "error")
    else:
        try:
            links.decide_link(db.session, current_actor(), link, LinkState(form.decision.data),
                              LinkState(form.seen.data))
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            flash(_("Link confirmed: the two recommendations ask for the same thing.")
                  if link.state is LinkState.CONFIRMED else _("Link rejected."), "success")
    return redirect(url_for(".recurring", page=request.args.get("page")))
