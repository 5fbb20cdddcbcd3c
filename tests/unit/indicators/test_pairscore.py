"""The pair model: its features, its candidate rule, fitting, cross-validation, the model file,
and what the shipped model suggests in English, in Russian and across the two."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import pairscore, similarity
from indicators.pairscore import FEATURES, GROUPS, Corpus, LabelledPair, Model

WIDTH = len(FEATURES)


def _model(
    weights: dict[str, float], thresholds: dict[str, float], intercept: float = 0.0
) -> Model:
    """A hand-made model on unscaled features: only the named features count."""
    return Model(
        intercept,
        tuple(weights.get(name, 0.0) for name in FEATURES),
        (0.0,) * WIDTH,
        (1.0,) * WIDTH,
        thresholds,
        0,
        0,
    )


def _pair(
    a: str, group: str, cosine: float, positive: bool, candidate: bool = True
) -> LabelledPair:
    values = [0.0] * WIDTH
    values[FEATURES.index("cosine")] = cosine
    values[FEATURES.index("across_languages")] = float(group == "en-ru")
    return LabelledPair(a, "z" + a, group, tuple(values), candidate, positive)


# --------------------------------------------------------------------------------------------
# Features and candidates
# --------------------------------------------------------------------------------------------


def test_features_of_a_translation_rest_on_concepts_and_leave_words_out() -> None:
    corpus = Corpus([
        ("en", "e1", "Engage religious leaders in prevention."),
        ("ru", "e2", "Привлекать религиозных лидеров к профилактике."),
    ])  # fmt: skip
    values = dict(zip(FEATURES, corpus.features("en", "ru"), strict=True))
    assert corpus.group("en", "ru") == corpus.group("ru", "en") == "en-ru"
    assert values["across_languages"] == 1.0
    assert values["concept_cosine"] > 0.5
    assert values["specific_concepts"] >= 1 and values["same_ask"] == 1.0
    # words and letter sequences are not compared across scripts
    assert values["word_cosine"] == values["letter_cosine"] == 0.0
    assert values["gated_score"] == pytest.approx(max(values["cosine"], values["concept_cosine"]))


def test_letter_sequences_see_other_forms_of_a_word_within_one_language() -> None:
    corpus = Corpus([
        ("a", "e1", "Deradicalisation programmes in prisons for returnees."),
        ("b", "e2", "Programmes that deradicalise returning detainees."),
        ("c", "e3", "Fund sports clubs in villages."),
    ])  # fmt: skip
    related = dict(zip(FEATURES, corpus.features("a", "b"), strict=True))
    unrelated = dict(zip(FEATURES, corpus.features("a", "c"), strict=True))
    assert related["letter_cosine"] > unrelated["letter_cosine"]
    assert related["across_languages"] == 0.0


def test_a_pair_sharing_only_a_broad_concept_is_not_the_same_ask() -> None:
    corpus = Corpus([
        ("a", "e1", "Conduct research on youth."),
        ("b", "e2", "Train youth in critical thinking."),
    ])  # fmt: skip
    values = dict(zip(FEATURES, corpus.features("a", "b"), strict=True))
    assert values["broad_concepts"] >= 1 and values["specific_concepts"] == 0
    assert values["same_ask"] == 0.0 and values["gated_score"] == 0.0
    assert values["cosine_if_not_same_ask"] == values["cosine"] > 0


WORDS = [
    "imams", "youth", "prisons", "research", "migrants", "train", "schools", "police",
    "имамы", "молодежь", "тюрьмы", "мигранты", "школы", "полиция", "border", "women",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), min_size=2, max_size=9))
def test_the_candidate_rule_on_features_is_the_rule_the_index_applies(
    texts: list[list[str]],
) -> None:
    items = [(f"r{i}", f"e{i % 3}", " ".join(words)) for i, words in enumerate(texts)]
    corpus = Corpus(items)
    indexed = corpus.candidates()
    for (a, event_a, _), (b, event_b, _) in (
        (x, y) for i, x in enumerate(items) for y in items[i + 1 :]
    ):
        if event_a == event_b:
            assert (a, b) not in indexed and (b, a) not in indexed
            continue
        found = (a, b) in indexed or (b, a) in indexed
        assert found == corpus.is_candidate(corpus.features(a, b)), (a, b)


# --------------------------------------------------------------------------------------------
# Suggesting
# --------------------------------------------------------------------------------------------


def test_each_language_pair_has_its_threshold_and_an_explicit_one_overrides_them() -> None:
    items = [
        ("en1", "e1", "Engage religious leaders in prevention."),
        ("en2", "e2", "Involve imams and religious leaders in prevention work."),
        ("ru1", "e3", "Привлекать религиозных лидеров к профилактике."),
    ]
    steep = _model({"cosine": 4.0, "concept_cosine": 4.0}, dict.fromkeys(GROUPS, 0.0), -2.0)
    everything = pairscore.suggest(items, steep)
    assert {(s.a, s.b) for s in everything} == {("en1", "en2"), ("en1", "ru1"), ("en2", "ru1")}
    scores = {(s.a, s.b): s.score for s in everything}
    only_across = replace(steep, thresholds={"en-en": 1.0, "en-ru": 0.0, "ru-ru": 1.0})
    assert {(s.a, s.b) for s in pairscore.suggest(items, only_across)} == {
        ("en1", "ru1"), ("en2", "ru1")}  # fmt: skip
    cut = sorted(scores.values())[1]
    assert {(s.a, s.b) for s in pairscore.suggest(items, only_across, threshold=cut)} == {
        pair for pair, score in scores.items() if score >= cut}  # fmt: skip
    assert [s.score for s in everything] == sorted(scores.values(), reverse=True)
    with pytest.raises(ValueError, match="between 0 and 1"):
        pairscore.suggest(items, steep, threshold=1.5)


def test_pairs_of_one_event_and_pairs_sharing_nothing_are_never_suggested() -> None:
    items = [
        ("a", "e1", "Engage religious leaders in prevention."),
        ("b", "e1", "Engage religious leaders in prevention."),
        ("c", "e2", "Fund sports clubs."),
    ]
    always = _model({}, dict.fromkeys(GROUPS, 0.0), 5.0)  # probability near 1 for any pair
    assert pairscore.suggest(items, always) == []


# the shipped model, on texts it was not fitted on
RECURRING = [
    ("en-imams", "osh-2019", "Train imams to speak against recruitment in mosques."),
    ("en-leaders", "almaty-2021", "Engage religious leaders to counter extremist recruitment."),
    ("ru-imams", "bishkek-2022", "Обучать имамов противодействию вербовке в мечетях."),
    ("ru-leaders", "dushanbe-2023",
     "Привлекать религиозных лидеров к противодействию вербовке экстремистами."),
    ("en-budget", "astana-2020", "Publish the national budget for prison reform."),
    ("ru-youth", "tashkent-2024", "Проводить исследования о молодежи в регионах."),
    ("en-youth", "bishkek-2020", "Organise sports tournaments for young people."),
]  # fmt: skip


def test_the_shipped_model_links_an_ask_across_and_within_both_languages() -> None:
    pairs = {frozenset((s.a, s.b)) for s in pairscore.suggest(RECURRING)}
    assert frozenset(("en-imams", "ru-imams")) in pairs  # a text and its translation
    assert frozenset(("ru-imams", "ru-leaders")) in pairs  # two Russian texts, other words
    assert frozenset(("en-imams", "en-leaders")) in pairs  # two English texts, other words
    # a budget for prisons shares nothing with religious leaders; research on youth and
    # sport for young people share only "youth": neither is the same ask
    assert not any("en-budget" in pair for pair in pairs)
    assert frozenset(("ru-youth", "en-youth")) not in pairs


def test_the_shipped_model_loads_once_and_matches_this_version() -> None:
    model = pairscore.load_model()
    assert model is pairscore.load_model()
    assert set(model.thresholds) == set(GROUPS)
    assert model.pairs >= 150 and 0 < model.positives < model.pairs


# --------------------------------------------------------------------------------------------
# Fitting and cross-validation
# --------------------------------------------------------------------------------------------


def test_solve_finds_the_solution_of_a_linear_system() -> None:
    # 2x + y = 5 and x + 3y = 10 have the solution x = 1, y = 3; the zero pivot needs a swap
    assert pairscore._solve([[0.0, 1.0], [1.0, 0.0]], [2.0, 7.0]) == [7.0, 2.0]
    x, y = pairscore._solve([[2.0, 1.0], [1.0, 3.0]], [5.0, 10.0])
    assert x == pytest.approx(1.0) and y == pytest.approx(3.0)
    with pytest.raises(ValueError, match="degenerate"):
        pairscore._solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0])
    # a pivot below 1e-12 is taken for zero; one of 1e-12 itself is still solved
    with pytest.raises(ValueError, match="degenerate"):
        pairscore._solve([[1e-13]], [1.0])
    assert pairscore._solve([[1e-12]], [1.0]) == [pytest.approx(1e12)]


def _separable(n: int, seed: int = 3) -> list[LabelledPair]:
    rng = random.Random(seed)
    pairs = []
    for i in range(n):
        group = GROUPS[i % 3]
        positive = i % 2 == 0
        cosine = rng.uniform(0.55, 0.95) if positive else rng.uniform(0.05, 0.45)
        pairs.append(_pair(f"p{i:03d}", group, cosine, positive))
    return pairs


def test_fit_separates_separable_pairs_and_orders_them_by_probability() -> None:
    pairs = _separable(90)
    model = pairscore.fit(pairs)
    weight = model.weights[FEATURES.index("cosine")]
    assert weight > 0
    for pair in pairs:
        suggested = model.probability(pair.features) >= model.threshold(pair.group)
        assert suggested == pair.positive, pair
    low, high = (model.probability(_pair("x", "en-en", c, True).features) for c in (0.2, 0.8))
    assert low < 0.5 < high
    assert model.pairs == 90 and model.positives == 45


def test_a_stronger_ridge_shrinks_the_weights() -> None:
    pairs = _separable(60)
    loose, tight = pairscore.fit(pairs, ridge=0.1), pairscore.fit(pairs, ridge=100.0)
    index = FEATURES.index("cosine")
    assert 0 < tight.weights[index] < loose.weights[index]


def test_fit_maximises_the_penalised_likelihood() -> None:
    """At the fitted weights, the gradient of the penalised log-likelihood is zero, reached
    within 6 iterations, as Newton's method with the true Hessian reaches it."""
    pairs = _separable(60, seed=8)
    noisy = [replace(p, positive=not p.positive) if i % 7 == 0 else p for i, p in enumerate(pairs)]
    model = pairscore.fit(noisy, ridge=1.0, iterations=6)
    index = FEATURES.index("cosine")
    gradient_intercept = gradient_cosine = 0.0
    for pair in noisy:
        error = (1.0 if pair.positive else 0.0) - model.probability(pair.features)
        gradient_intercept += error
        gradient_cosine += error * (pair.features[index] - model.means[index]) / model.scales[index]
    assert gradient_intercept == pytest.approx(0.0, abs=1e-6)
    assert gradient_cosine - model.weights[index] == pytest.approx(0.0, abs=1e-6)


