"""Login throttling: too many failures per account or per IP in a window give 429.

Counts live in Redis when ``REDIS_URL`` is set, so every app process shares them;
otherwise in this process's memory (development and tests).
"""

from __future__ import annotations

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LoginThrottle:
    def __init__(self, storage_uri: str, limit: int, window_seconds: int) -> None:
        self.storage = storage_from_string(storage_uri)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.item = RateLimitItemPerSecond(limit, window_seconds, namespace="pvetrack-login")

    def blocked(self, email: str, ip: str) -> bool:
        return not (
            self.limiter.test(self.item, "account", email.lower())
            and self.limiter.test(self.item, "ip", ip)
        )

    def register_failure(self, email: str, ip: str) -> None:
        self.limiter.hit(self.item, "account", email.lower())
        self.limiter.hit(self.item, "ip", ip)

    def reset(self) -> None:
        self.storage.reset()
