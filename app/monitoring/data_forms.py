"""Forms of data collection: an activity, a decision with its reason, a file to import."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.forms import BaseForm, VersionedForm, choices
from app.frameworks.forms import optional_id
from app.frameworks.models import ActivityKind
from app.monitoring.activities import ACTIVITY_FIELDS, Participants
from app.monitoring.imports.activities import PARTICIPANT_COLUMNS
from app.monitoring.labels import ACTIVITY_KIND
from app.monitoring.models import Activity, AgeGroup, Sex


class ActivityForm(VersionedForm):
    kind = SelectField(_l("Kind"), choices=choices(ActivityKind, ACTIVITY_KIND))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    start_date = DateField(_l("Start date"), validators=[InputRequired()],
                           description=_l("The activity counts in the reporting period of this "
                                          "date."))
    end_date = DateField(_l("End date"), validators=[Optional()])
    country = StringField(_l("Country"), validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use a two-letter code."))],
        description=_l("Two-letter code, e.g. KZ."))
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    result_id = SelectField(_l("Output served"), coerce=optional_id)
    cost = DecimalField(_l("Cost"), places=2, validators=[Optional(), NumberRange(min=0)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])

    def validate_end_date(self, field: Any) -> None:
        start = self.start_date.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The end date is before the start date."))

    def participants(self) -> Participants:
        return {key: getattr(self, column).data or 0
                for column, key in PARTICIPANT_COLUMNS.items()}

    def participant_field(self, sex: Sex, age: AgeGroup) -> Any:
        return next(getattr(self, column) for column, key in PARTICIPANT_COLUMNS.items()
                    if key == (sex, age))

    def fill_participants(self, activity: Activity) -> None:
        for p in activity.participants:
            self.participant_field(p.sex, p.age_group).data = p.count


for _column in PARTICIPANT_COLUMNS:
    setattr(ActivityForm, _column, IntegerField(
        _column, validators=[Optional(), NumberRange(min=0, max=10_000_000)],
        render_kw={"inputmode": "numeric", "min": "0"}))

ACTIVITY_FORM_FIELDS = list(ACTIVITY_FIELDS)


class ReasonForm(VersionedForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class UploadForm(BaseForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to import."))],
                     description=_l("A filled-in template, as .csv or .xlsx."),
                     render_kw={"accept": ".csv,.xlsx"})
