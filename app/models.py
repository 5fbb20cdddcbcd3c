"""Imports every model so that ``Base.metadata`` is complete (Alembic, tests)."""

from app.audit import AuditEvent
from app.auth.models import Locale, MemberRole, ProjectMember, Role, User
from app.programmes.models import (
    ActivityStatus,
    Organisation,
    OrganisationKind,
    Programme,
    Project,
)

__all__ = [
    "ActivityStatus",
    "AuditEvent",
    "Locale",
    "MemberRole",
    "Organisation",
    "OrganisationKind",
    "Programme",
    "Project",
    "ProjectMember",
    "Role",
    "User",
]
