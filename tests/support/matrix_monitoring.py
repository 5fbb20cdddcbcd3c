"""Role matrix rows of data collection: members read their project's periods and activities;
officers (and staff) enter values, record activities, import and submit; only staff approve,
return and reopen periods. Tasks and notifications are every signed-in user's own."""

from __future__ import annotations

from typing import Any

from seed.factories import (
    ActivityFactory,
    DataValueFactory,
    IndicatorFactory,
    NotificationFactory,
    ReportingPeriodFactory,
)

A, F, L = "allowed", "forbidden", "login"
SIGNED_IN = (L, A, A, A, A)
MEMBERS = (L, A, A, A, A)  # staff, and the officer and evaluator of project A
ENTER = (L, A, A, A, F)  # staff, and the officer of project A
STAFF = (L, A, A, F, F)

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "monitoring.tasks": {"GET": SIGNED_IN},
    "monitoring.notifications_page": {"GET": SIGNED_IN},
    "monitoring.notifications_read": {"POST": SIGNED_IN},
    "monitoring.notification_open": {"POST": (L, F, F, A, F)},  # the officer's own
    "monitoring.periods": {"GET": MEMBERS},
    "monitoring.period_data": {"GET": MEMBERS, "POST": ENTER},
    "monitoring.period_submit": {"POST": ENTER},
    "monitoring.period_approve": {"POST": STAFF},
    "monitoring.period_return": {"POST": STAFF},
    "monitoring.period_reopen": {"POST": STAFF},
    "monitoring.activities": {"GET": MEMBERS},
    "monitoring.activity_new": {"GET": ENTER, "POST": ENTER},
    "monitoring.activity_edit": {"GET": ENTER, "POST": ENTER},
    "monitoring.activity_delete": {"POST": ENTER},
    "monitoring.import_page": {"GET": ENTER, "POST": ENTER},
    "monitoring.import_template": {"GET": ENTER},
    "monitoring.data_quality": {"GET": MEMBERS},
    "monitoring.accept_exception": {"POST": STAFF},
}

OTHER_PROJECT: list[tuple[str, str]] = [
    (endpoint, method) for endpoint, methods in ROWS.items() for method in methods
    if not endpoint.startswith(("monitoring.tasks", "monitoring.notification"))
]


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    def ids(project: Any) -> dict[str, Any]:
        period = ReportingPeriodFactory(project=project)
        activity = ActivityFactory(project=project)
        note = NotificationFactory(user=world["users"]["officer"])
        value = DataValueFactory(indicator=IndicatorFactory(project=project), period=period,
                                 value=-1)  # breaks the rule against negative values
        return {"period_id": period.id, "activity_id": activity.id,
                "notification_id": note.id, "kind": "values", "fmt": "csv",
                "value_id": value.id}

    ids_a, ids_b = ids(world["project_a"]), ids(world["project_b"])
    session.flush()
    return ids_a, ids_b
