"""The audit trail as its reader sees it, in the reader's language: each record type and field
by its label, and each old and new value as the interface writes it (an enum by its label, a
yes or no, dates and numbers in the reader's locale).

The one place that words an audit event. A field takes, in this order: a label given here for
its record type, the label of the form that edits it, a label given here for the field name
alone, or else its name made readable ("budget_line" -> "Budget line"). A value is read by the
column it was stored from (``ENTITY_MODELS``), so an enum, a boolean, a date or a number is
written as one; anything unknown is shown as stored, never refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms.fields.core import UnboundField

from app import formatting
from app.audit import AuditEvent
from app.auth import forms as auth_forms
from app.auth import labels as auth_labels
from app.auth.models import User
from app.evaluation import forms as evaluation_forms
from app.evaluation import labels as evaluation_labels
from app.evaluation.models import ConsensusScore, IndicatorScore, ProjectRating
from app.evidence import forms as evidence_forms
from app.evidence import labels as evidence_labels
from app.evidence.models import EvidenceBlob, EvidenceFile
from app.followup import forms as followup_forms
from app.followup import labels as followup_labels
from app.followup.models import Event, FollowUpAction, Recommendation, RecommendationLink
from app.frameworks import forms as framework_forms
from app.frameworks import indicator_forms
from app.frameworks import labels as framework_labels
from app.frameworks.models import (
    Assumption,
    BudgetLine,
    DisaggregationCategory,
    Indicator,
    ReportingPeriod,
    Result,
    Risk,
    Target,
)
from app.monitoring import data_forms as monitoring_forms
from app.monitoring import labels as monitoring_labels
from app.monitoring.models import Activity, DataValue
from app.programmes import forms as programme_forms
from app.programmes import labels as programme_labels
from app.programmes.models import Organisation, Programme, Project

Labels = Mapping[Any, Any]

#: The record types of the audit trail (``AuditEvent.entity``).
ENTITY_LABELS: dict[str, Any] = {
    "activity": _l("Activity"),
    "assumption": _l("Assumption"),
    "budget_line": _l("Budget line"),
    "consensus_score": _l("Consensus score"),
    "data_value": _l("Indicator value"),
    "disaggregation_category": _l("Disaggregation category"),
    "event": _l("Event"),
    "evidence_blob": _l("Stored file"),
    "evidence_file": _l("Evidence"),
    "followup_action": _l("Follow-up action"),
    "indicator": _l("Indicator"),
    "indicator_score": _l("Indicator score"),
    "job": _l("Job"),
    "organisation": _l("Organisation"),
    "programme": _l("Programme"),
    "project": _l("Project"),
    "project_rating": _l("Project rating"),
    "recommendation": _l("Recommendation"),
    "recommendation_link": _l("Link between recommendations"),
    "reporting_period": _l("Reporting period"),
    "result": _l("Result"),
    "risk": _l("Risk"),
    "target": _l("Target"),
    "user": _l("User"),
}

#: The model each record type was stored from: its columns say what a value is.
ENTITY_MODELS: dict[str, type[Any]] = {
    "activity": Activity,
    "assumption": Assumption,
    "budget_line": BudgetLine,
    "consensus_score": ConsensusScore,
    "data_value": DataValue,
    "disaggregation_category": DisaggregationCategory,
    "event": Event,
    "evidence_blob": EvidenceBlob,
    "evidence_file": EvidenceFile,
    "followup_action": FollowUpAction,
    "indicator": Indicator,
    "indicator_score": IndicatorScore,
    "organisation": Organisation,
    "programme": Programme,
    "project": Project,
    "project_rating": ProjectRating,
    "recommendation": Recommendation,
    "recommendation_link": RecommendationLink,
    "reporting_period": ReportingPeriod,
    "result": Result,
    "risk": Risk,
    "target": Target,
    "user": User,
}

#: The forms that edit each record type, whose field labels the trail reuses (first wins).
ENTITY_FORMS: dict[str, tuple[type[Any], ...]] = {
    "activity": (monitoring_forms.ActivityForm,),
    "assumption": (framework_forms.AssumptionForm,),
    "budget_line": (framework_forms.BudgetLineForm,),
    "consensus_score": (evaluation_forms.ConsensusForm,),
    "event": (followup_forms.EventForm,),
    "evidence_file": (evidence_forms.EvidenceForm,),
    "followup_action": (followup_forms.ActionForm,),
    "indicator": (indicator_forms.IndicatorForm,),
    "indicator_score": (evaluation_forms.IndicatorScoreForm,),
    "organisation": (programme_forms.OrganisationForm,),
    "programme": (programme_forms.ProgrammeForm,),
    "project": (programme_forms.ProjectForm, programme_forms.MemberForm),
    "project_rating": (evaluation_forms.ProjectRatingForm,),
    "recommendation": (followup_forms.RecommendationForm, followup_forms.StatusForm),
    "result": (framework_forms.ResultForm,),
    "risk": (framework_forms.RiskForm,),
    "user": (auth_forms.UserForm,),
}

#: Labels of fields that no form edits, or that a form labels for another purpose.
ENTITY_FIELD_LABELS: dict[tuple[str, str], Any] = {
    ("project", "sensitive_access"): _l("May see sensitive data"),
    ("evidence_file", "sensitive"): _l("Sensitive"),
    ("project", "frequency"): _l("Reporting frequency"),
    ("project", "file"): _l("Imported file"),
    ("job", "kind"): _l("Kind of job"),
}

#: Labels of field names alone, whatever the record type.
FIELD_LABELS: dict[str, Any] = {
    "active": _l("Active"),
    "aspect": _l("Aspect"),
    "category": _l("Category"),
    "changed": _l("Changed"),
    "code": _l("Code"),
    "comment": _l("Comment"),
    "criterion": _l("Criterion"),
    "decided_at": _l("Decided on"),
    "decided_by_id": _l("Decided by"),
    "denominator": _l("Denominator"),
    "description": _l("Description"),
    "disaggregations": _l("Disaggregate by"),
    "donors": _l("Donors"),
    "due_date": _l("Due date"),
    "email": _l("Email"),
    "end_date": _l("End date"),
    "event_id": _l("Event"),
    "evidence_url": _l("Evidence (web address)"),
    "file": _l("File"),
    "files": _l("Files"),
    "funders": _l("Funders"),
    "indicator_id": _l("Indicator"),
    "kind": _l("Kind"),
    "member": _l("Member"),
    "name": _l("Name"),
    "new": _l("New"),
    "numerator": _l("Numerator"),
    "organisers": _l("Organisers"),
    "participants": _l("Participants"),
    "period_id": _l("Reporting period"),
    "periods": _l("Reporting periods"),
    "position": _l("Position"),
    "project_id": _l("Project"),
    "reason": _l("Reason"),
    "recommendation_id": _l("Recommendation"),
    "rescored": _l("Waiting suggestions rescored"),
    "result_id": _l("Result"),
    "rule_exception": _l("Accepted exception to a validation rule"),
    "rule_exception_at": _l("Exception accepted on"),
    "rule_exception_by_id": _l("Exception accepted by"),
    "start_date": _l("Start date"),
    "state": _l("State"),
    "status": _l("Status"),
    "suggested": _l("Suggested"),
    "text": _l("Text"),
    "threshold": _l("Threshold"),
    "title": _l("Title"),
    "unchanged": _l("Unchanged"),
    "value": _l("Value"),
    "verified_at": _l("Verified on"),
    "verified_by_id": _l("Verified by"),
}


def _by_enum(*maps: Labels) -> dict[type[Enum], Labels]:
    """The label maps of the app's enums, by the enum their keys belong to (first wins)."""
    found: dict[type[Enum], Labels] = {}
    for labels in maps:
        kinds = {type(key) for key in labels}
        if len(kinds) == 1 and issubclass(enum_class := kinds.pop(), Enum):
            found.setdefault(enum_class, labels)
    return found