def test_a_threshold_is_chosen_per_language_pair() -> None:
    # English pairs separate at a high probability, Russian ones at a low one
    pairs = []
    for i in range(40):
        positive = i % 2 == 0
        pairs.append(_pair(f"e{i:02d}", "en-en", 0.8 if positive else 0.6, positive))
        pairs.append(_pair(f"r{i:02d}", "ru-ru", 0.4 if positive else 0.1, positive))
    model = pairscore.fit(pairs)
    assert model.threshold("en-en") > model.threshold("ru-ru")
    # a language pair without labelled pairs takes the threshold of all pairs together
    assert 0 < model.threshold("en-ru") <= model.threshold("en-en")


def test_a_pair_that_is_no_candidate_is_never_suggested() -> None:
    pairs = _separable(60)
    model = pairscore.fit(pairs)
    outside = replace(pairs[0], candidate=False)
    assert model.probability(outside.features) >= model.threshold(outside.group)
    _groups, overall = pairscore.measure([outside], model)
    assert overall.true_positives == 0 and overall.false_negatives == 1


def test_fit_needs_both_kinds_of_pairs() -> None:
    with pytest.raises(ValueError, match="both kinds"):
        pairscore.fit([_pair("a", "en-en", 0.5, True)])
    with pytest.raises(ValueError, match="both kinds"):
        pairscore.fit([])


