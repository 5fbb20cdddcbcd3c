"""``flask recommendations match`` and ``flask recommendations evaluate``, end to end."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from app import create_app
from app.followup import cli as recommendations
from app.followup.cli import register
from indicators import pairscore
from tests_support import app_test_config

#: How a Russian text's source says what it is: a translation of ours, or a Russian-language
#: document quoted or retold
RUSSIAN_MARK = re.compile(
    r"(?i)(russian: |our russian )(our )?(translation|quoted|(close )?paraph)"
)

SMALL = """id,event,text
a1,almaty,Train more spiritual leaders to do counter-radicalisation work.
b7,bishkek,"Engage imams in the prevention of violent extremism, and train them."
b8,bishkek,Reduce the vulnerability of migrant workers.
a9,almaty,Address labour migration and returning migrants.
c1,astana,Present the conclusions at the next dialogue and train officials.
"""


@pytest.fixture(scope="module")
def cli_app(database_url: str) -> Flask:
    app = create_app(app_test_config(database_url))
    if "recommendations" not in app.cli.commands:
        register(app)
    return app


@pytest.fixture
def runner(cli_app: Flask) -> FlaskCliRunner:
    return cli_app.test_cli_runner()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_match_writes_the_suggested_pairs_to_stdout(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["recommendations", "match", str(write(tmp_path / "in.csv", SMALL))]
    )
    assert result.exit_code == 0, result.output
    lines = [line.split(",") for line in result.stdout.splitlines()]
    assert lines[0] == ["a", "b", "score"]
    # migrant workers and labour migration; spiritual leaders and imams, trained: the two
    # pairs that ask the same, likeliest first, with a probability to three decimals
    assert [row[:2] for row in lines[1:]] == [["a9", "b8"], ["a1", "b7"]]
    scores = [row[2] for row in lines[1:]]
    assert all(re.fullmatch(r"0\.\d{3}", score) for score in scores)
    assert scores == sorted(scores, reverse=True)


def test_match_with_a_lower_threshold_and_an_output_file(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source, target = write(tmp_path / "in.csv", SMALL), tmp_path / "out.csv"
    result = runner.invoke(
        args=[
            "recommendations",
            "match",
            str(source),
            "--threshold",
            "0.05",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = [line.split(",") for line in target.read_text(encoding="utf-8").splitlines()[1:]]
    assert f"{len(rows)} pairs written" in result.stderr
    # A low threshold lets in pairs the model's own thresholds turn away: c1 shares only
    # "train" with a1 and b7. Training whom is not the same ask, so they score below the two
    # pairs that are.
    pairs = [tuple(row[:2]) for row in rows]
    assert pairs[:2] == [("a9", "b8"), ("a1", "b7")]
    assert len(pairs) > 2 and all("c1" in pair for pair in pairs[2:])
    assert all(0.05 <= float(row[2]) < float(rows[1][2]) for row in rows[2:])


def test_match_reads_a_byte_order_mark_and_finds_nothing_in_unrelated_texts(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.csv", "\ufeffid,event,text\nx,e1,Prisons\ny,e2,Youth\n")
    result = runner.invoke(args=["recommendations", "match", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "a,b,score\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "id,event,text\na1,almaty,Train imams\nb1,bishkek,\n",
            "in.csv, row 3: column 'text' is empty.",
        ),
        (
            "id,event,text\na1,almaty,Train imams\nb1,  ,Train imams\n",
            "in.csv, row 3: column 'event' is empty.",
        ),
        ("id,event,text\na1,almaty\n", "in.csv, row 2: column 'text' is empty."),
        ("id,text\na1,Train imams\n", "in.csv, row 1 (header): missing column 'event'."),
        ("", "in.csv, row 1 (header): missing column 'id'."),
        (
            "id,event,text\na1,almaty,Train imams\na1,bishkek,Train imams\n",
            "in.csv, row 3: column 'id': 'a1' is already used in row 2.",
        ),
    ],
)
def test_a_bad_file_exits_with_2_names_row_and_column_and_writes_nothing(
    runner: FlaskCliRunner, tmp_path: Path, content: str, message: str
) -> None:
    target = tmp_path / "out.csv"
    source = write(tmp_path / "in.csv", content)
    result = runner.invoke(args=["recommendations", "match", str(source), "--output", str(target)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not target.exists()


def test_a_file_that_is_not_utf8_or_missing_exits_with_2(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    latin = write(tmp_path / "latin.csv", "id,event,text\na1,e,Café\n", encoding="latin-1")
    result = runner.invoke(args=["recommendations", "match", str(latin)])
    assert result.exit_code == 2
    assert "latin.csv: not UTF-8 text" in result.stderr
    result = runner.invoke(args=["recommendations", "match", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_threshold_outside_0_1_is_a_usage_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", SMALL)
    result = runner.invoke(args=["recommendations", "match", str(source), "--threshold", "1.5"])
    assert result.exit_code == 2
    assert "--threshold" in result.stderr


RUSSIAN_AND_MIXED = """\ufeffid,event,text
r1,bishkek-ru,Привлекать религиозных лидеров и имамов к профилактике насильственного экстремизма.
e1,almaty,Engage spiritual leaders in preventing violent extremism.
r2,astana-ru,Снижать уязвимость трудовых мигрантов с помощью информационных кампаний.
e2,dushanbe,Reduce the vulnerability of labour migrants through information campaigns.
r3,osh-ru,Проводить исследования о роли молодежи.
m1,osh-mixed,"Обучать молодежь (youth) навыкам критического мышления, media literacy."
"""


def test_match_reads_russian_and_mixed_files_and_links_across_languages(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = write(tmp_path / "ru.csv", RUSSIAN_AND_MIXED)
    result = runner.invoke(args=["recommendations", "match", str(source)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "a,b,score"
    pairs = {tuple(line.split(",")[:2]) for line in lines[1:]}
    # a Russian text and its English counterpart, in both directions of the file
    assert {("e1", "r1"), ("e2", "r2")} <= pairs
    # research about youth and training youth share only "youth": not the same ask
    assert ("m1", "r3") not in pairs and ("r3", "m1") not in pairs
    assert all(0 < float(line.split(",")[2]) <= 1 for line in lines[1:])


def _row(output: str, group: str) -> list[str]:
    found = re.search(rf"^{group}\s+(.+)$", output, re.MULTILINE)
    assert found, output
    return found.group(1).split()


def test_evaluate_prints_cross_validated_figures_per_language_pair(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["recommendations", "evaluate", "--no-links"])
    assert result.exit_code == 0, result.output
    count = re.search(
        r"^(\d+) labelled pairs \((\d+) positive, (\d+) negative", result.stdout, re.MULTILINE
    )
    assert count and int(count.group(1)) >= 150
    with recommendations.TEXTS_FILE.open(encoding="utf-8") as handle:
        translations = sum(1 for row in csv.DictReader(handle) if row["translation_of"])
    assert translations > 30
    assert (
        "5-fold cross-validation; the model and its thresholds fitted on the training folds; "
        f"a pair and its translation in one fold ({translations} texts are translations of "
        "others):" in result.stdout
    )
    totals = 0
    development = result.stdout.split("Development pairs alone", 1)[1]
    for group in ("en-en", "en-ru", "ru-ru", "all"):
        pairs, positives, tp, fp, fn, precision, _recall, _f1 = _row(result.stdout, group)
        assert int(tp) + int(fn) == int(positives)
        assert float(precision) == pytest.approx(int(tp) / (int(tp) + int(fp)), abs=0.006)
        if group != "all":
            totals += int(pairs)
        # a floor under the figures on the pairs the vocabulary was written from: a change to
        # the vocabulary or the matcher that loses what they had is noticed
        assert float(_row(development, group)[7]) >= 0.78, group
    assert totals == int(count.group(1)) == int(_row(result.stdout, "all")[0])
    # the model does better than the cosine rule it builds on, over all the labelled pairs
    model_part = result.stdout.split("Development pairs alone", 1)[0]
    rule_part = result.stdout.split("For comparison, the cosine rule alone", 1)[1]
    assert float(_row(model_part, "all")[7]) > float(_row(rule_part, "all")[7])
    assert re.search(r"^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d\.\d\d\s", result.stdout, re.MULTILINE)


def test_evaluate_refuses_a_bad_labelled_pair(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = write(
        tmp_path / "pairs.csv",
        "a,b,label,note\nalmaty-2016-03-r1,almaty-2016-03-r2,1,same event\n",
    )
    monkeypatch.setattr(recommendations, "PAIRS_FILE", pairs)
    result = runner.invoke(args=["recommendations", "evaluate"])
    assert result.exit_code == 1
    assert "pairs.csv, row 2: expected two recommendations of different events" in result.stderr


def test_evaluate_refuses_a_held_out_pair_that_is_also_a_development_pair(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with recommendations.PAIRS_FILE.open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    held = write(
        tmp_path / "held.csv",
        f"a,b,label,note\n{first['b']},{first['a']},{first['label']},reversed\n",
    )
    monkeypatch.setattr(recommendations, "HELD_OUT_FILE", held)
    result = runner.invoke(args=["recommendations", "evaluate", "--no-links"])
    assert result.exit_code == 1
    assert f"held.csv: the pair {first['b']}, {first['a']} is also in" in result.stderr


def test_evaluate_measures_held_out_pairs_alone_and_within_the_whole(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = write(tmp_path / "empty.csv", "a,b,label,note\n")
    # two pairs nobody labelled: religious leaders and spiritual leaders (the same ask in
    # other words), and mentoring against a share of funds, both for youth (not the same ask)
    held = write(
        tmp_path / "held.csv",
        "a,b,label,note\n"
        "poa-interfaith,almaty-2016-03-r4,1,religious leaders\n"
        "poa-youth-mentoring,poa-youth-funds-ru,0,other ask\n",
    )
    with recommendations.PAIRS_FILE.open(encoding="utf-8") as handle:
        labelled = {frozenset((row["a"], row["b"])) for row in csv.DictReader(handle)}
    assert frozenset(("poa-interfaith", "almaty-2016-03-r4")) not in labelled
    assert frozenset(("poa-youth-mentoring", "poa-youth-funds-ru")) not in labelled
    monkeypatch.setattr(recommendations, "HELD_OUT_FILE", empty)
    before = runner.invoke(args=["recommendations", "evaluate", "--no-links"])
    monkeypatch.setattr(recommendations, "HELD_OUT_FILE", held)
    result = runner.invoke(args=["recommendations", "evaluate", "--no-links"])
    assert result.exit_code == 0, result.output
    assert re.search(r"(\d+) development pairs and 2 held out", result.stdout)
    whole = re.search(r"^(\d+) labelled pairs", result.stdout, re.MULTILINE)
    was = re.search(r"^(\d+) labelled pairs", before.stdout, re.MULTILINE)
    assert whole and was and int(whole.group(1)) == int(was.group(1)) + 2
    part = result.stdout.split("Held-out pairs alone", 1)[1].split("Demonstration", 1)[0]
    en_en, en_ru, total = _row(part, "en-en"), _row(part, "en-ru"), _row(part, "all")
    assert (en_en[0], en_en[1], en_ru[0], en_ru[1], total[0]) == ("1", "1", "1", "0", "2")
    assert int(en_en[2]) + int(en_en[4]) == 1  # the positive is found or missed, not both
    assert "the model fitted on the development pairs alone (en-en 0." in part


def test_the_labelled_pairs_are_many_and_include_hard_negatives() -> None:
    from seed.documented import load_documented

    events = {r.id: r.event for r in load_documented().recommendations}
    extra = recommendations.read_extra_texts(recommendations.TEXTS_FILE)
    events.update({ident: event for ident, event, _text in extra})
    positives, negatives = recommendations.read_labelled_pairs(recommendations.PAIRS_FILE, events)
    assert len(positives) + len(negatives) >= 60
    assert len(positives) >= 25 and len(negatives) >= 30
    assert len({frozenset(pair) for pair in positives + negatives}) == len(positives + negatives)


def test_the_grown_labelled_set_covers_both_languages_and_names_every_source() -> None:
    from indicators.language import detect
    from seed.documented import load_documented

    items = [(r.id, r.event, r.text) for r in load_documented().recommendations]
    extra = recommendations.read_extra_texts(recommendations.TEXTS_FILE)
    texts = {ident: text for ident, _event, text in items + extra}
    events = {ident: event for ident, event, _text in items + extra}
    positives, negatives = recommendations.read_labelled_pairs(recommendations.PAIRS_FILE, events)
    assert len(positives) + len(negatives) >= 150
    groups: dict[tuple[str, ...], list[int]] = {}
    for pairs, label in ((positives, 1), (negatives, 0)):
        for a, b in pairs:
            groups.setdefault(tuple(sorted((detect(texts[a]), detect(texts[b])))), []).append(label)
    for group in (("en", "en"), ("en", "ru"), ("ru", "ru")):
        assert 1 in groups[group] and 0 in groups[group], group
    with recommendations.TEXTS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if detect(row["text"]) == "ru":
            # a translation of ours, or a Russian-language document quoted or retold
            assert RUSSIAN_MARK.search(row["source"]), row["id"]
        assert re.search(r"\b(19|20)\d\d\b", row["source"]) or "events.toml" in row["source"]


def test_links_managers_decided_become_labelled_pairs(app: Flask, session: Any) -> None:
    from app.followup.models import LinkState
    from seed.factories import EventFactory, RecommendationFactory, RecommendationLinkFactory

    first, second = EventFactory(), EventFactory()
    imams = RecommendationFactory(event=first, text="Обучать имамов и религиозных лидеров.")
    leaders = RecommendationFactory(event=second, text="Train religious leaders and imams.")
    youth = RecommendationFactory(event=second, text="Fund research on youth.")
    session.flush()
    RecommendationLinkFactory(
        first_id=min(imams.id, leaders.id),
        second_id=max(imams.id, leaders.id),
        state=LinkState.CONFIRMED,
    )
    RecommendationLinkFactory(
        first_id=min(imams.id, youth.id),
        second_id=max(imams.id, youth.id),
        state=LinkState.REJECTED,
    )
    RecommendationLinkFactory(
        first_id=min(leaders.id, youth.id),
        second_id=max(leaders.id, youth.id),
        state=LinkState.SUGGESTED,
    )
    session.commit()
    if "recommendations" not in app.cli.commands:
        register(app)
    runner = app.test_cli_runner()
    without = runner.invoke(args=["recommendations", "evaluate", "--no-links"])
    result = runner.invoke(args=["recommendations", "evaluate"])
    assert result.exit_code == 0, result.output
    counted = re.search(
        r"^(\d+) labelled pairs .*; (\d+) from links managers decided\)",
        result.stdout,
        re.MULTILINE,
    )
    before = re.search(r"^(\d+) labelled pairs", without.stdout, re.MULTILINE)
    assert counted and before
    assert int(counted.group(2)) == 2  # the suggested link is not a label
    assert int(counted.group(1)) == int(before.group(1)) + 2
    assert int(_row(result.stdout, "en-ru")[0]) == int(_row(without.stdout, "en-ru")[0]) + 2


def test_evaluate_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    app = create_app(app_test_config(f"sqlite:///{tmp_path}/missing/pve.db"))
    if "recommendations" not in app.cli.commands:
        register(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["recommendations", "evaluate"])
    assert result.exit_code == 1
    assert "could not be read from the database (OperationalError)" in result.stderr
    assert "--no-links" in result.stderr and "Traceback" not in result.output
    assert runner.invoke(args=["recommendations", "evaluate", "--no-links"]).exit_code == 0


def test_the_held_out_pairs_are_new_pairs_mostly_of_new_texts_in_every_language_pair() -> None:
    from indicators.language import detect
    from seed.documented import load_documented

    items = [(r.id, r.event, r.text) for r in load_documented().recommendations]
    items += recommendations.read_extra_texts(recommendations.TEXTS_FILE)
    texts = {ident: text for ident, _event, text in items}
    events = {ident: event for ident, event, _text in items}
    dev = recommendations.read_labelled_pairs(recommendations.PAIRS_FILE, events)
    held = recommendations.read_labelled_pairs(recommendations.HELD_OUT_FILE, events)
    dev_pairs = {frozenset(pair) for pairs in dev for pair in pairs}
    held_pairs = [frozenset(pair) for pairs in held for pair in pairs]
    assert len(held_pairs) >= 150 and len(set(held_pairs)) == len(held_pairs)
    assert not dev_pairs & set(held_pairs)
    seen = {ident for pair in dev_pairs for ident in pair}
    fresh = [pair for pair in held_pairs if pair - seen]
    assert len(fresh) >= 0.7 * len(held_pairs), "held-out pairs should read texts never read"
    labels: dict[str, set[bool]] = {}
    for pairs, label in ((held[0], True), (held[1], False)):
        for a, b in pairs:
            group = "-".join(sorted((detect(texts[a]), detect(texts[b]))))
            labels.setdefault(group, set()).add(label)
    assert labels == {"en-en": {True, False}, "en-ru": {True, False}, "ru-ru": {True, False}}


def test_the_shipped_model_is_what_fitting_on_the_labelled_pairs_gives(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """A change to the labelled pairs, the vocabulary or the features needs a new fit."""
    result = runner.invoke(args=["recommendations", "fit", "--check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stdout
    stale = write(tmp_path / "model.toml", pairscore.MODEL_FILE.read_text(encoding="utf-8")
                  .replace('"en-en" = ', '"en-en" = 0.0 # was '))  # fmt: skip
    before = stale.read_text(encoding="utf-8")
    result = runner.invoke(args=["recommendations", "fit", "--check", "--output", str(stale)])
    assert result.exit_code == 1
    assert "model.toml: not what fitting gives now" in result.stderr
    assert stale.read_text(encoding="utf-8") == before  # --check writes nothing


def test_fit_writes_a_model_that_loads_and_names_what_it_was_fitted_on(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "fitted.toml"
    result = runner.invoke(args=["recommendations", "fit", "--output", str(target)])
    assert result.exit_code == 0, result.output
    model = pairscore.load_model(target)
    shipped = pairscore.load_model()
    assert model == shipped
    assert f"Model fitted on {model.pairs} labelled pairs ({model.positives} positive)" in (
        result.stdout
    )
    assert f"from {model.pairs} labelled pairs" in " ".join(
        target.read_text(encoding="utf-8").replace("#", "").split()
    )


def test_a_model_fitted_with_decided_links_drives_the_suggestions(
    app: Flask, session: Any, tmp_path: Path
) -> None:
    from app.audit import Actor, AuditEvent
    from app.auth.models import Role
    from app.followup import links
    from app.followup.models import LinkState, RecommendationLink
    from seed.factories import (
        EventFactory,
        RecommendationFactory,
        RecommendationLinkFactory,
        UserFactory,
    )

    first, second = EventFactory(), EventFactory()
    imams = RecommendationFactory(event=first, text="Обучать имамов и религиозных лидеров.")
    leaders = RecommendationFactory(event=second, text="Train religious leaders and imams.")
    manager = UserFactory(role=Role.MANAGER)
    session.flush()
    RecommendationLinkFactory(first_id=min(imams.id, leaders.id),
                              second_id=max(imams.id, leaders.id), state=LinkState.CONFIRMED)
    session.commit()
    if "recommendations" not in app.cli.commands:
        register(app)
    target = tmp_path / "instance-model.toml"
    result = app.test_cli_runner().invoke(
        args=["recommendations", "fit", "--links", "--output", str(target)])
    assert result.exit_code == 0, result.output
    model = pairscore.load_model(target)
    assert model.pairs == pairscore.load_model().pairs + 1
    assert "and the links managers decided" in target.read_text(encoding="utf-8").replace(
        "\n# ", " ")

    # a model that suggests nothing, named in PAIR_MODEL_FILE, is the one suggestions use
    RecommendationFactory(event=first, text="Train imams to counter recruitment.")
    session.commit()
    strict = tmp_path / "strict.toml"
    strict.write_text(pairscore.dump_model(
        replace(model, thresholds=dict.fromkeys(pairscore.GROUPS, 1.0))), encoding="utf-8")
    actor = Actor(user_id=manager.id)
    with app.app_context():
        app.config["PAIR_MODEL_FILE"] = str(strict)
        try:
            assert links.suggest_links(session, actor).new == []
            app.config["PAIR_MODEL_FILE"] = str(tmp_path / "missing.toml")
            with pytest.raises(RuntimeError, match=r"PAIR_MODEL_FILE .*missing\.toml"):
                links.suggest_links(session, actor)
            session.rollback()
            app.config["PAIR_MODEL_FILE"] = ""
            new = links.suggest_links(session, actor).new
        finally:
            app.config["PAIR_MODEL_FILE"] = ""
    assert new and all(link.state is LinkState.SUGGESTED for link in new)
    assert session.scalar(sa.select(sa.func.count()).select_from(RecommendationLink)) == 1 + len(
        new)
    entry = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "recommendation_link.suggest").order_by(AuditEvent.id.desc())).first()
    assert entry is not None
    thresholds = pairscore.load_model().thresholds
    assert entry.changes["threshold"][1] == ", ".join(
        f"{group} {thresholds[group]:.2f}" for group in ("en-en", "en-ru", "ru-ru"))


OUR_TRANSLATION = re.compile(r"\bour (russian )?translation\b", re.IGNORECASE)


def test_each_translation_of_ours_names_the_text_it_translates() -> None:
    from seed.documented import load_documented

    items = [(r.id, r.event, r.text) for r in load_documented().recommendations]
    items += recommendations.read_extra_texts(recommendations.TEXTS_FILE)
    translated = recommendations.read_translations(recommendations.TEXTS_FILE, items)
    with recommendations.TEXTS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        says = bool(OUR_TRANSLATION.search(row["source"]))
        assert says == (row["id"] in translated), row["id"]
        if says:
            assert translated[row["id"]] == row["translation_of"]
            assert row["translation_of"] in row["source"] or row["id"].startswith(
                row["translation_of"])  # the source names the original, or the id does


@pytest.mark.parametrize(("original", "message"), [
    ("no-such-text", "row 3: translation_of 'no-such-text' is not another text"),
    ("poa-44-ru", "row 3: translation_of 'poa-44-ru' is not another text"),
    ("poa-comm-strategies-ru", "row 3: poa-44-ru and the text it translates, "
                               "poa-comm-strategies-ru, are in the same language"),
])
def test_a_translation_must_name_another_text_in_the_other_language(
        tmp_path: Path, original: str, message: str) -> None:
    import click

    path = write(tmp_path / "texts.csv",
                 "id,event,text,source,translation_of\n"
                 "poa-44,e1,Develop national plans of action.,UN 2015,\n"
                 f"poa-44-ru,e2,Разработать национальные планы действий.,ours 2015,{original}\n"
                 "poa-comm-strategies-ru,e3,Разрабатывать совместные стратегии.,ours 2015,\n")
    items = [("poa-44", "e1", "Develop national plans of action."),
             ("poa-44-ru", "e2", "Разработать национальные планы действий."),
             ("poa-comm-strategies-ru", "e3", "Разрабатывать совместные стратегии.")]
    with pytest.raises(click.ClickException, match=re.escape(f"texts.csv, {message}")):
        recommendations.read_translations(path, items)
