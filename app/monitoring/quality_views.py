"""The data-quality page of a project: stored values that break a validation rule, and a
manager's acceptance of one as an exception."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.permissions import authorize
from app.db import db
from app.errors import ServiceError
from app.frameworks.models import Indicator
from app.frameworks.periods import label as period_label
from app.monitoring import quality, rules
from app.monitoring.blueprint import bp
from app.monitoring.models import DataValue
from app.pagination import paginate
from app.programmes.models import Project
from app.web import current_actor, get_or_404


@bp.get("/projects/<int:project_id>/data-quality")
def data_quality(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("data.view", project)
    page = paginate(db.session, quality.out_of_rule_query(project), rows=True)
    listed = []
    for value, indicator, period, category in page.items:
        where = f"{indicator.code} · {period_label(period)} · {category.name}"
        figures = {"value": value.value, "numerator": value.numerator,
                   "denominator": value.denominator}
        listed.append((value, indicator, period, category,
                       [rules.describe(found, where)
                        for found in rules.violations(indicator, figures)]))
    return render_template("monitoring/data_quality.html", project=project, page=page,
                           listed=listed)


@bp.post("/values/<int:value_id>/accept-exception")
def accept_exception(value_id: int) -> Any:
    value = get_or_404(DataValue, value_id)
    indicator = db.session.get(Indicator, value.indicator_id)
    project = db.session.get(Project, indicator.project_id) if indicator else None
    if project is None:
        abort(404)
    authorize("period.decide", project)
    try:
        quality.accept_exception(db.session, current_actor(), value,
                                 request.form.get("version", type=int),
                                 request.form.get("reason", ""))
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(_("The value is accepted as an exception; the reason is in the audit trail."),
              "success")
    return redirect(url_for(".data_quality", project_id=project.id, _anchor=f"value-{value.id}"))
