"""The recommendation matcher: text normalisation, the domain vocabulary, the rules a
suggestion must obey, and the inverted index checked against a plain all-pairs comparison."""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import similarity
from indicators.similarity import (
    CONCEPT_WEIGHT,
    DEFAULT_THRESHOLD,
    Suggestion,
    analyse,
    default_vocabulary,
    evaluate,
    match,
    normalise,
    parse_vocabulary,
    stem,
)

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("un", "un"),  # short words are left alone
        ("strategies", "strategy"),
        ("studied", "study"),
        ("addresses", "address"),
        ("leaders", "leader"),
        ("religious", "religious"),  # -us is not a plural
        ("analysis", "analysis"),  # nor is -is
        ("women", "woman"),
        ("programmes", "program"),
        ("neighbouring", "neighbor"),
        ("radicalisation", "radicalization"),
        ("training", "train"),
        ("trained", "train"),
        ("planned", "plan"),
        ("called", "call"),  # a double l stays
        ("engage", "engag"),
        ("engaging", "engag"),
        ("youth", "youth"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_normalise_lowercases_strips_punctuation_stop_words_and_numbers() -> None:
    text = "The EU–Central Asia dialogue's 2017 meeting: Strategies, (and) strategy!"
    assert normalise(text) == ["eu", "central", "asia", "dialogu", "meet", "strategy", "strategy"]


def test_normalise_folds_accents_and_stems_russian_words_in_russian() -> None:
    assert normalise("Café réunion молодёжи") == ["cafe", "reunion", "молодеж"]


def test_normalise_with_an_explicit_vocabulary() -> None:
    vocabulary = parse_vocabulary({"stopwords": {"words": ["imams"]}})
    assert normalise("imams and leaders", vocabulary) == ["and", "leader"]


# --------------------------------------------------------------------------------------------
# The domain vocabulary
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texts",
    [
        ("imams", "spiritual leaders", "religious leaders", "ulema"),
        ("migrant workers", "labour migration", "labor migrants"),
        ("national action plans", "national strategies", "a national strategy"),
        ("PVE", "preventing violent extremism", "prevention of violent extremism"),
        ("CVE", "countering violent extremism"),
        ("FTF", "FTFs", "foreign terrorist fighters"),
        ("VE", "violent extremism"),
        ("research", "knowledge creation", "studies", "a study"),
        ("youth", "young people", "young men and women"),
        ("national CVE strategies", "national strategies"),
    ],
)
def test_synonyms_are_the_same_concept(texts: tuple[str, ...]) -> None:
    analysed = [analyse(text) for text in texts]
    assert len(analysed[0]) == 1 and analysed[0][0].startswith("#")
    assert all(tokens == analysed[0] for tokens in analysed)


@pytest.mark.parametrize(
    ("english", "russian", "concept"),
    [
        ("support for victims of terrorism", "поддержка жертв терроризма", "#victims"),
        ("juvenile justice", "ювенальная юстиция", "#juvenile_justice"),
        ("risk and needs assessment", "оценка рисков и потребностей", "#risk_assessment"),
        ("psychosocial support", "психосоциальная поддержка", "#psychosocial"),
        ("religious schools", "религиозные учебные заведения", "#religious_education"),
        ("inter-agency coordination", "межведомственная координация", "#interagency_coordination"),
        ("terrorist content removal", "удаление террористического контента", "#online_content"),
        ("teacher training", "подготовка учителей", "#teacher_training"),
    ],
)
def test_the_fields_intervention_areas_are_concepts_in_both_languages(
    english: str, russian: str, concept: str
) -> None:
    assert concept in analyse(english) and concept in analyse(russian)


def test_a_longer_term_is_its_own_ask_beside_its_broad_theme() -> None:
    """Religious schools are not mere schools, nor teacher training mere training."""
    assert "#education" not in analyse("religious schools")
    assert "#training" not in analyse("train teachers")
    assert similarity.same_ask({"#teacher_training"})
    assert not similarity.same_ask({"#children"})


def test_inflections_are_the_same_word() -> None:
    assert analyse("strategy") == analyse("strategies") == ["strategy"]
    assert analyse("radicalisation") == analyse("radicalization") == []