def test_cross_validation_fits_on_the_other_folds_only(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = _separable(50)
    seen: list[set[str]] = []
    real_fit = pairscore.fit

    def spy(training: list[LabelledPair], ridge: float = 1.0) -> Model:
        seen.append({p.a for p in training})
        return real_fit(training, ridge)

    monkeypatch.setattr(pairscore, "fit", spy)
    groups, overall = pairscore.cross_validate(pairs, folds=5)
    assert len(seen) == 5
    every = {p.a for p in pairs}
    held = [every - training for training in seen]
    assert all(held) and set().union(*held) == every
    assert sum(len(h) for h in held) == len(every)  # each pair is measured exactly once
    assert overall.pairs == 50 and overall.positives == 25
    assert overall.f1 is not None and overall.f1 >= 0.8
    assert {g.group for g in groups} == set(GROUPS)


def test_cross_validation_does_not_depend_on_the_input_order() -> None:
    pairs = _separable(45, seed=5)
    noisy = [replace(p, positive=not p.positive) if i % 5 == 0 else p for i, p in enumerate(pairs)]
    shuffled = noisy[:]
    random.Random(1).shuffle(shuffled)
    assert pairscore.cross_validate(noisy, 3) == pairscore.cross_validate(shuffled, 3)
    with pytest.raises(ValueError, match="2 folds"):
        pairscore.cross_validate(noisy, 1)


# --------------------------------------------------------------------------------------------
# The model file
# --------------------------------------------------------------------------------------------


def test_dump_and_parse_give_back_the_same_model(tmp_path: Path) -> None:
    model = pairscore.fit(_separable(30))
    path = tmp_path / "model.toml"
    path.write_text(pairscore.dump_model(model, "a header\nof two lines"), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith("# a header\n# of two lines\n")
    assert pairscore.load_model(path) == model


def _data(**changes: object) -> dict[str, object]:
    model = pairscore.fit(_separable(30))
    data: dict[str, object] = {
        "features": list(FEATURES), "intercept": model.intercept,
        "weights": list(model.weights), "means": list(model.means),
        "scales": list(model.scales), "thresholds": dict(model.thresholds),
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"features": list(FEATURES[:-1])}, "'features' does not list"),
        # the same names in another order would apply each weight to another feature
        ({"features": list(reversed(FEATURES))}, "'features' does not list"),
        # one list sorts before this version's and one after
        ({"features": ["word_cosine", *(f for f in FEATURES if f != "word_cosine")]},
         "'features' does not list"),
        ({"weights": [0.0] * (WIDTH - 1)}, f"'weights' must hold {WIDTH} numbers"),
        ({"weights": [0.0] * (WIDTH + 1)}, f"'weights' must hold {WIDTH} numbers"),
        ({"means": ["x"] * WIDTH}, "'means' must hold"),
        ({"scales": [0.0] * WIDTH}, "every scale must be positive"),
        ({"scales": [1.0] * (WIDTH - 1) + [-1.0]}, "every scale must be positive"),
        ({"thresholds": {"en-en": 0.5}}, "'thresholds' must give en-en, en-ru, ru-ru"),
        ({"thresholds": dict.fromkeys(GROUPS, 1.5)}, "'thresholds' must give"),
        ({"thresholds": dict.fromkeys(GROUPS, -0.1)}, "'thresholds' must give"),
        ({"intercept": "high"}, "'intercept' must be a number"),
    ],
)
def test_a_bad_model_file_is_refused_naming_the_field(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        pairscore.parse_model(_data(**changes))


def test_probability_stays_within_0_and_1_for_extreme_scores() -> None:
    model = _model({"cosine": 1e6}, dict.fromkeys(GROUPS, 0.5))
    high = model.probability(_pair("a", "en-en", 1.0, True).features)
    low = model.probability(_pair("a", "en-en", -1.0, True).features)
    assert high == pytest.approx(1.0) and low == 0.0
    assert not math.isnan(high)


def test_shared_words_are_written_as_the_first_text_writes_them_in_both_languages() -> None:
    # mentoring is a concept of the vocabulary, shown as one; the other words are not
    assert pairscore.shared_words(
        "Publish an annual registry of tailored mentoring contracts for independent bloggers.",
        "Independent bloggers need mentoring contracts and a registry.",
    ) == ("registry", "contracts", "independent", "bloggers")
    # "язык вражды" is the concept hate speech; bloggers are a word, in any of its forms
    assert pairscore.shared_words(
        "Поддерживать независимых блогеров в борьбе с языком вражды.",
        "Блогеры и язык вражды: обучать блогера.",
    ) == ("блогеров",)
    # across the two languages, concepts are all two texts share
    assert pairscore.shared_words("Train imams.", "Обучать имамов.") == ()
    assert len(pairscore.shared_words("a b c d e f g h " * 2 + "alpha beta gamma delta",
                                      "alpha beta gamma delta", limit=2)) == 2


# --------------------------------------------------------------------------------------------
# Definitions, checked by hand
# --------------------------------------------------------------------------------------------


def test_letter_sequences_of_a_word_stem_with_its_ends_marked() -> None:
    # "Imams" is stemmed to "imam", padded as " imam "
    assert pairscore._grams("Imams", similarity.default_vocabulary()) == Counter(
        {" im": 1, "ima": 1, "mam": 1, "am ": 1, " ima": 1, "imam": 1, "mam ": 1})


def test_shared_concepts_are_counted_as_specific_and_broad_and_products_are_products() -> None:
    corpus = Corpus([
        ("a", "e1", "Religious leaders should mentor youth in every district."),
        ("b", "e2", "Youth clubs led by religious leaders in every district."),
    ])  # fmt: skip
    values = dict(zip(FEATURES, corpus.features("a", "b"), strict=True))
    # religious leaders (specific) and youth (broad)
    assert (values["specific_concepts"], values["broad_concepts"]) == (1.0, 1.0)
    assert values["same_ask"] == 1.0 and values["across_languages"] == 0.0
    assert values["letters_if_same_ask"] == values["letter_cosine"] > 0
    assert values["letters_if_not_same_ask"] == values["cosine_if_not_same_ask"] == 0.0
    assert values["cosine_if_same_ask"] == values["cosine"] == values["gated_score"]
    assert values["letter_cosine_squared"] == pytest.approx(values["letter_cosine"] ** 2)
    assert values["cosine_squared"] == pytest.approx(values["cosine"] ** 2)
    assert values["cosine_across_languages"] == 0.0
    gated = dict(zip(FEATURES, Corpus([
        ("a", "e1", "Conduct research on youth."),
        ("b", "e2", "Research on youth unemployment in districts."),
    ]).features("a", "b"), strict=True))  # fmt: skip
    assert gated["same_ask"] == 1.0  # research (an action) and youth (its group)
    many = dict(zip(FEATURES, Corpus([
        ("a", "e1", "Women, youth, migrants and families in prisons and schools."),
        ("b", "e2", "Schools, prisons, families, migrants, youth and women."),
    ]).features("a", "b"), strict=True))  # fmt: skip
    assert many["specific_concepts"] + many["broad_concepts"] <= 6  # each counted up to 3
    assert many["broad_concepts"] == 3.0


def test_the_best_threshold_counts_true_and_false_suggestions() -> None:
    # 0.40 keeps the three positives and one negative (F1 6/7); 0.55 keeps two positives and
    # no negative (F1 4/5); 0.45 two positives and a negative (4/6); 0.35 three and two (6/8)
    scored = [(0.95, True), (0.7, True), (0.4, True), (0.5, False), (0.35, False), (0.1, False)]
    assert similarity.best_threshold(scored, pairscore.THRESHOLDS) == 0.4
    # counting a false suggestion twice would make 0.55 the best
    assert similarity.best_threshold(
        [*scored[:2], (0.4, True), (0.5, False)], pairscore.THRESHOLDS
    ) == 0.4
    # a tie between thresholds goes to the higher one
    assert similarity.best_threshold([(0.9, True), (0.2, False)], pairscore.THRESHOLDS) == 0.9
    # nothing to find: the highest
    assert similarity.best_threshold([(0.3, False)], pairscore.THRESHOLDS) == 0.95


def test_solve_three_unknowns() -> None:
    # x + y + z = 6, 2y + 5z = -4, 2x + 5y - z = 27: x = 5, y = 3, z = -2
    x, y, z = pairscore._solve([[1.0, 1.0, 1.0], [0.0, 2.0, 5.0], [2.0, 5.0, -1.0]],
                               [6.0, -4.0, 27.0])
    assert (x, y, z) == (pytest.approx(5.0), pytest.approx(3.0), pytest.approx(-2.0))


def test_models_and_labelled_pairs_cannot_be_changed_once_made() -> None:
    model = pairscore.fit(_separable(30))
    with pytest.raises(FrozenInstanceError):
        model.intercept = 0.0  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        _pair("a", "en-en", 0.5, True).positive = False  # type: ignore[misc]


def test_cross_validation_counts_every_pair_once_in_five_folds_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pairs = _separable(40)
    calls = []
    real_fit = pairscore.fit
    monkeypatch.setattr(pairscore, "fit", lambda training: calls.append(1) or real_fit(training))
    groups, overall = pairscore.cross_validate(pairs)
    assert len(calls) == 5
    assert [(g.group, g.pairs) for g in groups] == [("en-en", 14), ("en-ru", 13), ("ru-ru", 13)]
    assert overall.true_positives + overall.false_negatives == overall.positives == 20
    # the two kinds lie far apart: no fold's model suggests a negative, and the count of
    # false ones of every language pair starts from nothing
    assert [g.false_positives for g in groups] == [0, 0, 0]
    assert all(g.true_positives + g.false_negatives == g.positives for g in groups)
    measured, whole = pairscore.measure(pairs, real_fit(pairs))
    assert [(g.group, g.pairs, g.positives) for g in measured] == [
        ("en-en", 14, 7), ("en-ru", 13, 6), ("ru-ru", 13, 7)]
    assert (whole.true_positives, whole.false_positives, whole.false_negatives) == (20, 0, 0)


def test_the_shipped_model_is_the_fit_of_the_labelled_pairs() -> None:
    """What ``flask recommendations fit --check`` checks, without the command line."""
    from app.followup import cli

    _seed, _items, development, held_out = cli._labelled_set()
    fitted = pairscore.fit(development + held_out)
    assert fitted == pairscore.load_model()


def test_thresholds_are_described_per_language_pair_in_order() -> None:
    model = _model({}, {"ru-ru": 0.35, "en-en": 0.4, "en-ru": 0.5})
    assert pairscore.describe_thresholds(model) == "en-en 0.40, en-ru 0.50, ru-ru 0.35"


def test_score_pairs_gives_what_suggest_gives_and_0_outside_the_candidates() -> None:
    suggested = {(s.a, s.b): s.score for s in pairscore.suggest(RECURRING)}
    assert suggested
    outside = ("en-budget", "ru-youth")
    scores = pairscore.score_pairs(RECURRING, [*suggested, outside])
    assert {pair: scores[pair] for pair in suggested} == suggested
    assert scores[outside] == 0.0


def test_suggest_reports_its_progress_over_the_candidate_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pairscore, "PROGRESS_EVERY", 2)
    calls: list[tuple[int, int]] = []
    pairscore.suggest(RECURRING, progress=lambda done, total: calls.append((done, total)))
    # every pair of different events, read one by one through the candidate rule
    corpus = Corpus(RECURRING)
    ids = [ident for ident, _event, _text in RECURRING]
    total = sum(corpus.is_candidate(corpus.features(a, b))
                for i, a in enumerate(ids) for b in ids[i + 1:])
    assert total >= 5
    assert calls == [*((done, total) for done in range(2, total + 1, 2)), (total, total)]


