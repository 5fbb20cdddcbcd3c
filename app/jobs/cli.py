"""``flask worker``: runs the jobs put on the queue, beside the web server."""

from __future__ import annotations

import click
from flask import Flask, current_app

from app.jobs import services


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the background worker on the job queue (needs REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without a queue, jobs run in the "
                                   "web process and no worker is needed.")
    services.worker(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
