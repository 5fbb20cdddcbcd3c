"""Request plumbing shared by every blueprint: who is signed in, language, headers, errors."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from app import cache, formatting
from app.audit import Actor
from app.auth import sessions
from app.auth.permissions import can
from app.db import db
from app.errors import ServiceError, StaleEdit
from app.forms import VersionedForm, error_list
from app.languages import marked
from app.weblinks import link_target

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)
SESSION_ENDED = {
    "revoked": _l("Your session has ended. Please sign in again."),
    "inactive": _l("Your account is not active any more."),
    "expired": _l("Your session has expired. Please sign in again."),
    "idle": _l("You were signed out after a period of inactivity."),
}


def public(view: F) -> F:
    """Mark a view as open without signing in (login page, health check)."""
    view._public = True  # type: ignore[attr-defined]
    return view


def get_or_404(model: Any, obj_id: int, *options: Any) -> Any:
    obj = db.session.get(model, obj_id, options=list(options))
    if obj is None:
        abort(404)
    return obj


def form_values(form: VersionedForm, fields: list[str]) -> dict[str, Any]:
    values = {f: getattr(form, f).data for f in fields}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip() or None
    return values


def save_form(form: VersionedForm, save: Callable[[dict[str, Any]], Any], fields: list[str],
          template: str, **context: Any) -> Any:
    """Validate the form, call ``save`` with its values and return what it returns.

    On a refusal, render ``template`` with the errors beside their fields (422), or, when the
    record was saved by someone else meanwhile, with their values shown as well (409).
    """
    current = None
    if form.validate_on_submit():
        try:
            obj = save(form_values(form, fields))
        except StaleEdit as exc:
            db.session.rollback()
            form.apply_error(exc)
            current = exc.current
        except ServiceError as exc:
            db.session.rollback()
            form.apply_error(exc)
        else:
            flash(_("Saved."), "success")
            return obj
    status = 409 if current is not None else (422 if request.method == "POST" else 200)
    return render_template(template, form=form, current=current, **context), status


def current_actor() -> Actor:
    user = g.get("user")
    return Actor(user_id=user.id if user else None, ip=request.remote_addr)


def select_locale() -> str:
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    languages = current_app.config["LANGUAGES"]
    user = g.get("user")
    if user is not None:
        return str(user.locale.value)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or "en"


def _load_user() -> Response | None:
    if request.endpoint == "static":
        return None
    user, reason = sessions.resume(
        db.session,
        current_app.config["SESSION_IDLE_TIMEOUT"],
        current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
    )
    g.user = user
    if reason:
        flash(SESSION_ENDED[reason], "warning")
    view = current_app.view_functions.get(request.endpoint or "")
    if user is None and view is not None and not getattr(view, "_public", False):
        if request.headers.get("HX-Request"):
            response = Response(status=401)
            response.headers["HX-Redirect"] = url_for("auth.login")
            return response
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))  # type: ignore[return-value]
    return None


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if g.get("user") is not None or request.endpoint in {"auth.login"}:
        headers["Cache-Control"] = "no-store"
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def _error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template("error.html", code=code, error=error), code


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("error.html", code=400, error=error, csrf=True), 400


def _unexpected(error: Exception) -> tuple[str, int]:
    current_app.logger.exception("unhandled error", exc_info=error)
    db.session.rollback()
    return render_template("error.html", code=500, error=None), 500


def wants_provisional() -> bool:
    """Whether the reader asked to count values not yet approved (``?provisional=1``)."""
    return request.args.get("provisional") == "1"


def _template_context() -> dict[str, Any]:
    return {
        "current_user": g.get("user"),
        "can": lambda a, t=None: can(g.get("user"), a, t),
        "get_locale": get_locale,
    }


MAX_ID = 2**31 - 1  # the largest key an integer column holds on PostgreSQL


def record_id(text: str) -> int:
    """An id from a query string or form, for ``request.args.get(name, type=record_id)``: a
    number no key can be (too large for the column) is no id at all (``None``), not a 500."""
    number = int(text)
    if not 0 < number <= MAX_ID:
        raise ValueError(text)
    return number


class RecordIdConverter(IntegerConverter):
    """``<int:…>`` in a URL: an id larger than any key matches no page (404)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RecordIdConverter  # before any route is registered
    cache.init_app(app)
    app.before_request(_refuse_nul_bytes)
    app.before_request(_load_user)
    app.after_request(_security_headers)
    app.context_processor(_template_context)
    app.register_error_handler(CSRFError, _csrf_error)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(Exception, _unexpected_or_http)
    app.jinja_env.filters["link_target"] = link_target
    app.jinja_env.globals["error_list"] = error_list
    app.jinja_env.filters["data"] = lambda text: marked(text, str(get_locale()))
    # Dates, numbers, percentages and money: app.formatting, in the reader's locale.
    for name in ("date", "datetime", "money", "number", "percent", "per_cent"):
        app.jinja_env.filters[name] = getattr(formatting, name)
    app.jinja_env.globals["percent"] = formatting.percent
    app.jinja_env.filters["source_titles"] = source_titles


FILE_NAME = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")  # ends in an extension: .txt, .pdf


def source_titles(documents: str | None) -> list[str]:
    """What a record's source documents are, for the reader: each document's title, or, for a
    document without one whose name is a file name, "source document" (a file name such as
    ``001_436a3518ccd8ed53.txt`` says nothing to a reader). A name that is not a file name is
    itself a description and is shown as written."""
    from seed.documented import DOCUMENT_TITLES

    titles: list[str] = []
    for document in (documents or "").split("; "):
        document = document.strip()
        if not document:
            continue
        title = DOCUMENT_TITLES.get(document) or (
            _("source document") if FILE_NAME.search(document) else document)
        if title not in titles:
            titles.append(title)
    return titles


def _unexpected_or_http(error: Exception) -> Any:
    if isinstance(error, HTTPException):
        return error
    if isinstance(error, sa.exc.DBAPIError) and (
            error.connection_invalidated or isinstance(error, sa.exc.OperationalError)):
        return _unavailable(error)
    return _unexpected(error)


def _unavailable(error: Exception) -> Any:
    """The database could not be reached (a lost or refused connection): say so, and when to
    try again, rather than a 500."""
    current_app.logger.warning("database unavailable: %s", error)
    with contextlib.suppress(sa.exc.DBAPIError):  # a lost connection has nothing to undo
        db.session.rollback()
    # A plain page: the usual layout reads the database (the user's notifications).
    title = _("The service is briefly unavailable")
    text = _("PVE Track cannot reach its database just now. Nothing was saved. Try again in a "
             "few seconds.")
    body = (f'<!doctype html><html lang="{get_locale()}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>"
            f"<p>{escape(text)}</p></body></html>")
    return Response(body, status=503, headers={"Retry-After": "5"}, mimetype="text/html")


def _refuse_nul_bytes() -> None:
    """A NUL character has no place in a form or a query string, and PostgreSQL refuses it in
    text: the request is refused with a clear message before any query."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, description=_l("The request holds a NUL character, which no field "
                                          "accepts. Remove it and try again."))
