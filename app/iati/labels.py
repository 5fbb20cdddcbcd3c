"""Names of the IATI package's audit actions (its other writes use the actions of the records
they create: project, result, indicator, reporting periods, targets)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIT_ACTION = {
    "iati.import": _l("IATI file imported"),
}
