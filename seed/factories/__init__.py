"""factory_boy factories per domain, shared by the tests and the synthetic data generator.

They write through the current application's session (``app.db.db.session``), so they
are used inside an application context.
"""

from seed.factories.auth import DEFAULT_PASSWORD, MemberFactory, UserFactory
from seed.factories.evaluation import (
    ConsensusScoreFactory,
    IndicatorScoreFactory,
    ProjectRatingFactory,
)
from seed.factories.followup import (
    EventFactory,
    EventOrganisationFactory,
    FollowUpActionFactory,
    RecommendationFactory,
    RecommendationLinkFactory,
)
from seed.factories.framework import (
    AssumptionFactory,
    BudgetLineFactory,
    DataValueFactory,
    IndicatorFactory,
    ReportingPeriodFactory,
    ResultFactory,
    RiskFactory,
    TargetFactory,
)
from seed.factories.monitoring import (
    ActivityFactory,
    ActivityParticipantsFactory,
    NotificationFactory,
)
from seed.factories.programmes import OrganisationFactory, ProgrammeFactory, ProjectFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "ActivityFactory",
    "ActivityParticipantsFactory",
    "AssumptionFactory",
    "BudgetLineFactory",
    "ConsensusScoreFactory",
    "DataValueFactory",
    "EventFactory",
    "EventOrganisationFactory",
    "FollowUpActionFactory",
    "IndicatorFactory",
    "IndicatorScoreFactory",
    "MemberFactory",
    "NotificationFactory",
    "OrganisationFactory",
    "ProgrammeFactory",
    "ProjectFactory",
    "ProjectRatingFactory",
    "RecommendationFactory",
    "RecommendationLinkFactory",
    "ReportingPeriodFactory",
    "ResultFactory",
    "RiskFactory",
    "TargetFactory",
    "UserFactory",
]
