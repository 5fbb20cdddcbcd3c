"""What a project will measure: its results chain with theory of change and assumptions, risks
and budget lines (the "goal setting" and "resource allocation" steps), and its indicators with
their disaggregations, reporting periods and targets ("indicator identification")."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_column
from app.programmes.models import ProvenanceMixin
from indicators.bank import Theme
from indicators.types import Calculation, Cumulation, Direction, Measure
from indicators.validation import Rules

if TYPE_CHECKING:
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


def frequency_of(start: date, end: date) -> Frequency:
    """The reporting frequency a period from ``start`` to ``end`` (inclusive) stands for, when
    periods come from a document or a file rather than from an indicator's frequency."""
    days = (end - start).days + 1
    if days <= 31:
        return Frequency.MONTHLY
    if days <= 92:
        return Frequency.QUARTERLY
    if days <= 184:
        return Frequency.SEMI_ANNUAL
    return Frequency.ANNUAL


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


class ResultLevel(enum.StrEnum):
    GOAL = "goal"
    OUTCOME = "outcome"
    OUTPUT = "output"


class AssumptionStatus(enum.StrEnum):
    UNTESTED = "untested"
    HOLDING = "holding"
    FAILED = "failed"


class RiskCategory(enum.StrEnum):
    OPERATIONAL = "operational"
    CONTEXTUAL = "contextual"
    DO_NO_HARM = "do_no_harm"
    HUMAN_RIGHTS = "human_rights"
    FIDUCIARY = "fiduciary"


class BudgetCategory(enum.StrEnum):
    PERSONNEL = "personnel"
    ACTIVITIES = "activities"
    TRAVEL = "travel"
    EQUIPMENT = "equipment"
    MONITORING_EVALUATION = "monitoring_evaluation"
    INDIRECT = "indirect"
    OTHER = "other"


class Result(ProvenanceMixin, TimestampMixin, Base):
    """A step of the results chain: goal → outcomes → outputs, with its theory of change."""

    __tablename__ = "results"
    __table_args__ = (sa.UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("results.id", ondelete="CASCADE"), index=True)
    level: Mapped[ResultLevel] = mapped_column(enum_column(ResultLevel, "result_level"))
    code: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)
    statement: Mapped[str] = mapped_column(sa.Text)
    toc_if: Mapped[str | None] = mapped_column(sa.Text)
    toc_then: Mapped[str | None] = mapped_column(sa.Text)
    toc_because: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(nullable=False)

    project: Mapped[Project] = relationship()
    parent: Mapped[Result | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Result]] = relationship(
        back_populates="parent", order_by="Result.position")
    assumptions: Mapped[list[Assumption]] = relationship(
        back_populates="result", cascade="all, delete-orphan", order_by="Assumption.id")
    themes: Mapped[list[ResultTheme]] = relationship(
        cascade="all, delete-orphan", order_by="ResultTheme.theme")

    __mapper_args__ = {"version_id_col": version}


class ResultTheme(Base):
    """A theme of the indicator bank a result is about; indicators of its themes are
    suggested first for it."""

    __tablename__ = "result_themes"

    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("results.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[Theme] = mapped_column(enum_column(Theme, "result_theme"), primary_key=True)


class Assumption(TimestampMixin, Base):
    __tablename__ = "assumptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(
        sa.ForeignKey("results.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[AssumptionStatus] = mapped_column(
        enum_column(AssumptionStatus, "assumption_status"), default=AssumptionStatus.UNTESTED)
    note: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(nullable=False)

    result: Mapped[Result] = relationship(back_populates="assumptions")

    __mapper_args__ = {"version_id_col": version}


class Risk(TimestampMixin, Base):
    __tablename__ = "risks"
    __table_args__ = (
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("results.id", ondelete="SET NULL"), index=True)
    category: Mapped[RiskCategory] = mapped_column(enum_column(RiskCategory, "risk_category"))
    description: Mapped[str] = mapped_column(sa.Text)
    likelihood: Mapped[int]
    impact: Mapped[int]
    mitigation: Mapped[str | None] = mapped_column(sa.Text)
    owner: Mapped[str | None] = mapped_column(sa.String(200))
    review_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class BudgetLine(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "budget_lines"
    __table_args__ = (
        sa.CheckConstraint("planned >= 0", name="planned_non_negative"),
        sa.CheckConstraint("actual IS NULL OR actual >= 0", name="actual_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("results.id", ondelete="SET NULL"), index=True)
    category: Mapped[BudgetCategory] = mapped_column(enum_column(BudgetCategory, "budget_category"))
    description: Mapped[str] = mapped_column(sa.String(300))
    planned: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))
    actual: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}


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
    # Validation rules of its values (``indicators.validation``).
    min_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    max_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(18, 4))
    whole_numbers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    allow_negative: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    allow_over_whole: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(nullable=False)

    project: Mapped[Project] = relationship()
    result: Mapped[Result | None] = relationship()
    disaggregations: Mapped[list[DisaggregationType]] = relationship(
        secondary=indicator_disaggregations, order_by="DisaggregationType.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def rules(self) -> Rules:
        return Rules(minimum=self.min_value, maximum=self.max_value,
                     whole_numbers=bool(self.whole_numbers),
                     allow_negative=bool(self.allow_negative),
                     allow_over_whole=bool(self.allow_over_whole))

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
