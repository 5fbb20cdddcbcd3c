"""Which pairs of recommendations to suggest as the same ask: a model fitted on labelled pairs.

:mod:`indicators.similarity` reads each text (concepts of the vocabulary, word stems, in
English and Russian) and scores a pair by cosine. A fixed rule on that score misses many
pairs the field would link: the same ask in other words shares few concepts, and the rule
that a pair must share a specific concept (:func:`similarity.same_ask`) turns away pairs whose
wording is plainly the same request. This module weighs the evidence instead:

1. **Candidates** (:func:`suggest`): only pairs of different events whose cosine over concepts
   and words, or over concepts alone for texts in different languages, reaches
   :data:`CANDIDATE_FLOOR` are considered. They are found with the inverted index of
   :mod:`indicators.similarity`, so the work grows with the pairs that share something, not
   with all pairs. Every other pair scores 0.
2. **Features** (:data:`FEATURES`, :meth:`Corpus.features`): the similarity's gated score, the
   cosine over concepts and words and over concepts alone, the number of shared specific and
   of shared broad concepts, the cosine over plain words and over the letter sequences of the
   word stems (which catches other forms of one word: "radicalised", "deradicalisation"),
   whether the two texts are in different languages, whether the shared concepts are the same
   ask, and products of these. Words and letter sequences are compared only within one
   language; across the two, concepts are all two texts share.
3. **Model** (:func:`fit`): a logistic regression with a small ridge penalty, fitted by
   iteratively reweighted least squares on standardised features, gives a probability that
   the pair asks the same. A pair is suggested when that probability reaches the threshold of
   its language pair (``en-en``, ``en-ru``, ``ru-ru``), each chosen for the best F1 on the
   pairs the model was fitted on.
4. **Evaluation** (:func:`cross_validate`): the model *and* the thresholds are fitted on the
   training folds only and measured on the held-out fold.

The shipped model (``pair_model.toml``) is written by ``flask recommendations fit`` from the
labelled pairs in ``seed/data``; :func:`load_model` reads it. Pure Python, deterministic.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indicators import language, similarity

__all__ = [
    "CANDIDATE_FLOOR",
    "FEATURES",
    "GROUPS",
    "MODEL_FILE",
    "Corpus",
    "LabelledPair",
    "Model",
    "cross_validate",
    "describe_thresholds",
    "dump_model",
    "fit",
    "load_model",
    "measure",
    "parse_model",
    "score_pairs",
    "shared_words",
    "suggest",
]

#: A pair is a candidate when one of its cosines reaches this; every other pair scores 0.
CANDIDATE_FLOOR = 0.05
#: The language pairs, each with its own threshold.
GROUPS = ("en-en", "en-ru", "ru-ru")
#: What the model weighs, in order (see the module's description).
FEATURES = (
    "gated_score",
    "cosine",
    "concept_cosine",
    "specific_concepts",
    "broad_concepts",
    "word_cosine",
    "letter_cosine",
    "across_languages",
    "same_ask",
    "cosine_if_same_ask",
    "letters_if_same_ask",
    "cosine_if_not_same_ask",
    "letters_if_not_same_ask",
    "cosine_across_languages",
    "letter_cosine_squared",
    "cosine_squared",
)
MODEL_FILE = Path(__file__).resolve().parent / "pair_model.toml"
#: The probabilities a threshold is chosen from.
THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))  # 0.05 … 0.95
_GRAM_LENGTHS = (3, 4)
_MAX_COUNT = 3  # shared concepts counted up to this many
#: How many candidate pairs :func:`suggest` scores between two reports of its progress.
PROGRESS_EVERY = 1000
_LOGIT_LIMIT = 500.0  # exp() of more than about 709 overflows; the sigmoid is flat long before


@dataclass(frozen=True)
class Model:
    """A fitted model: standardisation, weights and a threshold per language pair."""

    intercept: float
    weights: tuple[float, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    thresholds: Mapping[str, float]
    pairs: int  # the labelled pairs it was fitted on
    positives: int  # of which positive

    def probability(self, features: Sequence[float]) -> float:
        """The probability that a pair with these features asks the same."""
        z = self.intercept + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, features, self.means, self.scales, strict=True)
        )
        return 1 / (1 + math.exp(-z)) if z > -_LOGIT_LIMIT else 0.0

    def threshold(self, group: str) -> float:
        return self.thresholds[group]


def describe_thresholds(model: Model) -> str:
    """The thresholds as people read them: ``en-en 0.40, en-ru 0.50, ru-ru 0.35``."""
    return ", ".join(f"{group} {model.threshold(group):.2f}" for group in GROUPS)


@dataclass(frozen=True)
class LabelledPair:
    """A labelled pair with its features; ``candidate`` is False where it scores 0 anyway."""

    a: str
    b: str
    group: str
    features: tuple[float, ...]
    candidate: bool
    positive: bool


class Corpus:
    """The texts of one input set, read once: the features of any pair among them."""

    def __init__(
        self,
        items: Iterable[tuple[str, str, str]],
        vocabulary: similarity.Vocabulary | None = None,
    ) -> None:
        self.vocabulary = vocab = vocabulary or similarity.default_vocabulary()
        self.records = similarity.checked_records(items, 0.0)
        self.position = {record[0]: i for i, record in enumerate(self.records)}
        self.bags = similarity.bags(self.records, vocab)
        self.concept_bags = [
            Counter({t: n for t, n in bag.items() if t.startswith(similarity.CONCEPT_PREFIX)})
            for bag in self.bags
        ]
        word_bags = [
            Counter({t: n for t, n in bag.items() if not t.startswith(similarity.CONCEPT_PREFIX)})
            for bag in self.bags
        ]
        gram_bags = [_grams(text, vocab) for _id, _event, text in self.records]
        self.languages = [language.detect(text) for _id, _event, text in self.records]
        self._vectors = [_vectors(bags) for bags in (self.bags, self.concept_bags, word_bags)]
        self._grams = _vectors(gram_bags)

    def group(self, a: str, b: str) -> str:
        pair = sorted((self.languages[self.position[a]], self.languages[self.position[b]]))
        return f"{pair[0]}-{pair[1]}"

    def features(self, a: str, b: str) -> tuple[float, ...]:
        """The pair's features, in the order of :data:`FEATURES`."""
        i, j = self.position[a], self.position[b]
        vocab = self.vocabulary
        whole, concepts, words = (_dot(v[i], v[j]) for v in self._vectors)
        across = self.languages[i] != self.languages[j]
        shared = (set(self.concept_bags[i]) & set(self.concept_bags[j])) - vocab.generic
        specific = sum(1 for concept in shared if concept not in vocab.broad)
        ask = 1.0 if similarity.same_ask(shared, vocab) else 0.0
        best = max(whole, concepts) if across else whole
        letters = 0.0 if across else _dot(self._grams[i], self._grams[j])
        words = 0.0 if across else words
        return (
            best * ask,
            whole,
            concepts,
            float(min(specific, _MAX_COUNT)),
            float(min(len(shared) - specific, _MAX_COUNT)),
            words,
            letters,
            float(across),
            ask,
            whole * ask,
            letters * ask,
            whole * (1 - ask),
            letters * (1 - ask),
            whole * across,
            letters * letters,
            whole * whole,
        )

    def candidates(self) -> set[tuple[str, str]]:
        """Pairs of different events with a cosine of at least :data:`CANDIDATE_FLOOR`."""
        found = {(s.a, s.b) for s in similarity.indexed_cosine(
            self.records, self.bags, CANDIDATE_FLOOR)}
        found.update(
            (s.a, s.b)
            for s in similarity.indexed_cosine(self.records, self.concept_bags, CANDIDATE_FLOOR)
            if self.languages[self.position[s.a]] != self.languages[self.position[s.b]]
        )
        return found

    def is_candidate(self, features: Sequence[float]) -> bool:
        """The candidate rule on a pair's features (the same rule :meth:`candidates` indexes)."""
        across = features[FEATURES.index("across_languages")] > 0
        best = max(features[1], features[2]) if across else features[1]
        return round(best, 6) >= CANDIDATE_FLOOR  # as the index rounds a score

    def labelled(
        self, positives: Iterable[tuple[str, str]], negatives: Iterable[tuple[str, str]]
    ) -> list[LabelledPair]:
        """Labelled pairs with their features, for :func:`fit` and :func:`cross_validate`."""
        out = []
        for pairs, positive in ((positives, True), (negatives, False)):
            for a, b in pairs:
                values = self.features(a, b)
                out.append(LabelledPair(
                    a, b, self.group(a, b), values, self.is_candidate(values), positive))
        return out


