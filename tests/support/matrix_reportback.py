"""Role matrix rows of report-back links: staff send and revoke them and reject what came
back; the focal point's page opens without signing in, for whoever holds the signed link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from itsdangerous import URLSafeSerializer

from app.followup.models import Recommendation, ReportBackLink
from app.followup.reportback import SALT
from tests_support import TEST_SECRET

A, F, L = "allowed", "forbidden", "login"
PUBLIC = (A, A, A, A, A)
STAFF = (L, A, A, F, F)

ORDER = 1  # the links belong to the recommendations the follow-up rows made

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "followup.report_back_send": {"POST": STAFF},
    "followup.report_back_revoke": {"POST": STAFF},
    "followup.action_reject": {"POST": STAFF},
    "followup.report_back_page": {"GET": PUBLIC, "POST": PUBLIC},
}

OTHER_PROJECT: list[tuple[str, str]] = []


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    serializer = URLSafeSerializer(TEST_SECRET, salt=SALT)
    made = []
    for ids in (world["ids_a"], world["ids_b"]):
        recommendation = session.get(Recommendation, ids["recommendation_id"])
        recommendation.focal_name = "Focal Point"
        recommendation.focal_email = "focal.point@example.org"
        now = dt.datetime.now(dt.UTC)
        link = ReportBackLink(recommendation_id=recommendation.id, focal_name="Focal Point",
                              focal_email="focal.point@example.org", locale="en",
                              created_at=now, expires_at=now + dt.timedelta(days=60))
        session.add(link)
        session.flush()
        made.append({"report_link_id": link.id, "link_token": serializer.dumps(
            {"l": link.id, "r": recommendation.id})})
    return made[0], made[1]
