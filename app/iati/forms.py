from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField

from app.forms import BaseForm


def _optional_id(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", "None") else None


class IatiUploadForm(BaseForm):
    file = FileField(_l("IATI activity file"),
                     validators=[FileRequired(_l("Choose a file to import."))],
                     description=_l("An XML file of IATI version 2.01, 2.02 or 2.03."),
                     render_kw={"accept": ".xml,application/xml,text/xml"})
    programme_id = SelectField(
        _l("Programme"), coerce=_optional_id,
        description=_l("The programme the projects belong to. Leave empty to use the parent "
                       "activity each project names."))


class IatiConfirmForm(BaseForm):
    stored = HiddenField()
    filename = HiddenField()
    programme_id = HiddenField()
