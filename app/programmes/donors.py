"""A programme's donors with their amounts, and its alignment tags: the rules that check them."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.errors import ValidationFailed
from app.programmes.models import (
    Driver,
    GctsPillar,
    InterventionLevel,
    Organisation,
    PoaPriority,
    Programme,
    ProgrammeDonor,
    TargetGroup,
)

TAG_FIELDS: dict[str, type[enum.StrEnum]] = {
    "gcts_pillars": GctsPillar,
    "poa_priorities": PoaPriority,
    "target_groups": TargetGroup,
    "drivers": Driver,
    "levels": InterventionLevel,
}

Donor = tuple[int, Decimal | None]
CENTS = Decimal("0.01")


def check_tags(values: dict[str, Any]) -> None:
    """Refuse unknown tag values; keep the known ones once each, in the enum's order."""
    errors: dict[str, list[Any]] = {}
    for field, enum_cls in TAG_FIELDS.items():
        chosen = [str(v) for v in values.get(field) or []]
        allowed = [member.value for member in enum_cls]
        unknown = [v for v in chosen if v not in allowed]
        if unknown:
            errors[field] = [_l("Unknown value: %(v)s", v=", ".join(unknown))]
        values[field] = [v for v in allowed if v in chosen]
    if errors:
        raise ValidationFailed(errors)


def check_donors(session: Session, donors: Sequence[Donor]) -> list[Donor]:
    """Refuse a donor that does not exist, is listed twice, or gives a negative amount."""
    ids = [org_id for org_id, _amount in donors]
    names = dict(session.execute(sa.select(Organisation.id, Organisation.name)
                                 .where(Organisation.id.in_(ids))).all()) if ids else {}
    errors: list[Any] = []
    seen: set[int] = set()
    for org_id, amount in donors:
        if org_id not in names:
            errors.append(_l("There is no organisation number %(id)s.", id=org_id))
        elif org_id in seen:
            errors.append(_l("%(name)s is listed twice as a donor.", name=names[org_id]))
        if amount is not None and amount < 0:
            errors.append(_l("The amount of a donor cannot be negative: %(amount)s",
                             amount=amount))
        seen.add(org_id)
    if errors:
        raise ValidationFailed({"donors": errors})
    return [(org_id, None if amount is None else amount.quantize(CENTS))
            for org_id, amount in donors]


def set_donors(programme: Programme, donors: Sequence[Donor]) -> None:
    """Make the programme's donors exactly ``donors``, keeping the rows that stay."""
    existing = {d.organisation_id: d for d in programme.donors}
    rows = []
    for org_id, amount in donors:
        row = existing.pop(org_id, None) or ProgrammeDonor(organisation_id=org_id)
        row.amount = amount
        rows.append(row)
    programme.donors = rows


def describe_donors(session: Session, donors: Sequence[Donor]) -> list[str]:
    """Donors as readable text for the audit trail and the form's "now saved" values."""
    ids = [org_id for org_id, _amount in donors]
    names = dict(session.execute(sa.select(Organisation.id, Organisation.name)
                                 .where(Organisation.id.in_(ids))).all()) if ids else {}
    return [f"{names.get(org_id, org_id)}: {amount if amount is not None else '—'}"
            for org_id, amount in donors]
