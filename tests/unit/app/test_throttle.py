"""Login throttling, in memory and in Redis (the local server, as in production)."""

from __future__ import annotations

import time
import uuid

import pytest
import redis

from app.auth.throttle import LoginThrottle
from tests_support import app_test_config, redis_test_url

REDIS_URL = redis_test_url("TEST_REDIS_URL", 15)


@pytest.fixture(params=["memory://", REDIS_URL], ids=["memory", "redis"])
def storage_uri(request: pytest.FixtureRequest) -> str:
    uri: str = request.param
    if uri.startswith("redis"):
        try:
            redis.Redis.from_url(uri, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            pytest.fail(f"Redis is not answering at {uri} ({exc}); start it or set TEST_REDIS_URL")
    return uri


def test_ten_failures_block_the_account(storage_uri: str) -> None:
    throttle = LoginThrottle(storage_uri, limit=10, window_seconds=300)
    account = f"{uuid.uuid4().hex}@example.org"
    for i in range(10):
        assert not throttle.blocked(account, f"192.0.2.{i}")
        throttle.register_failure(account, f"192.0.2.{i}")
    assert throttle.blocked(account, "198.51.100.1")
    assert throttle.blocked(account.upper(), "198.51.100.1")
    assert not throttle.blocked(f"other-{account}", "198.51.100.1")


def test_ten_failures_block_the_ip(storage_uri: str) -> None:
    throttle = LoginThrottle(storage_uri, limit=10, window_seconds=300)
    ip = f"203.0.113.{uuid.uuid4().int % 250}"
    tag = uuid.uuid4().hex
    for i in range(10):
        throttle.register_failure(f"{tag}-{i}@example.org", ip)
    assert throttle.blocked(f"{tag}-new@example.org", ip)
    assert not throttle.blocked(f"{tag}-new@example.org", "198.51.100.7")


def test_the_window_slides(storage_uri: str) -> None:
    throttle = LoginThrottle(storage_uri, limit=2, window_seconds=1)
    account = f"{uuid.uuid4().hex}@example.org"
    throttle.register_failure(account, "192.0.2.200")
    throttle.register_failure(account, "192.0.2.201")
    assert throttle.blocked(account, "192.0.2.202")
    time.sleep(1.1)
    assert not throttle.blocked(account, "192.0.2.202")


def test_app_uses_redis_when_redis_url_is_set(storage_uri: str, database_url: str) -> None:
    from app import create_app
    app = create_app(app_test_config(database_url, REDIS_URL=storage_uri
                                     if storage_uri.startswith("redis") else None))
    storage = app.extensions["login_throttle"].storage
    expected = "RedisStorage" if storage_uri.startswith("redis") else "MemoryStorage"
    assert type(storage).__name__ == expected
