"""What the follow-up pages share: the "as of" date of the URL and the projects to link to."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, g, request
from flask_babel import gettext as _
from wtforms import SelectChoice

from app.auth.permissions import project_scope
from app.db import db
from app.followup.assess import parse_as_of
from app.programmes.models import Project


def requested_as_of() -> Any:
    as_of, refused = parse_as_of(request.args.get("as_of"))
    if refused:
        flash(_("The date %(d)s is not a date like 2024-12-31; today is shown instead.",
                d=request.args.get("as_of")), "warning")
    return as_of


def project_choices() -> list[SelectChoice]:
    """The projects the signed-in user may link to: all for staff, their own for others."""
    rows = db.session.execute(sa.select(Project.id, Project.code, Project.title)
                              .where(project_scope(g.user, Project.id))
                              .order_by(Project.code))
    return [SelectChoice("", _("— none —"))] + [
        SelectChoice(r.id, f"{r.code} — {r.title}") for r in rows]


def page_number() -> int:
    """The page asked for in ``?page=`` (1 when absent or not a number)."""
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 10 else 1