def test_longest_term_wins_and_generic_concepts_come_last() -> None:
    tokens = analyse("Train spiritual leaders in preventing violent extremism")
    assert tokens == ["#training", "#religious_leaders", "#pve"]


def test_filler_words_are_dropped() -> None:
    assert analyse("Countering violent radicalisation in Central Asia workshop report") == []


def test_the_shipped_vocabulary_loads_once() -> None:
    vocabulary = default_vocabulary()
    assert vocabulary is default_vocabulary()
    assert {"#pve", "#cve", "#ve"} <= vocabulary.generic
    assert "#religious_leaders" not in vocabulary.generic


def test_an_empty_vocabulary_keeps_every_word() -> None:
    vocabulary = parse_vocabulary({})
    assert vocabulary.longest == 1
    assert analyse("the imams", vocabulary) == ["the", "imam"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"concept": [{"id": "Bad Name", "terms": ["x"]}]}, "'id' must be a lower-case name"),
        ({"concept": [{"terms": ["x"]}]}, "'id' must be a lower-case name"),
        ({"concept": [{"id": "a", "terms": []}]}, "'terms' must be a non-empty list"),
        ({"concept": [{"id": "a", "terms": "imams"}]}, "'terms' must be a non-empty list"),
        ({"concept": [{"id": "a", "terms": ["the", "x"]}]}, "term 'the' has no words"),
        (
            {"concept": [{"id": "a", "terms": ["imams"]}, {"id": "b", "terms": ["imam"]}]},
            "term 'imam' already means '#a'",
        ),
        ({"filler": {"words": ["ok", 3]}}, "[filler] 'words' must be a list of strings"),
        ({"stopwords": {"words": "the"}}, "[stopwords] 'words' must be a list of strings"),
    ],
)
def test_a_bad_vocabulary_is_refused(data: dict[str, Any], message: str) -> None:
    data.setdefault("stopwords", {"words": ["the"]})
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_vocabulary(data)


def test_the_same_term_twice_in_one_concept_is_allowed() -> None:
    vocabulary = parse_vocabulary({"concept": [{"id": "a", "terms": ["study", "studies"]}]})
    assert vocabulary.terms == {("study",): "#a"}


# --------------------------------------------------------------------------------------------
# Matching rules
# --------------------------------------------------------------------------------------------

RELATED = [
    ("a1", "almaty", "Train more spiritual leaders to do counter-radicalisation work."),
    ("b7", "bishkek", "Engage imams in the prevention of violent extremism and train them."),
    ("b8", "bishkek", "Reduce the vulnerability of migrant workers."),
    ("a9", "almaty", "Address labour migration and returning migrants."),
    ("c1", "astana", "Present the conclusions at the next dialogue and train officials."),
]


def test_pairs_come_only_from_different_events() -> None:
    items = [
        ("x1", "e1", "Fund research on radicalisation"),
        ("x2", "e1", "Fund more research on radicalisation"),
        ("x3", "e2", "Fund research on radicalisation"),
    ]
    pairs = {(s.a, s.b) for s in match(items, threshold=0.0)}
    assert pairs == {("x1", "x3"), ("x2", "x3")}


def test_synonymous_recommendations_are_suggested_sorted_by_score() -> None:
    suggestions = match(RELATED)
    assert [(s.a, s.b) for s in suggestions] == [("a9", "b8"), ("a1", "b7")]
    assert all(isinstance(s, Suggestion) and 0 <= s.score <= 1 for s in suggestions)
    assert suggestions[0].score >= suggestions[1].score >= DEFAULT_THRESHOLD


def test_identical_texts_score_one() -> None:
    items = [("p", "e1", "Support prison reform"), ("q", "e2", "Support prison reform.")]
    assert match(items) == [Suggestion("p", "q", 1.0)]


def test_the_threshold_filters_and_is_inclusive() -> None:
    everything = match(RELATED, threshold=0.0)
    assert len(everything) == 2  # c1 shares only "train" with the others: not the same ask
    lowest = everything[-1].score
    assert match(RELATED, threshold=lowest)[-1].score == lowest
    assert all(s.score > lowest for s in match(RELATED, threshold=min(1.0, lowest + 1e-6)))
    assert match(RELATED, threshold=1.0) == []


@pytest.mark.parametrize("threshold", [-0.1, 1.01])
def test_a_threshold_outside_0_1_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        match(RELATED, threshold)


