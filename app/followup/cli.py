"""``flask recommendations ...``: suggest links between recurring recommendations from a file,
fit the pair model, and measure it against the labelled pairs.

``match`` works on a CSV file rather than on the database so that an officer can check a
batch of recommendations (say, from a new workshop report) against earlier ones before any of
them is entered. ``fit`` writes the pair model (``indicators/pair_model.toml``) from the
labelled pairs; ``evaluate`` is how a change to the vocabulary, the features or the labelled
pairs is judged.

``evaluate`` computes the features of every labelled pair once, over all the texts together,
then fits the model and its thresholds on k-1 folds and measures them on the k-th, per
language pair (English-English, English-Russian, Russian-Russian) and overall. Texts beyond
the demonstration dataset come from ``seed/data/recommendation_texts.csv``, each with its
source; links that managers confirmed (1) or rejected (0) are further labelled pairs. A pair
and the same pair in translation (the file's ``translation_of`` column) are kept in one fold,
so that no fold is measured on the translation of a pair it was fitted on.

The labelled pairs come in two sets. The development pairs (``recommendation_pairs.csv``)
were read while the vocabulary was written, so the vocabulary fits them. The held-out pairs
(``recommendation_pairs_held_out.csv``) were labelled afterwards by reading the texts alone,
without the matcher's scores, and the vocabulary was not changed after them. ``evaluate``
prints the cross-validated figures over both sets, then over the development pairs alone, then
the held-out pairs alone measured with a model fitted on the development pairs: the figure
that says how the matcher does on recommendations it was not written for. The cosine rule the
model replaced is measured the same way beside it. A pair may not be in both sets.

A pair is labelled 1 when the principal request of one recommendation is made explicitly by the
other too (a package recommendation listing several requests matches a focused one on any item
it states), 0 when they share words or a theme but ask for different things. Every positive
pair found among the demonstration dataset's recommendations was labelled; there, a suggested
pair that is not labelled 1 therefore counts as a false one.
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
from app.followup.links import decided_pairs, pair_model
from app.followup.models import Recommendation
from indicators import language, pairscore, similarity
from seed.documented import DATA_DIR, load_documented

PAIRS_FILE = DATA_DIR / "recommendation_pairs.csv"
HELD_OUT_FILE = DATA_DIR / "recommendation_pairs_held_out.csv"
TEXTS_FILE = DATA_DIR / "recommendation_texts.csv"
INPUT_COLUMNS = ("id", "event", "text")

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
    default=None,
    help="Suggest pairs whose probability is at least this (0 to 1) in every language pair; "
    "by default, the model's threshold for each language pair.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the pairs to this file instead of standard output.",
)
def match_command(input_file: Path, threshold: float | None, output: Path | None) -> None:
    """Suggest pairs of recommendations of different events that ask for the same thing.

    INPUT.csv has the columns id, event and text (UTF-8, with a header row). The result has
    the columns a, b and score (the probability that the two ask the same), the likeliest pairs
    first.
    """
    if not input_file.is_file():
        raise InputError(f"{input_file}: no such file.")
    rows = read_recommendations(input_file)
    result = suggestions_csv(pairscore.suggest(rows, pair_model(), threshold))
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


def read_translations(path: Path, items: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Which texts of the labelled set translate which (the ``translation_of`` column): the
    translation's id -> the original's. Cross-validation keeps a pair and its translation in
    one fold. Each original must be another text of the set, in the other language."""
    texts = {ident: text for ident, _event, text in items}
    found: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            ident, original = row["id"].strip(), (row.get("translation_of") or "").strip()
            if not original:
                continue
            if original == ident or original not in texts:
                raise click.ClickException(
                    f"{path.name}, row {number}: translation_of {original!r} is not another "
                    "text of the labelled set.")
            if language.detect(texts[original]) == language.detect(texts[ident]):
                raise click.ClickException(
                    f"{path.name}, row {number}: {ident} and the text it translates, "
                    f"{original}, are in the same language.")
            found[ident] = original
    return found