def test_a_pair_is_a_candidate_by_its_concepts_alone_only_across_languages() -> None:
    corpus = Corpus([("a", "e1", "Train imams."), ("b", "e2", "Обучать имамов.")])
    values = [0.0] * WIDTH
    values[FEATURES.index("cosine")] = 0.01
    values[FEATURES.index("concept_cosine")] = 0.5
    assert not corpus.is_candidate(values)  # one language: the whole cosine decides
    values[FEATURES.index("across_languages")] = 1.0
    assert corpus.is_candidate(values)
    values[FEATURES.index("cosine")] = 0.05
    values[FEATURES.index("concept_cosine")] = 0.0
    assert corpus.is_candidate(values)


def test_the_candidate_rule_rounds_the_cosine_to_six_places_as_the_index_does() -> None:
    corpus = Corpus([("a", "e1", "Train imams."), ("b", "e2", "Train imams.")])
    values = [0.0] * WIDTH
    values[FEATURES.index("cosine")] = 0.0499996  # 0.050000 to six places: a candidate
    assert corpus.is_candidate(values)
    values[FEATURES.index("cosine")] = 0.049996  # 0.049996 to six places (0.05 to five): not
    assert not corpus.is_candidate(values)


def test_a_translation_diluted_by_many_other_words_is_still_a_candidate() -> None:
    letters = [chr(c) for c in range(0x430, 0x44F)]
    english = "Train imams " + " ".join(f"w{i:03d}x" for i in range(250))
    russian = "Обучать имамов " + " ".join(f"ж{a}{b}ц" for a in letters[:16] for b in letters[:16])
    # the English text sorts first, then the Russian one; and the other way round
    for ids in (("e", "r"), ("r2", "e2")):
        corpus = Corpus([(ids[0], "ev1", english), (ids[1], "ev2", russian)])
        values = dict(zip(FEATURES, corpus.features(*ids), strict=True))
        assert values["cosine"] < pairscore.CANDIDATE_FLOOR <= values["concept_cosine"]
        assert {tuple(sorted(pair)) for pair in corpus.candidates()} == {tuple(sorted(ids))}


