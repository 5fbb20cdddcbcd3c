"""``flask reports …``: the documents of the pages, for scheduled reporting.

    flask reports iptt --project CODE --format xlsx|csv|pdf -o FILE [--as-of DATE]
                       [--include-provisional] [--lang ru]
    flask reports logframe --project CODE --format pdf|docx -o FILE [--lang ru]
    flask reports dossier --event ID -o FILE.pdf [--as-of DATE] [--lang ru]

The files are the same as the pages' downloads, from the same code. A document made on the
command line lists no sensitive evidence file by title: it may be sent anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.db import db
from app.followup import labels as followup_labels
from app.followup.assess import settings_from
from app.formatting import percent
from app.programmes.models import Project
from app.reports import documents, dossier, iptt, iptt_exports, logframe, logframe_docx
from indicators.types import StatusBands

reports_cli = AppGroup("reports", help="Documents for donors: IPTT, logframe, event dossier.")
LANGUAGES = click.Choice(["en", "ru"])
DAY = click.DateTime(formats=["%Y-%m-%d"])


@contextmanager
def _context(lang: str) -> Iterator[Session]:
    with current_app.test_request_context("/"), force_locale(lang), \
            db.standalone_session() as session:
        yield session


def _project(session: Session, code: str) -> Project:
    project = session.scalar(sa.select(Project).where(Project.code == code))
    if project is None:
        raise click.BadParameter(f"no project has the code {code!r}", param_hint="--project")
    return project


def _write(path: str, body: bytes | str) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    Path(path).write_bytes(data)
    click.echo(f"{path}: {len(data)} bytes")


def _bands() -> StatusBands:
    config = current_app.config
    return StatusBands(config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"])


@reports_cli.command("iptt")
@click.option("--project", "code", required=True, help="The project's code.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "pdf"]), required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="The figures as they stood at the end of this day (YYYY-MM-DD).")
@click.option("--include-provisional", is_flag=True,
              help="Count values of periods not yet approved (marked).")
@click.option("--lang", type=LANGUAGES, default="en", show_default=True)
@click.option("--by", "produced_by", default="PVE Track", show_default=True,
              help="Who the document says produced it.")
def iptt_command(code: str, fmt: str, output: str, as_of: dt.datetime | None,
                 include_provisional: bool, lang: str, produced_by: str) -> None:
    """A project's indicator tracking table."""
    with _context(lang) as session:
        project = _project(session, code)
        day = as_of.date() if as_of else dt.date.today()
        filters = iptt.Filters(include_provisional=include_provisional,
                               as_of=as_of.date() if as_of else None)
        tracking = iptt.load(session, [project], _bands(), filters)
        if fmt == "xlsx":
            body: bytes | str = iptt_exports.to_xlsx(tracking, produced_by, dt.date.today())
        elif fmt == "csv":
            body = iptt_exports.to_csv(tracking)
        else:
            body = documents.pdf(
                "documents/iptt.html", landscape=True, as_of=day, produced_by=produced_by,
                title=_("Indicator tracking table: %(code)s", code=project.code),
                tracking=tracking,
                notes=iptt_exports.about_lines(tracking, produced_by, dt.date.today()))
        _write(output, body)


@reports_cli.command("logframe")
@click.option("--project", "code", required=True, help="The project's code.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--lang", type=LANGUAGES, default="en", show_default=True)
@click.option("--by", "produced_by", default="PVE Track", show_default=True)
def logframe_command(code: str, fmt: str, output: str, lang: str, produced_by: str) -> None:
    """A project's results framework."""
    with _context(lang) as session:
        project = _project(session, code)
        frame = logframe.load(session, project)
        title = _("Results framework: %(code)s", code=project.code)
        today = dt.date.today()
        if fmt == "docx":
            body = logframe_docx.to_docx(frame, title=title, produced_by=produced_by,
                                         produced_on=today)
        else:
            body = documents.pdf("documents/logframe.html", title=title, as_of=today,
                                 produced_by=produced_by, logframe=frame)
        _write(output, body)


@reports_cli.command("dossier")
@click.option("--event", "event_id", required=True, type=click.IntRange(1))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--as-of", "as_of", type=DAY, default=None,
              help="Judge the event as of this day (YYYY-MM-DD); default: today.")
@click.option("--lang", type=LANGUAGES, default="en", show_default=True)
@click.option("--by", "produced_by", default="PVE Track", show_default=True)
def dossier_command(event_id: int, output: str, as_of: dt.datetime | None, lang: str,
                    produced_by: str) -> None:
    """An event's dossier (PDF)."""
    with _context(lang) as session:
        event = dossier.load_event(session, event_id)
        if event is None:
            raise click.BadParameter(f"no event has the id {event_id}", param_hint="--event")
        day = as_of.date() if as_of else dt.date.today()
        found = dossier.load(session, event, day, settings_from(),
                             lambda file: not file.sensitive)
        body = documents.pdf("documents/dossier.html",
                             title=_("Event dossier: %(title)s", title=event.title), as_of=day,
                             produced_by=produced_by, dossier=found, fl=followup_labels,
                             percent=percent)
        _write(output, body)


def register(app: Flask) -> None:
    app.cli.add_command(reports_cli)
