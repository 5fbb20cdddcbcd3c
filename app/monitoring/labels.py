"""Translatable labels of data collection: period states, participants, notifications."""

from flask_babel import lazy_gettext as _l

from app.frameworks.labels import (
    ACTIVITY_KIND,
    ACTIVITY_SOURCE,
    CALCULATION,
    DISAGGREGATION,
    FREQUENCY,
)
from app.frameworks.models import PeriodState
from app.monitoring.models import AgeGroup, Sex

__all__ = ["ACTIVITY_KIND", "ACTIVITY_SOURCE", "AGE_GROUP", "AUDIT_ACTION", "CALCULATION",
           "DISAGGREGATION", "FREQUENCY", "NOTIFICATION_KIND", "PERIOD_STATE", "SEX", "TASK"]

PERIOD_STATE = {
    PeriodState.OPEN: _l("Open"),
    PeriodState.SUBMITTED: _l("Submitted"),
    PeriodState.RETURNED: _l("Returned"),
    PeriodState.APPROVED: _l("Approved · locked"),
}
SEX = {Sex.FEMALE: _l("Women and girls"), Sex.MALE: _l("Men and boys"),
       Sex.UNKNOWN: _l("Not recorded")}
AGE_GROUP = {
    AgeGroup.UNDER_15: _l("Under 15"),
    AgeGroup.AGE_15_24: _l("15–24"),
    AgeGroup.AGE_25_34: _l("25–34"),
    AgeGroup.AGE_35_PLUS: _l("35 and over"),
    AgeGroup.UNKNOWN: _l("Age not recorded"),
}
# What a task asks of the person who sees it (the tasks page).
TASK = {
    "returned": _l("Returned to you"),
    "overdue": _l("Overdue"),
    "due": _l("Due"),
    "in_progress": _l("In progress"),
    "awaiting": _l("Awaiting approval"),
}
NOTIFICATION_KIND = {
    "period.submit": _l("Submitted"),
    "period.approve": _l("Approved"),
    "period.return": _l("Returned"),
    "period.reopen": _l("Reopened"),
}
AUDIT_ACTION = {
    "data_values.save": _l("Values saved"),
    "data_values.import": _l("Values imported"),
    "activities.import": _l("Activities imported"),
    "field_submissions.import": _l("KoboToolbox or ODK submissions imported"),
    "activity.create": _l("Activity recorded"),
    "activity.update": _l("Activity changed"),
    "activity.delete": _l("Activity removed"),
    "period.submit": _l("Period submitted"),
    "period.approve": _l("Period approved and locked"),
    "period.return": _l("Period returned"),
    "period.reopen": _l("Lock exception: period reopened"),
    "value.rule_exception": _l("Value accepted as an exception to a validation rule"),
}
