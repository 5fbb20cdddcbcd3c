"""``flask recommendations ...``: suggest links between recurring recommendations from a file,
and measure the matcher against the labelled pairs of the documented dataset.

``match`` works on a CSV file rather than on the database so that an officer can check a
batch of recommendations (say, from a new workshop report) against earlier ones before any of
them is entered. ``evaluate`` is how the default threshold was chosen, and how a change to the
vocabulary is judged.

``evaluate`` scores every labelled pair once, over all the texts together, then chooses the
threshold on k-1 folds and measures it on the k-th, per language pair (English-English,
English-Russian, Russian-Russian) and overall. Texts beyond the demonstration dataset come
from ``seed/data/recommendation_texts.csv``, each with its source; links that managers
confirmed (1) or rejected (0) are further labelled pairs.

The labelled pairs come in two sets. The development pairs (``recommendation_pairs.csv``)
were read while the vocabulary was written, so the vocabulary fits them. The held-out pairs
(``recommendation_pairs_held_out.csv``) were labelled afterwards by reading the texts alone,
without the matcher's scores, and the vocabulary was not changed after them. ``evaluate``
prints the cross-validated figures over both sets, then over the development pairs alone, and
the held-out pairs alone at the default threshold: the figure that says how the matcher does
on recommendations it was not written for. A pair may not be in both sets.

The labelled pairs (``seed/data/recommendation_pairs.csv``) were labelled by reading the
recommendations: 1 when the principal request of one of them is made explicitly by the other
too (a package recommendation listing several requests matches a focused one on any item it
states), 0 when they share words or a theme but ask for different things. Every positive pair
found among the demonstration dataset's recommendations was labelled; there, a suggested pair
that is not labelled 1 therefore counts as a false one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.db import db
from app.followup.links import decided_pairs
from app.followup.models import Recommendation
from indicators import similarity
from seed.documented import DATA_DIR, load_documented

PAIRS_FILE = DATA_DIR / "recommendation_pairs.csv"
HELD_OUT_FILE = DATA_DIR / "recommendation_pairs_held_out.csv"
TEXTS_FILE = DATA_DIR / "recommendation_texts.csv"
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


def read_extra_texts(path: Path) -> list[tuple[str, str, str]]:
    """``(id, event, text)`` of the labelled set's texts beyond the demonstration dataset.

    Every row must name its source (document, publisher, year and paragraph, or that the
    Russian text is a translation of ours).
    """
    rows: list[tuple[str, str, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            values = [(row.get(column) or "").strip() for column in (*INPUT_COLUMNS, "source")]
            if not all(values):
                raise click.ClickException(
                    f"{path.name}, row {number}: id, event, text and source are all required."
                )
            rows.append((values[0], values[1], values[2]))
    return rows


def labelled_scores(
    items: list[tuple[str, str, str]],
    positives: list[tuple[str, str]],
    negatives: list[tuple[str, str]],
) -> list[similarity.LabelledScore]:
    """The matcher's score of every labelled pair (0 where it would not suggest the pair)."""
    texts = {ident: text for ident, _event, text in items}
    scores = {frozenset((s.a, s.b)): s.score for s in similarity.match(items, 0.0)}
    return [
        similarity.LabelledScore(
            a, b, similarity.language_group(texts[a], texts[b]),
            scores.get(frozenset((a, b)), 0.0), positive,
        )
        for pairs, positive in ((positives, True), (negatives, False))
        for a, b in pairs
    ]  # fmt: skip


def _figures_row(name: str, row: similarity.FoldedFigures) -> str:
    return (
        f"{name:<8} {row.pairs:5d} {row.positives:9d}  {row.true_positives:3d} "
        f"{row.false_positives:3d} {row.false_negatives:3d}  {_ratio(row.precision):>9}  "
        f"{_ratio(row.recall):>6}  {_ratio(row.f1):>4}"
    )


