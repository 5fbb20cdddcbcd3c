"""What is collected: indicator values, activities, approval and locking, tasks, notifications,
and the bulk importers (``imports``)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks import indicator_services
from app.frameworks.models import Indicator
from app.monitoring.models import DataValue


def _reported_values(session: Session, indicator: Indicator) -> int:
    return session.scalar(sa.select(sa.func.count(DataValue.id)).where(
        DataValue.indicator_id == indicator.id)) or 0


indicator_services.IN_USE_CHECKS.append(_reported_values)
