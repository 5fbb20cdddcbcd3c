"""Evaluators' scores of indicators and ratings of projects, and the consensus on them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin, enum_column


class ScoreState(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Criterion(enum.StrEnum):
    """The OECD-DAC evaluation criteria."""

    RELEVANCE = "relevance"
    COHERENCE = "coherence"
    EFFECTIVENESS = "effectiveness"
    EFFICIENCY = "efficiency"
    IMPACT = "impact"
    SUSTAINABILITY = "sustainability"


class ScoreAspect(enum.StrEnum):
    ACHIEVEMENT = "achievement"
    DATA_QUALITY = "data_quality"
    CRITERION = "criterion"


class IndicatorScore(TimestampMixin, Base):
    __tablename__ = "indicator_scores"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "period_id", "evaluator_id"),
        sa.CheckConstraint("achievement BETWEEN 1 AND 4", name="achievement_range"),
        sa.CheckConstraint("data_quality BETWEEN 1 AND 4", name="data_quality_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reporting_periods.id", ondelete="CASCADE"), index=True)
    evaluator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    achievement: Mapped[int]
    data_quality: Mapped[int]
    justification: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[ScoreState] = mapped_column(enum_column(ScoreState, "score_state"),
                                              default=ScoreState.DRAFT)
    finalised_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}


class ProjectRating(TimestampMixin, Base):
    __tablename__ = "project_ratings"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "evaluator_id", "criterion"),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    evaluator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    criterion: Mapped[Criterion] = mapped_column(enum_column(Criterion, "rating_criterion"))
    rating: Mapped[int]
    justification: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[ScoreState] = mapped_column(enum_column(ScoreState, "rating_state"),
                                              default=ScoreState.DRAFT)
    finalised_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}


class ConsensusScore(TimestampMixin, Base):
    """The score a manager settles on where evaluators differ, with the reason."""

    __tablename__ = "consensus_scores"
    __table_args__ = (
        sa.CheckConstraint("value BETWEEN 1 AND 4", name="value_range"),
        sa.UniqueConstraint("project_id", "indicator_id", "period_id", "aspect", "criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    period_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reporting_periods.id", ondelete="CASCADE"))
    aspect: Mapped[ScoreAspect] = mapped_column(enum_column(ScoreAspect, "consensus_aspect"))
    criterion: Mapped[Criterion | None] = mapped_column(
        enum_column(Criterion, "consensus_criterion"))
    value: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}