def suggest(
    items: Iterable[tuple[str, str, str]] | Corpus,
    model: Model | None = None,
    threshold: float | None = None,
    vocabulary: similarity.Vocabulary | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[similarity.Suggestion]:
    """Suggested pairs ``(a, b, probability)`` of different events, highest first.

    A pair is suggested when its probability reaches the model's threshold for its language
    pair, or ``threshold`` where one is given (for every language pair). ``items`` may be a
    :class:`Corpus` already built, to be shared with :func:`score_pairs`. ``progress(done,
    total)`` is told how many candidate pairs have been scored, every :data:`PROGRESS_EVERY`
    and at the end.
    """
    if threshold is not None and not 0 <= threshold <= 1:
        raise ValueError(f"threshold must lie between 0 and 1, got {threshold}")
    model = model or load_model()
    corpus = _corpus(items, vocabulary)
    candidates = corpus.candidates()
    found = []
    for done, (a, b) in enumerate(candidates, start=1):
        score = model.probability(corpus.features(a, b))
        cut = model.threshold(corpus.group(a, b)) if threshold is None else threshold
        if score >= cut:
            found.append(similarity.Suggestion(a, b, round(score, 6)))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(candidates))
    if progress is not None:
        progress(len(candidates), len(candidates))
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found


def _corpus(
    items: Iterable[tuple[str, str, str]] | Corpus, vocabulary: similarity.Vocabulary | None
) -> Corpus:
    return items if isinstance(items, Corpus) else Corpus(items, vocabulary)


