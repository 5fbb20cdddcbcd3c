from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import ProjectMember
from app.db import Base, TimestampMixin, enum_column


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


class GctsPillar(enum.StrEnum):
    """Pillars of the UN Global Counter-Terrorism Strategy."""

    I = "I"  # noqa: E741 - the pillar's own name
    II = "II"
    III = "III"
    IV = "IV"


class PoaPriority(enum.StrEnum):
    """Priority areas of the UN Secretary-General's Plan of Action to Prevent Violent Extremism."""

    DIALOGUE_CONFLICT_PREVENTION = "dialogue_conflict_prevention"
    GOVERNANCE_HUMAN_RIGHTS_RULE_OF_LAW = "governance_human_rights_rule_of_law"
    ENGAGING_COMMUNITIES = "engaging_communities"
    EMPOWERING_YOUTH = "empowering_youth"
    GENDER_EQUALITY_WOMEN = "gender_equality_women"
    EDUCATION_SKILLS_EMPLOYMENT = "education_skills_employment"
    STRATEGIC_COMMUNICATIONS_ONLINE = "strategic_communications_online"


class TargetGroup(enum.StrEnum):
    YOUTH = "youth"
    WOMEN = "women"
    RELIGIOUS_LEADERS = "religious_leaders"
    MIGRANTS = "migrants"
    PRISONERS_RETURNEES = "prisoners_returnees"
    ETHNIC_MINORITIES = "ethnic_minorities"
    MEDIA = "media"
    LAW_ENFORCEMENT = "law_enforcement"
    TEACHERS_PARENTS = "teachers_parents"
    ONLINE_AUDIENCES = "online_audiences"
    CIVIL_SOCIETY = "civil_society"
    OFFICIALS = "officials"


class Driver(enum.StrEnum):
    """Drivers of violent extremism a programme addresses: push factors, then pull factors."""

    MARGINALISATION_EXCLUSION = "push_marginalisation_exclusion"
    POOR_GOVERNANCE_CORRUPTION = "push_poor_governance_corruption"
    HUMAN_RIGHTS_VIOLATIONS = "push_human_rights_violations"
    LACK_OF_OPPORTUNITY = "push_lack_of_opportunity"
    UNRESOLVED_CONFLICT = "push_unresolved_conflict"
    IDEOLOGY_NARRATIVES = "pull_ideology_narratives"
    BELONGING_NETWORKS = "pull_belonging_networks"
    MATERIAL_INCENTIVES = "pull_material_incentives"
    CHARISMATIC_RECRUITERS = "pull_charismatic_recruiters"
    STATUS_ADVENTURE = "pull_status_adventure"

    @property
    def kind(self) -> str:
        return self.value.split("_", 1)[0]


class InterventionLevel(enum.StrEnum):
    LOCAL = "local"
    PROVINCIAL = "provincial"
    NATIONAL = "national"
    REGIONAL = "regional"
    ONLINE = "online"


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
    # Alignment tags: lists of the enum values above.
    gcts_pillars: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    poa_priorities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    drivers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    levels: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    version: Mapped[int] = mapped_column(nullable=False)

    lead_organisation: Mapped[Organisation | None] = relationship()
    donors: Mapped[list[ProgrammeDonor]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeDonor.id")
    projects: Mapped[list[Project]] = relationship(
        back_populates="programme", order_by="Project.code"
    )

    __mapper_args__ = {"version_id_col": version}

    def project_ids(self) -> frozenset[int]:
        """The projects whose members may act on this programme (see ``auth.permissions``)."""
        return frozenset(project.id for project in self.projects)


class ProgrammeDonor(Base):
    """A donor of a programme and what it gives, in the programme's currency."""

    __tablename__ = "programme_donors"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "organisation_id"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))

    programme: Mapped[Programme] = relationship(back_populates="donors")
    organisation: Mapped[Organisation] = relationship()


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
    # The activity's IATI identifier; when empty, exports build one from the reporting
    # organisation's ref and the project code (``app.iati.identifiers``).
    iati_identifier: Mapped[str | None] = mapped_column(sa.String(150), unique=True)
    version: Mapped[int] = mapped_column(nullable=False)

    programme: Mapped[Programme] = relationship(back_populates="projects")
    implementer: Mapped[Organisation | None] = relationship()
    members: Mapped[list[ProjectMember]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def project_ids(self) -> frozenset[int]:
        """The projects whose members may act on this one: itself (see ``auth.permissions``)."""
        return frozenset({self.id})
