from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from app.auth import labels
from app.auth.models import Locale, Role
from app.auth.passwords import MAX_LENGTH
from app.auth.tokens import TokenScope
from app.forms import BaseForm, VersionedForm, choices


class LoginForm(BaseForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=MAX_LENGTH)])


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters. A few unrelated words make a strong password."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class LocaleForm(BaseForm):
    locale = SelectField(_l("Language"), choices=choices(Locale, labels.LOCALE))


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[InputRequired(), Length(max=100)],
                       description=_l("Where the token is used, e.g. “donor dashboard”."))
    scope = SelectField(_l("Access"), choices=[
        SelectChoice(TokenScope.READ.value, _l("Read only")),
        SelectChoice(TokenScope.READ_WRITE.value, _l("Read and write")),
    ])
    days = SelectField(_l("Valid for"), coerce=int, choices=[
        SelectChoice(30, _l("30 days")), SelectChoice(90, _l("90 days")),
        SelectChoice(365, _l("one year"))], default=90)


class UserForm(VersionedForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(Role, labels.ROLE))
    locale = SelectField(_l("Language"), choices=choices(Locale, labels.LOCALE))
    new_password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(max=MAX_LENGTH)],
        description=_l("Leave empty to keep the current password. Setting one ends the "
                       "user's sessions."),
    )


class NewUserForm(BaseForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(Role, labels.ROLE))
    locale = SelectField(_l("Language"), choices=choices(Locale, labels.LOCALE))
    password = PasswordField(
        _l("Initial password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters; give it to the user through a safe channel."),
    )


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])
