"""Forms of the follow-up pages; the rules themselves live in the services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app.evidence.content import ACCEPT
from app.followup import labels
from app.followup.models import ActionKind, EventKind, LinkState, Priority, Theme
from app.forms import BaseForm, VersionedForm, choices
from indicators.followup import ActionState, RecommendationStatus


def optional_id(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class EventForm(VersionedForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=400)])
    kind = SelectField(_l("Kind"), choices=choices(EventKind, labels.EVENT_KIND))
    start_date = DateField(_l("Start date"), validators=[
        InputRequired(message=_l("Give the date the event started."))])
    end_date = DateField(_l("End date"), validators=[
        InputRequired(message=_l("Give the date the event ended."))],
                         description=_l("Follow-up is judged from this date plus the grace "
                                        "period."))
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    country = StringField(_l("Country"), validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use a two-letter code, e.g. KZ."))])
    organiser_ids = SelectMultipleField(_l("Organisers"), coerce=int,
                                        description=_l("Hold Ctrl (⌘ on a Mac) to choose "
                                                       "several."))
    funder_ids = SelectMultipleField(_l("Funders"), coerce=int)
    participants_total = IntegerField(_l("Participants"),
                                      validators=[Optional(), NumberRange(min=0)])
    participants_women = IntegerField(_l("of whom women"),
                                      validators=[Optional(), NumberRange(min=0)])
    participants_men = IntegerField(_l("of whom men"),
                                    validators=[Optional(), NumberRange(min=0)])
    cost = DecimalField(_l("Cost"), places=2, validators=[Optional(), NumberRange(min=0)])
    currency = StringField(_l("Currency"), validators=[
        Optional(), Regexp(r"^[A-Za-z]{3}$", message=_l("Use a three-letter ISO 4217 code."))])
    report_url = StringField(_l("Report (web address)"), validators=[Optional(), Length(max=500)])
    project_id = SelectField(_l("Project"), coerce=optional_id)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class RecommendationForm(VersionedForm):
    number = StringField(_l("Number"), validators=[InputRequired(), Length(max=20)])
    title = StringField(_l("Short title"), validators=[Optional(), Length(max=300)])
    text = TextAreaField(_l("Text"), validators=[InputRequired(), Length(max=10000)])
    addressees = StringField(_l("Addressed to"), validators=[Optional(), Length(max=500)])
    responsible_organisation_id = SelectField(_l("Responsible organisation"),
                                              coerce=optional_id)
    themes = SelectMultipleField(_l("Themes"), choices=choices(Theme, labels.THEME),
                                 description=_l("Hold Ctrl (⌘ on a Mac) to choose several."))
    priority = SelectField(_l("Priority"), choices=choices(Priority, labels.PRIORITY),
                           default=Priority.NORMAL.value)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    focal_name = StringField(_l("Focal point"), validators=[Optional(), Length(max=200)],
                             description=_l("The person at the responsible body who can report "
                                            "what was done; a manager can send them a "
                                            "report-back link."))
    focal_email = StringField(_l("Focal point's e-mail"),
                              validators=[Optional(), Length(max=254)],
                              render_kw={"type": "email", "autocomplete": "off"})
    focal_organisation = StringField(_l("Focal point's organisation"),
                                     validators=[Optional(), Length(max=300)])


class StatusForm(VersionedForm):
    status = SelectField(_l("Status"),
                         choices=choices(RecommendationStatus, labels.RECOMMENDATION_STATUS))
    status_note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class _WhatWasDone(BaseForm):
    """What a follow-up action is, as an officer records it or a focal point reports it."""

    state = RadioField(_l("State"), default=ActionState.DONE.value, choices=[
        SelectChoice(s.value, labels.ACTION_STATE[s]) for s in (ActionState.DONE,
                                                                 ActionState.PLANNED)])
    action_date = DateField(_l("Date"), validators=[Optional()],
                            description=_l("When it was done, or when it is planned."))
    kind = SelectField(_l("Kind"), choices=choices(ActionKind, labels.ACTION_KIND))
    description = TextAreaField(_l("What was done or promised"),
                                validators=[InputRequired(), Length(max=5000)])


class ActionForm(VersionedForm, _WhatWasDone):
    actor = StringField(_l("Who acted"), validators=[Optional(), Length(max=300)])
    evidence_url = StringField(_l("Evidence (web address)"),
                               validators=[Optional(), Length(max=500)])
    project_id = SelectField(_l("Linked project"), coerce=optional_id)
    activity_id = SelectField(_l("Linked activity"), coerce=optional_id)
    linked_event_id = SelectField(
        _l("The meeting or event held, when PVE Track follows it too"), coerce=optional_id,
        description=_l("Its own verdict is then shown beside this event's."))


class VerifyForm(VersionedForm):
    """Carries the version of the action the manager looked at."""


class LinkDecisionForm(BaseForm):
    decision = SelectField(choices=[SelectChoice(LinkState.CONFIRMED.value, ""),
                                    SelectChoice(LinkState.REJECTED.value, "")])
    seen = HiddenField(validators=[InputRequired()])


class SendLinkForm(BaseForm):
    locale = RadioField(_l("Language of the e-mail"), default="en", choices=[
        SelectChoice(code, label) for code, label in labels.REPORT_BACK_LOCALE.items()])


class RevokeLinkForm(BaseForm):
    pass


class RejectForm(VersionedForm):
    reason = TextAreaField(_l("Reason for rejecting"), validators=[
        InputRequired(message=_l("Say why the report is rejected.")), Length(max=2000)])


class ReportBackForm(_WhatWasDone):
    """What a focal point reports through a report-back link."""

    evidence_url = StringField(_l("Evidence (web address)"),
                               validators=[Optional(), Length(max=500)])
    file = FileField(_l("Evidence file"), description=_l(
        "PDF, photo (JPEG, PNG, WebP), DOCX, XLSX, ODT, CSV or text. On a phone you can take "
        "the photo now."), render_kw={"accept": ACCEPT})
    file_title = StringField(_l("Title of the file"), validators=[Optional(), Length(max=300)])
