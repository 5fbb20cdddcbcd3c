"""The base form (CSRF always on, unless a test profile turns it off) and small helpers."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from app.errors import ServiceError, ValidationFailed


class BaseForm(FlaskForm):
    def apply_error(self, error: ServiceError) -> None:
        """Show a service's refusal beside the field it concerns (or above the form)."""
        errors = error.errors if isinstance(error, ValidationFailed) else {
            error.field or "": [error.message]
        }
        for name, messages in errors.items():
            field = getattr(self, name, None) if name else None
            target = field.errors if field is not None else self.form_errors
            if isinstance(target, tuple):
                target = list(target)
                if field is not None:
                    field.errors = target
            target.extend(str(m) for m in messages)


class VersionedForm(BaseForm):
    """Carries the version of the record the form was rendered from."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


def choices(enum_cls: Any, labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(member.value, labels[member]) for member in enum_cls]
