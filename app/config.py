"""Settings, read from the environment.

Defaults give a working development set-up on the embedded SQLite database under
``instance/``. Production (``PVE_ENV=production``) refuses to start without a real
``SECRET_KEY`` and turns on the settings that only make sense behind HTTPS.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask_babel import lazy_gettext as _l

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("PVE_INSTANCE_DIR", BASE_DIR / "instance"))
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - marks the development default
#: Mail hosts on this machine: a login to them never crosses the network.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def parse_keys(raw: str | None) -> list[str]:
    """``EVIDENCE_KEYS``: Fernet keys separated by commas, newest first; a malformed key
    raises ValueError."""
    keys = [k.strip() for k in (raw or "").split(",") if k.strip()]
    for key in keys:
        Fernet(key)
    return keys


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


def _decimal(name: str, default: str) -> Decimal:
    raw = os.environ.get(name) or default
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if not value.is_finite():
        raise ConfigError(f"{name} must be a number, got {raw!r}")
    return value


# The rubric shown beside each score level on the evaluation pages. EVALUATION_RUBRIC, a JSON
# object, replaces any of these texts, e.g. {"achievement": {"4": "Target met, verified"}}.
DEFAULT_EVALUATION_RUBRIC: dict[str, dict[int, Any]] = {
    "achievement": {
        1: _l("Not achieved: far below the target, or no evidence that anything was achieved."),
        2: _l("Partly achieved: some progress towards the target, but well short of it."),
        3: _l("Largely achieved: the target is nearly met; the shortfalls are minor."),
        4: _l("Fully achieved: the target is met or exceeded, and the evidence shows it."),
    },
    "data_quality": {
        1: _l("Unreliable: values are missing or contradictory, or cannot be verified at all."),
        2: _l("Weak: important gaps or inconsistencies; little evidence behind the values."),
        3: _l("Adequate: values are complete and consistent; minor gaps in the evidence."),
        4: _l("Strong: complete, consistent values, each backed by evidence that can be checked."),
    },
    "criteria": {
        1: _l("Unsatisfactory: serious shortcomings on this criterion."),
        2: _l("Partly satisfactory: the shortcomings outweigh the strengths."),
        3: _l("Satisfactory: the strengths outweigh some shortcomings."),
        4: _l("Highly satisfactory: strong performance, no significant shortcomings."),
    },
}


def _rubric(raw: str | None) -> dict[str, dict[int, Any]]:
    rubric = {scale: dict(levels) for scale, levels in DEFAULT_EVALUATION_RUBRIC.items()}
    try:
        given = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ConfigError(f"EVALUATION_RUBRIC must be a JSON object: {exc}") from exc
    if not isinstance(given, dict) or not all(isinstance(v, dict) for v in given.values()):
        raise ConfigError('EVALUATION_RUBRIC maps scales to levels: {"achievement": {"4": "…"}}')
    for scale, levels in given.items():
        for level, text in levels.items():
            if scale not in rubric or str(level) not in {"1", "2", "3", "4"}:
                raise ConfigError(f"EVALUATION_RUBRIC has no level {level!r} of {scale!r}: the "
                                  "scales are achievement, data_quality and criteria, levels 1-4")
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"EVALUATION_RUBRIC: level {level} of {scale} needs a text")
            rubric[scale][int(level)] = text.strip()
    return rubric


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _intervals(name: str, default: str) -> list[int]:
    raw = os.environ.get(name)
    raw = default if raw is None else raw
    try:
        values = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"{name} must be seconds separated by commas, e.g. 60,600; got "
                          f"{raw!r}") from exc
    if any(v < 0 for v in values):
        raise ConfigError(f"{name} must not be negative")
    return values


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
        # The JSON API: calls allowed per token in a minute.
        "API_RATE_LIMIT_PER_MINUTE": _int("API_RATE_LIMIT_PER_MINUTE", 300),
        # Evidence files: where their content is stored (in production a volume that every app
        # server mounts), the largest file accepted, and the keys that encrypt sensitive ones
        # (Fernet keys separated by commas, newest first).
        "EVIDENCE_DIR": os.environ.get("EVIDENCE_DIR") or str(INSTANCE_DIR / "evidence"),
        "EVIDENCE_MAX_MB": _int("EVIDENCE_MAX_MB", 15),
        "EVIDENCE_KEYS": os.environ.get("EVIDENCE_KEYS", ""),
        "MAX_CONTENT_LENGTH": max(_int("MAX_UPLOAD_MB", 16), _int("EVIDENCE_MAX_MB", 15) + 1)
        * 1024 * 1024,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own timeouts bound the token's life
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PVE_TIMEZONE", "UTC"),
        "LANGUAGES": ("en", "ru"),
        "HSTS": env == "production",
        "PAGE_SIZE": _int("PAGE_SIZE", 50),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Results frameworks: report due dates and indicator status bands.
        "REPORT_DUE_DAYS": _int("REPORT_DUE_DAYS", 30),
        "STATUS_ON_TRACK": _decimal("STATUS_ON_TRACK", "0.9"),
        "STATUS_AT_RISK": _decimal("STATUS_AT_RISK", "0.6"),
        # Follow-up of recommendations: days before an event is judged, and the share of
        # followed-up recommendations under which its follow-up is weak.
        "FOLLOWUP_GRACE_DAYS": _int("FOLLOWUP_GRACE_DAYS", 180),
        # Report-back links: how long a link works, how many days before a recommendation's
        # due date its focal point is reminded, and how many requests to report-back pages one
        # address may make in REPORT_BACK_WINDOW_SECONDS.
        "REPORT_BACK_DAYS": _int("REPORT_BACK_DAYS", 60),
        "REPORT_BACK_REMINDER_DAYS": _int("REPORT_BACK_REMINDER_DAYS", 14),
        "REPORT_BACK_LIMIT": _int("REPORT_BACK_LIMIT", 30),
        "REPORT_BACK_WINDOW_SECONDS": _int("REPORT_BACK_WINDOW_SECONDS", 3600),
        "FOLLOWUP_WEAK_THRESHOLD": _decimal("FOLLOWUP_WEAK_THRESHOLD", "0.25"),
        # Recurring recommendations: a pair model fitted with the links managers decided
        # ('flask recommendations fit --links --output FILE'); empty for the shipped model.
        "PAIR_MODEL_FILE": os.environ.get("PAIR_MODEL_FILE", ""),
        # Whether a meeting or event held counts as follow-up (by default it does not).
        "FOLLOWUP_MEETINGS_COUNT": os.environ.get("FOLLOWUP_MEETINGS_COUNT", "").lower()
        in {"1", "true", "yes"},
        "EVALUATION_RUBRIC": _rubric(os.environ.get("EVALUATION_RUBRIC")),
        # IATI: the reporting organisation of exported activity files, and the size above
        # which an imported file is read by a background job.
        "IATI_REPORTING_ORG_REF": os.environ.get("IATI_REPORTING_ORG_REF") or "XI-PVETRACK",
        "IATI_REPORTING_ORG_NAME": os.environ.get("IATI_REPORTING_ORG_NAME") or "PVE Track",
        "IATI_REPORTING_ORG_TYPE": os.environ.get("IATI_REPORTING_ORG_TYPE") or "21",
        "IATI_BACKGROUND_BYTES": _int("IATI_BACKGROUND_MB", 2) * 1024 * 1024,
        # Background jobs (large imports and documents): where their files are kept (in
        # production a volume that the web servers and the worker share), how many rows make
        # an import a job, and how long a job may run.
        "JOBS_DIR": os.environ.get("JOBS_DIR") or str(INSTANCE_DIR / "jobs"),
        "IMPORT_BACKGROUND_ROWS": _int("IMPORT_BACKGROUND_ROWS", 500),
        # A search for recurring recommendations over more than this many runs as a job.
        "SUGGEST_BACKGROUND_RECOMMENDATIONS": _int("SUGGEST_BACKGROUND_RECOMMENDATIONS", 500),
        "JOB_TIMEOUT_SECONDS": _int("JOB_TIMEOUT_SECONDS", 1800),
        # E-mail through SMTP, sent by the worker. Without MAIL_HOST messages are written to
        # the log instead. MAIL_USE_TLS upgrades a plain connection with STARTTLS (port 587);
        # MAIL_USE_SSL connects over TLS from the start (port 465).
        "MAIL_HOST": os.environ.get("MAIL_HOST", "").strip(),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", not _flag("MAIL_USE_SSL", False)),
        "MAIL_PORT": _int("MAIL_PORT", 465 if _flag("MAIL_USE_SSL", False) else
                          (587 if _flag("MAIL_USE_TLS", True) else 25)),
        # Certificates (PEM) to trust besides the system's, for a relay whose certificate a
        # private authority signed.
        "MAIL_CA_FILE": os.environ.get("MAIL_CA_FILE", "").strip(),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "PVE Track <pvetrack@localhost>"),
        "MAIL_TIMEOUT_SECONDS": _int("MAIL_TIMEOUT_SECONDS", 30),
        # Seconds before each new attempt after a failed one; one attempt more than values.
        "MAIL_RETRY_INTERVALS": _intervals("MAIL_RETRY_INTERVALS", "60,600"),
        # The address of the app as its users reach it, for the links in e-mail.
        "BASE_URL": (os.environ.get("BASE_URL") or "http://localhost:5000").rstrip("/"),
    }
    if overrides:
        config.update(overrides)
    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    validate(config)
    return config


def validate(config: dict[str, Any]) -> None:
    if config["ENV"] not in {"development", "production", "testing"}:
        raise ConfigError(f"PVE_ENV must be development, production or testing: {config['ENV']!r}")
    if config["FOLLOWUP_GRACE_DAYS"] < 0:
        raise ConfigError("FOLLOWUP_GRACE_DAYS must be zero or more")
    try:
        threshold = Decimal(str(config["FOLLOWUP_WEAK_THRESHOLD"]))
    except InvalidOperation:
        threshold = Decimal("NaN")
    if not threshold.is_finite() or not 0 < threshold <= 1:
        raise ConfigError("FOLLOWUP_WEAK_THRESHOLD must be above 0 and at most 1, e.g. 0.25")
    if config["EVIDENCE_MAX_MB"] < 1:
        raise ConfigError("EVIDENCE_MAX_MB must be at least 1")
    try:
        parse_keys(config["EVIDENCE_KEYS"])
    except ValueError as exc:
        raise ConfigError("EVIDENCE_KEYS must be Fernet keys separated by commas, e.g. python "
                          "-c 'from cryptography.fernet import Fernet; "
                          "print(Fernet.generate_key().decode())'") from exc
    if config.get("PAIR_MODEL_FILE"):
        from indicators import pairscore

        try:
            pairscore.load_model(Path(config["PAIR_MODEL_FILE"]))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"PAIR_MODEL_FILE {config['PAIR_MODEL_FILE']}: {exc}; write one with "
                "'flask recommendations fit --links --output FILE', or leave it empty"
            ) from exc
    for name in ("IMPORT_BACKGROUND_ROWS", "SUGGEST_BACKGROUND_RECOMMENDATIONS"):
        if config[name] < 0:
            raise ConfigError(f"{name} must be zero or more")
    if config["JOB_TIMEOUT_SECONDS"] < 1:
        raise ConfigError("JOB_TIMEOUT_SECONDS must be at least 1")
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        raise ConfigError("Set MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL, not both; e.g. "
                          "MAIL_USE_TLS=0 MAIL_USE_SSL=1 MAIL_PORT=465")
    if (config.get("MAIL_USERNAME") and not (config["MAIL_USE_TLS"] or config["MAIL_USE_SSL"])
            and config.get("MAIL_HOST") not in LOOPBACK_HOSTS):
        raise ConfigError("MAIL_USERNAME needs MAIL_USE_TLS or MAIL_USE_SSL: the password would "
                          f"cross the network to {config['MAIL_HOST'] or 'the server'} "
                          "unencrypted")
    if config.get("MAIL_CA_FILE"):
        import ssl

        try:
            ssl.create_default_context().load_verify_locations(cafile=config["MAIL_CA_FILE"])
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"MAIL_CA_FILE {config['MAIL_CA_FILE']}: not a readable file of "
                              f"PEM certificates ({exc})") from exc
    if "@" not in config["MAIL_SENDER"]:
        raise ConfigError("MAIL_SENDER must be an e-mail address, e.g. "
                          "'PVE Track <pvetrack@example.org>'")
    if not str(config["BASE_URL"]).startswith(("http://", "https://")):
        raise ConfigError("BASE_URL must start with http:// or https://, e.g. "
                          "https://pvetrack.example.org")
    if config["REPORT_DUE_DAYS"] < 0:
        raise ConfigError("REPORT_DUE_DAYS must not be negative")
    if not config["STATUS_ON_TRACK"] > config["STATUS_AT_RISK"] > 0:
        raise ConfigError("STATUS_ON_TRACK must be above STATUS_AT_RISK, and both above 0")
    for scale in DEFAULT_EVALUATION_RUBRIC:
        levels = config["EVALUATION_RUBRIC"].get(scale) or {}
        if sorted(levels) != [1, 2, 3, 4] or not all(str(t).strip() for t in levels.values()):
            raise ConfigError(f"EVALUATION_RUBRIC needs a text for each level 1-4 of {scale}")
    if config["ENV"] == "production":
        key = config.get("SECRET_KEY") or ""
        if key == DEV_SECRET_KEY or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters in "
                "production, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
