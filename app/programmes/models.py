from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from app.auth.models import ProjectMember


class ProvenanceMixin:
    """Where a seeded record comes from: the source document and the passage it rests on."""

    source_document: Mapped[str | None] = mapped_column(sa.String(200))
    source_locator: Mapped[str | None] = mapped_column(sa.String(300))
    source_passage: Mapped[str | None] = mapped_column(sa.Text)
    illustrative: Mapped[bool] = mapped_column(default=False)


class OrganisationKind(enum.StrEnum):
    DONOR = "donor"
    UN_AGENCY = "un_agency"
    INTERGOVERNMENTAL = "intergovernmental"
    GOVERNMENT = "government"
    NGO = "ngo"
    ACADEMIC = "academic"
    PRIVATE = "private"


class ActivityStatus(enum.StrEnum):
    """Programme and project status, aligned with the IATI ActivityStatus codes 1-6."""

    PIPELINE = "pipeline"
    IMPLEMENTATION = "implementation"
    FINALISATION = "finalisation"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"

    @property
    def iati_code(self) -> int:
        return list(ActivityStatus).index(self) + 1


class Organisation(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    acronym: Mapped[str | None] = mapped_column(sa.String(50))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, "org_kind"))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Programme(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "programmes"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                           name="period_order"),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    lead_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    countries: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    budget: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    status: Mapped[ActivityStatus] = mapped_column(
        enum_column(ActivityStatus, "activity_status"), default=ActivityStatus.IMPLEMENTATION
    )
    iati_identifier: Mapped[str | None] = mapped_column(sa.String(150), unique=True)
    version: Mapped[int] = mapped_column(nullable=False)

    lead_organisation: Mapped[Organisation | None] = relationship()
    projects: Mapped[list[Project]] = relationship(
        back_populates="programme", order_by="Project.code"
    )

    __mapper_args__ = {"version_id_col": version}


class Project(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "projects"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                           name="period_order"),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    implementer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    countries: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    budget: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    status: Mapped[ActivityStatus] = mapped_column(
        enum_column(ActivityStatus, "activity_status"), default=ActivityStatus.IMPLEMENTATION
    )
    version: Mapped[int] = mapped_column(nullable=False)

    programme: Mapped[Programme] = relationship(back_populates="projects")
    implementer: Mapped[Organisation | None] = relationship()
    members: Mapped[list[ProjectMember]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
