"""Evidence files: the documents and photos behind a figure, an activity or a follow-up.

``EvidenceBlob`` is stored content, one row per SHA-256 (the same file uploaded twice is one
blob). ``EvidenceFile`` is one attachment of a blob to a record: which record (a kind and its
id, see ``subjects``), title, kind of document, date, who uploaded it, whether it is sensitive
and until when a sensitive file is kept. Removing a file from its record, or deleting the
record, hides the attachment but keeps it and its content until a manager purges it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, enum_column, utcnow


class EvidenceKind(enum.StrEnum):
    REPORT = "report"
    ATTENDANCE = "attendance"
    PHOTO = "photo"
    OFFICIAL = "official"
    MEDIA = "media"
    OTHER = "other"


class SubjectKind(enum.StrEnum):
    VALUE = "value"  # an indicator's value for a period: subject = indicator, part = period
    ACTIVITY = "activity"
    EVENT = "event"
    RECOMMENDATION = "recommendation"
    ACTION = "action"


class EvidenceBlob(Base):
    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    media_type: Mapped[str] = mapped_column(sa.String(120))
    encrypted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceFile(Base):
    __tablename__ = "evidence_files"
    __table_args__ = (
        sa.Index("ix_evidence_files_subject", "subject_kind", "subject_id", "subject_part_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[SubjectKind] = mapped_column(
        enum_column(SubjectKind, "evidence_subject_kind"))
    subject_id: Mapped[int]
    subject_part_id: Mapped[int | None]
    # The project the record belonged to when the file was attached: who may see it.
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    blob_sha256: Mapped[str] = mapped_column(
        sa.ForeignKey("evidence_blobs.sha256", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, "evidence_kind"))
    document_date: Mapped[date | None]
    filename: Mapped[str] = mapped_column(sa.String(200))
    sensitive: Mapped[bool] = mapped_column(default=False)
    retain_until: Mapped[date | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(index=True)
    removed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(nullable=False)

    blob: Mapped[EvidenceBlob] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def project_ids(self) -> frozenset[int]:
        return frozenset({self.project_id}) if self.project_id else frozenset()
