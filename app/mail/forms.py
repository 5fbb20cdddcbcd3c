"""The digest settings on the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import VersionedForm
from app.mail.models import DigestFrequency

FREQUENCY = {
    DigestFrequency.DAILY: _l("Daily"),
    DigestFrequency.WEEKLY: _l("Weekly"),
    DigestFrequency.OFF: _l("Off: no digest"),
}


class DigestForm(VersionedForm):
    frequency = RadioField(_l("How often"), choices=[SelectChoice(f.value, label)
                                                     for f, label in FREQUENCY.items()])
    kinds = SelectMultipleField(_l("What the digest tells you"), choices=[],
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput(), validate_choice=True)