def _labelled_set() -> tuple[
    list[tuple[str, str, str]], list[tuple[str, str, str]],
    list[pairscore.LabelledPair], list[pairscore.LabelledPair],
]:
    """The texts (those of the demonstration dataset first) and the labelled pairs with their
    features: development pairs and held-out pairs."""
    seed_items = [(r.id, r.event, r.text) for r in load_documented().recommendations]
    items = seed_items + read_extra_texts(TEXTS_FILE)
    events = {ident: event for ident, event, _text in items}
    if len(events) != len(items):
        raise click.ClickException(f"{TEXTS_FILE.name}: an id is used twice.")
    positives, negatives = read_labelled_pairs(PAIRS_FILE, events)
    held_positives, held_negatives = read_labelled_pairs(HELD_OUT_FILE, events)
    _refuse_overlap(positives + negatives, held_positives + held_negatives)
    corpus = pairscore.Corpus(items)
    return (seed_items, items, corpus.labelled(positives, negatives),
            corpus.labelled(held_positives, held_negatives))  # fmt: skip


def _figures_row(name: str, row: similarity.FoldedFigures) -> str:
    return (
        f"{name:<8} {row.pairs:5d} {row.positives:9d}  {row.true_positives:3d} "
        f"{row.false_positives:3d} {row.false_negatives:3d}  {_ratio(row.precision):>9}  "
        f"{_ratio(row.recall):>6}  {_ratio(row.f1):>4}"
    )


@recommendations_cli.command("evaluate")
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
def evaluate_command(folds: int, links: bool) -> None:
    """Measure the matcher on the labelled pairs, by language pair, with cross-validation.

    The model and its thresholds are fitted on the training folds and measured on the
    held-out fold, over all the labelled pairs, then over the development pairs alone. The
    held-out pairs, which took no part in writing the vocabulary, are then measured with a
    model fitted on the development pairs alone. The cosine rule the model builds on is
    measured the same way, for comparison.
    """
    seed_items, items, development, held_out = _labelled_set()
    translated = read_translations(TEXTS_FILE, items)
    decided = _decided_pairs() if links else []
    pairs = development + held_out + decided
    click.echo(
        f"{len(pairs)} labelled pairs ({sum(p.positive for p in pairs)} positive, "
        f"{sum(not p.positive for p in pairs)} negative; {len(decided)} from links managers "
        f"decided) over {len(items)} texts: {len(development)} development pairs and "
        f"{len(held_out)} held out."
    )
    click.echo("")
    click.echo(
        f"All labelled pairs, {folds}-fold cross-validation; the model and its thresholds "
        f"fitted on the training folds; a pair and its translation in one fold "
        f"({len(translated)} texts are translations of others):"
    )
    _figures_table(*pairscore.cross_validate(pairs, folds, translated))
    click.echo("")
    click.echo(
        "Development pairs alone (the vocabulary was written while reading them), "
        f"{folds}-fold cross-validation:"
    )
    _figures_table(*pairscore.cross_validate(development, folds, translated))
    model = pairscore.fit(development)
    click.echo("")
    click.echo(
        "Held-out pairs alone (labelled by reading the texts only, after the vocabulary was "
        "fixed), the model fitted on the development pairs alone "
        f"({pairscore.describe_thresholds(model)}):"
    )
    _figures_table(*pairscore.measure(held_out, model))

    rule = [_rule_score(p) for p in development + held_out + decided]
    cross = similarity.cross_validate(rule, folds, original=translated)
    click.echo("")
    click.echo(
        "For comparison, the cosine rule alone (a pair is suggested when its score reaches a "
        f"threshold and its shared concepts are the same ask), {folds}-fold cross-validation "
        "over all labelled pairs; thresholds chosen on the training folds: "
        + ", ".join(f"{t:.2f}" for t in cross.thresholds)
    )
    _figures_table(cross.groups, cross.overall)
    held = rule[len(development) : len(development) + len(held_out)]
    click.echo("")
    click.echo(
        "The cosine rule on the held-out pairs alone, at its threshold "
        f"{similarity.DEFAULT_THRESHOLD:.2f}:"
    )
    _figures_table(*similarity.measure(held, similarity.DEFAULT_THRESHOLD))

    shipped = pairscore.load_model()
    seed_ids = {ident for ident, _event, _text in seed_items}
    seed_pairs = [p for p in development if p.a in seed_ids and p.b in seed_ids]
    wanted = [(p.a, p.b) for p in seed_pairs if p.positive]
    result = similarity.evaluate(
        pairscore.suggest(seed_items, shipped), wanted,
        [(p.a, p.b) for p in seed_pairs if not p.positive], 0.0)
    click.echo("")
    click.echo(
        f"Demonstration dataset alone: {len(seed_items)} recommendations, {len(seed_pairs)} "
        f"labelled pairs ({len(wanted)} positive); every suggested pair not labelled 1 counts "
        "as false. The shipped model (fitted on all the labelled pairs, these among them; "
        f"{pairscore.describe_thresholds(shipped)}):"
    )
    click.echo("suggested  TP  FP  FN  precision  recall    F1")
    click.echo(
        f"{result.suggested:9d}  {result.true_positives:2d}  {result.false_positives:2d}  "
        f"{result.false_negatives:2d}  {_ratio(result.precision):>9}  "
        f"{_ratio(result.recall):>6}  {_ratio(result.f1):>4}"
    )


