"""The database the migrations build is the one the models describe, on either database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

import app.models  # noqa: F401 - every table on the metadata
from app.cli import alembic_config
from app.db import Base
from tests_support import drop_pg_database, fresh_database_url

EXPECTED_TABLES = {t.name for t in Base.metadata.sorted_tables}


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    url = fresh_database_url(tmp_path, "migrations")
    yield url
    if os.environ.get("TEST_DATABASE_URL"):
        drop_pg_database(url)


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_revision_files_are_date_prefixed() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    for revision in script.walk_revisions():
        name = Path(revision.path).name
        assert name[:8].isdigit() and name[8] == "_", name


def test_upgrade_downgrade_upgrade_and_models_match(empty_database: str) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, "head")
    assert _tables(empty_database) == EXPECTED_TABLES
    command.check(config)  # raises when models and migrations differ
    command.downgrade(config, "base")
    assert _tables(empty_database) == set()
    command.upgrade(config, "head")
    assert _tables(empty_database) == EXPECTED_TABLES
    command.check(config)