@recommendations_cli.command("evaluate")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=similarity.DEFAULT_THRESHOLD,
    show_default=True,
    help="The threshold to report on for the demonstration dataset as a whole.",
)
@click.option(
    "--folds",
    type=click.IntRange(2, 20),
    default=5,
    show_default=True,
    help="Number of folds of the cross-validation.",
)
@click.option(
    "--links/--no-links",
    default=True,
    show_default=True,
    help="Add the links managers confirmed or rejected as labelled pairs.",
)
def evaluate_command(threshold: float, folds: int, links: bool) -> None:
    """Measure the matcher on the labelled pairs, by language pair, with cross-validation.

    The threshold is chosen on the training folds and measured on the held-out fold, over
    all the labelled pairs, then over the development pairs alone. The held-out pairs, which
    took no part in writing the vocabulary, are then measured alone at the default threshold.
    Last, on the demonstration dataset alone (where every positive pair is labelled), every
    suggested pair not labelled 1 counts as a false positive.
    """
    recommendations = load_documented().recommendations
    seed_items = [(r.id, r.event, r.text) for r in recommendations]
    items = seed_items + read_extra_texts(TEXTS_FILE)
    events = {ident: event for ident, event, _text in items}
    if len(events) != len(items):
        raise click.ClickException(f"{TEXTS_FILE.name}: an id is used twice.")
    positives, negatives = read_labelled_pairs(PAIRS_FILE, events)
    held_positives, held_negatives = read_labelled_pairs(HELD_OUT_FILE, events)
    _refuse_overlap(positives + negatives, held_positives + held_negatives)
    held = {frozenset(pair) for pair in held_positives + held_negatives}
    labelled = labelled_scores(items, positives + held_positives, negatives + held_negatives)
    development = [s for s in labelled if frozenset((s.a, s.b)) not in held]
    held_out = [s for s in labelled if frozenset((s.a, s.b)) in held]
    decided = _decided_scores() if links else []
    scores = development + held_out + decided
    result = similarity.cross_validate(scores, folds)
    click.echo(
        f"{len(scores)} labelled pairs ({sum(s.positive for s in scores)} positive, "
        f"{sum(not s.positive for s in scores)} negative; {len(decided)} from links managers "
        f"decided) over {len(items)} texts: {len(development)} development pairs and "
        f"{len(held_out)} held out."
    )
    click.echo("")
    click.echo(
        f"All labelled pairs. {folds}-fold cross-validation; thresholds chosen on the "
        "training folds: " + ", ".join(f"{t:.2f}" for t in result.thresholds)
    )
    _figures_table(result.groups, result.overall)

    alone = similarity.cross_validate(development, folds)
    click.echo("")
    click.echo(
        "Development pairs alone (the vocabulary was written while reading them), "
        f"{folds}-fold cross-validation:"
    )
    _figures_table(alone.groups, alone.overall)

    click.echo("")
    click.echo(
        "Held-out pairs alone (labelled by reading the texts only, after the vocabulary was "
        f"fixed), at the default threshold {similarity.DEFAULT_THRESHOLD:.2f}:"
    )
    _figures_table(*similarity.measure(held_out, similarity.DEFAULT_THRESHOLD))

    seed_events = {ident: event for ident, event, _text in seed_items}
    seed_pos = [p for p in positives if p[0] in seed_events and p[1] in seed_events]
    seed_neg = [p for p in negatives if p[0] in seed_events and p[1] in seed_events]
    suggestions = similarity.match(seed_items, min(threshold, *SWEEP))
    click.echo("")
    click.echo(
        f"Demonstration dataset alone: {len(recommendations)} recommendations, "
        f"{len(seed_pos) + len(seed_neg)} labelled pairs ({len(seed_pos)} positive); "
        "every suggested pair not labelled 1 counts as false."
    )
    click.echo("threshold  suggested  TP  FP  FN  precision  recall    F1")
    for step in sorted({threshold, *SWEEP}):
        seed_row = similarity.evaluate(suggestions, seed_pos, seed_neg, step)
        click.echo(
            f"{step:9.2f}  {seed_row.suggested:9d}  {seed_row.true_positives:2d}  "
            f"{seed_row.false_positives:2d}  {seed_row.false_negatives:2d}  "
            f"{_ratio(seed_row.precision):>9}  {_ratio(seed_row.recall):>6}  "
            f"{_ratio(seed_row.f1):>4}"
        )


def _figures_table(
    groups: Iterable[similarity.FoldedFigures], overall: similarity.FoldedFigures
) -> None:
    click.echo("pairs    count positive   TP  FP  FN  precision  recall    F1")
    for row in groups:
        click.echo(_figures_row(row.group, row))
    click.echo(_figures_row("all", overall))


def _refuse_overlap(development: list[tuple[str, str]], held_out: list[tuple[str, str]]) -> None:
    """A pair in both sets would be measured on what it helped to build."""
    seen = {frozenset(pair) for pair in development}
    for pair in held_out:
        if frozenset(pair) in seen:
            raise click.ClickException(
                f"{HELD_OUT_FILE.name}: the pair {pair[0]}, {pair[1]} is also in "
                f"{PAIRS_FILE.name}; a held-out pair must be new."
            )


def _decided_scores() -> list[similarity.LabelledScore]:
    """Links managers confirmed or rejected, scored among all the recommendations they hold."""
    try:
        with db.standalone_session() as session:
            pairs = decided_pairs(session)
            if not pairs:
                return []
            query = sa.select(Recommendation.id, Recommendation.event_id, Recommendation.text)
            items = [
                (f"db-{ident}", f"db-event-{event}", text)
                for ident, event, text in session.execute(query)
            ]
    except sa.exc.SQLAlchemyError as exc:
        cause = type(getattr(exc, "orig", None) or exc).__name__
        raise click.ClickException(
            f"The links managers decided could not be read from the database ({cause}). "
            "Run 'flask db upgrade' first, or leave them out with --no-links."
        ) from exc
    positives = [(a[0], b[0]) for a, b, confirmed in pairs if confirmed]
    negatives = [(a[0], b[0]) for a, b, confirmed in pairs if not confirmed]
    return labelled_scores(items, positives, negatives)


def register(app: Flask) -> None:
    """Add ``flask recommendations`` to the application's command line."""
    app.cli.add_command(recommendations_cli)
