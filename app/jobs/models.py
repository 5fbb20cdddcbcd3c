"""A job: work run outside the request, with its progress and its result."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, enum_column, utcnow


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    state: Mapped[JobState] = mapped_column(enum_column(JobState, "job_state"),
                                            default=JobState.QUEUED)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    message: Mapped[str | None] = mapped_column(sa.Text)
    # A generated file under JOBS_DIR (its name there), or the outcome of an import.
    result_file: Mapped[str | None] = mapped_column(sa.String(200))
    result_name: Mapped[str | None] = mapped_column(sa.String(200))
    result_type: Mapped[str | None] = mapped_column(sa.String(120))
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    def project_ids(self) -> list[int]:
        return [] if self.project_id is None else [self.project_id]