def test_thresholds_from_0_to_1_inclusive_are_accepted_and_others_refused() -> None:
    items = [("a", "e1", "Train imams."), ("b", "e2", "Train imams.")]
    assert pairscore.suggest(items, threshold=0.0)
    assert pairscore.suggest(items, threshold=1.0) == []  # no likelihood reaches 1
    for bad in (-0.1, 1.1):
        with pytest.raises(ValueError, match="between 0 and 1"):
            pairscore.suggest(items, threshold=bad)
    for edge in (0.0, 1.0):
        assert pairscore.parse_model(_data(thresholds=dict.fromkeys(GROUPS, edge))).thresholds \
            == dict.fromkeys(GROUPS, edge)
    with pytest.raises(ValueError, match="'thresholds' must give"):
        pairscore.parse_model(_data(thresholds={**dict.fromkeys(GROUPS, 0.5), "fr-fr": 0.5}))


def test_a_model_file_without_its_training_counts_reads_them_as_0() -> None:
    model = pairscore.parse_model(_data())
    assert (model.pairs, model.positives) == (0, 0)


def test_shared_words_read_the_vocabulary_they_are_given() -> None:
    first = "Publish an annual registry of mentoring contracts."
    second = "Mentoring contracts need a registry."
    assert "registry" in pairscore.shared_words(first, second)
    # a vocabulary in which a registry is a concept: shown as a concept, not as a word
    registry = similarity.parse_vocabulary(
        {"concept": [{"id": "registry", "terms": ["registry"]}]})
    assert "registry" not in pairscore.shared_words(first, second, vocabulary=registry)
    assert "contracts" in pairscore.shared_words(first, second, vocabulary=registry)


