"""Keyset-free, simple offset pagination with a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, request
from sqlalchemy.orm import Session


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, query: Any, size: int | None = None, rows: bool = False) -> Page:
    """One COUNT and one SELECT, whatever the number of rows.

    ``rows=True`` keeps every selected column (for queries that add computed columns).
    """
    size = size or int(current_app.config["PAGE_SIZE"])
    raw = request.args.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) < 10 else 1
    total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    # A page past the last shows the last: no offset the database cannot take.
    number = max(1, min(number, -(-(total or 0) // size) or 1))
    limited = query.limit(size).offset((number - 1) * size)
    items = list(session.execute(limited).unique().all() if rows
                 else session.scalars(limited).unique())
    return Page(items=items, number=number, size=size, total=total or 0)
