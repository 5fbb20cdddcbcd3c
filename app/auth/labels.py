"""Translatable labels of users: roles, project roles, languages, and the audit actions of
sign-in and user administration."""

from flask_babel import lazy_gettext as _l

from app.auth.models import Locale, MemberRole, Role

ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.MANAGER: _l("Manager"),
    Role.OFFICER: _l("Programme officer"),
    Role.EVALUATOR: _l("Evaluator"),
}
MEMBER_ROLE = {MemberRole.OFFICER: _l("Programme officer"), MemberRole.EVALUATOR: _l("Evaluator")}
LOCALE = {Locale.EN: "English", Locale.RU: "Русский"}
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
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
}
