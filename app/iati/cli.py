"""``flask iati export`` and ``flask iati import``."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.audit import Actor
from app.db import db
from app.iati import export
from app.iati.importer import run_import
from app.programmes.models import Programme, Project

iati_cli = AppGroup("iati", help="IATI 2.03: export projects, import activity files.")


@iati_cli.command("export")
@click.option("--project", "project_code", help="Code of the project to export.")
@click.option("--programme", "programme_code", help="Code of the programme to export.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_command(project_code: str | None, programme_code: str | None, output: Path) -> None:
    """Write a project, or the projects of a programme, as an IATI 2.03 activity file."""
    if bool(project_code) == bool(programme_code):
        raise click.UsageError("Give either --project or --programme.")
    if project_code:
        project = db.session.scalar(sa.select(Project).where(Project.code == project_code))
        if project is None:
            raise click.ClickException(f"No project has the code {project_code}.")
        projects = [project]
    else:
        programme = db.session.scalar(sa.select(Programme).where(
            Programme.code == programme_code))
        if programme is None:
            raise click.ClickException(f"No programme has the code {programme_code}.")
        projects = export.programme_projects(db.session, programme)
    document = export.build(db.session, projects)
    output.write_bytes(document)
    click.echo(f"{output}: {len(projects)} activities.")


@iati_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--programme", "programme_code",
              help="Programme to import into (default: the parent the activity names).")
@click.option("--dry-run", is_flag=True, help="Check and list what would change; write nothing.")
def import_command(file: Path, programme_code: str | None, dry_run: bool) -> None:
    """Import an IATI 2.01-2.03 activity file into projects with their results framework."""
    programme = None
    if programme_code:
        programme = db.session.scalar(sa.select(Programme).where(
            Programme.code == programme_code))
        if programme is None:
            raise click.ClickException(f"No programme has the code {programme_code}.")
    with file.open("rb") as handle:
        report = run_import(db.session, Actor.system(), handle, file.name, programme=programme,
                            dry_run=dry_run)
    for line in report.lines:
        click.echo(line)
    for line in report.summary():
        click.echo(line)
    for problem in report.problems:
        click.echo(problem, err=True)
    if not report.ok:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(iati_cli)
