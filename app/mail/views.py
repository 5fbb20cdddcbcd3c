"""The digest settings (on the account page) and the unsubscribe page of a signed link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.audit import Actor
from app.auth.models import User
from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.extensions import csrf
from app.mail import preferences
from app.mail.forms import DigestForm
from app.mail.models import DigestFrequency
from app.web import current_actor, public

bp = Blueprint("mail", __name__)


def digest_form(user: User, formdata: Any = None) -> DigestForm:
    """The digest settings, offering the kinds that can concern the user's role."""
    choice = preferences.of(db.session, user.id)
    offered = preferences.kinds_for(user.role)
    form = DigestForm(formdata=formdata, data=None if formdata else {
        "frequency": choice.frequency.value, "version": choice.version,
        "kinds": [k for k in offered if k not in choice.muted]})
    form.kinds.choices = [SelectChoice(k, label) for k, label in offered.items()]
    return form


@bp.app_context_processor
def _account_context() -> dict[str, Any]:
    def digest_settings() -> DigestForm | None:
        user = g.get("user")
        return digest_form(user) if user is not None else None

    return {"digest_settings": digest_settings}


@bp.post("/account/digest")
def digest_save() -> Any:
    authorize("account.edit_own")
    form = digest_form(g.user, request.form)
    if form.validate_on_submit():
        try:
            preferences.save(db.session, current_actor(), g.user.id,
                             frequency=DigestFrequency(form.frequency.data),
                             wanted=list(form.kinds.data or []), version=form.version.data or 0,
                             offered=preferences.kinds_for(g.user.role))
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            flash(_("Your e-mail digest settings are saved."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("auth.account") + "#digest")


def _read(token: str) -> tuple[int, str]:
    found = preferences.read_token(token)
    if found is None:
        abort(404)
    return found


@bp.get("/unsubscribe/<token>")
@public
def unsubscribe_page(token: str) -> Any:
    """Asks before it changes anything: mail scanners open links, people press buttons."""
    _user_id, kind = _read(token)
    return render_template("mail/unsubscribe.html", token=token, done=False,
                           kind_label=preferences.kind_label(kind),
                           whole=kind == preferences.DIGEST)


@bp.post("/unsubscribe/<token>")
@public
@csrf.exempt
def unsubscribe(token: str) -> Any:
    """The button of the page above, and the one-click POST of mail clients (RFC 8058): the
    signed link is the proof, so no session and no CSRF token are needed."""
    user_id, kind = _read(token)
    if db.session.get(User, user_id) is None:
        abort(404)
    preferences.unsubscribe(db.session, Actor(user_id=user_id, ip=request.remote_addr),
                            user_id, kind)
    return render_template("mail/unsubscribe.html", token=token, done=True,
                           kind_label=preferences.kind_label(kind),
                           whole=kind == preferences.DIGEST)

