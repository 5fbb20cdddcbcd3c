"""Attach, read, remove and purge evidence files; every change is in the audit trail.

A file is checked (``content.inspect_upload``) before anything is written; a refused upload
stores nothing. Sensitive files are encrypted with the first of ``EVIDENCE_KEYS`` before they
reach the disk. A blob shared by several attachments is encrypted as soon as one of them is
sensitive, and removed from the disk only when no attachment refers to it any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.auth.permissions import can_see_sensitive
from app.config import ConfigError, parse_keys
from app.db import utcnow
from app.errors import ServiceError, ValidationFailed
from app.evidence.content import Refused, inspect_upload
from app.evidence.models import EvidenceBlob, EvidenceFile, EvidenceKind, SubjectKind
from app.evidence.storage import Cipher, KeyMissing, LocalStorage, Storage, digest
from app.evidence.subjects import SUBJECTS, Subject
from app.formatting import number
from app.records import check_version

FILE_FIELDS = ["title", "kind", "document_date", "sensitive", "retain_until"]


def may_see(user: Any, file: EvidenceFile) -> bool:
    """A sensitive file is listed by title, and opened, only by those who may see it."""
    return not file.sensitive or can_see_sensitive(user, file)


def storage() -> Storage:
    return LocalStorage(current_app.config["EVIDENCE_DIR"])


def cipher() -> Cipher:
    return Cipher(parse_keys(current_app.config["EVIDENCE_KEYS"]))


def max_bytes() -> int:
    return int(current_app.config["EVIDENCE_MAX_MB"]) * 1024 * 1024


def subject_of(file: EvidenceFile) -> Subject:
    return SUBJECTS[file.subject_kind]


def is_sensitive(subject: Subject, record: Any, kind: EvidenceKind, asked: bool) -> bool:
    """Sensitive when asked, for every attendance list, and for records sensitive by nature
    (the values of an indicator marked sensitive)."""
    return asked or kind is EvidenceKind.ATTENDANCE or subject.sensitive_by_default(record)


def attach(session: Session, actor: Actor, subject: Subject, record: Any, part_id: int | None,
           data: bytes, filename: str, values: dict[str, Any],
           today: dt.date | None = None) -> EvidenceFile:
    """Check the upload and attach it to ``record``; refuse with a ServiceError naming the
    field (``file`` or another) and store nothing."""
    closed = subject.closed(record)
    if closed:
        raise ServiceError(closed, "file")
    _check_values(values, today or dt.date.today())
    if len(data) > max_bytes():
        raise ServiceError(_l("The file is %(size)s MB; evidence files can be at most "
                              "%(limit)s MB.", size=number(len(data) / 1024 / 1024, 1),
                              limit=current_app.config["EVIDENCE_MAX_MB"]), "file")
    try:
        inspected = inspect_upload(data, filename)
    except Refused as exc:
        raise ServiceError(exc.message, "file") from exc
    kind = EvidenceKind(values["kind"])
    sensitive = is_sensitive(subject, record, kind, bool(values.get("sensitive")))
    keys = cipher()
    if sensitive and not keys.available:
        raise ServiceError(_l("This file is sensitive, and sensitive files are stored "
                              "encrypted; the administrator has not set an encryption key "
                              "(EVIDENCE_KEYS). Nothing was stored."), "file")
    sha = digest(inspected.data)
    blob = existing_blob(session, sha)
    store = storage()
    if blob is None:
        store.put(sha, keys.encrypt(inspected.data) if sensitive else inspected.data)
        blob = _new_blob(session, sha, len(inspected.data), inspected.type.media_type, sensitive)
        if blob.encrypted and not sensitive:  # stored encrypted by the other upload
            store.put(sha, keys.encrypt(inspected.data))
    if sensitive and not blob.encrypted:
        store.put(sha, keys.encrypt(inspected.data))
        blob.encrypted = True
    elif not store.exists(sha):  # content lost from the disk: write it again
        store.put(sha, keys.encrypt(inspected.data) if blob.encrypted else inspected.data)
    file = EvidenceFile(
        subject_kind=subject.kind, subject_id=_record_id(subject, record),
        subject_part_id=part_id, project_id=subject.project_id(record), blob_sha256=sha,
        title=values["title"].strip(), kind=kind, document_date=values.get("document_date"),
        filename=inspected.filename, sensitive=sensitive,
        retain_until=values.get("retain_until") if sensitive else None,
        uploaded_by_id=actor.user_id)
    session.add(file)
    session.flush()
    changes = audit.snapshot(file, FILE_FIELDS)
    changes.update({"record": [None, f"{subject.kind.value} {_key(file)}"],
                    "file": [None, f"{inspected.filename} ({sha[:12]}, {len(inspected.data)} "
                                   "bytes)"]})
    audit.record(session, actor, "evidence.attach", "evidence_file", file.id, changes)
    session.commit()
    return file


def existing_blob(session: Session, sha: str) -> EvidenceBlob | None:
    return session.get(EvidenceBlob, sha)


def _new_blob(session: Session, sha: str, size: int, media_type: str,
              encrypted: bool) -> EvidenceBlob:
    """Record new content; when someone stored the same content at the same moment, theirs
    is the record (its bytes on the disk are the same file)."""
    blob = EvidenceBlob(sha256=sha, size=size, media_type=media_type, encrypted=encrypted)
    try:
        with session.begin_nested():
            session.add(blob)
    except IntegrityError:
        found = session.get(EvidenceBlob, sha, populate_existing=True)
        if found is None:
            raise
        return found
    return blob


def _record_id(subject: Subject, record: Any) -> int:
    return int(record.evidence_subject_id if subject.needs_part else record.id)


def _key(file: EvidenceFile) -> str:
    return f"{file.subject_id}/{file.subject_part_id}" if file.subject_part_id else (
        str(file.subject_id))


def _check_values(values: dict[str, Any], today: dt.date) -> None:
    errors: dict[str, list[Any]] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_l("This field is required.")]
    try:
        EvidenceKind(str(values.get("kind")))
    except ValueError:
        errors["kind"] = [_l("Choose the kind of document.")]
    retain = values.get("retain_until")
    if retain is not None and retain < today:
        errors["retain_until"] = [_l("The date to keep the file until is already past.")]
    if errors:
        raise ValidationFailed(errors)


def read(file: EvidenceFile) -> bytes:
    """The file's content, decrypted when it is stored encrypted."""
    data = storage().get(file.blob_sha256)
    return cipher().decrypt(data) if file.blob.encrypted else data


