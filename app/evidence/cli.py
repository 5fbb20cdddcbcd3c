"""``flask evidence purge [--expired] --by EMAIL`` and ``flask evidence rotate-key --by EMAIL``.

Purging deletes for good, with an audit record per file: the files taken off their records and
those of deleted records, or (``--expired``) the sensitive files kept past their date.
Rotating re-encrypts every sensitive file with the first key of ``EVIDENCE_KEYS``; keep the old
key listed after the new one until the command has finished.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.audit import Actor
from app.auth.models import Role, User
from app.db import db
from app.evidence import services
from app.evidence.storage import KeyMissing

evidence_cli = AppGroup("evidence", help="Evidence files: purge and key rotation.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _manager(session: sa.orm.Session, email: str) -> Actor:
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active user has the email {email!r}.")
    if user.role not in {Role.ADMIN, Role.MANAGER}:
        raise click.ClickException(f"{email} is not a manager or an administrator.")
    return Actor(user_id=user.id, ip=None)


@evidence_cli.command("purge")
@click.option("--expired", is_flag=True,
              help="Purge the sensitive files kept past their date instead.")
@click.option("--by", "email", required=True, help="The manager's email (for the audit trail).")
def purge_command(expired: bool, email: str) -> None:
    """Delete removed files and the files of deleted records (or, --expired, expired ones)."""
    with db.standalone_session() as session:
        report = services.purge(session, _manager(session, email), expired=expired)
    for file_id, title, why in report.files:
        click.echo(f"  purged #{file_id} {title!r} ({why})")
    click.echo(f"{_count(len(report.files), 'file')} purged; "
               f"{_count(report.blobs_deleted, 'stored content')} deleted from the disk.")


@evidence_cli.command("rotate-key")
@click.option("--by", "email", required=True, help="The manager's email (for the audit trail).")
def rotate_command(email: str) -> None:
    """Encrypt every sensitive file again with the first key of EVIDENCE_KEYS."""
    with db.standalone_session() as session:
        try:
            count = services.rotate_key(session, _manager(session, email))
        except KeyMissing as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{_count(count, 'sensitive file')} encrypted with the first key of "
               "EVIDENCE_KEYS.")


def register(app: Flask) -> None:
    app.cli.add_command(evidence_cli)
