from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import BaseForm, UnsetAttributesOmitted, VersionedForm, choices
from app.programmes import labels
from app.programmes.models import (
    ActivityStatus,
    Driver,
    GctsPillar,
    InterventionLevel,
    OrganisationKind,
    PoaPriority,
    TargetGroup,
)

COUNTRY_LIST = re.compile(r"^\s*([A-Za-z]{2}\s*(,\s*[A-Za-z]{2}\s*)*)?$")


def parse_countries(raw: str | None) -> list[str]:
    return [c.strip().upper() for c in (raw or "").split(",") if c.strip()]


class CountriesField(StringField):
    """ISO 3166-1 alpha-2 codes separated by commas, e.g. "KZ, KG"."""

    def _value(self) -> str:
        return ", ".join(self.data) if isinstance(self.data, list) else (self.data or "")

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = valuelist[0] if valuelist else ""
        if not COUNTRY_LIST.match(raw or ""):
            self.data = raw
            raise ValueError(_l("Give two-letter country codes separated by commas, e.g. KZ, KG."))
        self.data = parse_countries(raw)


def _optional_id(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class OrganisationForm(VersionedForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=300)])
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=50)])
    kind = SelectField(_l("Kind"), choices=choices(OrganisationKind, labels.ORGANISATION_KIND))
    country = StringField(
        _l("Country"),
        validators=[Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use a two-letter code."))],
        description=_l("Two-letter code, for national organisations only."),
    )


class _PeriodMixin:
    def validate_end_date(self, field: Any) -> None:
        start = self.start_date.data  # type: ignore[attr-defined]
        if field.data and start and field.data < start:
            raise ValidationError(_l("The end date is before the start date."))


class MultiCheckboxField(SelectMultipleField):
    """Several values chosen with checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DonorForm(Form):
    """One donor row of the programme form; a row left blank is ignored."""

    class Meta(UnsetAttributesOmitted):
        pass

    organisation_id = SelectField(_l("Donor"), coerce=_optional_id, validate_choice=False)
    amount = DecimalField(_l("Amount"), places=2, validators=[Optional(), NumberRange(min=0)])


class ProgrammeForm(_PeriodMixin, VersionedForm):
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    lead_organisation_id = SelectField(_l("Lead organisation"), coerce=_optional_id)
    countries = CountriesField(_l("Countries"), description=_l("Two-letter codes, e.g. KZ, KG, TJ"))
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    currency = StringField(
        _l("Currency"), default="USD",
        validators=[InputRequired(), Regexp(r"^[A-Za-z]{3}$", message=_l("Use a three-letter "
                                                                      "ISO 4217 code."))],
    )
    budget = DecimalField(_l("Budget"), places=2, validators=[Optional(), NumberRange(min=0)])
    status = SelectField(_l("Status"), choices=choices(ActivityStatus, labels.ACTIVITY_STATUS))
    iati_identifier = StringField(_l("IATI identifier"), validators=[Optional(), Length(max=150)])
    donors = FieldList(FormField(DonorForm), min_entries=1)
    gcts_pillars = MultiCheckboxField(labels.ALIGNMENT["gcts_pillars"][0],
                                      choices=choices(GctsPillar, labels.GCTS_PILLAR))
    poa_priorities = MultiCheckboxField(labels.ALIGNMENT["poa_priorities"][0],
                                        choices=choices(PoaPriority, labels.POA_PRIORITY))
    target_groups = MultiCheckboxField(labels.ALIGNMENT["target_groups"][0],
                                       choices=choices(TargetGroup, labels.TARGET_GROUP))
    drivers = MultiCheckboxField(labels.ALIGNMENT["drivers"][0],
                                 choices=choices(Driver, labels.DRIVER))
    levels = MultiCheckboxField(labels.ALIGNMENT["levels"][0],
                                choices=choices(InterventionLevel, labels.INTERVENTION_LEVEL))

    def validate_donors(self, field: Any) -> None:
        for entry in field.entries:
            row = entry.form
            if row.amount.data is not None and row.organisation_id.data is None:
                row.organisation_id.errors = [_l("Choose the donor this amount comes from.")]
                raise ValidationError(_l("Every amount needs its donor."))


class ProjectForm(_PeriodMixin, VersionedForm):
    programme_id = SelectField(_l("Programme"), coerce=int)
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    implementer_id = SelectField(_l("Implementing organisation"), coerce=_optional_id)
    countries = CountriesField(_l("Countries"), description=_l("Two-letter codes, e.g. KZ, KG, TJ"))
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    budget = DecimalField(_l("Budget"), places=2, validators=[Optional(), NumberRange(min=0)])
    status = SelectField(_l("Status"), choices=choices(ActivityStatus, labels.ACTIVITY_STATUS))
    iati_identifier = StringField(
        _l("IATI identifier"), validators=[Optional(), Length(max=150)],
        description=_l("Leave empty to use the reporting organisation's ref and the project code"))


class MemberForm(BaseForm):
    user_id = SelectField(_l("Person"), coerce=int)
    sensitive_access = BooleanField(_l("May see sensitive data (attendance lists, photos of "
                                       "participants, files marked sensitive)"))
