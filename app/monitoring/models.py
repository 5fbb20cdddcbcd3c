"""Indicators, their disaggregation, reporting periods, targets, values and activities."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_column, utcnow
from app.programmes.models import ProvenanceMixin
from indicators.types import Calculation, Cumulation, Direction, Measure

if TYPE_CHECKING:
    from app.programmes.framework import Result
    from app.programmes.models import Project


class IndicatorType(enum.StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"
    CONTEXT = "context"


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"


class ActivitySource(enum.StrEnum):
    """Where an output indicator's values come from when not entered by hand."""

    ACTIVITY_COUNT = "activity_count"
    PARTICIPANTS = "participants"


class PeriodState(enum.StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"  # approved means locked


class ActivityKind(enum.StrEnum):
    WORKSHOP = "workshop"
    TRAINING = "training"
    OUTREACH = "outreach"
    COUNTER_NARRATIVE = "counter_narrative"
    DIALOGUE = "dialogue"
    RESEARCH = "research"
    MENTORING = "mentoring"
    OTHER = "other"


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


TOTAL_CODE = "total"  # the code of the type and of the category that hold totals


class DisaggregationType(Base):
    """A way to break values down (sex, age group, country, …); ``total`` holds totals."""

    __tablename__ = "disaggregation_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))

    categories: Mapped[list[DisaggregationCategory]] = relationship(
        back_populates="type", order_by="DisaggregationCategory.position")


class DisaggregationCategory(Base):
    __tablename__ = "disaggregation_categories"
    __table_args__ = (sa.UniqueConstraint("type_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(
        sa.ForeignKey("disaggregation_types.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)

    type: Mapped[DisaggregationType] = relationship(back_populates="categories")


indicator_disaggregations = sa.Table(
    "indicator_disaggregations",
    Base.metadata,
    sa.Column("indicator_id", sa.ForeignKey("indicators.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("type_id", sa.ForeignKey("disaggregation_types.id", ondelete="RESTRICT"),
              primary_key=True),
)


class Indicator(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "indicators"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "code"),
        sa.CheckConstraint(
            "calculation <> 'ratio' OR (numerator_label IS NOT NULL "
            "AND denominator_label IS NOT NULL)", name="ratio_parts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("results.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(sa.String(30))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(300))
    definition: Mapped[str | None] = mapped_column(sa.Text)
    type: Mapped[IndicatorType] = mapped_column(enum_column(IndicatorType, "indicator_type"))
    measure: Mapped[Measure] = mapped_column(enum_column(Measure, "indicator_measure"),
                                             default=Measure.NUMBER)
    unit: Mapped[str | None] = mapped_column(sa.String(60))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "indicator_direction"),
                                                 default=Direction.INCREASE)
    calculation: Mapped[Calculation] = mapped_column(
        enum_column(Calculation, "indicator_calculation"), default=Calculation.SUM)
    numerator_label: Mapped[str | None] = mapped_column(sa.String(300))
    denominator_label: Mapped[str | None] = mapped_column(sa.String(300))
    cumulation: Mapped[Cumulation] = mapped_column(
        enum_column(Cumulation, "indicator_cumulation"), default=Cumulation.NON_CUMULATIVE)
    frequency: Mapped[Frequency | None] = mapped_column(
        enum_column(Frequency, "indicator_frequency"))
    baseline_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    baseline_date: Mapped[date | None]
    baseline_note: Mapped[str | None] = mapped_column(sa.Text)
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    data_source: Mapped[str | None] = mapped_column(sa.String(300))
    collection_method: Mapped[str | None] = mapped_column(sa.String(300))
    means_of_verification: Mapped[str | None] = mapped_column(sa.String(300))
    responsible: Mapped[str | None] = mapped_column(sa.String(200))
    bank_code: Mapped[str | None] = mapped_column(sa.String(30))
    sensitive: Mapped[bool] = mapped_column(default=False)
    activity_source: Mapped[ActivitySource | None] = mapped_column(
        enum_column(ActivitySource, "indicator_activity_source"))
    activity_kind: Mapped[ActivityKind | None] = mapped_column(
        enum_column(ActivityKind, "indicator_activity_kind"))
    version: Mapped[int] = mapped_column(nullable=False)

    project: Mapped[Project] = relationship()
    result: Mapped[Result | None] = relationship()
    disaggregations: Mapped[list[DisaggregationType]] = relationship(
        secondary=indicator_disaggregations, order_by="DisaggregationType.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def scale(self) -> Decimal:
        """What a computed ratio is multiplied by to compare with the baseline and targets.

        Percentages are entered in per cent (45 for 45 %), so a ratio of sums measured as a
        percentage is shown and judged times 100; other ratios are shown as they are.
        """
        percent = self.calculation == Calculation.RATIO and self.measure == Measure.PERCENTAGE
        return Decimal(100) if percent else Decimal(1)


class ReportingPeriod(TimestampMixin, Base):
    """A period a project reports on, at one frequency; approved means locked."""

    __tablename__ = "reporting_periods"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "frequency", "start_date"),
        sa.CheckConstraint("end_date >= start_date", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "period_frequency"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    due_date: Mapped[date]
    state: Mapped[PeriodState] = mapped_column(enum_column(PeriodState, "period_state"),
                                               default=PeriodState.OPEN)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    return_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(nullable=False)

    project: Mapped[Project] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def locked(self) -> bool:
        return self.state == PeriodState.APPROVED


class Target(Base):
    """A target for one indicator in one period and category (``total`` for the total)."""

    __tablename__ = "targets"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "period_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_periods.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("disaggregation_categories.id", ondelete="RESTRICT"))
    value: Mapped[Decimal] = mapped_column(sa.Numeric(18, 4))


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