#: Each stored enum's labels, from the label maps the pages already use.
ENUM_LABELS = _by_enum(
    auth_labels.ROLE, auth_labels.MEMBER_ROLE, auth_labels.LOCALE,
    programme_labels.ORGANISATION_KIND, programme_labels.ACTIVITY_STATUS,
    framework_labels.RESULT_LEVEL, framework_labels.ASSUMPTION_STATUS,
    framework_labels.RISK_CATEGORY, framework_labels.BUDGET_CATEGORY,
    framework_labels.INDICATOR_TYPE, framework_labels.MEASURE, framework_labels.DIRECTION,
    framework_labels.CALCULATION, framework_labels.CUMULATION, framework_labels.FREQUENCY,
    framework_labels.ACTIVITY_SOURCE, framework_labels.ACTIVITY_KIND,
    monitoring_labels.PERIOD_STATE, monitoring_labels.SEX, monitoring_labels.AGE_GROUP,
    evaluation_labels.STATE, evaluation_labels.CRITERION, evaluation_labels.ASPECT,
    followup_labels.EVENT_KIND, followup_labels.EVENT_ROLE, followup_labels.PRIORITY,
    followup_labels.RECOMMENDATION_STATUS, followup_labels.ACTION_KIND,
    followup_labels.ACTION_STATE, followup_labels.LINK_STATE,
    evidence_labels.KIND, evidence_labels.SUBJECT,
)

#: Values kept in lists (JSON columns, or changes recorded beside the columns), by field.
LIST_LABELS: dict[tuple[str | None, str], Labels] = {
    (None, "gcts_pillars"): programme_labels.GCTS_PILLAR,
    (None, "poa_priorities"): programme_labels.POA_PRIORITY,
    (None, "target_groups"): programme_labels.TARGET_GROUP,
    (None, "drivers"): programme_labels.DRIVER,
    (None, "levels"): programme_labels.INTERVENTION_LEVEL,
    (None, "disaggregations"): framework_labels.DISAGGREGATION,
    ("recommendation", "themes"): followup_labels.THEME,
    ("result", "themes"): framework_labels.THEME,
    ("project", "frequency"): framework_labels.FREQUENCY,
}