def test_two_folds_are_enough_for_cross_validation() -> None:
    groups, overall = pairscore.cross_validate(_separable(20, seed=3), 2)
    assert overall.pairs == 20 and groups


def test_a_pair_scoring_exactly_the_threshold_counts_as_suggested() -> None:
    # no weight and no intercept: every pair scores 0.5, the threshold of each language pair
    model = _model({}, dict.fromkeys(GROUPS, 0.5))
    pair = _pair("a", "en-en", 0.3, True)
    assert model.probability(pair.features) == 0.5
    _groups, overall = pairscore.measure([pair], model)
    assert (overall.true_positives, overall.false_negatives) == (1, 0)
    # and so it is when suggesting, with the model's thresholds or one given
    items = [("a", "e1", "Train imams to counter violent narratives."),
             ("b", "e2", "Train imams to counter violent narratives online.")]
    assert [(s.a, s.b) for s in pairscore.suggest(items, model)] == [("a", "b")]
    assert [(s.a, s.b) for s in pairscore.suggest(items, model, threshold=0.5)] == [("a", "b")]


def test_thresholds_run_from_0_05_to_0_95_in_steps_of_0_05() -> None:
    # as the README and the module promise: a threshold of 1 would suggest nothing
    assert pairscore.THRESHOLDS[0] == 0.05 and pairscore.THRESHOLDS[-1] == 0.95
    assert len(pairscore.THRESHOLDS) == 19
    assert all(math.isclose(b - a, 0.05) for a, b in itertools.pairwise(pairscore.THRESHOLDS))


