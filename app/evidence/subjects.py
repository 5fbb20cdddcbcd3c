"""The records evidence can be attached to, registered by the packages that own them.

Evidence sits below data collection and follow-up, so it does not import their models; each
of them registers a ``Subject`` that loads its record, says who may see it and attach to it,
whether files on it are sensitive by default, where its page is, and whether it is closed to
new files (a value of an approved period).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.evidence.models import SubjectKind


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    # (session, id, part id) -> the record, or None when there is no such record. The record
    # answers project_ids() (see auth.permissions).
    load: Callable[[Session, int, int | None], Any | None]
    view_action: str  # a permission: who may see the record, and so its files
    attach_action: str  # a permission: who may attach files to it
    label: Callable[[Any], str]  # the record as a reader names it
    url: Callable[[Any], str]  # the record's own page
    project_id: Callable[[Any], int | None]
    sensitive_by_default: Callable[[Any], bool] = lambda record: False
    # -> a message when the record takes no new files now (e.g. its period is approved)
    closed: Callable[[Any], str | None] = lambda record: None
    needs_part: bool = False  # the record is named by two ids (a value: indicator and period)
    # What the permissions are asked about (e.g. a follow-up action's event); the record itself
    # by default
    target: Callable[[Any], Any] = lambda record: record


SUBJECTS: dict[SubjectKind, Subject] = {}


def register(subject: Subject) -> None:
    SUBJECTS[subject.kind] = subject