def shared_words(
    text_a: str, text_b: str, limit: int = 6, vocabulary: similarity.Vocabulary | None = None
) -> tuple[str, ...]:
    """Words of ``text_a`` whose stems ``text_b`` has too, beyond the concepts they share.

    With :func:`similarity.explain` (the shared concepts), what the manager is shown to judge
    a pair by: the words as ``text_a`` writes them, in its order, each stem once, at most
    ``limit``. Texts in different languages share no words.
    """
    vocab = vocabulary or similarity.default_vocabulary()
    common = {
        token for token in similarity.analyse(text_a, vocab)
        if not token.startswith(similarity.CONCEPT_PREFIX)
    } & set(similarity.analyse(text_b, vocab))  # fmt: skip
    found: dict[str, str] = {}
    for word in language.tokens(text_a):
        if len(found) >= limit:
            break
        stemmed = similarity.normalise(word, vocab)
        if len(stemmed) == 1 and stemmed[0] in common and stemmed[0] not in found:
            found[stemmed[0]] = word
    return tuple(found.values())


def score_pairs(
    items: Iterable[tuple[str, str, str]] | Corpus,
    pairs: Iterable[tuple[str, str]],
    model: Model | None = None,
    vocabulary: similarity.Vocabulary | None = None,
) -> dict[tuple[str, str], float]:
    """The score :func:`suggest` gives each of ``pairs`` among ``items`` (0 for a pair that is
    not a candidate), whether or not it reaches a threshold."""
    model = model or load_model()
    corpus = _corpus(items, vocabulary)
    out = {}
    for a, b in pairs:
        values = corpus.features(a, b)
        out[(a, b)] = round(model.probability(values), 6) if corpus.is_candidate(values) else 0.0
    return out


# --------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------


