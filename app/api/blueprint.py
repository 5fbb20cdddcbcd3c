"""The API's blueprint and the OpenAPI generator that documents and validates its views."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData

from app.api import access
from app.api.problems import PROBLEM_TYPE
from app.api.schemas import Problem
from app.extensions import csrf
from app.web import public

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Tokens, not cookies: a request carries its credentials in a header a page cannot forge.
csrf.exempt(bp)
bp.before_request(access.authenticate)


def _refused(req: Any, resp: Any, error: Any, instance: Any, *args: Any) -> None:
    """A query or body the models refuse: a problem naming each field."""
    if error is None or resp is None:
        return
    items = []
    for found in error.errors():
        where = [str(p) for p in found.get("loc", ())]
        row = next((int(p) for p in where if p.isdigit()), None)
        items.append({"field": ".".join(where) or None, "row": row,
                      "detail": str(found.get("msg", "invalid"))})
    resp.set_data(json.dumps({
        "type": "/api/v1/docs#problem-unprocessable-content", "title": "Unprocessable Content",
        "status": 422, "detail": "The request does not match what this operation takes.",
        "errors": items}, ensure_ascii=False))
    resp.status_code = 422
    resp.mimetype = PROBLEM_TYPE


spec = SpecTree(
    "flask",
    mode="strict",
    title="PVE Track API",
    version="1",
    description=("Read a project's framework, values, activities, follow-up and indicator "
                 "tracking figures, and write values, activities and follow-up actions, with "
                 "a personal access token made on your account page."),
    security_schemes=[SecurityScheme(
        name="bearer", data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer"))],
    security={"bearer": []},
    before=_refused,
    annotations=True,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)

READ_ERRORS = {"HTTP_400": Problem, "HTTP_401": Problem, "HTTP_403": Problem,
               "HTTP_404": Problem, "HTTP_422": Problem, "HTTP_429": Problem}
WRITE_ERRORS = {**READ_ERRORS, "HTTP_409": Problem, "HTTP_412": Problem, "HTTP_428": Problem}


def read(model: Any, *, query: Any = None, tags: tuple[str, ...] = (), **extra: Any
         ) -> Callable[[F], F]:
    """An API read: no sign-in redirect (the token is checked), documented and validated."""
    def decorate(view: F) -> F:
        validated = spec.validate(query=query, tags=list(tags),
                                  resp=Response("HTTP_304", HTTP_200=model, **READ_ERRORS,
                                                **extra))(view)
        return public(validated)
    return decorate


def write(model: Any, *, json: Any = None, status: int = 200, tags: tuple[str, ...] = ()
          ) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        validated = spec.validate(json=json, tags=list(tags),
                                  resp=Response(**{f"HTTP_{status}": model}, **WRITE_ERRORS)
                                  )(view)
        return public(validated)
    return decorate
