"""``flask monitoring import FILE --project CODE [--dry-run]``: bulk import from the shell,
for files too large for the browser, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app.audit import Actor
from app.auth.models import User
from app.db import db
from app.errors import ServiceError
from app.monitoring.imports import run_import, xlsform
from app.monitoring.imports.files import ImportReport
from app.programmes.models import Project

monitoring_cli = AppGroup("monitoring", help="Data collection: bulk import of values and "
                                              "activities.")


def count_rows(path: Path) -> int:
    """Data rows of a CSV (lines after the header), for the progress bar; 0 for XLSX."""
    if path.suffix.lower() != ".csv":
        return 0
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def echo_report(report: ImportReport) -> None:
    what = {"values": "rows of values", "activities": "rows of activities",
            "submissions": "submissions"}[report.kind]
    click.echo(f"{report.rows} {what} read from {report.filename}.")
    if report.kind == "submissions":
        click.echo(f"  submissions new: {report.new_submissions}  imported before, left alone: "
                   f"{report.unchanged_submissions}")
    if not report.ok:
        click.echo("Refused, nothing was written: " + " ".join(report.summary()), err=True)
        for error in report.errors:
            click.echo(f"  row {error.row}, column {error.column}: {error.message}", err=True)
        if report.error_count > len(report.errors):
            click.echo(f"  … and {report.error_count - len(report.errors)} more.", err=True)
        return
    click.echo(f"  new: {report.new}  changed: {report.changed}  unchanged: {report.unchanged}"
               f"  without a value (skipped): {report.skipped}")
    if report.dry_run:
        click.echo("Dry run: nothing was written.")
    elif report.written:
        click.echo("Imported.")
    else:
        click.echo("Nothing to change.")


@monitoring_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--project", "project_code", required=True, help="The project's code.")
@click.option("--dry-run", is_flag=True, help="Check the file and count new, changed and "
                                              "unchanged rows without writing anything.")
@click.option("--user", "email", help="Record the import as this user's (default: system).")
def import_command(file: Path, project_code: str, dry_run: bool, email: str | None) -> None:
    """Import the values or activities in FILE (CSV or XLSX, as the project's templates)."""
    with db.standalone_session() as session:
        project = session.scalar(sa.select(Project).where(Project.code == project_code))
        if project is None:
            raise click.ClickException(f"No project has the code {project_code!r}.")
        actor = Actor.system()
        if email:
            user_id = session.scalar(sa.select(User.id).where(User.email == email.lower()))
            if user_id is None:
                raise click.ClickException(f"No user has the email {email!r}.")
            actor = Actor(user_id=user_id, ip=None)
        total = count_rows(file)
        with file.open("rb") as stream, click.progressbar(
                length=total or 1, label="Checking" if dry_run else "Importing",
                file=sys.stderr) as bar:
            done = [0]

            def progress(rows: int) -> None:
                bar.update(rows - done[0])
                done[0] = rows

            try:
                report = run_import(session, actor, project, stream, file.name,
                                    dry_run=dry_run, progress=progress)
            except ServiceError as exc:
                raise click.ClickException(str(exc.message)) from exc
            bar.update(max((total or 1) - done[0], 0))
    echo_report(report)
    if not report.ok:
        raise SystemExit(1)


@click.command("xlsform")
@with_appcontext
@click.option("--project", "project_code", required=True, help="The project's code.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The XLSForm to write (.xlsx).")
def xlsform_command(project_code: str, output: Path) -> None:
    """Write the project's XLSForm for KoboToolbox and ODK: the activity log and a period's
    indicator values, in English and Russian."""
    with db.standalone_session() as session:
        project = session.scalar(sa.select(Project).where(Project.code == project_code))
        if project is None:
            raise click.ClickException(f"No project has the code {project_code!r}.")
        output.write_bytes(xlsform.form_bytes(session, project))
    click.echo(f"XLSForm of {project_code} written to {output}.")


def register(app: Flask) -> None:
    app.cli.add_command(monitoring_cli)
    app.cli.add_command(xlsform_command)
