"""Translatable labels of evidence files: their kinds and the audit actions on them."""

from flask_babel import lazy_gettext as _l

from app.evidence.models import EvidenceKind, SubjectKind

KIND = {
    EvidenceKind.REPORT: _l("Report"),
    EvidenceKind.ATTENDANCE: _l("Attendance list"),
    EvidenceKind.PHOTO: _l("Photo"),
    EvidenceKind.OFFICIAL: _l("Official document"),
    EvidenceKind.MEDIA: _l("Media article"),
    EvidenceKind.OTHER: _l("Other"),
}
SUBJECT = {
    SubjectKind.VALUE: _l("Indicator value"),
    SubjectKind.ACTIVITY: _l("Activity"),
    SubjectKind.EVENT: _l("Event"),
    SubjectKind.RECOMMENDATION: _l("Recommendation"),
    SubjectKind.ACTION: _l("Follow-up action"),
}
AUDIT_ACTION = {
    "evidence.attach": _l("Evidence file attached"),
    "evidence.remove": _l("Evidence file removed"),
    "evidence.download": _l("Sensitive evidence downloaded"),
    "evidence.purge": _l("Evidence file purged"),
    "evidence.rotate_key": _l("Evidence encryption key rotated"),
}
