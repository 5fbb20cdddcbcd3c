"""Errors under ``/api`` as RFC 9457 problem details (``application/problem+json``).

The app's error pages render HTML; for a request under ``/api`` every error, including a
404 of an unknown address, a 405, a refused CSRF check and an unexpected exception, answers a
problem document instead. The app's handlers are wrapped, not replaced, so pages keep theirs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.db import db

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#problem-"


class ApiProblem(HTTPException):
    """An error an API view raises: status, a short title, the detail, and for validation
    errors the list naming each refused field or row."""

    def __init__(self, status: int, detail: str, *, title: str | None = None,
                 errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(description=detail)
        self.code = status
        self.title = title or HTTP_STATUS_CODES.get(status, "Error")
        self.errors = errors
        self.extra_headers = headers or {}


def problem_response(status: int, detail: str, title: str | None = None,
                     errors: list[dict[str, Any]] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    title = title or HTTP_STATUS_CODES.get(status, "Error")
    body: dict[str, Any] = {
        "type": TYPE_BASE + title.lower().replace(" ", "-"),
        "title": title, "status": status, "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status,
                        mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def under_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def from_exception(error: Exception) -> Response:
    if isinstance(error, ApiProblem):
        return problem_response(error.code or 500, str(error.description), error.title,
                                error.errors, error.extra_headers)
    if isinstance(error, HTTPException):
        code = error.code or 500
        headers = {}
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        detail = str(error.description or "")
        if code == 400 and error.__class__.__name__ == "CSRFError":
            detail = _("API requests are not checked for CSRF; send a bearer token.")
        return problem_response(code, detail, headers=headers)
    current_app.logger.exception("unhandled API error", exc_info=error)
    with contextlib.suppress(sa.exc.DBAPIError):
        db.session.rollback()
    if isinstance(error, sa.exc.DBAPIError) and (
            error.connection_invalidated or isinstance(error, sa.exc.OperationalError)):
        return problem_response(503, _("The database cannot be reached just now; nothing "
                                       "was saved. Try again in a few seconds."),
                                headers={"Retry-After": "5"})
    return problem_response(500, _("An unexpected error occurred; nothing was saved."))


def _wrap(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def handle(error: Any) -> Any:
        if under_api():
            return from_exception(error)
        return handler(error)

    handle.__name__ = getattr(handler, "__name__", "handle")
    return handle


def init_app(app: Flask) -> None:
    """Wrap the app's error handlers (registered before) so that ``/api`` answers problems."""
    handlers = app.error_handler_spec.setdefault(None, {})
    for by_class in handlers.values():
        for exc_class, handler in list(by_class.items()):
            by_class[exc_class] = _wrap(handler)
    fallback = handlers.get(None, {}).get(Exception)
    if fallback is None:
        app.register_error_handler(Exception, from_exception)
    app.register_error_handler(ApiProblem, from_exception)
