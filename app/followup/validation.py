"""Small helpers that collect validation errors per field and raise them together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.errors import StaleEdit, ValidationFailed
from app.programmes.models import Organisation
from app.weblinks import is_web_address, normalise_web_address

STALE = _l("Someone else saved this record after you opened the form. Their values are shown "
           "beside yours; nothing of yours was saved. Review and save again.")


def refuse_stale(obj: Any, version: int, current: dict[str, Any]) -> None:
    """Refuse a save from a form rendered with an older version of ``obj``."""
    if version != obj.version:
        raise StaleEdit(STALE, current)


class Errors:
    """Messages per field; ``raise_if_any`` raises them all at once, naming each field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationFailed(self.by_field)


def require(errors: Errors, values: dict[str, Any], field: str, message: Any) -> None:
    value = values.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add(field, message)


def check_url(errors: Errors, values: dict[str, Any], field: str) -> None:
    """Complete an address typed without its scheme (``app.weblinks``), then refuse what is
    still not a web address."""
    if field not in values:
        return
    url = values[field] = normalise_web_address(values[field])
    if url is not None and not is_web_address(url):
        errors.add(field, _l("Give a full web address starting with https:// or http://."))


def organisation_labels(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Names of the given organisations that exist (one query)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(sa.select(Organisation.id, Organisation.name, Organisation.acronym)
                           .where(Organisation.id.in_(wanted)))
    return {r.id: f"{r.name} ({r.acronym})" if r.acronym else r.name for r in rows}
