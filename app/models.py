"""Imports every model so that ``Base.metadata`` is complete (Alembic, tests)."""

from app.audit import AuditEvent
from app.auth.models import Locale, MemberRole, ProjectMember, Role, User
from app.auth.tokens import ApiToken
from app.evaluation.models import ConsensusScore, IndicatorScore, ProjectRating
from app.evidence.models import EvidenceBlob, EvidenceFile
from app.followup.models import (
    Event,
    EventOrganisation,
    FollowUpAction,
    Recommendation,
    RecommendationLink,
    RecommendationTheme,
    ReportBackLink,
)
from app.frameworks.models import (
    Assumption,
    BudgetLine,
    DisaggregationCategory,
    DisaggregationType,
    Indicator,
    ReportingPeriod,
    Result,
    ResultTheme,
    Risk,
    Target,
)
from app.jobs.models import Job, JobState
from app.mail.models import DigestFrequency, DigestPreference, MailMessage, MailState
from app.monitoring.models import (
    Activity,
    ActivityParticipants,
    DataValue,
    FieldSubmission,
    Notification,
)
from app.programmes.models import (
    ActivityStatus,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeDonor,
    Project,
)

__all__ = [
    "Activity",
    "ActivityParticipants",
    "ActivityStatus",
    "ApiToken",
    "Assumption",
    "AuditEvent",
    "BudgetLine",
    "ConsensusScore",
    "DataValue",
    "DigestFrequency",
    "DigestPreference",
    "DisaggregationCategory",
    "DisaggregationType",
    "Event",
    "EventOrganisation",
    "EvidenceBlob",
    "EvidenceFile",
    "FieldSubmission",
    "FollowUpAction",
    "Indicator",
    "IndicatorScore",
    "Job",
    "JobState",
    "Locale",
    "MailMessage",
    "MailState",
    "MemberRole",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "Programme",
    "ProgrammeDonor",
    "Project",
    "ProjectMember",
    "ProjectRating",
    "Recommendation",
    "RecommendationLink",
    "RecommendationTheme",
    "ReportBackLink",
    "ReportingPeriod",
    "Result",
    "ResultTheme",
    "Risk",
    "Role",
    "Target",
    "User",
]