def record_download(session: Session, actor: Actor, file: EvidenceFile) -> None:
    """Every download of a sensitive file is in the audit trail."""
    if file.sensitive:
        audit.record(session, actor, "evidence.download", "evidence_file", file.id,
                     {"file": [None, file.filename]})
        session.commit()


def remove(session: Session, actor: Actor, file: EvidenceFile, version: int | None) -> None:
    """Take a file off its record. It stays stored (and in the audit trail) until a purge."""
    check_version(file, version, ["title"])
    if file.removed_at is not None:
        return
    file.removed_at = utcnow()
    file.removed_by_id = actor.user_id
    audit.record(session, actor, "evidence.remove", "evidence_file", file.id,
                 {"title": [file.title, None]})
    session.commit()


def files_of(session: Session, kind: SubjectKind, subject_id: int,
             part_id: int | None = None) -> list[EvidenceFile]:
    """The files attached to one record, oldest first (removed ones left out)."""
    return files_by_subject(session, kind, [subject_id], part_id).get(subject_id, [])


def files_by_subject(session: Session, kind: SubjectKind, subject_ids: Iterable[int],
                     part_id: int | None = None) -> dict[int, list[EvidenceFile]]:
    """subject id -> its files, oldest first, in one query (for pages of several records)."""
    ids = list(subject_ids)
    if not ids:
        return {}
    query = sa.select(EvidenceFile).where(
        EvidenceFile.subject_kind == kind, EvidenceFile.subject_id.in_(ids),
        EvidenceFile.removed_at.is_(None))
    if part_id is not None:
        query = query.where(EvidenceFile.subject_part_id == part_id)
    found: dict[int, list[EvidenceFile]] = {}
    for file in session.scalars(query.order_by(EvidenceFile.uploaded_at, EvidenceFile.id)):
        found.setdefault(file.subject_id, []).append(file)
    return found


def project_files(session: Session, project_id: int, kind: SubjectKind) -> list[EvidenceFile]:
    """Every file of one kind of record of a project (for its exports), in one query."""
    return list(session.scalars(sa.select(EvidenceFile).where(
        EvidenceFile.project_id == project_id, EvidenceFile.subject_kind == kind,
        EvidenceFile.removed_at.is_(None)).order_by(EvidenceFile.uploaded_at, EvidenceFile.id)))


def counts(session: Session, kind: SubjectKind, subject_ids: Iterable[int],
           part_id: int | None = None) -> dict[int, int]:
    """subject id -> how many files it has (in the part ``part_id``), in one query, for
    pages that list several records."""
    ids = list(subject_ids)
    if not ids:
        return {}
    query = (sa.select(EvidenceFile.subject_id, sa.func.count())
             .where(EvidenceFile.subject_kind == kind, EvidenceFile.subject_id.in_(ids),
                    EvidenceFile.removed_at.is_(None)))
    if part_id is not None:
        query = query.where(EvidenceFile.subject_part_id == part_id)
    return {subject_id: n for subject_id, n in
            session.execute(query.group_by(EvidenceFile.subject_id))}