def fit(pairs: Sequence[LabelledPair], ridge: float = 1.0, iterations: int = 25) -> Model:
    """Fit the model on labelled pairs: weights, then a threshold per language pair.

    Logistic regression on standardised features by iteratively reweighted least squares
    (Newton's method), with the ridge penalty ``ridge`` on the weights (not the intercept).
    A language pair without labelled pairs gets the threshold of all pairs together.
    """
    if not pairs or all(p.positive for p in pairs) or not any(p.positive for p in pairs):
        raise ValueError("fitting needs labelled pairs of both kinds")
    width = len(FEATURES)
    columns = list(zip(*(p.features for p in pairs), strict=True))
    means = tuple(sum(column) / len(column) for column in columns)
    scales = tuple(
        math.sqrt(sum((x - m) ** 2 for x in column) / len(column)) or 1.0
        for column, m in zip(columns, means, strict=True)
    )
    rows = [
        [1.0, *((x - m) / s for x, m, s in zip(p.features, means, scales, strict=True))]
        for p in pairs
    ]
    labels = [1.0 if p.positive else 0.0 for p in pairs]
    beta = [0.0] * (width + 1)
    for _ in range(iterations):
        gradient = [0.0] * (width + 1)
        hessian = [[0.0] * (width + 1) for _ in range(width + 1)]
        for row, label in zip(rows, labels, strict=True):
            z = sum(b * x for b, x in zip(beta, row, strict=True))
            p = 1 / (1 + math.exp(-max(-_LOGIT_LIMIT, min(_LOGIT_LIMIT, z))))
            w = max(p * (1 - p), 1e-9)
            for k in range(width + 1):
                gradient[k] += (label - p) * row[k]
                wk = w * row[k]
                for m in range(k, width + 1):
                    hessian[k][m] += wk * row[m]
        for k in range(width + 1):
            for m in range(k):
                hessian[k][m] = hessian[m][k]
            if k:
                gradient[k] -= ridge * beta[k]
                hessian[k][k] += ridge
        step = _solve(hessian, gradient)
        beta = [b + d for b, d in zip(beta, step, strict=True)]
        if max(abs(d) for d in step) < 1e-9:
            break
    model = Model(beta[0], tuple(beta[1:]), means, scales, dict.fromkeys(GROUPS, 0.5),
                  len(pairs), sum(p.positive for p in pairs))  # fmt: skip
    scores = [(p.group, _score(model, p), p.positive) for p in pairs]
    overall = similarity.best_threshold(
        [(score, positive) for _group, score, positive in scores], THRESHOLDS
    )
    thresholds = {
        group: similarity.best_threshold(
            [(s, positive) for g, s, positive in scores if g == group], THRESHOLDS
        )
        if any(g == group for g, _s, _p in scores) else overall
        for group in GROUPS
    }  # fmt: skip
    return Model(model.intercept, model.weights, means, scales, thresholds,
                 model.pairs, model.positives)  # fmt: skip


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` by Gaussian elimination with partial pivoting."""
    n = len(vector)
    rows = [[*matrix[k], vector[k]] for k in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        if abs(rows[col][col]) < 1e-12:
            raise ValueError("the features are degenerate")
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            for c in range(col, n + 1):
                rows[r][c] -= factor * rows[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (rows[r][n] - sum(rows[r][c] * x[c] for c in range(r + 1, n))) / rows[r][r]
    return x


def _score(model: Model, pair: LabelledPair) -> float:
    """What the pair scores when suggesting: 0 unless it is a candidate."""
    return model.probability(pair.features) if pair.candidate else 0.0


def cross_validate(
    pairs: Sequence[LabelledPair], folds: int = 5, original: Mapping[str, str] | None = None
) -> tuple[tuple[similarity.FoldedFigures, ...], similarity.FoldedFigures]:
    """K-fold cross-validation: fit model and thresholds on the other folds, count on this one.

    Pairs are dealt into folds by :func:`similarity.deal_folds`: a pair and the same pair in
    translation (``original``: translated text id -> id of its original) share a fold, and
    the folds do not depend on the input order.
    """
    ordered = sorted(pairs, key=lambda p: (p.group, p.positive, p.a, p.b))
    dealt = similarity.deal_folds(((p.a, p.b, p.group, p.positive) for p in ordered), folds,
                                  original)
    fold_of = [dealt[(p.a, p.b)] for p in ordered]
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for fold in range(folds):
        training = [p for p, f in zip(ordered, fold_of, strict=True) if f != fold]
        model = fit(training)
        _count(counts, (p for p, f in zip(ordered, fold_of, strict=True) if f == fold), model)
    return similarity.folded_figures(counts)


def measure(
    pairs: Iterable[LabelledPair], model: Model
) -> tuple[tuple[similarity.FoldedFigures, ...], similarity.FoldedFigures]:
    """Counts per language pair and overall of a model fitted beforehand on other pairs."""
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    _count(counts, pairs, model)
    return similarity.folded_figures(counts)


def _count(
    counts: defaultdict[str, list[int]], pairs: Iterable[LabelledPair], model: Model
) -> None:
    for pair in pairs:
        similarity.tally_one(
            counts, pair.group, pair.positive, _score(model, pair) >= model.threshold(pair.group)
        )


# --------------------------------------------------------------------------------------------
# The model file
# --------------------------------------------------------------------------------------------


def parse_model(data: Mapping[str, Any]) -> Model:
    """A :class:`Model` from the parsed TOML; ``ValueError`` naming what is wrong."""
    if tuple(data.get("features", ())) != FEATURES:
        raise ValueError("pair model: 'features' does not list this version's features")
    numbers = {}
    for key in ("weights", "means", "scales"):
        values = data.get(key)
        if not isinstance(values, list) or len(values) != len(FEATURES) or not all(
            isinstance(v, int | float) for v in values
        ):
            raise ValueError(f"pair model: '{key}' must hold {len(FEATURES)} numbers")
        numbers[key] = tuple(float(v) for v in values)
    if any(scale <= 0 for scale in numbers["scales"]):
        raise ValueError("pair model: every scale must be positive")
    thresholds = data.get("thresholds", {})
    if set(thresholds) != set(GROUPS) or not all(
        isinstance(t, int | float) and 0 <= t <= 1 for t in thresholds.values()
    ):
        raise ValueError(f"pair model: 'thresholds' must give {', '.join(GROUPS)} in [0, 1]")
    intercept = data.get("intercept")
    if not isinstance(intercept, int | float):
        raise ValueError("pair model: 'intercept' must be a number")
    trained = data.get("trained", {})
    return Model(float(intercept), numbers["weights"], numbers["means"], numbers["scales"],
                 {g: float(thresholds[g]) for g in GROUPS},
                 int(trained.get("pairs", 0)), int(trained.get("positives", 0)))  # fmt: skip


def dump_model(model: Model, header: str = "") -> str:
    """The model as TOML, as :func:`parse_model` reads it back."""

    def numbers(values: Iterable[float]) -> str:
        return "[\n" + "".join(f"  {value!r},\n" for value in values) + "]"

    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [
        "features = [\n" + "".join(f'  "{name}",\n' for name in FEATURES) + "]",
        f"intercept = {model.intercept!r}",
        f"weights = {numbers(model.weights)}",
        f"means = {numbers(model.means)}",
        f"scales = {numbers(model.scales)}",
        "",
        "[thresholds]",
        *(f'"{group}" = {model.thresholds[group]!r}' for group in GROUPS),
        "",
        "[trained]",
        f"pairs = {model.pairs}",
        f"positives = {model.positives}",
    ]
    return "\n".join(lines) + "\n"


@functools.cache
def load_model(path: Path = MODEL_FILE) -> Model:
    """The model in ``path`` (the shipped one by default), read once."""
    with path.open("rb") as handle:
        return parse_model(tomllib.load(handle))


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _grams(text: str, vocabulary: similarity.Vocabulary) -> Counter[str]:
    """Letter sequences of three and four letters of the text's word stems, with word ends."""
    out: Counter[str] = Counter()
    for word in similarity.normalise(text, vocabulary):
        padded = f" {word} "
        for n in _GRAM_LENGTHS:
            out.update(padded[k : k + n] for k in range(len(padded) - n + 1))
    return out


def _vectors(bags: list[Counter[str]]) -> list[dict[str, float]]:
    """TF-IDF vectors of the bags, IDF over these bags (concept tokens weigh more)."""
    df: Counter[str] = Counter(token for bag in bags for token in bag)
    return [similarity.tfidf(bag, df, len(bags)) if bag else {} for bag in bags]


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, sum(weight * b.get(token, 0.0) for token, weight in a.items()))
