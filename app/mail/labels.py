"""The audit trail's names for what the mail package records."""

from flask_babel import lazy_gettext as _l

AUDIT_ACTION = {
    "mail.queue": _l("E-mail queued"),
    "mail.send": _l("E-mail sent"),
    "mail.log": _l("E-mail written to the log (no mail server)"),
    "mail.fail": _l("E-mail could not be sent"),
    "mail.preferences": _l("E-mail digest settings changed"),
    "mail.unsubscribe": _l("Unsubscribed from e-mail"),
}
