"""Events, their recommendations, the actions taken on them, and recurring recommendations."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, enum_column, utcnow
from app.programmes.models import ProvenanceMixin
from indicators.followup import ActionState, RecommendationStatus

if TYPE_CHECKING:
    from app.programmes.models import Organisation


class EventKind(enum.StrEnum):
    WORKSHOP = "workshop"
    CONFERENCE = "conference"
    SEMINAR = "seminar"
    ROUND_TABLE = "round_table"
    TRAINING = "training"
    HIGH_LEVEL_MEETING = "high_level_meeting"


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class EventRole(enum.StrEnum):
    ORGANISER = "organiser"
    FUNDER = "funder"


class Priority(enum.StrEnum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    NORMAL = "normal"


class ActionKind(enum.StrEnum):
    """What a follow-up action is; a meeting or event held is not follow-up by itself."""

    POLICY_ADOPTED = "policy_adopted"  # policy or law adopted
    PLAN_ADOPTED = "plan_adopted"  # plan or strategy adopted
    FUNDING_COMMITTED = "funding_committed"
    PROGRAMME_LAUNCHED = "programme_launched"  # programme or project launched
    TRAINING_DELIVERED = "training_delivered"  # training or service delivered
    RESEARCH_PUBLISHED = "research_published"
    INSTITUTION_CREATED = "institution_created"
    MEETING_HELD = "meeting_held"  # meeting or event held
    OTHER = "other"


class LinkState(enum.StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Theme(enum.StrEnum):
    RESEARCH = "research"
    YOUTH = "youth"
    WOMEN = "women"
    RELIGIOUS_LEADERS = "religious_leaders"
    ONLINE = "online"
    MEDIA = "media"
    PRISONS = "prisons"
    MIGRANTS = "migrants"
    RETURNEES = "returnees"
    BORDER_MANAGEMENT = "border_management"
    NATIONAL_STRATEGY = "national_strategy"
    REGIONAL_COOPERATION = "regional_cooperation"
    CIVIL_SOCIETY = "civil_society"
    GOVERNANCE_HUMAN_RIGHTS = "governance_human_rights"
    TRAINING = "training"
    DONOR_COORDINATION = "donor_coordination"
    LAW_ENFORCEMENT = "law_enforcement"
    FAMILIES = "families"


class Event(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="period_order"),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(400))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date] = mapped_column(index=True)
    date_precision: Mapped[DatePrecision] = mapped_column(
        enum_column(DatePrecision, "event_date_precision"), default=DatePrecision.DAY)
    city: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(2), index=True)
    participants_total: Mapped[int | None]
    participants_women: Mapped[int | None]
    participants_men: Mapped[int | None]
    participants_note: Mapped[str | None] = mapped_column(sa.String(200))
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    report_url: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(nullable=False)

    participants: Mapped[list[EventOrganisation]] = relationship(
        back_populates="event", cascade="all, delete-orphan")
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Recommendation.position")

    __mapper_args__ = {"version_id_col": version}

    def project_ids(self) -> frozenset[int]:
        """The project whose members may record follow-up of this event (see permissions)."""
        return frozenset({self.project_id}) if self.project_id else frozenset()


class EventOrganisation(Base):
    """An organisation's part in an event: organiser or funder."""

    __tablename__ = "event_organisations"
    __table_args__ = (sa.UniqueConstraint("event_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    role: Mapped[EventRole] = mapped_column(enum_column(EventRole, "event_role"))

    event: Mapped[Event] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship()


class Recommendation(ProvenanceMixin, TimestampMixin, Base):
    __tablename__ = "recommendations"
    __table_args__ = (sa.UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    number: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str | None] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    addressees: Mapped[str | None] = mapped_column(sa.String(500))
    responsible_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority, "recommendation_priority"),
                                               default=Priority.NORMAL)
    due_date: Mapped[date | None]
    status: Mapped[RecommendationStatus] = mapped_column(
        enum_column(RecommendationStatus, "recommendation_status"),
        default=RecommendationStatus.NOT_STARTED)
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    # The focal point at the responsible body, who may be sent a report-back link.
    focal_name: Mapped[str | None] = mapped_column(sa.String(200))
    focal_email: Mapped[str | None] = mapped_column(sa.String(254))
    focal_organisation: Mapped[str | None] = mapped_column(sa.String(300))
    version: Mapped[int] = mapped_column(nullable=False)

    event: Mapped[Event] = relationship(back_populates="recommendations")
    responsible_organisation: Mapped[Organisation | None] = relationship()
    themes: Mapped[list[RecommendationTheme]] = relationship(
        cascade="all, delete-orphan", order_by="RecommendationTheme.theme")
    actions: Mapped[list[FollowUpAction]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan",
        order_by="FollowUpAction.action_date")

    __mapper_args__ = {"version_id_col": version}


class RecommendationTheme(Base):
    __tablename__ = "recommendation_themes"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[Theme] = mapped_column(enum_column(Theme, "recommendation_theme"),
                                         primary_key=True)


class FollowUpAction(ProvenanceMixin, TimestampMixin, Base):
    """Something done (or promised) about a recommendation; only done actions count."""

    __tablename__ = "followup_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    action_date: Mapped[date | None] = mapped_column(index=True)
    date_note: Mapped[str | None] = mapped_column(sa.String(300))
    kind: Mapped[ActionKind] = mapped_column(enum_column(ActionKind, "followup_action_kind"))
    state: Mapped[ActionState] = mapped_column(enum_column(ActionState, "followup_action_state"))
    description: Mapped[str] = mapped_column(sa.Text)
    actor: Mapped[str | None] = mapped_column(sa.String(300))
    actor_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    evidence_url: Mapped[str | None] = mapped_column(sa.String(500))
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="SET NULL"))
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL"))
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    # Who recorded it: officers change only the actions they recorded.
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A meeting or event held in follow-up that PVE Track itself follows: its own verdict shows.
    linked_event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL"))
    # Reported by a focal point through a report-back link; a manager verifies or rejects it.
    report_back_link_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("report_back_links.id", ondelete="SET NULL"), index=True)
    rejected_at: Mapped[datetime | None]
    rejected_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(nullable=False)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}


class RecommendationLink(Base):
    """Two recommendations of different events that ask for the same thing."""

    __tablename__ = "recommendation_links"
    __table_args__ = (
        sa.UniqueConstraint("first_id", "second_id"),
        sa.CheckConstraint("first_id < second_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    second_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[Decimal] = mapped_column(sa.Numeric(4, 3))
    state: Mapped[LinkState] = mapped_column(enum_column(LinkState, "recommendation_link_state"),
                                             default=LinkState.SUGGESTED)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportBackLink(Base):
    """A signed link that lets a recommendation's focal point, without an account, report
    what was done about that one recommendation until it expires or is revoked."""

    __tablename__ = "report_back_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    focal_name: Mapped[str] = mapped_column(sa.String(200))
    focal_email: Mapped[str] = mapped_column(sa.String(254))
    focal_organisation: Mapped[str | None] = mapped_column(sa.String(300))
    locale: Mapped[str] = mapped_column(sa.String(5), default="en")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]

    recommendation: Mapped[Recommendation] = relationship()