def test_an_id_used_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'a1' is used twice"):
        match([*RELATED, ("a1", "other", "text")])


def test_texts_without_informative_words_match_nothing() -> None:
    items = [("n1", "e1", "Countering violent extremism"), ("n2", "e2", "PVE and CVE"), *RELATED]
    assert all("n1" not in s[:2] and "n2" not in s[:2] for s in match(items, 0.0))
    assert match([], 0.0) == []


def test_word_overlap_with_a_different_request_scores_below_a_related_pair() -> None:
    items = [
        ("t1", "almaty", "Expand training for spiritual leaders doing counter-radicalisation work"),
        ("t2", "bishkek", "Train imams to counter radicalisation in their communities"),
        ("t3", "bishkek", "Training for prison staff dealing with violent extremist prisoners"),
        ("t4", "astana", "Training for media professionals on reporting violent extremism"),
    ]
    scores = {(s.a, s.b): s.score for s in match(items, threshold=0.0)}
    assert scores[("t1", "t2")] > 2 * max(scores.get(("t1", "t3"), 0), scores.get(("t1", "t4"), 0))


def test_concepts_weigh_more_than_plain_words() -> None:
    assert CONCEPT_WEIGHT > 1


# --------------------------------------------------------------------------------------------
# The inverted index against a plain comparison of every pair
# --------------------------------------------------------------------------------------------

_POOL = """
    imams spiritual leaders religious youth young people migrant workers labour migration
    research studies national strategies action plans prisons media online counter-narratives
    regional cooperation train support women families violent extremism PVE the and of
    donor coordination civil society
"""
WORDS = _POOL.split()


def _all_pairs(items: list[tuple[str, str, str]]) -> dict[tuple[str, str], float]:
    """Cosine of every pair from different events, computed the obvious way."""
    vocabulary = default_vocabulary()
    bags = {
        ident: Counter(t for t in analyse(text) if t not in vocabulary.generic)
        for ident, _event, text in items
    }
    df = Counter(token for bag in bags.values() for token in bag)
    vectors = {}
    for ident, bag in bags.items():
        weights = {
            t: (1 + math.log(c))
            * (math.log((1 + len(items)) / (1 + df[t])) + 1)
            * (CONCEPT_WEIGHT if t.startswith("#") else 1)
            for t, c in bag.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[ident] = {t: w / norm for t, w in weights.items()}
    scores = {}
    for a, event_a, _ in items:
        for b, event_b, _ in items:
            if a < b and event_a != event_b:
                scores[(a, b)] = sum(w * vectors[b].get(t, 0.0) for t, w in vectors[a].items())
    return scores


recommendation_sets = st.lists(
    st.tuples(
        st.sampled_from(["e1", "e2", "e3", "e4"]),
        st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join),
    ),
    min_size=0,
    max_size=25,
).map(lambda rows: [(f"r{i:02d}", event, text) for i, (event, text) in enumerate(rows)])


@settings(max_examples=150, deadline=None)
@given(items=recommendation_sets, threshold=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 1.0]))
def test_the_index_finds_exactly_the_pairs_above_the_threshold(
    items: list[tuple[str, str, str]], threshold: float
) -> None:
    expected = _all_pairs(items)
    found = {(s.a, s.b): s.score for s in similarity.cosine_pairs(items, threshold)}
    for pair, score in found.items():
        assert score == pytest.approx(expected[pair], abs=1e-6)
        assert score >= threshold
    for pair, score in expected.items():
        if score >= threshold + 1e-6 and score > 1e-9:
            assert pair in found


@settings(max_examples=100, deadline=None)
@given(items=recommendation_sets, seed=st.integers(0, 2**32 - 1))
def test_shuffling_the_input_does_not_change_the_output(
    items: list[tuple[str, str, str]], seed: int
) -> None:
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    assert match(shuffled, 0.1) == match(items, 0.1)


def test_the_result_is_deterministic() -> None:
    assert match(RELATED, 0.0) == match(RELATED, 0.0) == match(tuple(reversed(RELATED)), 0.0)