def count_many(session: Session,
               wanted: dict[SubjectKind, Iterable[int]]) -> dict[tuple[str, int], int]:
    """(kind, subject id) -> how many files, for records of several kinds, in one query."""
    conditions = [sa.and_(EvidenceFile.subject_kind == kind, EvidenceFile.subject_id.in_(ids))
                  for kind, ids in ((k, list(v)) for k, v in wanted.items()) if ids]
    if not conditions:
        return {}
    rows = session.execute(
        sa.select(EvidenceFile.subject_kind, EvidenceFile.subject_id, sa.func.count())
        .where(sa.or_(*conditions), EvidenceFile.removed_at.is_(None))
        .group_by(EvidenceFile.subject_kind, EvidenceFile.subject_id))
    return {(SubjectKind(kind).value, subject_id): n for kind, subject_id, n in rows}


@dataclass
class PurgeReport:
    files: list[tuple[int, str, str]] = field(default_factory=list)  # id, title, why
    blobs_deleted: int = 0


def purge(session: Session, actor: Actor, expired: bool = False,
          today: dt.date | None = None) -> PurgeReport:
    """Delete for good, with an audit record each: without ``expired``, the files taken off
    their record and those whose record was deleted; with it, the sensitive files kept past
    their date. Content no attachment refers to any more is deleted from the disk."""
    report = PurgeReport()
    today = today or dt.date.today()
    if expired:
        chosen = [(f, "expired") for f in session.scalars(
            sa.select(EvidenceFile).where(EvidenceFile.sensitive.is_(True),
                                          EvidenceFile.retain_until < today))]
    else:
        chosen = []
        for file in session.scalars(sa.select(EvidenceFile).order_by(EvidenceFile.id)):
            if file.removed_at is not None:
                chosen.append((file, "removed"))
            elif subject_of(file).load(session, file.subject_id, file.subject_part_id) is None:
                chosen.append((file, "record deleted"))
    shas = set()
    for file, why in chosen:
        audit.record(session, actor, "evidence.purge", "evidence_file", file.id,
                     {"title": [file.title, None], "file": [file.filename, None]}, reason=why)
        report.files.append((file.id, file.title, why))
        shas.add(file.blob_sha256)
        session.delete(file)
    session.flush()
    still_used = set(session.scalars(sa.select(EvidenceFile.blob_sha256).where(
        EvidenceFile.blob_sha256.in_(shas)))) if shas else set()
    unused = sorted(shas - still_used)
    for sha in unused:
        session.execute(sa.delete(EvidenceBlob).where(EvidenceBlob.sha256 == sha))
    session.commit()
    store = storage()
    for sha in unused:  # after the commit: a failed purge leaves no row without its content
        store.delete(sha)
    report.blobs_deleted = len(unused)
    return report


def rotate_key(session: Session, actor: Actor) -> int:
    """Encrypt every encrypted file again with the first key of EVIDENCE_KEYS (the others
    still open the files until then). Returns how many files were encrypted again."""
    keys = cipher()
    if not keys.available:
        raise KeyMissing("EVIDENCE_KEYS is not set")
    store = storage()
    shas = list(session.scalars(sa.select(EvidenceBlob.sha256).where(
        EvidenceBlob.encrypted.is_(True)).order_by(EvidenceBlob.sha256)))
    tokens = {sha: keys.rotate(store.get(sha)) for sha in shas}  # all readable, or nothing
    for sha, token in tokens.items():
        store.put(sha, token)
    audit.record(session, actor, "evidence.rotate_key", "evidence_blob", None,
                 {"files": [None, len(shas)]})
    session.commit()
    return len(shas)


def sensitive_files_exist(session: Session) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(EvidenceBlob.encrypted.is_(True)))))


def check_keys_at_start(config: dict[str, Any], session: Session) -> None:
    """Production refuses to start without EVIDENCE_KEYS once sensitive files are stored:
    they could be neither read nor added. (A database not yet migrated has none.)"""
    if config["ENV"] != "production" or parse_keys(config["EVIDENCE_KEYS"]):
        return
    try:
        stored = sensitive_files_exist(session)
    except sa.exc.DBAPIError:
        session.rollback()
        return
    if stored:
        raise ConfigError("EVIDENCE_KEYS is not set, and sensitive evidence files are stored "
                          "encrypted: set the key they were encrypted with (see the README).")