def _rule_score(pair: pairscore.LabelledPair) -> similarity.LabelledScore:
    """The pair as the cosine rule alone scores it (its gated score)."""
    score = pair.features[pairscore.FEATURES.index("gated_score")]
    return similarity.LabelledScore(pair.a, pair.b, pair.group, score, pair.positive)


@recommendations_cli.command("fit")
@click.option(
    "--links/--no-links",
    default=False,
    show_default=True,
    help="Add the links managers confirmed or rejected to the labelled pairs.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=pairscore.MODEL_FILE,
    help="Where to write the model (default: the shipped model, indicators/pair_model.toml).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; fail if the file differs from what fitting gives now.",
)
def fit_command(links: bool, output: Path, check: bool) -> None:
    """Fit the pair model on all the labelled pairs and write it.

    The shipped model is fitted on the development and held-out pairs of seed/data. With
    --links, the links managers decided count too: write that model to a file of the
    instance and name it in PAIR_MODEL_FILE, so that suggestions learn from the decisions.
    """
    _seed, _items, development, held_out = _labelled_set()
    pairs = development + held_out + (_decided_pairs() if links else [])
    model = pairscore.fit(pairs)
    text = pairscore.dump_model(model, MODEL_HEADER.format(
        pairs=model.pairs, positives=model.positives,
        links=" and the links managers decided" if links else ""))  # fmt: skip
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current != text:
            raise click.ClickException(
                f"{output}: not what fitting gives now; run 'flask recommendations fit'."
            )
        click.echo(f"{output}: up to date ({model.pairs} pairs).")
        return
    output.write_text(text, encoding="utf-8")
    click.echo(
        f"Model fitted on {model.pairs} labelled pairs ({model.positives} positive) written to "
        f"{output}; thresholds {pairscore.describe_thresholds(model)}."
    )


MODEL_HEADER = """The pair model of indicators/pairscore.py: which recommendations to suggest as
the same ask. Written by 'flask recommendations fit' from {pairs} labelled pairs
({positives} positive) of seed/data{links}. Do not edit: fit again after changing the
labelled pairs, the vocabulary or the features. 'flask recommendations evaluate' measures it.
"""


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


def _decided_pairs() -> list[pairscore.LabelledPair]:
    """Links managers confirmed or rejected, with their features among all the
    recommendations the database holds."""
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
            "The links managers decided could not be read from the database "
            f"({cause}). Run 'flask db upgrade' first, or leave them out with --no-links."
        ) from exc
    positives = [(a[0], b[0]) for a, b, confirmed in pairs if confirmed]
    negatives = [(a[0], b[0]) for a, b, confirmed in pairs if not confirmed]
    return pairscore.Corpus(items).labelled(positives, negatives)


def register(app: Flask) -> None:
    """Add ``flask recommendations`` to the application's command line."""
    app.cli.add_command(recommendations_cli)
