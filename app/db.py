"""Database layer: engine, sessions, declarative base and shared column types."""

from __future__ import annotations

import enum
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from app.errors import STALE_DELETED, STALE_MESSAGE, StaleEdit

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp that is always UTC-aware in Python, whatever the database keeps."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware values only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """Store an enum by its value, as a string with a CHECK constraint on both databases."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(str(m.value)) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# Optimistic locking: versioned models declare ``version`` and map it with
# ``__mapper_args__ = {"version_id_col": version}``. Forms carry the version they were
# rendered with and services refuse a save whose version is stale (``app.errors.StaleEdit``);
# the mapper refuses a concurrent flush that lost the race, and ``AppSession`` turns that
# refusal into the same ``StaleEdit``, with the values the other person saved.


def _versioned(obj: Any) -> bool:
    return sa.inspect(obj).mapper.version_id_col is not None


class AppSession(Session):
    """A session whose lost races read like a stale form.

    Two people who post the same record at the same moment both pass the version check; the
    second UPDATE (or DELETE) then matches no row and SQLAlchemy raises ``StaleDataError``.
    This session rolls back and raises ``StaleEdit`` with the values now stored, so every
    form answers 409 with the other person's values instead of a 500.
    """

    _watched: list[tuple[Any, int | None]] | None = None
    _committing = False

    def flush(self, objects: Any = None) -> None:
        # Reading an expired version loads it; that load must not flush again (and again).
        with self.no_autoflush:
            watched = [(obj, obj.version) for obj in (*self.dirty, *self.deleted)
                       if _versioned(obj)]
        try:
            super().flush(objects)
        except StaleDataError:
            if self._committing:  # the commit below rolls back, outside its own bookkeeping
                self._watched = watched
                raise
            self._lost_race(watched)

    def commit(self) -> None:
        self._committing = True
        try:
            super().commit()
        except StaleDataError:
            self._lost_race(self._watched or [])
        finally:
            self._committing = False
            self._watched = None

    def _lost_race(self, watched: list[tuple[Any, int | None]]) -> None:
        self.rollback()
        for obj, version in watched:
            try:
                if obj.version == version:
                    continue
            except ObjectDeletedError:
                raise StaleEdit(STALE_DELETED, {}) from None
            mapper = sa.inspect(obj).mapper
            current = {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}
            raise StaleEdit(STALE_MESSAGE, current) from None
        raise StaleEdit(STALE_MESSAGE, {}) from None


# What each transaction changed, announced when it commits: the tables of every flushed insert,
# update and delete (and of bulk statements run through the session) are noted in the
# session's ``info``; after the commit, the hooks of ``DatabaseState.commit_hooks`` (the report
# cache) hear them. A rolled-back transaction announces nothing.
CHANGED_TABLES = "changed_tables"
#: The hooks of each engine's application, found from the session's bind (a session bound to a
#: connection of the engine, as in the tests, reaches them too).
COMMIT_HOOKS: weakref.WeakKeyDictionary[Engine, list[Callable[[frozenset[str]], None]]] = (
    weakref.WeakKeyDictionary())


def _note(session: Session, names: Iterable[str]) -> None:
    session.info.setdefault(CHANGED_TABLES, set()).update(names)


@event.listens_for(AppSession, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    names: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        names.update(table.name for table in sa.inspect(obj).mapper.tables)
    _note(session, names)


@event.listens_for(AppSession, "do_orm_execute")
def _note_bulk(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None):
            _note(state.session, [table.name])


@event.listens_for(AppSession, "after_commit")
def _announce(session: Session) -> None:
    names = session.info.pop(CHANGED_TABLES, None)
    bind = session.bind
    if names and bind is not None:
        for hook in COMMIT_HOOKS.get(bind.engine, ()):
            hook(frozenset(names))


@event.listens_for(AppSession, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the whole transaction ended without a commit
        session.info.pop(CHANGED_TABLES, None)


def _sqlite_pragmas(engine: Engine) -> None:
    """Foreign keys on, and transactions SQLAlchemy controls (needed for SAVEPOINT)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A request that may write takes SQLite's write lock at once: two saves at the same
        # moment then run one after the other, and the second sees the first one's version
        # (a deferred transaction that read first would fail with "database is locked").
        writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_db_engine(url: str, echo: bool = False) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("postgresql"):
        kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    return engine


class DatabaseState:
    """The engine and session factory of one application."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session_factory: sessionmaker[Session] = sessionmaker(
            bind=engine, expire_on_commit=False, class_=AppSession
        )
        #: Called with the names of the tables a transaction changed, once it has committed.
        self.commit_hooks: list[Callable[[frozenset[str]], None]] = []
        COMMIT_HOOKS[engine] = self.commit_hooks


class Database:
    """Hands out one session per application context, from the current app's engine."""

    def init_app(self, app: Flask) -> None:
        engine = create_db_engine(app.config["DATABASE_URL"], app.config["SQL_ECHO"])
        app.extensions["pvetrack_db"] = DatabaseState(engine)
        app.teardown_appcontext(self._close_session)

    @property
    def state(self) -> DatabaseState:
        return current_app.extensions["pvetrack_db"]

    @property
    def engine(self) -> Engine:
        return self.state.engine

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = self.state.session_factory()
        return g.db_session

    def _close_session(self, _exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    @contextmanager
    def standalone_session(self) -> Iterator[Session]:
        """A session outside any request, for CLI commands and scripts."""
        session = self.state.session_factory()
        try:
            yield session
        finally:
            session.close()


db = Database()


SEARCH_LIMIT = 1000  # characters of a search that count, far beyond any name or title


def contains(column: Any, text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive "``column`` contains ``text``", where % and _ in the text are the
    characters themselves, never wildcards."""
    text = text[:SEARCH_LIMIT]  # SQLite refuses a longer pattern ("too complex")
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")
