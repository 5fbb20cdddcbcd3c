"""Translatable labels for stored values, shared by forms and templates."""

from flask_babel import lazy_gettext as _l

from app.auth.models import Locale, MemberRole, Role
from app.programmes.models import ActivityStatus, OrganisationKind

ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.MANAGER: _l("Manager"),
    Role.OFFICER: _l("Programme officer"),
    Role.EVALUATOR: _l("Evaluator"),
}
MEMBER_ROLE = {MemberRole.OFFICER: _l("Programme officer"), MemberRole.EVALUATOR: _l("Evaluator")}
LOCALE = {Locale.EN: "English", Locale.RU: "Русский"}
ORGANISATION_KIND = {
    OrganisationKind.DONOR: _l("Donor"),
    OrganisationKind.UN_AGENCY: _l("UN agency"),
    OrganisationKind.INTERGOVERNMENTAL: _l("Intergovernmental organisation"),
    OrganisationKind.GOVERNMENT: _l("Government"),
    OrganisationKind.NGO: _l("Non-governmental organisation"),
    OrganisationKind.ACADEMIC: _l("Academic or research institution"),
    OrganisationKind.PRIVATE: _l("Private sector"),
}
ACTIVITY_STATUS = {
    ActivityStatus.PIPELINE: _l("Pipeline"),
    ActivityStatus.IMPLEMENTATION: _l("Implementation"),
    ActivityStatus.FINALISATION: _l("Finalisation"),
    ActivityStatus.CLOSED: _l("Closed"),
    ActivityStatus.CANCELLED: _l("Cancelled"),
    ActivityStatus.SUSPENDED: _l("Suspended"),
}
# How the source documents hedge a figure ("more than 300").
QUALIFIER = {
    "more than": _l("more than"),
    "at least": _l("at least"),
    "about": _l("about"),
    "almost": _l("almost"),
    "at most": _l("at most"),
    "less than": _l("less than"),
}
AUDIT_ACTION = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Failed sign-in"),
    "login.throttled": _l("Sign-in refused: too many failures"),
    "logout": _l("Signed out"),
    "user.create": _l("User created"),
    "user.update": _l("User changed"),
    "user.activate": _l("User activated"),
    "user.deactivate": _l("User deactivated"),
    "user.password_change": _l("Password changed"),
    "user.locale": _l("Language changed"),
    "organisation.create": _l("Organisation created"),
    "organisation.update": _l("Organisation changed"),
    "programme.create": _l("Programme created"),
    "programme.update": _l("Programme changed"),
    "project.create": _l("Project created"),
    "project.update": _l("Project changed"),
    "project.member_add": _l("Project member added"),
    "project.member_remove": _l("Project member removed"),
    "seed.synthetic": _l("Synthetic data generated"),
}
