"""Role matrix rows of the JSON API and of the account page's tokens.

The API's rows are checked with a read-write token of each role, by
tests/functional/test_api_matrix.py (a token, not a session: the session-driven sweep of
test_role_matrix skips ``api.`` endpoints). There "login" means 401 (no token), "forbidden"
403; a record of project B is 404 to project A's members. The token rows are checked by the
usual sweep: the account page's create form, and the revoke of the officer's own token, which
to anyone else does not exist (role_world.NOT_FOUND_TO_OTHERS).
"""

from __future__ import annotations

from typing import Any

from app.audit import Actor
from app.auth import tokens

A, F, L = "allowed", "forbidden", "login"
PUBLIC = (A, A, A, A, A)
SIGNED_IN = (L, A, A, A, A)
MEMBERS = (L, A, A, A, A)  # staff, and the officer and evaluator of project A
ENTER = (L, A, A, A, F)  # staff, and the officer of project A
STAFF = (L, A, A, F, F)

API_ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "api.openapi": {"GET": PUBLIC},
    "api.docs": {"GET": PUBLIC},
    "api.programmes": {"GET": MEMBERS},
    "api.programme": {"GET": MEMBERS},
    "api.projects": {"GET": MEMBERS},
    "api.project": {"GET": MEMBERS},
    "api.results": {"GET": MEMBERS},
    "api.result": {"GET": MEMBERS},
    "api.indicators": {"GET": MEMBERS},
    "api.indicator": {"GET": MEMBERS},
    "api.periods": {"GET": MEMBERS},
    "api.period": {"GET": MEMBERS},
    "api.values": {"GET": MEMBERS},
    "api.activities": {"GET": MEMBERS},
    "api.activity": {"GET": MEMBERS},
    "api.events": {"GET": MEMBERS},
    "api.event": {"GET": MEMBERS},
    "api.recommendations": {"GET": MEMBERS},
    "api.recommendation": {"GET": MEMBERS},
    "api.followup_actions": {"GET": MEMBERS},
    "api.followup_action": {"GET": MEMBERS},
    "api.followup_report": {"GET": STAFF},
    "api.project_iptt": {"GET": MEMBERS},
    "api.save_values": {"PUT": ENTER},
    "api.create_activity": {"POST": ENTER},
    "api.update_activity": {"PUT": ENTER},
    "api.create_action": {"POST": ENTER},
    "api.update_action": {"PUT": ENTER},
}

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    **API_ROWS,
    "auth.create_token": {"POST": SIGNED_IN},
    "auth.revoke_token": {"POST": (L, F, F, A, F)},  # the officer's own token
}

# Project B's records: 404 to the members of project A, with any token (test_api_matrix).
API_OTHER_PROJECT: list[tuple[str, str]] = [
    ("api.programme", "GET"), ("api.project", "GET"), ("api.results", "GET"),
    ("api.result", "GET"), ("api.indicators", "GET"), ("api.indicator", "GET"),
    ("api.periods", "GET"), ("api.period", "GET"), ("api.values", "GET"),
    ("api.activities", "GET"), ("api.activity", "GET"), ("api.project_iptt", "GET"),
    ("api.save_values", "PUT"),
    ("api.create_activity", "POST"), ("api.update_activity", "PUT"),
]
OTHER_PROJECT: list[tuple[str, str]] = []


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    officer = world["users"]["officer"]
    token, _secret = tokens.create_token(session, Actor(officer.id), officer, "matrix",
                                         tokens.TokenScope.READ, 30)
    return {"token_id": token.id}, {"token_id": token.id}