def test_pairs_sharing_only_a_common_word_are_pruned_by_their_bound() -> None:
    # "train" is in every text, so it is left out of the index at a high threshold: the pairs
    # that share nothing else are never candidates, and the rest are scored exactly.
    items = [
        ("c0", "e0", "train prisons staff"),
        ("c1", "e1", "train prison staff"),
        ("c2", "e2", "train media"),
        ("c3", "e3", "train media journalists"),
        ("c4", "e4", "train staff"),
    ]
    assert [(s.a, s.b) for s in similarity.cosine_pairs(items, 0.9)] == [
        ("c0", "c1"),
        ("c2", "c3"),
    ]
    assert len(similarity.cosine_pairs(items, 0.0)) == 10


def test_common_words_complete_a_pair_found_through_a_rare_one() -> None:
    # "x" meets "j" through the rare "prisons"; "media", common and light in "x", can no
    # longer open a pair at this threshold but still adds to the one found.
    items = [
        ("j", "e1", "prisons media media media"),
        ("m", "e2", "media online"),
        ("x", "e3", "prisons prisons prisons media"),
    ]
    expected = _all_pairs(items)[("j", "x")]
    assert similarity.cosine_pairs(items, 0.5) == [Suggestion("j", "x", round(expected, 6))]


# --------------------------------------------------------------------------------------------
# Evaluation against labelled pairs
# --------------------------------------------------------------------------------------------


def test_evaluate_counts_unlabelled_suggestions_as_false() -> None:
    suggestions = [Suggestion("a", "b", 0.9), Suggestion("a", "c", 0.5), Suggestion("c", "d", 0.2)]
    result = evaluate(
        suggestions, positives=[("b", "a"), ("e", "f")], negatives=[("a", "c")], threshold=0.3
    )
    assert (result.suggested, result.true_positives, result.false_positives) == (2, 1, 1)
    assert (result.false_negatives, result.labelled_negatives_suggested) == (1, 1)
    assert (result.precision, result.recall, result.f1) == (0.5, 0.5, 0.5)


def test_evaluate_without_suggestions_or_positives() -> None:
    nothing = evaluate([], positives=[("a", "b")], negatives=[], threshold=0.5)
    assert (nothing.precision, nothing.recall, nothing.f1) == (None, 0.0, 0.0)
    unlabelled = evaluate([Suggestion("a", "b", 0.9)], positives=[], negatives=[], threshold=0.5)
    assert (unlabelled.precision, unlabelled.recall, unlabelled.f1) == (0.0, None, 0.0)
    empty = evaluate([], positives=[], negatives=[], threshold=0.5)
    assert (empty.precision, empty.recall, empty.f1) == (None, None, None)


def test_module_lists_what_it_exports() -> None:
    assert all(hasattr(similarity, name) for name in similarity.__all__)


# --------------------------------------------------------------------------------------------
# Two languages, the same ask, explanations
# --------------------------------------------------------------------------------------------


def test_russian_forms_are_the_concepts_of_their_english_counterparts() -> None:
    english = analyse("Engage religious leaders and imams; support NGOs and the OSCE")
    russian = analyse("Привлекать религиозных лидеров и имамов; поддерживать НПО и ОБСЕ")
    assert [t for t in english if t.startswith("#")] == [t for t in russian if t.startswith("#")]
    assert "#civil_society" in russian and "#regional_cooperation" in russian
    assert analyse("ПВЭ") == analyse("PVE") == ["#pve"]


def test_a_russian_recommendation_matches_its_english_counterpart_and_other_russian_ones() -> None:
    items = [
        ("en", "e1", "Train prison staff to tell religious practice from radicalism."),
        ("ru1", "e2", "Обучать персонал тюрем отличать религиозную практику от радикализма."),
        ("ru2", "e3", "Провести обучение сотрудников пенитенциарных учреждений."),
        ("other", "e4", "Обучать журналистов освещению экстремизма."),
    ]
    pairs = {(s.a, s.b) for s in match(items)}
    assert ("en", "ru1") in pairs and ("ru1", "ru2") in pairs
    assert not {p for p in pairs if "other" in p}, "training journalists is another ask"


def test_one_shared_broad_concept_is_not_the_same_ask() -> None:
    items = [
        ("data", "e1", "Collect data on youth unemployment."),
        ("movement", "e2", "Support youth movements and youth councils."),
        ("border1", "e3", "Strengthen border management."),
        ("border2", "e4", "Train border guards on human rights."),
    ]
    assert similarity.cosine_pairs(items, 0.05), "they do share words"
    assert match(items, 0.05) == []


