"""A sent (or to-be-sent) e-mail, and a user's choices about the e-mail they receive."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin, enum_column, utcnow


class MailState(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (or for a retry after a failed attempt)
    SENT = "sent"  # accepted by the SMTP server
    FAILED = "failed"  # every attempt failed; the job is among RQ's failed jobs
    LOGGED = "logged"  # no MAIL_HOST: written to the log instead of sent


class MailMessage(Base):
    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Who sends a message says what makes it unique (e.g. digest:7:daily:2026-12-04): a second
    # message with the same key is never recorded, so never sent.
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str | None] = mapped_column(sa.Text)
    headers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    locale: Mapped[str] = mapped_column(sa.String(5), default="en")
    state: Mapped[MailState] = mapped_column(enum_column(MailState, "mail_state"),
                                             default=MailState.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class DigestFrequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class DigestPreference(TimestampMixin, Base):
    """How often a user gets their digest, which of its kinds they turned off, and what the
    last digest told them (so that the next one says only what changed). A user without a row
    gets the default: weekly, every kind."""

    __tablename__ = "digest_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    frequency: Mapped[DigestFrequency] = mapped_column(
        enum_column(DigestFrequency, "digest_frequency"), default=DigestFrequency.WEEKLY)
    muted: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    verdicts: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    last_sent_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}
