"""Schemathesis against the API, in the app (WSGI), on the database the tests run on: every
operation of the OpenAPI document is called with generated input (valid and invalid) and a
read-write manager's token. No answer may be a server error, and every answer must match the
document (status code, content type, headers, body schema).

The number of examples per operation is bounded so that the run stays within about three
minutes a database: ``SCHEMATHESIS_EXAMPLES`` (default 25 on SQLite, 10 on PostgreSQL, where
each call costs more).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from monitoring_data import build
from schemathesis.checks import positive_data_acceptance

from app.api import access
from app.audit import Actor
from app.auth import tokens

# Every check but "a schema-valid request is accepted": a cursor, a version or an id is valid
# only when the database holds it, which no schema can say; such requests rightly answer 400,
# 412 or 422, and those answers are themselves checked against the document.
SCHEMA_VALID_ACCEPTED = positive_data_acceptance
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES")
               or (10 if os.environ.get("TEST_DATABASE_URL") else 25))


@pytest.fixture
def api_token(app: Flask, session: Any) -> Any:
    world = build(session)
    _token, secret = tokens.create_token(session, Actor(world.manager.id), world.manager,
                                         "schemathesis", tokens.TokenScope.READ_WRITE, 30)
    kept = app.extensions["api_limiter"]
    app.extensions["api_limiter"] = access.TokenLimiter("memory://", 1_000_000)
    yield secret
    app.extensions["api_limiter"] = kept


def test_the_api_keeps_to_its_document(app: Flask, api_token: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {api_token}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, excluded_checks=[SCHEMA_VALID_ACCEPTED])

        try:
            call()
        except Exception as exc:
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
