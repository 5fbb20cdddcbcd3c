"""Forms of the results framework set-up: budget lines, results, assumptions, risks."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import VersionedForm, choices
from app.frameworks import labels as fw
from app.frameworks.models import AssumptionStatus, BudgetCategory, ResultLevel, RiskCategory
from indicators.bank import Theme


def optional_id(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class BudgetLineForm(VersionedForm):
    category = SelectField(_l("Category"), choices=choices(BudgetCategory, fw.BUDGET_CATEGORY))
    description = StringField(_l("Description"), validators=[InputRequired(), Length(max=300)])
    result_id = SelectField(_l("Result"), coerce=optional_id,
                            description=_l("The result this money serves, if one."))
    planned = DecimalField(_l("Planned amount"), places=2,
                           validators=[InputRequired(), NumberRange(min=0)])
    actual = DecimalField(_l("Actual amount spent"), places=2,
                          validators=[Optional(), NumberRange(min=0)])


class ResultForm(VersionedForm):
    level = SelectField(_l("Level"), choices=choices(ResultLevel, fw.RESULT_LEVEL))
    parent_id = SelectField(_l("Contributes to"), coerce=optional_id,
                            description=_l("An outcome contributes to a goal; an output to an "
                                           "outcome."))
    code = StringField(_l("Code"), validators=[Optional(), Length(max=20)],
                       description=_l("Such as 1 or 1.2. Left blank, the next free code is "
                                      "given."))
    statement = TextAreaField(_l("Result statement"),
                              validators=[InputRequired(), Length(max=2000)])
    toc_if = TextAreaField(_l("If …"), validators=[Optional(), Length(max=2000)],
                           description=_l("What the project does or delivers."))
    toc_then = TextAreaField(_l("then …"), validators=[Optional(), Length(max=2000)],
                             description=_l("The change that follows."))
    toc_because = TextAreaField(_l("because …"), validators=[Optional(), Length(max=2000)],
                                description=_l("Why one leads to the other: the evidence or "
                                               "reasoning."))
    themes = SelectMultipleField(_l("Themes"), choices=choices(Theme, fw.THEME),
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 description=_l("What the result is about. Indicators of the bank "
                                                "of these themes are suggested first for it."))


class AssumptionForm(VersionedForm):
    text = TextAreaField(_l("Assumption"), validators=[InputRequired(), Length(max=2000)],
                         description=_l("A condition outside the project's control that must "
                                        "hold for the result to follow."))
    status = SelectField(_l("Status"), choices=choices(AssumptionStatus, fw.ASSUMPTION_STATUS))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class RiskForm(VersionedForm):
    category = SelectField(_l("Category"), choices=choices(RiskCategory, fw.RISK_CATEGORY))
    description = TextAreaField(_l("Risk"), validators=[InputRequired(), Length(max=2000)])
    result_id = SelectField(_l("Result concerned"), coerce=optional_id)
    likelihood = IntegerField(_l("Likelihood (1–5)"),
                              validators=[InputRequired(), NumberRange(min=1, max=5)])
    impact = IntegerField(_l("Impact (1–5)"),
                          validators=[InputRequired(), NumberRange(min=1, max=5)])
    mitigation = TextAreaField(_l("Mitigation"), validators=[Optional(), Length(max=2000)])
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=200)])
    review_date = DateField(_l("Review date"), validators=[Optional()])
