"""The records of data collection that take evidence files: an indicator's value for a
period, and an activity. Registered with ``app.evidence.subjects`` when the pages load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session, object_session

from app.evidence.models import SubjectKind
from app.evidence.subjects import Subject, register
from app.frameworks.models import Indicator, ReportingPeriod
from app.frameworks.periods import PeriodLocked, label
from app.monitoring.models import Activity
from app.monitoring.periods import assert_days_unlocked, assert_editable


@dataclass(frozen=True)
class IndicatorPeriod:
    """What a value's evidence is attached to: one indicator in one reporting period (every
    category of the value shares it)."""

    indicator: Indicator
    period: ReportingPeriod

    @property
    def evidence_subject_id(self) -> int:
        return self.indicator.id

    def project_ids(self) -> frozenset[int]:
        return frozenset({self.indicator.project_id})


def _load_value(session: Session, indicator_id: int, period_id: int | None) -> Any:
    indicator = session.get(Indicator, indicator_id)
    period = session.get(ReportingPeriod, period_id) if period_id is not None else None
    if indicator is None or period is None or period.project_id != indicator.project_id:
        return None
    return IndicatorPeriod(indicator, period)


def _value_closed(record: IndicatorPeriod) -> str | None:
    try:
        assert_editable(record.period)
    except PeriodLocked as exc:
        return str(exc.message)
    return None


def _activity_closed(activity: Activity) -> str | None:
    session = object_session(activity)
    if session is None:
        return None
    try:
        assert_days_unlocked(session, activity.project_id,
                             [activity.start_date, activity.end_date])
    except PeriodLocked as exc:
        return str(exc.message)
    return None


def _load_activity(session: Session, activity_id: int, _part: int | None) -> Any:
    return session.get(Activity, activity_id)


def register_subjects() -> None:
    register(Subject(
        kind=SubjectKind.VALUE, load=_load_value, needs_part=True,
        view_action="data.view", attach_action="data.enter",
        label=lambda r: f"{r.indicator.code} {r.indicator.name} · {label(r.period)}",
        url=lambda r: url_for("monitoring.period_data", period_id=r.period.id,
                              _anchor=f"indicator-{r.indicator.id}"),
        project_id=lambda r: r.indicator.project_id,
        sensitive_by_default=lambda r: bool(r.indicator.sensitive),
        closed=_value_closed))
    register(Subject(
        kind=SubjectKind.ACTIVITY, load=_load_activity,
        view_action="data.view", attach_action="activity.record",
        label=lambda r: f"{r.title} · {r.start_date.isoformat()}",
        url=lambda r: url_for("monitoring.activities", project_id=r.project_id,
                              _anchor=f"activity-{r.id}"),
        project_id=lambda r: r.project_id, closed=_activity_closed))
