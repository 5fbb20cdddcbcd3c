"""The results framework of a project: results chain, theory of change, assumptions,
risks and budget lines (the "goal setting" and "resource allocation" steps)."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_column
from app.programmes.models import ProvenanceMixin

if TYPE_CHECKING:
    from app.programmes.models import Project


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

    __mapper_args__ = {"version_id_col": version}


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
