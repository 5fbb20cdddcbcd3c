"""Stored values that break their indicator's validation rules, and a manager's acceptance of
one as an exception.

Rules change, and values entered before a rule existed stay stored: nothing is changed silently.
The data-quality page lists them. The query selects, in SQL, the values that break a rule (the
conditions of ``indicators.validation`` written over the columns, so the page is paged by the
database); each listed value then gets its violations from ``indicators.validation`` itself,
which a test holds equal to the SQL selection.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.db import utcnow
from app.errors import ValidationFailed
from app.frameworks.models import DisaggregationCategory, Indicator, ReportingPeriod
from app.monitoring.models import DataValue
from app.programmes.models import Project
from app.records import check_version

EXCEPTION_FIELDS = ["rule_exception"]


def _whole(column: Any) -> Any:
    return sa.cast(column, sa.Integer) == column


def breaks_a_rule() -> sa.ColumnElement[bool]:
    """The SQL twin of ``indicators.validation.check`` over a value and its indicator."""
    value, numerator, denominator = DataValue.value, DataValue.numerator, DataValue.denominator
    return sa.or_(
        sa.and_(value < 0, Indicator.allow_negative.is_(False)),
        sa.and_(Indicator.min_value.is_not(None), value < Indicator.min_value),
        sa.and_(Indicator.max_value.is_not(None), value > Indicator.max_value),
        sa.and_(Indicator.whole_numbers.is_(True), sa.or_(
            sa.and_(value.is_not(None), sa.not_(_whole(value))),
            sa.and_(numerator.is_not(None), sa.not_(_whole(numerator))),
            sa.and_(denominator.is_not(None), sa.not_(_whole(denominator))))),
        numerator < 0,
        denominator < 0,
        sa.and_(numerator > denominator, Indicator.allow_over_whole.is_(False)),
    )


def out_of_rule_query(project: Project) -> Any:
    """Values of the project that break a rule, with what the page shows beside each."""
    return (
        sa.select(DataValue, Indicator, ReportingPeriod, DisaggregationCategory)
        .join(Indicator, Indicator.id == DataValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == DataValue.period_id)
        .join(DisaggregationCategory, DisaggregationCategory.id == DataValue.category_id)
        .where(Indicator.project_id == project.id, breaks_a_rule())
        .order_by(Indicator.position, Indicator.id, ReportingPeriod.start_date,
                  DisaggregationCategory.id)
    )


def accept_exception(session: Session, actor: Actor, value: DataValue, version: int | None,
                     reason: str) -> DataValue:
    """A manager accepts a value that breaks a rule, saying why; audited, and flagged wherever
    the value is listed."""
    check_version(value, version, EXCEPTION_FIELDS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"rule_exception": [_l(
            "Say why this value is right although it breaks the rule: the reason is kept in "
            "the audit trail.")]})
    if len(reason) > 2000:
        raise ValidationFailed({"rule_exception": [_l("At most %(n)d characters.", n=2000)]})
    changes = audit.apply_changes(value, {"rule_exception": reason,
                                          "rule_exception_by_id": actor.user_id,
                                          "rule_exception_at": utcnow()})
    audit.record(session, actor, "value.rule_exception", "data_value", value.id, changes)
    session.commit()
    return value
