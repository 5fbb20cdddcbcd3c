"""Report-back links: a manager sends and revokes them and rejects what came back; the focal
point, without an account, opens the link and reports (see ``reportback``)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import selectinload

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.followup import actions, reportback
from app.followup.assess import today
from app.followup.blueprint import bp
from app.followup.forms import RejectForm, ReportBackForm, RevokeLinkForm, SendLinkForm
from app.followup.models import ActionKind, FollowUpAction, Recommendation, ReportBackLink
from app.mail import due
from app.web import current_actor, get_or_404, public
from indicators.followup import ActionState

due.register("report_back_reminders", reportback.send_reminders)


def _to_links(recommendation_id: int) -> Any:
    return redirect(url_for(".recommendation_detail", recommendation_id=recommendation_id,
                            _anchor="report-back"))


@bp.post("/recommendations/<int:recommendation_id>/report-back")
def report_back_send(recommendation_id: int) -> Any:
    authorize("followup.report_back")
    recommendation = get_or_404(Recommendation, recommendation_id)
    form = SendLinkForm()
    if not form.validate_on_submit():
        flash(_("The page was out of date; open it again and send the link."), "error")
        return _to_links(recommendation.id)
    try:
        link = reportback.send_link(db.session, current_actor(), recommendation,
                                    form.locale.data or "en")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(_("A report-back link was sent to %(address)s.", address=link.focal_email),
              "success")
    return _to_links(recommendation.id)


@bp.post("/report-back-links/<int:report_link_id>/revoke")
def report_back_revoke(report_link_id: int) -> Any:
    authorize("followup.report_back")
    link = get_or_404(ReportBackLink, report_link_id)
    if not RevokeLinkForm().validate_on_submit():
        flash(_("The page was out of date; open it again and revoke the link."), "error")
        return _to_links(link.recommendation_id)
    try:
        reportback.revoke_link(db.session, current_actor(), link)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(_("The link is revoked: it no longer opens."), "success")
    return _to_links(link.recommendation_id)


@bp.post("/actions/<int:action_id>/reject")
def action_reject(action_id: int) -> Any:
    authorize("followup.verify")
    action = get_or_404(FollowUpAction, action_id, selectinload(FollowUpAction.recommendation))
    form = RejectForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    else:
        try:
            actions.reject_action(db.session, current_actor(), action, form.version.data or 0,
                                  form.reason.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            flash(_("The reported action is rejected."), "success")
    return redirect(url_for(".recommendation_detail", recommendation_id=action.recommendation_id,
                            _anchor=f"action-{action.id}"))


# --- the focal point's page ------------------------------------------------------------------


def _limiter() -> tuple[MovingWindowRateLimiter, RateLimitItemPerSecond]:
    """Requests to report-back pages per address, shared through Redis when it is set."""
    found = current_app.extensions.get("report_back_throttle")
    if found is None:
        config = current_app.config
        storage = storage_from_string(config["REDIS_URL"] or "memory://")
        found = (MovingWindowRateLimiter(storage),
                 RateLimitItemPerSecond(config["REPORT_BACK_LIMIT"],
                                        config["REPORT_BACK_WINDOW_SECONDS"],
                                        namespace="pvetrack-report-back"))
        current_app.extensions["report_back_throttle"] = found
    return found


def _refused(reason: Any, code: int) -> Any:
    return render_template("followup/report_back_refused.html", reason=reason), code


@bp.route("/report-back/<int:recommendation_id>/<link_token>", methods=["GET", "POST"])
@public
def report_back_page(recommendation_id: int, link_token: str) -> Any:
    limiter, item = _limiter()
    if not limiter.hit(item, "ip", request.remote_addr or "-"):
        return _refused(_("Too many requests from your address. Wait an hour and open the "
                          "link again."), 429)
    try:
        link = reportback.open_link(db.session, recommendation_id, link_token)
    except reportback.Refused as exc:
        return _refused(exc.reason, exc.code)
    recommendation = link.recommendation
    form = ReportBackForm()
    code = 200
    if request.method == "POST":
        code = 422
        if form.validate_on_submit():
            file = form.file.data
            upload = None
            if file and file.filename:
                upload = reportback.Upload(file.read(), file.filename,
                                           form.file_title.data or file.filename)
            values = {f: getattr(form, f).data for f in reportback.REPORT_FIELDS}
            values["description"] = (values["description"] or "").strip() or None
            values["evidence_url"] = (values["evidence_url"] or "").strip() or None
            values["state"] = ActionState(values["state"])
            values["kind"] = ActionKind(values["kind"])
            try:
                reportback.report(db.session, link, values, upload, request.remote_addr,
                                  today())
            except ServiceError as exc:
                db.session.rollback()
                form.apply_error(exc)
            else:
                return render_template("followup/report_back.html", link=link,
                                       recommendation=recommendation, form=None, done=True)
    return render_template("followup/report_back.html", link=link,
                           recommendation=recommendation, form=form, done=False), code
