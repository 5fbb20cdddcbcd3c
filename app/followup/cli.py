"""``flask recommendations ...``: suggest links between recurring recommendations from a file,
and measure the matcher against the labelled pairs of the documented dataset.

``match`` works on a CSV file rather than on the database so that an officer can check a
batch of recommendations (say, from a new workshop report) against earlier ones before any of
them is entered. ``evaluate`` is how the default threshold was chosen, and how a change to the
vocabulary is judged.

The labelled pairs (``seed/data/recommendation_pairs.csv``) were labelled by reading the
recommendations: 1 when the principal request of one of them is made explicitly by the other
too (a package recommendation listing several requests matches a focused one on any item it
states), 0 when they share words or a theme but ask for different things. Every positive pair
found was labelled; a suggested pair that is not labelled 1 therefore counts as a false one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from indicators import similarity
from seed.documented import DATA_DIR, load_documented

PAIRS_FILE = DATA_DIR / "recommendation_pairs.csv"
INPUT_COLUMNS = ("id", "event", "text")
SWEEP = tuple(round(0.10 + 0.05 * step, 2) for step in range(9))  # 0.10 … 0.50

recommendations_cli = AppGroup(
    "recommendations", help="Recurring recommendations: suggest links between events."
)


class InputError(click.ClickException):
    """A problem with the user's file: exit code 2, like a usage error, and nothing written."""

    exit_code = 2


def read_recommendations(path: Path) -> list[tuple[str, str, str]]:
    """Rows ``(id, event, text)`` of a UTF-8 CSV file with a header row.

    Rows are numbered as a spreadsheet shows them: the header is row 1.
    """
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 text (byte {exc.start}).") from exc
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = reader.fieldnames or []
    for column in INPUT_COLUMNS:
        if column not in header:
            raise InputError(f"{path.name}, row 1 (header): missing column '{column}'.")
    rows: list[tuple[str, str, str]] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        values = []
        for column in INPUT_COLUMNS:
            value = (row.get(column) or "").strip()
            if not value:
                raise InputError(f"{path.name}, row {number}: column '{column}' is empty.")
            values.append(value)
        ident, event, text = values
        if ident in first_row:
            raise InputError(
                f"{path.name}, row {number}: column 'id': {ident!r} is already used "
                f"in row {first_row[ident]}."
            )
        first_row[ident] = number
        rows.append((ident, event, text))
    return rows


def suggestions_csv(suggestions: Iterable[similarity.Suggestion]) -> str:
    """``a,b,score`` with the score to three decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("a", "b", "score"))
    writer.writerows((s.a, s.b, f"{s.score:.3f}") for s in suggestions)
    return out.getvalue()


@recommendations_cli.command("match")
@click.argument("input_file", metavar="INPUT.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=similarity.DEFAULT_THRESHOLD,
    show_default=True,
    help="Suggest pairs scoring at least this much (0 to 1).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the pairs to this file instead of standard output.",
)
def match_command(input_file: Path, threshold: float, output: Path | None) -> None:
    """Suggest pairs of recommendations of different events that ask for the same thing.

    INPUT.csv has the columns id, event and text (UTF-8, with a header row). The result has
    the columns a, b and score, the most similar pairs first.
    """
    if not input_file.is_file():
        raise InputError(f"{input_file}: no such file.")
    rows = read_recommendations(input_file)
    result = suggestions_csv(similarity.match(rows, threshold))
    if output is None:
        click.echo(result, nl=False)
    else:
        output.write_text(result, encoding="utf-8")
        click.echo(f"{result.count(chr(10)) - 1} pairs written to {output}.", err=True)


def read_labelled_pairs(
    path: Path, events: dict[str, str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Positive and negative pairs; every id must be a recommendation, events must differ."""
    positives: list[tuple[str, str]] = []
    negatives: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            pair = (row["a"], row["b"])
            unknown = [ident for ident in pair if ident not in events]
            if unknown or events[pair[0]] == events[pair[1]] or row["label"] not in ("0", "1"):
                raise click.ClickException(
                    f"{path.name}, row {number}: expected two recommendations of different "
                    "events and a label of 0 or 1."
                )
            (positives if row["label"] == "1" else negatives).append(pair)
    return positives, negatives


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


@recommendations_cli.command("evaluate")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=similarity.DEFAULT_THRESHOLD,
    show_default=True,
    help="The threshold to report on.",
)
def evaluate_command(threshold: float) -> None:
    """Compare the matcher's suggestions on the documented dataset with the labelled pairs.

    Every suggested pair not labelled 1 counts as a false positive.
    """
    recommendations = load_documented().recommendations
    events = {r.id: r.event for r in recommendations}
    positives, negatives = read_labelled_pairs(PAIRS_FILE, events)
    suggestions = similarity.match(
        [(r.id, r.event, r.text) for r in recommendations], min(threshold, *SWEEP)
    )
    result = similarity.evaluate(suggestions, positives, negatives, threshold)
    click.echo(
        f"{len(recommendations)} recommendations, {len(positives) + len(negatives)} labelled "
        f"pairs ({len(positives)} positive, {len(negatives)} negative)."
    )
    click.echo(f"Threshold {threshold:.2f}: {result.suggested} pairs suggested.")
    click.echo(f"Precision {_ratio(result.precision)}")
    click.echo(f"Recall    {_ratio(result.recall)}")
    click.echo(f"F1        {_ratio(result.f1)}")
    click.echo(
        f"TP {result.true_positives}  FP {result.false_positives} "
        f"(of which labelled negative: {result.labelled_negatives_suggested})  "
        f"FN {result.false_negatives}"
    )
    click.echo("")
    click.echo("threshold  suggested  TP  FP  FN  precision  recall    F1")
    for step in SWEEP:
        row = similarity.evaluate(suggestions, positives, negatives, step)
        click.echo(
            f"{step:9.2f}  {row.suggested:9d}  {row.true_positives:2d}  "
            f"{row.false_positives:2d}  {row.false_negatives:2d}  "
            f"{_ratio(row.precision):>9}  {_ratio(row.recall):>6}  {_ratio(row.f1):>4}"
        )


def register(app: Flask) -> None:
    """Add ``flask recommendations`` to the application's command line."""
    app.cli.add_command(recommendations_cli)
