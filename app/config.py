"""Settings, read from the environment.

Defaults give a working development set-up on the embedded SQLite database under
``instance/``. Production (``PVE_ENV=production``) refuses to start without a real
``SECRET_KEY`` and turns on the settings that only make sense behind HTTPS.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("PVE_INSTANCE_DIR", BASE_DIR / "instance"))
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - marks the development default


class ConfigError(RuntimeError):
    """Raised when the settings cannot run the app safely."""


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver, whatever spelling was given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the settings dictionary; ``overrides`` win over the environment."""
    env = (overrides or {}).get("ENV") or os.environ.get("PVE_ENV", "development")
    default_db = f"sqlite:///{INSTANCE_DIR / 'pvetrack.db'}"
    config: dict[str, Any] = {
        "ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "DATABASE_URL": normalise_database_url(os.environ.get("DATABASE_URL", default_db)),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "SQL_ECHO": os.environ.get("SQL_ECHO") == "1",
        # Sessions: signed cookies carrying the user's session version.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=_int("SESSION_IDLE_MINUTES", 30)),
        "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=_int("SESSION_ABSOLUTE_HOURS", 12)),
        "SESSION_COOKIE_NAME": "pvetrack_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int("SESSION_ABSOLUTE_HOURS", 12)),
        # Login throttling: failures allowed per account and per IP in the window.
        "LOGIN_FAILURE_LIMIT": _int("LOGIN_FAILURE_LIMIT", 10),
        "LOGIN_FAILURE_WINDOW_SECONDS": _int("LOGIN_FAILURE_WINDOW_SECONDS", 300),
        "PASSWORD_HASH_PROFILE": "strong",
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 16) * 1024 * 1024,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own timeouts bound the token's life
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PVE_TIMEZONE", "UTC"),
        "LANGUAGES": ("en", "ru"),
        "HSTS": env == "production",
        "PAGE_SIZE": _int("PAGE_SIZE", 50),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
    }
    if overrides:
        config.update(overrides)
    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    validate(config)
    return config


def validate(config: dict[str, Any]) -> None:
    if config["ENV"] not in {"development", "production", "testing"}:
        raise ConfigError(f"PVE_ENV must be development, production or testing: {config['ENV']!r}")
    if config["ENV"] == "production":
        key = config.get("SECRET_KEY") or ""
        if key == DEV_SECRET_KEY or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters in "
                "production, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
