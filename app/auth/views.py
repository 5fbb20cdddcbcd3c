"""Sign-in, sign-out, own account, and the administration of users."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from app.audit import Actor
from app.auth import services, sessions, tokens
from app.auth.forms import (
    LocaleForm,
    LoginForm,
    NewUserForm,
    PasswordChangeForm,
    ReasonForm,
    TokenForm,
    UserForm,
)
from app.auth.models import Locale, Role, User
from app.auth.permissions import authorize
from app.db import contains, db, utcnow
from app.errors import ServiceError, StaleEdit
from app.pagination import paginate
from app.web import current_actor, public

bp = Blueprint("auth", __name__)


def _profile() -> str:
    return str(current_app.config["PASSWORD_HASH_PROFILE"])


def _safe_next(target: str | None) -> str:
    """Only follow local redirects after sign-in."""
    if (target and target.startswith("/") and not target.startswith("//")
            and not any(c in target for c in "\r\n\x00\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("reports.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    if g.user is not None:
        return redirect(url_for("reports.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session,
                current_app.extensions["login_throttle"],
                email=form.email.data or "",
                password=form.password.data or "",
                ip=request.remote_addr or "unknown",
                hash_profile=_profile(),
            )
        except services.LoginThrottled as exc:
            form.form_errors.append(str(exc.message))
            return render_template("auth/login.html", form=form), 429
        except services.LoginFailed as exc:
            form.form_errors.append(str(exc.message))
            return render_template("auth/login.html", form=form), 200
        chosen = str(session.get("locale", ""))  # the language picked on the sign-in page
        sessions.start(user)
        if chosen in current_app.config["LANGUAGES"] and chosen != user.locale.value:
            services.set_locale(db.session, Actor(user_id=user.id, ip=request.remote_addr),
                                user, Locale(chosen))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Any:
    services.logout(db.session, current_actor(), g.user)
    sessions.end()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/language")
@public
def set_language() -> Any:
    """The language switch: for a signed-in user it is saved to their account."""
    form = LocaleForm()
    if form.validate_on_submit():
        locale = Locale(form.locale.data)
        session["locale"] = locale.value
        if g.user is not None:
            services.set_locale(db.session, current_actor(), g.user, locale)
    return redirect(_safe_next(request.form.get("next")))


def _account_page(status: int = 200, **forms: Any) -> Any:
    forms.setdefault("password_form", PasswordChangeForm())
    forms.setdefault("locale_form", LocaleForm(locale=g.user.locale.value))
    forms.setdefault("token_form", TokenForm())
    return render_template("auth/account.html", tokens=tokens.user_tokens(db.session, g.user),
                           now=utcnow(), **forms), status


@bp.route("/account", methods=["GET"])
def account() -> Any:
    authorize("account.edit_own")
    return _account_page()


@bp.post("/account/tokens")
def create_token() -> Any:
    """A new API token: its secret is shown on this one response and never again."""
    authorize("account.edit_own")
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = tokens.create_token(
                db.session, current_actor(), g.user, form.name.data or "",
                tokens.TokenScope(form.scope.data), int(form.days.data or 0))
        except ServiceError as exc:
            db.session.rollback()
            form.apply_error(exc)
        else:
            return _account_page(201, new_secret=secret, token_form=TokenForm(formdata=None))
    return _account_page(422, token_form=form)


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Any:
    authorize("account.edit_own")
    if not ReasonForm().validate_on_submit():
        abort(400)
    if tokens.revoke_token(db.session, current_actor(), g.user, token_id) is None:
        abort(404)
    flash(_("The token was revoked: it no longer opens the API."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/password")
def change_password() -> Any:
    authorize("account.edit_own")
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(
                db.session, current_actor(), g.user,
                form.current_password.data or "", form.new_password.data or "", _profile(),
            )
        except ServiceError as exc:
            form.apply_error(exc)
        else:
            sessions.start(g.user)  # this session continues; all others have ended
            flash(_("Your password was changed. Your other sessions have been signed out."),
                  "success")
            return redirect(url_for("auth.account"))
    return _account_page(422, password_form=form)


# --- administration of users -------------------------------------------------------------


@bp.get("/admin/users")
def users() -> Any:
    authorize("users.manage")
    q = (request.args.get("q") or "").strip()
    query = sa.select(User).order_by(User.active.desc(), User.name)
    if q:
        query = query.where(sa.or_(contains(User.name, q), contains(User.email, q)))
    page = paginate(db.session, query)
    return render_template("auth/users.html", page=page, q=q)


@bp.route("/admin/users/new", methods=["GET", "POST"])
def user_new() -> Any:
    authorize("users.manage")
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session, current_actor(),
                email=form.email.data or "", name=form.name.data or "",
                role=Role(form.role.data), locale=Locale(form.locale.data),
                password=form.password.data or "", hash_profile=_profile(),
            )
        except ServiceError as exc:
            db.session.rollback()
            form.apply_error(exc)
        else:
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int) -> Any:
    authorize("users.manage")
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.role.data, form.locale.data = user.role.value, user.locale.value
    current: dict[str, Any] | None = None
    if form.validate_on_submit():
        try:
            services.update_user(
                db.session, current_actor(), user, version=form.version.data or 0,
                values={"email": form.email.data, "name": (form.name.data or "").strip(),
                        "role": Role(form.role.data), "locale": Locale(form.locale.data)},
            )
            if form.new_password.data:
                services.set_password(db.session, current_actor(), user,
                                      form.new_password.data, _profile())
        except StaleEdit as exc:
            db.session.rollback()
            form.apply_error(exc)
            current = exc.current
        except ServiceError as exc:
            db.session.rollback()
            form.apply_error(exc)
        else:
            flash(_("Changes to %(name)s saved.", name=user.name), "success")
            return redirect(url_for("auth.users"))
    status = 409 if current is not None else (422 if form.errors or form.form_errors else 200)
    return render_template("auth/user_form.html", form=form, user=user, current=current,
                           reason_form=ReasonForm()), status


@bp.post("/admin/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int) -> Any:
    return _set_active(user_id, False)


@bp.post("/admin/users/<int:user_id>/activate")
def user_activate(user_id: int) -> Any:
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> Any:
    authorize("users.manage")
    user = _user_or_404(user_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.set_active(db.session, current_actor(), user, active, form.reason.data or "")
        except ServiceError as exc:
            flash(str(exc.message), "error")
        else:
            message = _("%(name)s can sign in again.") if active else _(
                "%(name)s was deactivated and signed out everywhere.")
            flash(message % {"name": user.name}, "success")
    return redirect(url_for("auth.users"))