@pytest.mark.parametrize(
    ("shared", "expected"),
    [
        ({"#youth"}, False),  # one broad group
        ({"#training"}, False),  # one broad action
        ({"#youth", "#women"}, False),  # two groups: who, but not what
        ({"#training", "#youth"}, True),  # an action and its target group
        ({"#religious_leaders"}, True),  # a concept that is not broad
        ({"#pve", "#youth"}, False),  # generic concepts never count
        (set(), False),
    ],
)
def test_same_ask(shared: set[str], expected: bool) -> None:
    assert similarity.same_ask(shared) is expected


def test_explain_names_the_shared_concepts_specific_ones_first() -> None:
    assert similarity.explain(
        "Train young people and imams in Kyrgyzstan",
        "Обучение молодых имамов: молодежь и религиозные лидеры",
    ) == ("religious_leaders", "training", "youth")
    assert similarity.explain("Support prison reform", "Train journalists") == ()


def test_broad_group_and_russian_terms_in_a_vocabulary() -> None:
    vocabulary = parse_vocabulary(
        {
            "concept": [
                {"id": "youth", "terms": ["youth"], "ru": ["молодежь"], "broad": True,
                 "group": True},
            ]
        }
    )  # fmt: skip
    assert vocabulary.broad == vocabulary.groups == {"#youth"}
    assert analyse("молодёжи", vocabulary) == analyse("youth", vocabulary) == ["#youth"]
    with pytest.raises(ValueError, match="'ru' must be a list"):
        parse_vocabulary({"concept": [{"id": "x", "terms": ["x"], "ru": "икс"}]})


def test_language_group() -> None:
    assert similarity.language_group("youth", "молодежь") == "en-ru"
    assert similarity.language_group("молодежь", "youth") == "en-ru"
    assert similarity.language_group("молодежь", "женщины") == "ru-ru"


# --------------------------------------------------------------------------------------------
# Cross-validation
# --------------------------------------------------------------------------------------------


def _scores(group: str, positives: list[float], negatives: list[float]) -> list[Any]:
    return [
        similarity.LabelledScore(f"{group}p{i}", f"{group}q{i}", group, score, True)
        for i, score in enumerate(positives)
    ] + [
        similarity.LabelledScore(f"{group}n{i}", f"{group}m{i}", group, score, False)
        for i, score in enumerate(negatives)
    ]


def test_cross_validation_separable_scores_are_perfect_per_group_and_overall() -> None:
    scores = _scores("en-en", [0.6, 0.65, 0.7, 0.8], [0.0, 0.05, 0.1, 0.2]) + _scores(
        "en-ru", [0.6, 0.62, 0.9, 1.0], [0.0, 0.0, 0.1, 0.15]
    )
    result = similarity.cross_validate(scores, folds=2)
    assert [g.group for g in result.groups] == ["en-en", "en-ru"]
    assert all(g.f1 == 1.0 and g.pairs == 8 and g.positives == 4 for g in result.groups)
    assert result.overall.pairs == 16 and result.overall.f1 == 1.0
    assert result.thresholds == (0.6, 0.6)  # the highest threshold of the best F1


def test_cross_validation_measures_on_the_held_out_fold_only() -> None:
    # Two folds: each training half has one positive at 0.3 or 0.55, and the threshold it
    # picks (the highest one keeping its positive) is then applied to the other half.
    scores = _scores("ru-ru", [0.3, 0.55], [0.5, 0.05])
    result = similarity.cross_validate(scores, folds=2)
    # folds by label: positives 0.3 (fold 0), 0.55 (fold 1); negatives 0.5 (0), 0.05 (1)
    # fold 0 is tested with the threshold learnt on fold 1 (0.55 positive, 0.05 negative):
    # 0.55; fold 1 with the one learnt on fold 0 (0.3 positive, 0.5 negative): 0.3.
    assert result.thresholds == (0.55, 0.3)
    row = result.overall
    assert (row.true_positives, row.false_positives, row.false_negatives) == (1, 0, 1)
    assert row.precision == 1.0 and row.recall == 0.5


