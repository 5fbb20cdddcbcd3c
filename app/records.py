"""Create, change and remove one versioned record of a results framework, with its audit.

The framework services (budget lines, results, assumptions, risks, indicators) share these
steps: refuse a stale version with the values now stored, apply the changes, write one audit
event, commit.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.errors import STALE_MESSAGE, StaleEdit, ValidationFailed

T = TypeVar("T")

STALE_ACTION = _l("Someone else changed this record after you opened the page; nothing was "
                  "done. Look at it again and retry.")


def check_version(obj: Any, version: int | None, fields: list[str],
                  message: Any = STALE_MESSAGE) -> None:
    """Refuse a change made from a form rendered before the record's last save."""
    if version != obj.version:
        raise StaleEdit(message, {f: getattr(obj, f) for f in fields})


def require(values: dict[str, Any], *fields: str) -> None:
    """Refuse values where a required field is empty, naming each such field."""
    errors = {f: [_l("This field is required.")] for f in fields
              if values.get(f) is None or values.get(f) == ""}
    if errors:
        raise ValidationFailed(errors)


def create(session: Session, actor: Actor, obj: T, entity: str, fields: list[str],
           extra: dict[str, Any] | None = None) -> T:
    row: Any = obj
    session.add(row)
    session.flush()
    changes = audit.snapshot(row, fields)
    changes.update(extra or {})
    audit.record(session, actor, f"{entity}.create", entity, row.id, changes)
    session.commit()
    return obj


def update(session: Session, actor: Actor, obj: T, entity: str, fields: list[str],
           version: int | None, values: dict[str, Any],
           extra: dict[str, list[Any]] | None = None) -> T:
    """Apply ``values``; ``extra`` holds changes made beside them (e.g. linked rows)."""
    row: Any = obj
    check_version(row, version, fields)
    changes = audit.apply_changes(row, values)
    changes.update(extra or {})
    if changes:
        if extra:
            row.updated_at = utcnow()  # a change of linked rows is a new version too
        audit.record(session, actor, f"{entity}.update", entity, row.id, changes)
        session.commit()
    return obj


def delete(session: Session, actor: Actor, obj: Any, entity: str, fields: list[str],
           version: int | None) -> None:
    check_version(obj, version, fields, STALE_ACTION)
    changes = {f: [audit.to_jsonable(getattr(obj, f)), None] for f in fields
               if getattr(obj, f) is not None}
    audit.record(session, actor, f"{entity}.delete", entity, obj.id, changes)
    session.delete(obj)
    session.commit()
