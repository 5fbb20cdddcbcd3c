"""The audit trail: one table, one ``record()`` that every data-changing service calls."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is changing data and from where; passed from views to services."""

    user_id: int | None
    ip: str | None = None
    # How the change came in when not through the pages, e.g. "API token “sync”".
    via: str | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(user_id=None, ip=None)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    entity: Mapped[str | None] = mapped_column(sa.String(64))
    entity_id: Mapped[str | None] = mapped_column(sa.String(64))
    changes: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    reason: Mapped[str | None] = mapped_column(sa.Text)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str | None = None,
    entity_id: Any = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it commits with the change it describes."""
    if actor.via:
        changes = {**(changes or {}), "via": [None, actor.via]}
    event = AuditEvent(
        user_id=actor.user_id,
        ip=actor.ip,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        changes={k: to_jsonable(v) for k, v in changes.items()} if changes else None,
        reason=reason or None,
    )
    session.add(event)
    return event


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set attributes on ``obj`` and return ``{field: [old, new]}`` for those that changed."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [to_jsonable(old), to_jsonable(new)]
            setattr(obj, field, new)
    return changed


def apply_tags(obj: Any, field: str, wanted: list[Any], make: Any) -> list[list[Any]] | None:
    """Make the collection ``field`` of ``obj`` hold one row per value of ``wanted`` (sorted,
    each once): rows of values still wanted stay, ``make(value)`` adds the others. Each row
    carries its value as ``theme``. Returns ``[old values, new values]`` when they changed."""
    rows = getattr(obj, field)
    have = sorted(row.theme for row in rows)
    if have == wanted:
        return None
    kept = [row for row in rows if row.theme in wanted]
    present = {row.theme for row in kept}
    setattr(obj, field, kept + [make(value) for value in wanted if value not in present])
    return [to_jsonable(have), to_jsonable(wanted)]


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """The given fields of a new record, for the audit event of its creation."""
    return {f: [None, to_jsonable(getattr(obj, f))] for f in fields if getattr(obj, f) is not None}
