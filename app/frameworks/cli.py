"""``flask indicators suggest-evaluate``: how well the indicator suggestions of a result's
indicator step find a suitable bank indicator, measured on the labelled result statements.

The labelled set (``seed/data/indicator_suggestions.csv``) holds result statements of the
seeded projects and of public PVE results frameworks, each with the bank codes a reader would
accept as its indicator, and Russian statements (our translations, marked as such). The figure
is the share of labelled statements with a suitable indicator among the first five suggested
(recall at 5), overall and per language; statements for which the bank has no suitable
indicator are listed and left out.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from indicators import suggest
from seed.documented import DATA_DIR

CASES_FILE = DATA_DIR / "indicator_suggestions.csv"

indicators_cli = AppGroup("indicators", help="The indicator bank and its suggestions.")


@indicators_cli.command("suggest-evaluate")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=CASES_FILE, show_default=True, help="Labelled statements (CSV).")
@click.option("-k", "k", type=click.IntRange(1, 20), default=suggest.DEFAULT_LIMIT,
              show_default=True, help="How many suggestions count.")
def suggest_evaluate_command(path: Path, k: int) -> None:
    """Recall of a suitable bank indicator among the first K suggestions."""
    try:
        cases = suggest.read_cases(path.read_text(encoding="utf-8-sig"), path.name)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    result = suggest.evaluate(cases, k)
    click.echo(f"{len(cases)} statements, {result.overall.statements} labelled with a suitable "
               f"bank indicator ({len(result.unlabelled)} without one, not counted).")
    click.echo(f"language  statements  hits  recall@{k}")
    rows = [(lang, result.by_language[lang]) for lang in suggest.LANGUAGES]
    for name, score in [*rows, ("all", result.overall), ("held-out", result.held_out)]:
        click.echo(f"{name:8}  {score.statements:10d}  {score.hits:4d}  {score.recall:8.2f}")
    if result.missed:
        click.echo(f"Missed: {', '.join(result.missed)}")
    if result.unlabelled:
        click.echo(f"No suitable bank indicator: {', '.join(result.unlabelled)}")


def register(app: Flask) -> None:
    """Add ``flask indicators`` to the application's command line."""
    app.cli.add_command(indicators_cli)
