"""What is collected: indicator values per period and category, the activity log with its
participants, and in-app notifications."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_column, utcnow
from app.frameworks.models import ActivityKind
from app.programmes.models import ProvenanceMixin


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class AgeGroup(enum.StrEnum):
    UNDER_15 = "under_15"
    AGE_15_24 = "15_24"
    AGE_25_34 = "25_34"
    AGE_35_PLUS = "35_plus"
    UNKNOWN = "unknown"


class DataValue(ProvenanceMixin, Base):
    """What was achieved: one indicator, one period, one category (``total`` for the total)."""

    __tablename__ = "data_values"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "period_id", "category_id"),
        sa.CheckConstraint("denominator IS NULL OR denominator >= 0", name="denominator_sign"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_periods.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("disaggregation_categories.id", ondelete="RESTRICT"))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    numerator: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    denominator: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    text: Mapped[str | None] = mapped_column(sa.Text)
    qualifier: Mapped[str | None] = mapped_column(sa.String(40))  # e.g. "more than"
    comment: Mapped[str | None] = mapped_column(sa.Text)
    evidence_url: Mapped[str | None] = mapped_column(sa.String(500))
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A manager's acceptance of a value that breaks its indicator's validation rules: why, who,
    # when. Shown as a data-quality flag; it never hides the broken rule.
    rule_exception: Mapped[str | None] = mapped_column(sa.Text)
    rule_exception_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    rule_exception_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}


class Activity(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period_order"),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("results.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    country: Mapped[str | None] = mapped_column(sa.String(2))
    place: Mapped[str | None] = mapped_column(sa.String(200))
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(nullable=False)

    participants: Mapped[list[ActivityParticipants]] = relationship(
        back_populates="activity", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def project_ids(self) -> frozenset[int]:
        return frozenset({self.project_id})


class ActivityParticipants(Base):
    """How many took part, by sex and age group."""

    __tablename__ = "activity_participants"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "sex", "age_group"),
        sa.CheckConstraint("count >= 0", name="count_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, "participant_sex"))
    age_group: Mapped[AgeGroup] = mapped_column(enum_column(AgeGroup, "participant_age_group"))
    count: Mapped[int]

    activity: Mapped[Activity] = relationship(back_populates="participants")


class Notification(Base):
    """An in-app message to one user about something that concerns them."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(60))
    message: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(300))
    read_at: Mapped[datetime | None]


class FieldSubmission(Base):
    """A KoboToolbox or ODK Central submission taken in by an import: its id, so that the same
    export imported again changes nothing, and a digest of what it said, so that an edited
    submission is noticed rather than imported twice."""

    __tablename__ = "field_submissions"
    __table_args__ = (sa.UniqueConstraint("project_id", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    submission_id: Mapped[str] = mapped_column(sa.String(200))
    source: Mapped[str] = mapped_column(sa.String(10))  # "kobo" or "odk"
    kind: Mapped[str] = mapped_column(sa.String(20))  # "activity" or "values"
    digest: Mapped[str] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(300))
    imported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
