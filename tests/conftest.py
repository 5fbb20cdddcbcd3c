"""Shared fixtures.

The schema is built by the migrations, on SQLite by default or on the PostgreSQL database
named by ``TEST_DATABASE_URL``. Each test runs inside a transaction that is rolled back at
the end: every session the app opens during the test joins it through a SAVEPOINT.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.auth.models import Role, User
from app.cli import alembic_config
from app.config import normalise_database_url
from app.db import AppSession
from seed.factories import DEFAULT_PASSWORD, UserFactory
from seed.factories.base import use_session
from tests_support import app_test_config, recreate_pg_database


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``…_gw0``, ``…_gw1``);
    the databases tests create for themselves are named after it, so workers never share one.
    On SQLite every worker has its own temporary directory already."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = os.environ.get("TEST_DATABASE_URL")
    if worker and base:
        url = sa.engine.make_url(normalise_database_url(base))
        os.environ["TEST_DATABASE_URL"] = url.set(
            database=f"{url.database}_{worker}").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = normalise_database_url(base)
        recreate_pg_database(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    command.upgrade(alembic_config(url), "head")
    return url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    flask_app = create_app(app_test_config(database_url))
    yield flask_app
    flask_app.extensions["pvetrack_db"].engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Roll back everything a test wrote (only for tests that use the app)."""
    if "app" not in request.fixturenames:
        yield
        return
    flask_app: Flask = request.getfixturevalue("app")
    state = flask_app.extensions["pvetrack_db"]
    connection = state.engine.connect()
    outer = connection.begin()
    original = state.session_factory
    state.session_factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False,
        class_=AppSession)
    flask_app.extensions["login_throttle"].reset()
    flask_app.extensions["api_limiter"].reset()
    try:
        yield
    finally:
        state.session_factory = original
        outer.rollback()
        connection.close()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session in the test's transaction. No app context stays pushed, so each request
    of the test client gets its own, as in production."""
    db_session = app.extensions["pvetrack_db"].session_factory()
    use_session(db_session)
    try:
        yield db_session
    finally:
        use_session(None)
        db_session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    """The CSRF-on profile: forms and POSTs need their token, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user: User | str, password: str = DEFAULT_PASSWORD) -> Any:
        email = user if isinstance(user, str) else user.email
        page = self.client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        data = {"email": email, "password": password}
        if token:
            data["csrf_token"] = token.group(1)
        return self.client.post("/login", data=data)

    def logout(self) -> Any:
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_user(session: Session) -> Any:
    def make(role: Role = Role.OFFICER, **kwargs: Any) -> User:
        user = UserFactory(role=role, **kwargs)
        session.commit()
        return user  # type: ignore[no-any-return]

    return make


@pytest.fixture
def login_as(client: FlaskClient, make_user: Any) -> Any:
    """Sign a fresh user with ``role`` in on the test client and return the user."""

    def sign_in(role: Role, **kwargs: Any) -> User:
        user = make_user(role, **kwargs)
        response = AuthActions(client).login(user)
        assert response.status_code == 302, response.data[:500]
        return user

    return sign_in


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """``with count_queries() as counter:`` counts the SQL statements the app sends."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        engine = app.extensions["pvetrack_db"].engine

        def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                counter.statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting
