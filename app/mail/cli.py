"""``flask notify send-due``: queues the scheduled e-mail that is due, for cron or a timer."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.db import db
from app.mail import due, services

notify_group = AppGroup("notify", help="Scheduled e-mail: digests and reminders.")


@notify_group.command("send-due")
@click.option("--now", "now_text", default=None,
              help="Act as if it were this moment (ISO 8601, UTC), e.g. 2026-12-07T06:00.")
def send_due_command(now_text: str | None) -> None:
    """Queue every e-mail that is due (running it twice sends nothing twice)."""
    try:
        now = (datetime.fromisoformat(now_text) if now_text else datetime.now(UTC))
    except ValueError as exc:
        raise click.BadParameter(f"not a date and time: {now_text!r}", param_hint="--now") from exc
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    with db.standalone_session() as session:
        result = due.run_all(session, now)
        waiting = services.send_waiting(session)
    for name, count in result.queued.items():
        click.echo(f"{name}: {count} queued")
    if waiting and current_app.config.get("REDIS_URL"):
        click.echo(f"{waiting} message(s) that never reached the queue put on it again")
    elif waiting:
        click.echo(f"{waiting} waiting message(s) sent")
    for name, error in result.failed.items():
        click.echo(f"{name}: failed: {error}", err=True)
    if result.failed:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(notify_group)