#: Fields that hold the id of a user: shown by the user's name (``people``).
USER_ID_FIELDS = frozenset({"decided_by_id", "rule_exception_by_id", "verified_by_id"})

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Change:
    """One changed field of an audit event, worded for the reader."""

    field: str
    label: str
    old: str
    new: str


def readable(name: str) -> str:
    """A name as a reader may read it: "budget_line" -> "Budget line"."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def record_type(entity: str | None) -> str:
    """The label of a record type: "budget_line" -> "Budget line", «Статья бюджета»."""
    if not entity:
        return ""
    label = ENTITY_LABELS.get(entity)
    return str(label) if label is not None else readable(entity)


@cache
def _form_labels(entity: str) -> dict[str, Any]:
    """The labels of the fields of the forms that edit ``entity`` (lazy strings)."""
    labels: dict[str, Any] = {}
    for form in ENTITY_FORMS.get(entity, ()):
        for name in dir(form):
            unbound = getattr(form, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            label = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
            if label is not None and not isinstance(label, type) and str(label) != name:
                labels.setdefault(name, label)
    return labels


def field_label(entity: str | None, field: str) -> str:
    """The label of one field of a record type, in the reader's language."""
    if ISO_DATE.match(field):  # a figure of the period that starts that day (targets)
        return _date(field)
    entity = entity or ""
    label = (ENTITY_FIELD_LABELS.get((entity, field)) or _form_labels(entity).get(field)
             or FIELD_LABELS.get(field))
    return str(label) if label is not None else readable(field)


def _column(entity: str | None, field: str) -> sa.Column[Any] | None:
    model = ENTITY_MODELS.get(entity or "")
    if model is None:
        return None
    column: sa.Column[Any] | None = model.__table__.columns.get(field)
    return column


def _value_labels(entity: str | None, field: str,
                  column: sa.Column[Any] | None) -> Labels | None:
    labels = LIST_LABELS.get((entity, field)) or LIST_LABELS.get((None, field))
    if labels is None and column is not None and isinstance(column.type, sa.Enum):
        enum_class = column.type.enum_class
        labels = ENUM_LABELS.get(enum_class) if enum_class is not None else None
    return labels


def _date(text: str) -> str:
    try:
        return formatting.date(date.fromisoformat(text))
    except ValueError:
        return text


def _datetime(text: str) -> str:
    try:
        return formatting.datetime(datetime.fromisoformat(text))
    except ValueError:
        return text


def _number(value: Any) -> str:
    try:
        return formatting.number(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


def value_text(entity: str | None, field: str, value: Any) -> str:
    """One old or new value of a field, as the interface writes it; unknown values as stored."""
    if value is None or value == "" or value == []:
        return formatting.NOTHING
    column = _column(entity, field)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(entity, field, item) for item in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    labels = _value_labels(entity, field, column)
    if labels is not None:
        label = labels.get(value) if isinstance(value, str) else None
        return str(label) if label is not None else str(value)
    if column is not None:
        return _column_value(column, value)
    if isinstance(value, str):
        if ISO_DATE.match(value):
            return _date(value)
        if ISO_DATETIME.match(value):
            return _datetime(value)
        if ISO_DATE.match(field) and DECIMAL.match(value):  # a figure of a period
            return _number(value)
        return value
    if isinstance(value, int | float | Decimal) and not field.endswith("_id"):
        return _number(value)
    return str(value)


def _column_value(column: sa.Column[Any], value: Any) -> str:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return str(_("yes") if value else _("no"))
    if column.primary_key or column.foreign_keys:
        return str(value)  # a record's number
    if isinstance(kind, sa.DateTime) or (isinstance(kind, sa.TypeDecorator)
                                         and isinstance(kind.impl, sa.DateTime)):
        return _datetime(str(value))
    if isinstance(kind, sa.Date):
        return _date(str(value))
    if isinstance(kind, sa.Numeric | sa.Integer) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def _recorded(event: AuditEvent) -> dict[str, Any]:
    return event.changes if isinstance(event.changes, dict) else {}


def _pair(change: Any) -> tuple[Any, Any]:
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[0], change[1]
    return None, change


def people(session: Session, events: Iterable[AuditEvent]) -> dict[int, str]:
    """The names of the users whose ids the changes of ``events`` hold (``USER_ID_FIELDS``):
    one query for a whole page, none when no change names a user."""
    ids = {value for event in events for field, change in _recorded(event).items()
           if field in USER_ID_FIELDS for value in _pair(change) if isinstance(value, int)}
    if not ids:
        return {}
    rows = session.execute(sa.select(User.id, User.name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def changes(event: AuditEvent, names: Mapping[int, str] | None = None) -> list[Change]:
    """The changes an audit event recorded, each worded for the reader, in recorded order;
    ``names`` are the users' names by id (``people``)."""
    found = []
    for field, change in _recorded(event).items():
        old, new = _pair(change)
        if field in USER_ID_FIELDS and names:
            old, new = (names.get(v, v) if isinstance(v, int) else v for v in (old, new))
        found.append(Change(field, field_label(event.entity, field),
                            value_text(event.entity, field, old),
                            value_text(event.entity, field, new)))
    return found
