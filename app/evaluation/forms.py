"""Forms for scores, project ratings and consensus.

The forms carry the values, the version and the CSRF token; the services check the values
(a level from 1 to 4, a justification that is not blank) and name the field in each message,
so that the browser, the API and the tests get the same refusals.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField

from app.forms import BaseForm, VersionedForm

LEVELS = [SelectChoice(level, str(level)) for level in (1, 2, 3, 4)]
TEXT_MAX = 5000


def _level(label: object) -> RadioField:
    return RadioField(label, choices=LEVELS, coerce=int, validate_choice=False)


class IndicatorScoreForm(VersionedForm):
    achievement = _level(_l("Achievement"))
    data_quality = _level(_l("Data quality"))
    justification = TextAreaField(_l("Justification"))
    save = SubmitField(_l("Save draft"))
    finalise = SubmitField(_l("Save and finalise"))


class ProjectRatingForm(VersionedForm):
    rating = _level(_l("Rating"))
    justification = TextAreaField(_l("Justification"))
    save = SubmitField(_l("Save draft"))
    finalise = SubmitField(_l("Save and finalise"))


class ConsensusForm(VersionedForm):
    value = _level(_l("Consensus score"))
    reason = TextAreaField(_l("Reason"))


class FinaliseForm(BaseForm):
    """Finalise every draft of the signed-in evaluator on one page (CSRF only)."""
