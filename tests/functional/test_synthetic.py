"""The synthetic generator: realistic, illustrative, and the same for the same seed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command

from app import create_app
from app.audit import Actor, AuditEvent
from app.cli import alembic_config
from app.db import db
from app.followup.models import Event, FollowUpAction, Recommendation
from app.frameworks.models import Indicator
from app.monitoring.models import DataValue
from app.programmes.models import Programme, Project
from seed import synthetic
from tests_support import app_test_config, drop_pg_database, fresh_database_url

SIZES = synthetic.Sizes(programmes=3, projects_per_programme=2, indicators_per_project=3,
                        periods_per_project=3, events=5, recommendations_per_event=3,
                        actions_per_recommendation=2)


def _fingerprint(session: Any) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    rows += session.execute(sa.select(Programme.code, Programme.title, Programme.budget)
                            .order_by(Programme.code)).all()
    rows += session.execute(sa.select(Project.code, Project.title).order_by(Project.code)).all()
    rows += session.execute(sa.select(Indicator.code, Indicator.name, Indicator.target_value)
                            .order_by(Indicator.project_id, Indicator.code)).all()
    rows += session.execute(sa.select(DataValue.value, DataValue.numerator)
                            .order_by(DataValue.indicator_id, DataValue.period_id)).all()
    rows += session.execute(sa.select(Event.title, Event.start_date, Event.cost)
                            .order_by(Event.title)).all()
    rows += session.execute(sa.select(Recommendation.text).order_by(Recommendation.id)).all()
    rows += session.execute(sa.select(FollowUpAction.state, FollowUpAction.action_date)
                            .order_by(FollowUpAction.id)).all()
    return [tuple(r) for r in rows]


def _generate(tmp_path: Path, name: str, seed: int) -> tuple[dict[str, int], list[Any]]:
    url = fresh_database_url(tmp_path, name)
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    try:
        with app.app_context():
            counts = synthetic.generate(db.session, Actor.system(), SIZES, seed)
            return counts, _fingerprint(db.session)
    finally:
        app.extensions["pvetrack_db"].engine.dispose()
        if os.environ.get("TEST_DATABASE_URL"):
            drop_pg_database(url)


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    counts, first = _generate(tmp_path, "synth_a", seed=7)
    _, again = _generate(tmp_path, "synth_b", seed=7)
    _, other = _generate(tmp_path, "synth_c", seed=8)
    assert first == again
    assert first != other
    assert counts == {"organisations": 6, "programmes": 3, "projects": 6, "indicators": 18,
                      "values": 36, "events": 5, "recommendations": 15, "actions": 30}


def test_everything_generated_is_illustrative_and_audited(session: Any) -> None:
    synthetic.generate(session, Actor.system(), SIZES, seed=3)
    for model in (Programme, Project, Indicator, Event, Recommendation, FollowUpAction):
        flags = set(session.scalars(sa.select(model.illustrative)))
        assert flags == {True}, model.__tablename__
    event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "seed.synthetic")).one()
    assert event.changes["seed"] == [None, 3]


def test_scaled_sizes_follow_the_documented_dataset() -> None:
    assert synthetic.Sizes.scaled(10).programmes == 90
    assert synthetic.Sizes.scaled(100).events == 1700


def test_seed_command_generates(app: Any) -> None:
    result = app.test_cli_runner().invoke(args=[
        "seed", "--synthetic", "--programmes", "1", "--events", "2", "--random-seed", "5"])
    assert result.exit_code == 0, result.output
    assert "1 programmes" in result.output and "2 events" in result.output