def test_cross_validation_needs_two_folds_and_some_pairs() -> None:
    with pytest.raises(ValueError, match="at least 2 folds"):
        similarity.cross_validate(_scores("en-en", [0.5], [0.1]), folds=1)
    with pytest.raises(ValueError, match="no labelled pairs"):
        similarity.cross_validate([], folds=2)


def test_measure_counts_a_held_out_set_at_a_fixed_threshold() -> None:
    scores = _scores("en-en", [0.1, 0.3, 0.05], [0.2, 0.0]) + _scores("ru-ru", [0.4], [0.09])
    groups, overall = similarity.measure(scores, 0.1)
    by_group = {g.group: g for g in groups}
    en = by_group["en-en"]
    # positives 0.1 (inclusive) and 0.3 found, 0.05 missed; negative 0.2 suggested
    assert (en.pairs, en.positives, en.true_positives) == (5, 3, 2)
    assert (en.false_positives, en.false_negatives) == (1, 1)
    assert en.precision == pytest.approx(2 / 3) and en.recall == pytest.approx(2 / 3)
    ru = by_group["ru-ru"]
    assert (ru.true_positives, ru.false_positives, ru.false_negatives) == (1, 0, 0)
    assert (overall.pairs, overall.true_positives, overall.false_positives) == (7, 3, 1)
    assert overall.f1 == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))
    assert similarity.measure([], 0.1)[1].f1 is None


def test_a_pair_and_its_translation_are_dealt_into_one_fold() -> None:
    # p1/p2 and their translations p1-ru/p2-ru: four pairs of one family, in three groups
    pairs = [("p1", "p2", "en-en", True), ("p1-ru", "p2-ru", "ru-ru", True),
             ("p1", "p2-ru", "en-ru", True), ("p2", "p1-ru", "en-ru", True)]
    others = [(f"x{i}", f"y{i}", "en-en", i % 2 == 0) for i in range(12)]
    original = {"p1-ru": "p1", "p2-ru": "p2"}
    dealt = similarity.deal_folds(pairs + others, 3, original)
    assert len({dealt[(a, b)] for a, b, _g, _p in pairs}) == 1
    # without the translations the four are four families, and spread
    alone = similarity.deal_folds(pairs + others, 3)
    assert len({alone[(a, b)] for a, b, _g, _p in pairs}) > 1
    # the other pairs are dealt in turn within their label: 6 and 6 into 3 folds, 2 each
    for label in (True, False):
        folds = Counter(dealt[(a, b)] for a, b, _g, p in others if p is label)
        assert sorted(folds.values()) == [2, 2, 2]


def test_folds_do_not_depend_on_the_input_order_and_need_two() -> None:
    pairs = [(f"a{i}", f"b{i}", ("en-en", "ru-ru")[i % 2], i % 3 == 0) for i in range(30)]
    original = {"a1": "a0", "b1": "b0"}
    shuffled = pairs[:]
    random.Random(4).shuffle(shuffled)
    assert similarity.deal_folds(pairs, 5, original) == similarity.deal_folds(shuffled, 5,
                                                                              original)
    with pytest.raises(ValueError, match="at least 2 folds"):
        similarity.deal_folds(pairs, 1)


def test_the_cosine_rule_is_measured_with_translations_in_one_fold(
        monkeypatch: pytest.MonkeyPatch) -> None:
    scores = [*_scores("en-en", [0.6, 0.7], [0.1, 0.2]),
              similarity.LabelledScore("en-enp0-ru", "en-enq0-ru", "ru-ru", 0.3, True)]
    original = {"en-enp0-ru": "en-enp0", "en-enq0-ru": "en-enq0"}
    real = similarity.deal_folds
    seen: list[Any] = []

    def spy(pairs: Any, folds: int, given: Any = None) -> dict[tuple[str, str], int]:
        dealt = real(pairs, folds, given)
        seen.append((given, dealt))
        return dealt

    monkeypatch.setattr(similarity, "deal_folds", spy)
    result = similarity.cross_validate(scores, folds=2, original=original)
    [(given, dealt)] = seen
    assert given == original and result.overall.pairs == 5
    assert dealt[("en-enp0-ru", "en-enq0-ru")] == dealt[("en-enp0", "en-enq0")]
