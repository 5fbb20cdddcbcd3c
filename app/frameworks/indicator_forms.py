"""Forms of indicator identification: an indicator, its period targets, and a bank pick."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import VersionedForm, choices
from app.frameworks import labels as fw
from app.frameworks.forms import optional_id
from app.frameworks.indicator_services import INDICATOR_FIELDS
from app.frameworks.models import (
    ActivityKind,
    ActivitySource,
    DisaggregationType,
    Frequency,
    IndicatorType,
    ReportingPeriod,
)
from indicators.bank import BankIndicator
from indicators.types import Calculation, Cumulation, Direction, Measure

NONE_CHOICE = [SelectChoice("", "—")]


def _blank(value: Any) -> Any:
    return value or None


class IndicatorForm(VersionedForm):
    result_id = SelectField(_l("Result measured"), coerce=optional_id)
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=30)],
                       description=_l("Such as 1.1a: the result's code and a letter."))
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=300)])
    definition = TextAreaField(_l("Definition"), validators=[Optional(), Length(max=5000)],
                               description=_l("What counts, what does not, and how it is "
                                              "counted."))
    type = SelectField(_l("Type"), choices=choices(IndicatorType, fw.INDICATOR_TYPE))
    measure = SelectField(_l("Measure"), choices=choices(Measure, fw.MEASURE))
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=60)],
                       description=_l("Such as people, events, %."))
    direction = SelectField(_l("Desired direction"), choices=choices(Direction, fw.DIRECTION))
    calculation = SelectField(_l("Calculation"), choices=choices(Calculation, fw.CALCULATION),
                              description=_l("How values of several periods or categories "
                                             "combine."))
    numerator_label = StringField(_l("Numerator"), validators=[Optional(), Length(max=300)],
                                  description=_l("For a ratio: what is counted above the "
                                                 "line."))
    denominator_label = StringField(_l("Denominator"), validators=[Optional(), Length(max=300)],
                                    description=_l("For a ratio: what is counted below the "
                                                   "line."))
    cumulation = SelectField(_l("Cumulation"), choices=choices(Cumulation, fw.CUMULATION))
    frequency = SelectField(_l("Reporting frequency"), coerce=_blank,
                            choices=[*NONE_CHOICE, *choices(Frequency, fw.FREQUENCY)])
    baseline_value = DecimalField(_l("Baseline value"), validators=[Optional()],
                                  description=_l("For percentages, give the percentage: 45 "
                                                 "for 45 %."))
    baseline_date = DateField(_l("Baseline date"), validators=[Optional()])
    baseline_note = TextAreaField(_l("Baseline note"), validators=[Optional(), Length(max=2000)],
                                  description=_l("Where the baseline comes from; for a "
                                                 "qualitative indicator, the baseline itself."))
    target_value = DecimalField(_l("Life-of-project target"), validators=[Optional()])
    data_source = StringField(_l("Data source"), validators=[Optional(), Length(max=300)])
    collection_method = StringField(_l("Collection method"),
                                    validators=[Optional(), Length(max=300)])
    means_of_verification = StringField(_l("Means of verification"),
                                        validators=[Optional(), Length(max=300)])
    responsible = StringField(_l("Responsible person"), validators=[Optional(), Length(max=200)])
    disaggregations = SelectMultipleField(_l("Disaggregate by"), coerce=int,
                                          widget=ListWidget(prefix_label=False),
                                          option_widget=CheckboxInput())
    sensitive = BooleanField(_l("Sensitive data (do no harm): collecting it can put people at "
                                "risk"))
    min_value = DecimalField(_l("Lowest value accepted"), validators=[Optional()],
                             description=_l("Leave empty for no lower bound."))
    max_value = DecimalField(_l("Highest value accepted"), validators=[Optional()],
                             description=_l("For a percentage entered as a value, 100."))
    whole_numbers = BooleanField(_l("Whole numbers only (people, events, documents)"))
    allow_negative = BooleanField(_l("Negative values are possible (a change, a balance)"))
    allow_over_whole = BooleanField(_l("For a ratio: the numerator may exceed the denominator "
                                       "(over 100 %)"))
    activity_source = SelectField(_l("Values from the activity log"), coerce=_blank,
                                  choices=[SelectChoice("", _l("No: entered by hand")),
                                           *choices(ActivitySource, fw.ACTIVITY_SOURCE)])
    activity_kind = SelectField(_l("Only activities of this kind"), coerce=_blank,
                                choices=[SelectChoice("", _l("Any kind")),
                                         *choices(ActivityKind, fw.ACTIVITY_KIND)])
    bank_code = StringField(_l("Indicator bank code"), validators=[Optional(), Length(max=30)],
                            description=_l("Filled in when the indicator is picked from the "
                                           "bank."))

    def set_disaggregation_choices(self, types: Iterable[DisaggregationType]) -> None:
        types = list(types)
        self.disaggregations.choices = [
            SelectChoice(t.id, fw.DISAGGREGATION.get(t.code, t.name)) for t in types]
        self.type_ids = {t.code: t.id for t in types}


INDICATOR_FORM_FIELDS = [*INDICATOR_FIELDS, "disaggregations"]


def prefill_from_bank(form: IndicatorForm, entry: BankIndicator) -> None:
    """Copy a bank indicator into a new indicator's form; the person completes the rest."""
    form.name.data = entry.name
    form.definition.data = entry.definition
    form.type.data = entry.level.value
    form.measure.data = entry.measure.value
    form.unit.data = entry.unit
    form.direction.data = entry.direction.value
    form.calculation.data = entry.calculation.value
    form.numerator_label.data = entry.numerator
    form.denominator_label.data = entry.denominator
    form.frequency.data = entry.frequency.value
    form.data_source.data = entry.data_source
    form.means_of_verification.data = "; ".join(entry.means_of_verification)
    form.sensitive.data = entry.sensitive
    form.bank_code.data = entry.code
    form.disaggregations.data = [form.type_ids[d.value] for d in entry.suggested_disaggregations
                                 if d.value in form.type_ids]


def targets_form(periods: list[ReportingPeriod], data: dict[int, Any]) -> VersionedForm:
    """A form with one target field per period, named ``p<period id>``."""

    class TargetsForm(VersionedForm):
        pass

    for period in periods:
        setattr(TargetsForm, f"p{period.id}", DecimalField(
            _l("Target"), validators=[Optional()], default=data.get(period.id)))
    return TargetsForm()
