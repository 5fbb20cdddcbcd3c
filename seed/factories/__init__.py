"""factory_boy factories per domain, shared by the tests and the synthetic data generator.

They write through the current application's session (``app.db.db.session``), so they
are used inside an application context.
"""

from seed.factories.auth import DEFAULT_PASSWORD, MemberFactory, UserFactory
from seed.factories.programmes import OrganisationFactory, ProgrammeFactory, ProjectFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "MemberFactory",
    "OrganisationFactory",
    "ProgrammeFactory",
    "ProjectFactory",
    "UserFactory",
]
