"""The base form (CSRF always on, unless a test profile turns it off) and small helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from app.errors import ServiceError, ValidationFailed


class UnsetAttributesOmitted:
    """Form ``Meta``: an attribute given as None is left out of the rendered field.

    WTForms writes ``aria-invalid="None"`` for ``aria-invalid=None``, which screen readers
    announce as invalid; templates pass None for "not set", so it is dropped here, once,
    for every field of every form (radio options and subforms included)."""

    def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
        kept = {name: value for name, value in render_kw.items() if value is not None}
        return super().render_field(field, kept)  # type: ignore[misc]


class BaseForm(FlaskForm):
    Meta = type("Meta", (UnsetAttributesOmitted, FlaskForm.Meta), {})

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


@dataclass(frozen=True)
class FieldError:
    field_id: str  # the id of the input to go to ("" for an error of the whole form)
    label: str
    message: str


def error_list(form: Any) -> list[FieldError]:
    """Every error of a form, in the order of its fields, subforms and list rows included:
    what the error summary above a form lists and links to."""
    found = [FieldError("", "", str(m)) for m in getattr(form, "form_errors", ())]

    def walk(fields: Any, prefix_label: str) -> None:
        for f in fields:
            if f.type == "CSRFTokenField":
                if f.errors:
                    found.extend(FieldError("", "", str(m)) for m in f.errors)
                continue
            label = f.label.text if f.label is not None else ""
            if f.type == "FormField":
                walk(f.form, f"{prefix_label}{label}: " if label else prefix_label)
            elif f.type == "FieldList":
                for number, entry in enumerate(f.entries, 1):
                    row = f"{prefix_label}{label} {number}"
                    if entry.type == "FormField":
                        walk(entry.form, row + ": ")
                    else:
                        found.extend(FieldError(entry.id, row, str(m)) for m in entry.errors
                                     if isinstance(m, str))
            else:
                found.extend(FieldError(f.id, prefix_label + str(label), str(m))
                             for m in f.errors if isinstance(m, str))

    walk(form, "")
    return found


class VersionedForm(BaseForm):
    """Carries the version of the record the form was rendered from."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


def choices(enum_cls: Any, labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(member.value, labels[member]) for member in enum_cls]
