"""``flask followup report``: the follow-up report's table on the command line."""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask
from flask.cli import AppGroup

from app.db import db
from app.followup import exports
from app.followup.assess import settings_from, today
from app.followup.portfolio import build_report

followup_cli = AppGroup("followup", help="Follow-up of event recommendations.")


@followup_cli.command("report")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="csv: the table; json: the table and the totals.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge the events as of this day (YYYY-MM-DD); default: today.")
def report_command(fmt: str, as_of: dt.datetime | None) -> None:
    """Every event with its follow-up status and metrics."""
    day = as_of.date() if as_of else today()
    with db.standalone_session() as session:
        report = build_report(session, day, settings_from(), with_charts=False)
    click.echo(exports.to_csv(report) if fmt == "csv" else exports.to_json(report), nl=False)
    if fmt == "json":
        click.echo()


def register(app: Flask) -> None:
    app.cli.add_command(followup_cli)
