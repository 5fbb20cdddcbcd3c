"""Personal access tokens for the JSON API: made by a user on their account page, shown once,
stored only as a SHA-256 digest, with a name, a scope (read or read-write), an expiry and the
time of their last use. A token acts as its user and nothing more: every call asks the same
permissions as the pages."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.db import Base, UTCDateTime, enum_column, utcnow
from app.errors import ValidationFailed

PREFIX = "pvt_"  # recognisable in a leaked log or a secret scanner
LIFETIMES = (30, 90, 365)  # days a new token may live
MAX_ACTIVE = 20  # tokens a user may hold at once


class TokenScope(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read-write"


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # The first characters of the secret, to tell tokens apart; never enough to use one.
    hint: Mapped[str] = mapped_column(sa.String(12))
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "api_token_scope"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))

    user: Mapped[User] = relationship()

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @property
    def writes(self) -> bool:
        return self.scope is TokenScope.READ_WRITE


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def create_token(session: Session, actor: Actor, user: User, name: str, scope: TokenScope,
                 days: int, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user``; returns it with its secret, which is never stored."""
    now = now or utcnow()
    name = (name or "").strip()
    errors: dict[str, list[object]] = {}
    if not name:
        errors["name"] = [_l("Give the token a name that says where it is used.")]
    elif len(name) > 100:
        errors["name"] = [_l("At most %(n)d characters.", n=100)]
    if days not in LIFETIMES:
        errors["days"] = [_l("Choose one of the offered lifetimes.")]
    active = session.scalar(sa.select(sa.func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now))
    if (active or 0) >= MAX_ACTIVE:
        errors.setdefault("name", []).append(lazy_ngettext(
            "You already hold %(num)d active token: revoke one first.",
            "You already hold %(num)d active tokens: revoke one first.", MAX_ACTIVE))
    if errors:
        raise ValidationFailed(errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, hint=secret[:10], digest=digest_of(secret),
                     scope=scope, created_at=now, expires_at=now + timedelta(days=days))
    session.add(token)
    session.flush()
    audit.record(session, actor, "api_token.create", "api_token", token.id,
                 {"name": [None, name], "scope": [None, scope],
                  "expires_at": [None, token.expires_at]})
    session.commit()
    return token, secret


def revoke_token(session: Session, actor: Actor, user: User, token_id: int,
                 now: datetime | None = None) -> ApiToken | None:
    """Revoke one of ``user``'s own tokens; ``None`` when it is not theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        audit.record(session, actor, "api_token.revoke", "api_token", token.id,
                     {"name": [token.name, token.name]})
        session.commit()
    return token


def authenticate(session: Session, secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token of ``secret`` (its user active), noting its use; else ``None``."""
    now = now or utcnow()
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(sa.select(ApiToken).where(ApiToken.digest == digest_of(secret)))
    if token is None or not token.usable(now) or not token.user.active:
        return None
    # Last use to the minute: one write a minute at most, not one per call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        session.execute(sa.update(ApiToken).where(ApiToken.id == token.id)
                        .values(last_used_at=now))
        session.commit()
    return token
