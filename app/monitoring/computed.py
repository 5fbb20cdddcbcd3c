"""Values of indicators whose source is the activity log, computed in SQL for each period.

An activity counts in the period its start date falls in. ``activity_count`` indicators
count the activities (of ``activity_kind`` when set), ``participants`` indicators add up
their participants. Categories that the log records are computed too: sex and age group
for participants, country for both. Nothing is stored: the log is the only record, so a
value cannot disagree with the activities behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks.models import TOTAL_CODE, ActivitySource, Indicator, ReportingPeriod
from app.monitoring.models import Activity, ActivityParticipants

# disaggregation type -> the activity column its category codes match, per source
COUNT_BY = {"country": Activity.country}
PARTICIPANTS_BY = {"country": Activity.country, "sex": ActivityParticipants.sex,
                   "age_group": ActivityParticipants.age_group}

Key = tuple[int, int, str, str]  # indicator id, period id, type code, category code


def computable(indicator: Indicator, type_code: str) -> bool:
    """Whether the activity log records the categories of ``type_code`` for this indicator."""
    if type_code == TOTAL_CODE:
        return True
    by = PARTICIPANTS_BY if indicator.activity_source == ActivitySource.PARTICIPANTS else COUNT_BY
    return type_code in by


def activity_values(session: Session, indicators: Iterable[Indicator],
                    period_ids: Iterable[int]) -> dict[Key, Decimal]:
    """``{(indicator, period, type code, category code): value}`` for the activity-sourced
    indicators given, in at most two grouped queries whatever the number of rows."""
    sourced = [i for i in indicators if i.activity_source is not None]
    ids = sorted(set(period_ids))
    if not sourced or not ids:
        return {}
    rp = ReportingPeriod
    joined = (sa.select(rp.id.label("period_id"), Activity.kind, Activity.country)
              .join(Activity, sa.and_(Activity.project_id == rp.project_id,
                                      Activity.start_date >= rp.start_date,
                                      Activity.start_date <= rp.end_date))
              .where(rp.id.in_(ids)))
    counts: dict[tuple[int, str, str | None], int] = {}
    if any(i.activity_source == ActivitySource.ACTIVITY_COUNT for i in sourced):
        query = joined.add_columns(sa.func.count(Activity.id)).group_by(
            rp.id, Activity.kind, Activity.country)
        for period_id, kind, country, n in session.execute(query):
            counts[(period_id, kind.value, country)] = n
    people: dict[tuple[int, str, str | None, str, str], int] = {}
    if any(i.activity_source == ActivitySource.PARTICIPANTS for i in sourced):
        query = (joined.join(ActivityParticipants, ActivityParticipants.activity_id == Activity.id)
                 .add_columns(ActivityParticipants.sex, ActivityParticipants.age_group,
                              sa.func.sum(ActivityParticipants.count))
                 .group_by(rp.id, Activity.kind, Activity.country, ActivityParticipants.sex,
                           ActivityParticipants.age_group))
        for period_id, kind, country, sex, age, n in session.execute(query):
            people[(period_id, kind.value, country, sex.value, age.value)] = int(n or 0)
    result: dict[Key, Decimal] = defaultdict(Decimal)
    for indicator in sourced:
        wanted = indicator.activity_kind.value if indicator.activity_kind else None
        types = {t.code for t in indicator.disaggregations}
        for period_id in ids:
            result[(indicator.id, period_id, TOTAL_CODE, TOTAL_CODE)] += 0
        if indicator.activity_source == ActivitySource.ACTIVITY_COUNT:
            for (period_id, kind, country), n in counts.items():
                if wanted in (None, kind):
                    result[(indicator.id, period_id, TOTAL_CODE, TOTAL_CODE)] += n
                    if "country" in types and country:
                        result[(indicator.id, period_id, "country", country)] += n
            continue
        for (period_id, kind, country, sex, age), n in people.items():
            if wanted not in (None, kind):
                continue
            result[(indicator.id, period_id, TOTAL_CODE, TOTAL_CODE)] += n
            for code, category in (("country", country), ("sex", sex), ("age_group", age)):
                if code in types and category:
                    result[(indicator.id, period_id, code, category)] += n
    return dict(result)
