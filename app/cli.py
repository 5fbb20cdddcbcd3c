"""Command-line interface: ``flask db ...``, ``flask seed``, ``flask users ...``."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.audit import Actor
from app.auth import services as auth_services
from app.auth.models import Locale, Role, User
from app.db import db
from app.evidence import cli as evidence_cli
from app.followup import cli as recommendations_cli
from app.followup import report_cli as followup_report_cli
from app.frameworks import cli as indicators_cli
from app.iati import cli as iati_cli
from app.monitoring import cli as monitoring_cli
from app.reports import cli as reports_cli

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# Demo accounts for a fresh development database. They are illustrative, not real people.
DEMO_USERS = [
    ("admin@example.org", "Aida Admin", Role.ADMIN, "steppe-horizon-4821"),
    ("manager@example.org", "Marat Manager", Role.MANAGER, "caravan-ledger-7390"),
    ("officer@example.org", "Olga Officer", Role.OFFICER, "field-notebook-2614"),
    ("evaluator@example.org", "Erlan Evaluator", Role.EVALUATOR, "rubric-lantern-5087"),
]


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url or current_app.config["DATABASE_URL"])
    return config


db_cli = AppGroup("db", help="Database migrations (Alembic).")


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    _ensure_sqlite_dir(current_app.config["DATABASE_URL"])
    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION."""
    command.downgrade(alembic_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    command.current(alembic_config(), verbose=True)


@db_cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    command.check(alembic_config())


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new revision from the difference between models and database."""
    command.revision(alembic_config(), message=message, autogenerate=True)


def load_demo_users(profile: str) -> list[tuple[str, str, Role, str]]:
    """Create the demo accounts when there are no users; return those created."""
    with db.standalone_session() as session:
        if session.scalar(sa.select(sa.func.count(User.id))):
            return []
        for email, name, role, password in DEMO_USERS:
            auth_services.create_user(session, Actor.system(), email=email, name=name, role=role,
                                      password=password, locale=Locale.EN, hash_profile=profile)
    return DEMO_USERS


DEMO_PROJECT = "DEMO-P00000-1"
DEMO_MEMBERSHIPS = [("officer@example.org", "KZ-YOUTH-SPEAK-1"),
                    ("evaluator@example.org", "KZ-YOUTH-SPEAK-1"),
                    ("officer@example.org", "KG-ULEMA-VIDEO-1"),
                    ("officer@example.org", DEMO_PROJECT),
                    ("evaluator@example.org", DEMO_PROJECT)]


def load_demo_memberships() -> None:
    """Give the demo officer and evaluator projects to work on: two documented ones, and an
    illustrative one with periods open for data entry and others ready to score."""
    from app.programmes import services as programme_services
    from app.programmes.models import Project
    from seed import synthetic

    with db.standalone_session() as session:
        synthetic.generate(session, Actor.system(), synthetic.Sizes(
            programmes=1, projects_per_programme=1, events=0), seed=1, prefix="DEMO")
        for email, code in DEMO_MEMBERSHIPS:
            user = session.scalar(sa.select(User).where(User.email == email))
            project = session.scalar(sa.select(Project).where(Project.code == code))
            if user is not None and project is not None:
                programme_services.add_member(session, Actor.system(), project, user)


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True,
              help="Load only what is missing: demo accounts into a database without users, "
                   "the documented dataset into one without it.")
@click.option("--synthetic", is_flag=True,
              help="Generate illustrative data at scale instead (see the size options).")
@click.option("--scale", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Multiple of the documented dataset's programmes and events.")
@click.option("--random-seed", "random_seed", type=int, default=1, show_default=True,
              help="The same seed and sizes give the same data.")
@click.option("--programmes", type=click.IntRange(0), help="Programmes (overrides the scale).")
@click.option("--events", type=click.IntRange(0), help="Events (overrides the scale).")
@click.option("--recommendations-per-event", type=click.IntRange(0), default=4,
              show_default=True)
@click.option("--actions-per-recommendation", type=click.IntRange(0), default=2,
              show_default=True)
def seed_command(if_empty: bool, synthetic: bool, scale: int, random_seed: int,
                 programmes: int | None, events: int | None, recommendations_per_event: int,
                 actions_per_recommendation: int) -> None:
    """Load the documented dataset and the demo accounts (and print their logins)."""
    from seed import loader

    if synthetic:
        from seed import synthetic as generator

        base = generator.Sizes.scaled(scale)
        sizes = generator.Sizes(
            programmes=base.programmes if programmes is None else programmes,
            events=base.events if events is None else events,
            recommendations_per_event=recommendations_per_event,
            actions_per_recommendation=actions_per_recommendation)
        with db.standalone_session() as session:
            counts = generator.generate(session, Actor.system(), sizes, random_seed)
        click.echo("Synthetic (illustrative) data generated: " + ", ".join(
            f"{n} {kind}" for kind, n in counts.items()))
        return

    with db.standalone_session() as session:
        if loader.already_loaded(session):
            click.echo("The documented dataset is already loaded.")
        else:
            counts = loader.load(session, Actor.system())
            click.echo("Documented dataset loaded from the source documents:")
            for entity, n in counts.items():
                click.echo(f"  {n:>4}  {entity.replace('_', ' ')}")
    created = load_demo_users(current_app.config["PASSWORD_HASH_PROFILE"])
    if not created:
        click.echo("The database already has users; demo accounts not loaded.")
        return
    load_demo_memberships()
    click.echo("Demo accounts (illustrative, for trying PVE Track out):")
    for email, _name, role, password in created:
        click.echo(f"  {role.value:<10} {email:<24} {password}")


users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.password_option()
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create a user, e.g. the first administrator of a production database."""
    from app.errors import ServiceError

    with db.standalone_session() as session:
        try:
            user = auth_services.create_user(
                session, Actor.system(), email=email, name=name, role=Role(role),
                password=password, hash_profile=current_app.config["PASSWORD_HASH_PROFILE"])
        except ServiceError as exc:
            raise click.ClickException(str(exc.message)) from exc
        click.echo(f"Created {user.email} ({user.role.value}).")


def register_cli(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_command)
    monitoring_cli.register(app)
    followup_report_cli.register(app)
    recommendations_cli.register(app)
    indicators_cli.register(app)
    evidence_cli.register(app)
    reports_cli.register(app)
    iati_cli.register(app)
