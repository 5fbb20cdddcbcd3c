from __future__ import annotations

import factory
from sqlalchemy.orm import Session

from app.db import db

_override: list[Session] = []


def use_session(session: Session | None) -> None:
    """Make factories write through ``session`` (tests), or the app's again (None)."""
    _override.clear()
    if session is not None:
        _override.append(session)


def current_session() -> Session:
    return _override[0] if _override else db.session


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = current_session
        sqlalchemy_session_persistence = "flush"
