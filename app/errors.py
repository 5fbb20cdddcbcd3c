"""Errors that services raise and views turn into messages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

STALE_MESSAGE = _l("Someone else saved this record after you opened the form. Their values are "
                   "shown beside yours; nothing of yours was saved. Review and save again.")
STALE_DELETED = _l("Someone else deleted this record after you opened the form; nothing of "
                   "yours was saved.")


class ServiceError(Exception):
    """A rule refused the change; ``message`` is shown to the user as it is."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ValidationFailed(ServiceError):
    """Input broke a rule; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(first, next(iter(errors), None))
        self.errors = errors


class StaleEdit(ServiceError):
    """Someone saved the record after this form was opened; nothing was written.

    ``current`` holds the values now stored so the page can show them.
    """

    def __init__(self, message: Any, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current


class NotAllowed(ServiceError):
    """The actor may not do this (checked again in services, not only in views)."""


def quoted(text: object, limit: int = 100) -> str:
    """A value as an error message may quote it: at most ``limit`` characters, so that a huge
    bad cell is named, not echoed whole."""
    shown = str(text)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"
