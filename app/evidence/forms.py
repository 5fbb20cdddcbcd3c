"""The upload form of an evidence file and the form that removes one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.evidence import labels
from app.evidence.content import ACCEPT
from app.evidence.models import EvidenceKind
from app.forms import BaseForm, VersionedForm, choices


class EvidenceForm(BaseForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to attach."))],
                     description=_l("PDF, photo (JPEG, PNG, WebP), DOCX, XLSX, ODT, CSV or "
                                    "text. On a phone you can take the photo now."),
                     render_kw={"accept": ACCEPT})
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=choices(EvidenceKind, labels.KIND))
    document_date = DateField(_l("Date of the document"), validators=[Optional()])
    sensitive = BooleanField(_l("Sensitive (do no harm): it can identify or endanger people"),
                             description=_l("Stored encrypted and shown only to members "
                                            "allowed to see sensitive data. Attendance lists "
                                            "are always sensitive."))
    retain_until = DateField(_l("Keep a sensitive file until"), validators=[Optional()],
                             description=_l("After this date it can be purged for good."))


class RemoveForm(VersionedForm):
    pass


FORM_FIELDS = ["title", "kind", "document_date", "sensitive", "retain_until"]
