"""Who calls the API: the bearer token, its scope, its rate limit, and the checks of
``app.auth.permissions`` that every page asks, answering in the API's own terms: a record of
a project the token's user may not see does not exist for them (404), an action their role
or membership does not allow is refused (403), and a read-only token never writes (403)."""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from flask_babel import ngettext
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.api.problems import ApiProblem
from app.audit import Actor
from app.auth import tokens
from app.auth.permissions import can
from app.db import db

BEARER = "bearer "


class TokenLimiter:
    """Calls per token in a moving minute; counts in Redis when ``REDIS_URL`` is set."""

    def __init__(self, storage_uri: str, per_minute: int) -> None:
        self.storage = storage_from_string(storage_uri)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.item = RateLimitItemPerMinute(per_minute, namespace="pvetrack-api")

    def hit(self, token_id: int) -> int | None:
        """Count a call; ``None`` when allowed, else the seconds until the next is."""
        if self.limiter.hit(self.item, "token", str(token_id)):
            return None
        reset = self.limiter.get_window_stats(self.item, "token", str(token_id)).reset_time
        return max(1, math.ceil(reset - time.time()))

    def reset(self) -> None:
        self.storage.reset()


def init_app(app: Flask) -> None:
    app.extensions["api_limiter"] = TokenLimiter(app.config["REDIS_URL"] or "memory://",
                                                 int(app.config["API_RATE_LIMIT_PER_MINUTE"]))


UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="PVE Track API"'}


def authenticate() -> None:
    """Before every API view: the user is the bearer token's, never a session cookie's."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return  # the document and its page: the signed-in reader only picks the language
    g.user = None
    g.api_token = None
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith(BEARER):
        raise ApiProblem(401, _("Send a personal access token in the header "
                                "“Authorization: Bearer …”; make one on your account page."),
                         headers=UNAUTHENTICATED)
    token = tokens.authenticate(db.session, header[len(BEARER):].strip())
    if token is None:
        raise ApiProblem(401, _("The token is unknown, revoked or expired, or its user is "
                                "no longer active."), headers=UNAUTHENTICATED)
    wait = current_app.extensions["api_limiter"].hit(token.id)
    if wait is not None:
        raise ApiProblem(429, ngettext("Too many calls with this token; try again in %(num)d "
                                  "second.", "Too many calls with this token; try again in "
                                  "%(num)d seconds.", wait),
                         headers={"Retry-After": str(wait)})
    g.user = token.user
    g.api_token = token


PUBLIC_ENDPOINTS = {"api.openapi", "api.docs"}


def actor() -> Actor:
    """The token's user, with the token named in the audit trail."""
    token = g.api_token
    return Actor(user_id=token.user_id, ip=request.remote_addr,
                 via=f"API token “{token.name}” (#{token.id})")


def visible(action: str, target: Any) -> None:
    """404 unless the user may ``action`` the target: another project's record is not there."""
    if target is None or not can(g.user, action, target):
        raise ApiProblem(404, _("No such record, or not one you may see."))


def allowed(action: str, target: Any = None) -> None:
    """403 unless the user may ``action`` (on ``target``)."""
    if not can(g.user, action, target):
        raise ApiProblem(403, _("Your role or project membership does not allow this."))


def writing() -> None:
    """403 for a read-only token."""
    if not g.api_token.writes:
        raise ApiProblem(403, _("This token may only read; make a read-write token to write."))
