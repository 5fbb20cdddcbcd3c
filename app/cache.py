"""Report aggregates kept in Redis, forgotten the moment a committed write changes them.

A figure that is read far more often than it is written (the portfolio dashboard's indicator
statuses and follow-up totals) is computed once and kept under a key made of

- the report's name and its parameters (the day, the settings that decide a status, …), and
- the *generation* of the data it depends on: a counter per table, raised after every commit
  that inserted, updated or deleted rows of that table (``app.db`` notes the tables of each
  flush and announces them when the transaction commits), plus a counter raised by any commit
  that changed anything but the tables in ``QUIET_TABLES``.

A committed write therefore changes the key, and the next request computes the figure afresh;
nothing has to be invalidated by hand, so a new service cannot forget to. A rolled-back
transaction raises nothing. Only data that is the same for every reader allowed to see it is
kept here: pages still check the reader's permission on every request, before asking the cache.

With ``REDIS_URL`` the entries live in Redis and every worker shares them. Without it
(development, the SQLite test suite) the generations are counted in the process but no entry is
kept: callers take the same path and simply compute every time. A Redis that cannot be reached
is treated the same way, and logged.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from flask import Flask, current_app

T = TypeVar("T")
log = logging.getLogger(__name__)

#: The generation raised by any commit that changed data (outside ``QUIET_TABLES``).
ANY = "*"
#: Tables whose rows never change a cached figure: the trail of who did what (sign-in and
#: sign-out write it alone; every data change writes its data tables as well), the
#: notifications of each user, and the background jobs' own records (a job's progress is
#: written often; what the job changes is written to the data tables).
QUIET_TABLES = frozenset({"audit_events", "notifications", "jobs"})
#: How long an entry may stay unread before Redis drops it (it is never served stale: a write
#: changes its key).
ENTRY_SECONDS = 3600
EXTENSION = "report_cache"


class Store(Protocol):
    def generations(self, names: list[str]) -> list[int]: ...

    def bump(self, names: Iterable[str]) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes, seconds: int) -> None: ...


class LocalStore:
    """No shared store: generations counted in this process, no entry kept."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def generations(self, names: list[str]) -> list[int]:
        return [self.counters.get(name, 0) for name in names]

    def bump(self, names: Iterable[str]) -> None:
        for name in names:
            self.counters[name] = self.counters.get(name, 0) + 1

    def get(self, key: str) -> bytes | None:
        return None

    def put(self, key: str, value: bytes, seconds: int) -> None:
        return None


class RedisStore:
    """Generations and entries in Redis, under a prefix of the database they describe."""

    def __init__(self, url: str, prefix: str) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix

    def _gen(self, name: str) -> str:
        return f"{self.prefix}:gen:{name}"

    def generations(self, names: list[str]) -> list[int]:
        values = self.redis.mget([self._gen(name) for name in names])
        return [int(value or 0) for value in values]

    def bump(self, names: Iterable[str]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for name in names:
            pipe.incr(self._gen(name))
        pipe.execute()

    def get(self, key: str) -> bytes | None:
        return self.redis.get(f"{self.prefix}:entry:{key}")  # type: ignore[return-value]

    def put(self, key: str, value: bytes, seconds: int) -> None:
        self.redis.set(f"{self.prefix}:entry:{key}", value, ex=seconds)


class ReportCache:
    def __init__(self, store: Store) -> None:
        self.store = store

    def tables_changed(self, tables: Iterable[str]) -> None:
        """A transaction that changed ``tables`` has committed: raise their generations."""
        names = set(tables)
        if names - QUIET_TABLES:
            names.add(ANY)
        if not names:
            return
        try:
            self.store.bump(sorted(names))
        except Exception:  # a cache that cannot be told must not fail the write
            log.exception("report cache: could not raise generations of %s", sorted(names))

    def generations(self, tables: Iterable[str] | None = None) -> dict[str, int]:
        names = sorted(set(tables)) if tables is not None else [ANY]
        return dict(zip(names, self.store.generations(names), strict=True))

    def get_or_compute(self, report: str, params: Any, compute: Callable[[], T],
                       tables: Iterable[str] | None = None) -> T:
        try:
            generations = self.generations(tables)
        except Exception:
            log.exception("report cache unavailable; computing %s", report)
            return compute()
        key = _key(report, params, generations)
        try:
            stored = self.store.get(key)
        except Exception:
            log.exception("report cache unavailable; computing %s", report)
            stored = None
        if stored is not None:
            return pickle.loads(stored)  # noqa: S301 - written by this module only
        value = compute()
        try:
            self.store.put(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), ENTRY_SECONDS)
        except Exception:
            log.exception("report cache: could not keep %s", report)
        return value


def _key(report: str, params: Any, generations: dict[str, int]) -> str:
    described = repr((params, sorted(generations.items())))
    return f"{report}:{hashlib.sha256(described.encode()).hexdigest()}"


def store_for(app: Flask) -> Store:
    url = app.config.get("REDIS_URL")
    if not url:
        return LocalStore()
    database = hashlib.sha256(str(app.config["DATABASE_URL"]).encode()).hexdigest()[:12]
    return RedisStore(url, f"pvetrack:reports:{database}")


def init_app(app: Flask) -> None:
    cache = ReportCache(store_for(app))
    app.extensions[EXTENSION] = cache
    app.extensions["pvetrack_db"].commit_hooks.append(cache.tables_changed)


def cache() -> ReportCache:
    return current_app.extensions[EXTENSION]


def cached(report: str, params: Any, compute: Callable[[], T],
           tables: Iterable[str] | None = None) -> T:
    """``compute()``, or what it returned last time for the same ``report`` and ``params``
    while no commit has changed ``tables`` since (any table but ``QUIET_TABLES`` when not
    given). ``params`` must name everything the result depends on besides the data (a day,
    settings, a project id) and must not hold anything specific to the reader."""
    return cache().get_or_compute(report, params, compute, tables)