def test_shared_words_show_six_words_at_most_unless_told_otherwise() -> None:
    words = "alpha bravo charlie delta echo foxtrot golf hotel"
    shared = pairscore.shared_words(words, words)
    assert shared == ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")


def test_cross_validation_never_measures_a_translation_of_a_pair_it_was_fitted_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pairs = _separable(60)
    seen: list[set[str]] = []
    real_fit = pairscore.fit

    def spy(training: list[LabelledPair]) -> Model:
        seen.append({p.a for p in training})
        return real_fit(training)

    monkeypatch.setattr(pairscore, "fit", spy)

    def parted(pair: LabelledPair, original: dict[str, str] | None) -> bool:
        """Whether some fold fits on the pair and measures its Russian twin, or the reverse."""
        twin = replace(pair, a=pair.a + "-ru", b=pair.b + "-ru", group="ru-ru")
        seen.clear()
        pairscore.cross_validate([*pairs, twin], folds=5, original=original)
        return any((pair.a in s) != (twin.a in s) for s in seen)

    # without the relation, some pairs and their twins are dealt into different folds
    apart = [p for p in pairs[:12] if parted(p, None)]
    assert apart
    for pair in apart:
        assert not parted(pair, {pair.a + "-ru": pair.a, pair.b + "-ru": pair.b})
