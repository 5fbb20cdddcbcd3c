"""Read recommendations into concepts and stems, and score pairs of them by cosine.

What this module computes is the evidence :mod:`indicators.pairscore` weighs to decide which
pairs to suggest; :func:`match` is the fixed rule it replaced, kept as one of its features and
as the baseline ``flask recommendations evaluate`` measures it against.

The same requests come back at event after event: more research, youth engagement, national
strategies, regional cooperation, religious leaders, migrant workers, prisons, counter-
narratives. Plain word overlap misses most of them, because each report words the request
differently ("imams", "spiritual leaders", "ulema"), and it finds false ones, because every
recommendation in the field says "violent", "extremism" and "radicalisation".

How a text is read (:func:`analyse`):

1. **Normalise**: Unicode-fold, lower-case, drop possessives and punctuation, split; drop
   numbers, one-letter tokens and English stop-words; stem each word with a small suffix
   stripper (:func:`stem`: plurals, ``-ing``/``-ed``, a final ``e``, British ``-ise`` to
   ``-ize``, a few irregular and British spellings). It need not produce real words, only
   the same stem for "strategy" and "strategies", "train" and "trained".
2. **Concepts**: the curated vocabulary in ``vocabulary.toml`` maps each surface form of an
   idea to one concept token (``#religious_leaders`` for "imams", "spiritual leaders",
   "ulema"...), longest term first. Generic concepts ("PVE", "violent extremism") and filler
   words ("violent", "countering", "workshop") are then removed and the matching is run a
   second time, so that "national CVE strategies" still reads as "national strategies".
   Generic concepts stay in the result of :func:`analyse`, to show what was recognised, but
   never link two recommendations.

Two languages: a text may be English, Russian or both. Cyrillic words are stemmed with the
Snowball Russian stemmer (:mod:`indicators.language`), and the vocabulary lists Russian forms
beside the English ones, so a Russian recommendation and its English counterpart share their
concept tokens. Across the two languages concepts are all two texts can share, so such a pair
is also scored on its concepts alone.

The same ask, not the same theme (:func:`same_ask`): a pair is suggested only if the concepts
it shares include one not marked ``broad`` in the vocabulary, or two of which one is not a
group of people (an action and its target group). "Youth" alone, or "women" and "youth"
alone, is not enough. :func:`explain` names the shared concepts, for the person who confirms
or rejects the pair.

How two texts are compared (:func:`match`): TF-IDF cosine over the remaining tokens, the IDF
computed over the input set, so words common in *this* set count for little. Concept tokens
weigh :data:`CONCEPT_WEIGHT` times more than plain words, because they carry the request while
the remaining words carry its phrasing. The score lies in [0, 1].

Scale: comparing every pair is quadratic. The matcher builds an inverted index as it goes
(all-pairs similarity search with prefix filtering and L2 bounds): each vector indexes only
its rarer tokens, leaving out the commonest ones whose combined weight cannot reach the
threshold on their own, and a pair is opened only where what the two vectors have left could
still reach it. Only pairs that share an informative token are ever scored, and the result
is still exact. It does not depend on the input order: records are processed sorted by id,
and ties in the output are broken by id.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from indicators import language

__all__ = [
    "CANDIDATE_THRESHOLDS",
    "CONCEPT_WEIGHT",
    "DEFAULT_THRESHOLD",
    "CrossValidation",
    "Evaluation",
    "FoldedFigures",
    "LabelledScore",
    "Suggestion",
    "Vocabulary",
    "analyse",
    "bags",
    "best_threshold",
    "checked_records",
    "cosine_pairs",
    "cross_validate",
    "deal_folds",
    "default_vocabulary",
    "evaluate",
    "explain",
    "folded_figures",
    "indexed_cosine",
    "language_group",
    "match",
    "measure",
    "normalise",
    "parse_vocabulary",
    "same_ask",
    "stem",
    "tally_one",
    "tfidf",
]

#: The cosine rule's threshold (:func:`match`): the one every training part of its
#: cross-validation over the labelled pairs chose. Suggestions themselves come from the pair
#: model of :mod:`indicators.pairscore`, which takes :func:`match`'s score as one feature.
DEFAULT_THRESHOLD = 0.10
#: How much more a concept token weighs than a plain word.
CONCEPT_WEIGHT = 3.0
CONCEPT_PREFIX = "#"
VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.toml"

_IRREGULAR = {"women": "woman", "men": "man", "children": "child"}
_SPELLING = {
    "labour": "labor", "programme": "program", "centre": "center", "neighbour": "neighbor",
    "defence": "defense", "behaviour": "behavior", "favour": "favor", "analyse": "analyze",
}  # fmt: skip
_BRITISH_IZE = re.compile(r"(?<=\w\w\w)is(ation|e|ed|es|ing|er)$")


class Suggestion(NamedTuple):
    """Recommendations ``a`` and ``b`` (``a < b``) of different events may ask the same."""

    a: str
    b: str
    score: float


@dataclass(frozen=True)
class Vocabulary:
    """The normalised vocabulary: term token-tuples to concept tokens, and the word lists."""

    terms: Mapping[tuple[str, ...], str]
    generic: frozenset[str]
    filler: frozenset[str]
    stopwords: frozenset[str]
    longest: int
    broad: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()


def stem(word: str) -> str:
    """A light, deterministic stemmer for lower-case English words."""
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3:
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ys")):
        word = word[:-1]
    word = _BRITISH_IZE.sub(r"iz\1", _SPELLING.get(word, word))
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return _SPELLING.get(word, word)


def normalise(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """Lower-case, strip punctuation, drop stop-words and numbers, stem."""
    stopwords = (vocabulary or default_vocabulary()).stopwords
    return _normalise(text, stopwords)


def _normalise(text: str, stopwords: frozenset[str]) -> list[str]:
    return [
        language.stem(word, "ru") if language.is_cyrillic(word[0]) else stem(word)
        for word in language.tokens(text)
        if len(word) > 1
        and not word.isdigit()
        and word not in stopwords
        and word not in language.STOPWORDS["ru"]
    ]


def _replace(tokens: list[str], vocabulary: Vocabulary) -> list[str]:
    """Replace terms by their concept tokens, longest term first, left to right."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for length in range(min(vocabulary.longest, len(tokens) - i), 0, -1):
            concept = vocabulary.terms.get(tuple(tokens[i : i + length]))
            if concept is not None:
                out.append(concept)
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def analyse(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """The tokens a recommendation is compared on: concept tokens and remaining word stems.

    Generic concepts are kept (at the end) to show what was recognised; :func:`match`
    ignores them.
    """
    vocab = vocabulary or default_vocabulary()
    first = _replace(_normalise(text, vocab.stopwords), vocab)
    generic = [token for token in first if token in vocab.generic]
    rest = [token for token in first if token not in vocab.generic and token not in vocab.filler]
    return _replace(rest, vocab) + generic


def tfidf(bag: Counter[str], df: Counter[str], n: int) -> dict[str, float]:
    weights = {
        token: (1 + math.log(count))
        * (math.log((1 + n) / (1 + df[token])) + 1)
        * (CONCEPT_WEIGHT if token.startswith(CONCEPT_PREFIX) else 1.0)
        for token, count in sorted(bag.items())
    }
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {token: w / norm for token, w in weights.items()}


def _tails(ordered: list[tuple[str, float]]) -> list[float]:
    """The norm of each suffix of an ordered vector: ``tails[k]`` covers tokens ``k`` on."""
    tails, squares = [0.0] * len(ordered), 0.0
    for k in range(len(ordered) - 1, -1, -1):
        squares += ordered[k][1] ** 2
        tails[k] = math.sqrt(squares)
    return tails


def _split(
    ordered: list[tuple[str, float]], tails: list[float], peak: dict[str, float], threshold: float
) -> tuple[int, float]:
    """How many tokens to index, and a bound on what the others can add to any score.

    The commonest tokens stay out of the index for as long as the smaller of two bounds on
    their contribution stays under the threshold: their norm (Cauchy-Schwarz) and the sum of
    each weight times the token's largest weight in any vector.
    """
    products = bound = 0.0
    cut = len(ordered)
    while cut:
        token, weight = ordered[cut - 1]
        product = products + weight * peak[token]
        if min(tails[cut - 1], product) >= threshold - 1e-6:
            break
        products, bound = product, min(tails[cut - 1], product)
        cut -= 1
    return cut, bound


def _probe(
    ordered: list[tuple[str, float]],
    tails: list[float],
    peak: dict[str, float],
    index: Mapping[str, list[tuple[int, float, float]]],
    threshold: float,
) -> dict[int, float]:
    """Dot products with the indexed parts of earlier vectors sharing a token with this one.

    Tokens are visited rarest first, and a pair is opened only where what the two vectors
    have left from this token on could still reach the threshold: both the product of their
    remaining norms and the sum of this vector's remaining weights times the largest weights
    seen. Such a bound only shrinks as tokens go by, so a pair left closed is never opened
    later with a part of its score missing.
    """
    partial: dict[int, float] = {}
    products = sum(weight * peak[token] for token, weight in ordered)
    for k, (token, weight) in enumerate(ordered):
        opening = min(products, tails[k]) >= threshold - 1e-6
        for j, other, other_tail in index.get(token, ()):
            if j in partial:
                partial[j] += weight * other
            elif opening and tails[k] * other_tail >= threshold - 1e-6:
                partial[j] = weight * other
        products -= weight * peak[token]
    return partial


def checked_records(
    items: Iterable[tuple[str, str, str]], threshold: float
) -> list[tuple[str, str, str]]:
    """The records sorted by id; ``ValueError`` on a threshold outside [0, 1] or an id twice."""
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must lie between 0 and 1, got {threshold}")
    records = sorted(items)
    for previous, current in itertools.pairwise(records):
        if previous[0] == current[0]:
            raise ValueError(f"recommendation id {current[0]!r} is used twice")
    return records


def bags(records: list[tuple[str, str, str]], vocab: Vocabulary) -> list[Counter[str]]:
    return [
        Counter(token for token in analyse(text, vocab) if token not in vocab.generic)
        for _id, _event, text in records
    ]


def cosine_pairs(
    items: Iterable[tuple[str, str, str]],
    threshold: float = DEFAULT_THRESHOLD,
    vocabulary: Vocabulary | None = None,
) -> list[Suggestion]:
    """Pairs of different events whose TF-IDF cosine is at least ``threshold``, ungated.

    The word-and-concept similarity :func:`match` starts from, found with the inverted index.
    """
    vocab = vocabulary or default_vocabulary()
    records = checked_records(items, threshold)
    return indexed_cosine(records, bags(records, vocab), threshold)


def indexed_cosine(
    records: list[tuple[str, str, str]], bags: list[Counter[str]], threshold: float
) -> list[Suggestion]:
    df: Counter[str] = Counter(token for bag in bags for token in bag)
    vectors = [tfidf(bag, df, len(records)) if bag else {} for bag in bags]
    peak: dict[str, float] = {}
    for vector in vectors:
        for token, weight in vector.items():
            peak[token] = max(weight, peak.get(token, 0.0))
    index: defaultdict[str, list[tuple[int, float, float]]] = defaultdict(list)
    rests: list[tuple[list[tuple[str, float]], float]] = []
    found: list[Suggestion] = []
    for i, vector in enumerate(vectors):
        ordered = sorted(vector.items(), key=lambda item: (df[item[0]], item[0]))
        tails = _tails(ordered)
        for j, partial in _probe(ordered, tails, peak, index, threshold).items():
            rest, bound = rests[j]
            if records[j][1] == records[i][1] or partial + bound < threshold - 1e-6:
                continue
            dot = partial + sum(weight * vector.get(token, 0.0) for token, weight in rest)
            score = round(min(1.0, dot), 6)
            if score >= threshold:
                found.append(Suggestion(records[j][0], records[i][0], score))
        cut, bound = _split(ordered, tails, peak, threshold)
        for k in range(cut):
            index[ordered[k][0]].append((i, ordered[k][1], tails[k]))
        rests.append((ordered[cut:], bound))
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found


def _concepts(bag: Iterable[str]) -> frozenset[str]:
    return frozenset(token for token in bag if token.startswith(CONCEPT_PREFIX))


def same_ask(shared: Iterable[str], vocabulary: Vocabulary | None = None) -> bool:
    """Whether shared concepts are enough to call two recommendations the same ask.

    One concept that is not broad is (``#religious_leaders``, ``#community_policing``); so are
    two broad concepts of which one is an action rather than a group of people (an action and
    its target group: ``#training`` and ``#youth``). One broad concept alone (``#youth``,
    ``#border``, ``#evidence``) is not, and neither are two groups alone (``#women`` and
    ``#youth``: who, but not what).
    """
    vocab = vocabulary or default_vocabulary()
    concepts = set(shared) - vocab.generic
    if any(concept not in vocab.broad for concept in concepts):
        return True
    return len(concepts) >= 2 and any(concept not in vocab.groups for concept in concepts)


def explain(text_a: str, text_b: str, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    """The concepts two texts share (ids without ``#``, broad ones last): why they match."""
    vocab = vocabulary or default_vocabulary()
    shared = _concepts(analyse(text_a, vocab)) & _concepts(analyse(text_b, vocab))
    shared -= vocab.generic
    return tuple(
        token[len(CONCEPT_PREFIX) :]
        for token in sorted(shared, key=lambda token: (token in vocab.broad, token))
    )


def match(
    items: Iterable[tuple[str, str, str]],
    threshold: float = DEFAULT_THRESHOLD,
    vocabulary: Vocabulary | None = None,
) -> list[Suggestion]:
    """Suggested pairs ``(a, b, score)`` from different events with ``score >= threshold``.

    ``items`` are ``(id, event, text)`` in English, Russian or both. The score of a pair is
    the TF-IDF cosine over concepts and words (:func:`cosine_pairs`); for two texts in
    different languages (by :func:`indicators.language.detect`), the larger of that and the
    cosine over concepts alone, since concepts are all that a text and its translation can
    share. A pair is
    suggested only if the concepts it shares are the same ask (:func:`same_ask`): sharing
    words, or one broad theme, is not enough. The list is sorted by score, highest first,
    then by ids.
    """
    vocab = vocabulary or default_vocabulary()
    records = checked_records(items, threshold)
    texts = bags(records, vocab)
    concept_bags = [Counter({t: n for t, n in bag.items() if t.startswith(CONCEPT_PREFIX)})
                    for bag in texts]  # fmt: skip
    position = {record[0]: i for i, record in enumerate(records)}
    languages = [language.detect(text) for _id, _event, text in records]
    across = (
        s
        for s in indexed_cosine(records, concept_bags, threshold)
        if languages[position[s.a]] != languages[position[s.b]]
    )
    best: dict[tuple[str, str], float] = {}
    for suggestion in itertools.chain(indexed_cosine(records, texts, threshold), across):
        key = (suggestion.a, suggestion.b)
        best[key] = max(best.get(key, 0.0), suggestion.score)
    found = [
        Suggestion(a, b, score)
        for (a, b), score in best.items()
        if same_ask(_concepts(texts[position[a]]) & _concepts(texts[position[b]]), vocab)
    ]
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found


@dataclass(frozen=True)
class Evaluation:
    """Suggestions compared with labelled pairs; unlabelled suggestions count as false."""

    threshold: float
    suggested: int
    true_positives: int
    false_positives: int
    false_negatives: int
    labelled_negatives_suggested: int
    precision: float | None
    recall: float | None
    f1: float | None


def evaluate(
    suggestions: Iterable[Suggestion],
    positives: Iterable[tuple[str, str]],
    negatives: Iterable[tuple[str, str]],
    threshold: float,
) -> Evaluation:
    """Precision, recall and F1 of the suggestions scoring at least ``threshold``.

    The labelled positives are taken to be all the links there are, so a suggested pair that
    is not labelled positive is a false positive, labelled negative or not.
    """
    suggested = {frozenset((s.a, s.b)) for s in suggestions if s.score >= threshold}
    wanted = {frozenset(pair) for pair in positives}
    unwanted = {frozenset(pair) for pair in negatives}
    tp, fp, fn = len(suggested & wanted), len(suggested - wanted), len(wanted - suggested)
    precision = tp / (tp + fp) if suggested else None
    recall = tp / (tp + fn) if wanted else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else (0.0 if wanted or suggested else None)
    return Evaluation(
        threshold, len(suggested), tp, fp, fn, len(suggested & unwanted), precision, recall, f1
    )


def parse_vocabulary(data: Mapping[str, Any]) -> Vocabulary:
    """Build a :class:`Vocabulary` from the parsed TOML; ``ValueError`` on a bad entry."""
    stopwords = frozenset(word.lower() for word in _words(data, "stopwords"))
    filler = frozenset(
        token for word in _words(data, "filler") for token in _normalise(word, frozenset())
    )
    terms: dict[tuple[str, ...], str] = {}
    generic: set[str] = set()
    broad: set[str] = set()
    groups: set[str] = set()
    for entry in data.get("concept", []):
        ident = entry.get("id")
        if not isinstance(ident, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
            raise ValueError(f"vocabulary: concept {ident!r}: 'id' must be a lower-case name")
        token = CONCEPT_PREFIX + ident
        raw_terms = entry.get("terms")
        if not isinstance(raw_terms, list) or not raw_terms:
            raise ValueError(f"vocabulary: concept {ident!r}: 'terms' must be a non-empty list")
        raw_ru = entry.get("ru", [])
        if not isinstance(raw_ru, list):
            raise ValueError(f"vocabulary: concept {ident!r}: 'ru' must be a list")
        raw_terms = raw_terms + raw_ru
        if entry.get("generic", False):
            generic.add(token)
        if entry.get("broad", False):
            broad.add(token)
        if entry.get("group", False):
            groups.add(token)
        for term in raw_terms:
            key = tuple(_normalise(str(term), stopwords))
            if not key:
                raise ValueError(f"vocabulary: concept {ident!r}: term {term!r} has no words")
            if terms.setdefault(key, token) != token:
                raise ValueError(
                    f"vocabulary: concept {ident!r}: term {term!r} already means {terms[key]!r}"
                )
    longest = max((len(key) for key in terms), default=1)
    return Vocabulary(
        terms, frozenset(generic), filler, stopwords, longest, frozenset(broad), frozenset(groups)
    )


def _words(data: Mapping[str, Any], section: str) -> list[str]:
    words = data.get(section, {}).get("words", [])
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise ValueError(f"vocabulary: [{section}] 'words' must be a list of strings")
    return list(words)


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped in ``vocabulary.toml``, read once."""
    with VOCABULARY_FILE.open("rb") as handle:
        return parse_vocabulary(tomllib.load(handle))


#: The thresholds :func:`cross_validate` chooses from.
CANDIDATE_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 13))  # 0.05 … 0.60


@dataclass(frozen=True)
class LabelledScore:
    """A labelled pair's score: ``group`` names its languages (``"en-ru"``)."""

    a: str
    b: str
    group: str
    score: float
    positive: bool


@dataclass(frozen=True)
class FoldedFigures:
    """Held-out counts of one group of pairs, summed over the folds."""

    group: str
    pairs: int
    positives: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        suggested = self.true_positives + self.false_positives
        return self.true_positives / suggested if suggested else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.positives if self.positives else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.true_positives + self.false_positives + self.false_negatives
        return 2 * self.true_positives / denominator if denominator else None


@dataclass(frozen=True)
class CrossValidation:
    """Figures per group and overall, and the threshold each fold's training part chose."""

    folds: int
    thresholds: tuple[float, ...]
    groups: tuple[FoldedFigures, ...]
    overall: FoldedFigures


def best_threshold(scored: Iterable[tuple[float, bool]], candidates: tuple[float, ...]) -> float:
    """The candidate threshold with the highest F1 on ``(score, positive)`` pairs; the higher
    one on a tie."""
    pairs = list(scored)

    def f1(threshold: float) -> float:
        tp = sum(1 for score, positive in pairs if positive and score >= threshold)
        fp = sum(1 for score, positive in pairs if not positive and score >= threshold)
        fn = sum(1 for score, positive in pairs if positive and score < threshold)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    return max(candidates, key=lambda threshold: (f1(threshold), threshold))


def deal_folds(
    pairs: Iterable[tuple[str, str, str, bool]],
    folds: int,
    original: Mapping[str, str] | None = None,
) -> dict[tuple[str, str], int]:
    """The fold of each labelled pair ``(a, b, group, positive)``, for cross-validation.

    A pair of texts and the same pair in translation (``original`` maps a translated text's
    id to the id of the text it translates) are one family and share a fold: measured on a
    fold whose English pair the model was fitted on, the Russian pair would be half seen.
    Families are dealt into ``folds`` folds in turn within each stratum (the language pairs
    of the family and whether it is positive), in the order of their ids, so the folds do not
    depend on the input order.
    """
    if folds < 2:
        raise ValueError(f"at least 2 folds are needed, got {folds}")
    translated = original or {}
    families: defaultdict[tuple[str, str], list[tuple[str, str, str, bool]]] = defaultdict(list)
    for a, b, group, positive in pairs:
        first, second = sorted((translated.get(a, a), translated.get(b, b)))
        families[(first, second)].append((a, b, group, positive))

    def stratum(members: list[tuple[str, str, str, bool]]) -> tuple[tuple[str, ...], bool]:
        return tuple(sorted({m[2] for m in members})), any(m[3] for m in members)

    counters: Counter[tuple[tuple[str, ...], bool]] = Counter()
    fold_of: dict[tuple[str, str], int] = {}
    for _key, members in sorted(families.items(), key=lambda kv: (stratum(kv[1]), kv[0])):
        place = stratum(members)
        for a, b, _group, _positive in members:
            fold_of[(a, b)] = counters[place] % folds
        counters[place] += 1
    return fold_of


def cross_validate(
    scores: Iterable[LabelledScore],
    folds: int = 5,
    candidates: tuple[float, ...] = CANDIDATE_THRESHOLDS,
    original: Mapping[str, str] | None = None,
) -> CrossValidation:
    """K-fold cross-validation of the threshold on labelled pairs.

    The pairs are dealt into folds by :func:`deal_folds` (a pair and its translation in one
    fold). For each fold the threshold is chosen on the other folds (:func:`best_threshold`)
    and applied to this one; the held-out counts are summed per group and overall.
    """
    ordered = sorted(scores, key=lambda p: (p.group, p.positive, p.a, p.b))
    if not ordered:
        raise ValueError("no labelled pairs")
    fold_of = deal_folds(((p.a, p.b, p.group, p.positive) for p in ordered), folds, original)
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    chosen: list[float] = []
    for fold in range(folds):
        training = [p for p in ordered if fold_of[(p.a, p.b)] != fold]
        threshold = best_threshold(((p.score, p.positive) for p in training), candidates)
        chosen.append(threshold)
        _tally(counts, (p for p in ordered if fold_of[(p.a, p.b)] == fold), threshold)
    return CrossValidation(folds, tuple(chosen), *folded_figures(counts))


def _tally(
    counts: defaultdict[str, list[int]], pairs: Iterable[LabelledScore], threshold: float
) -> None:
    """Add pairs, suggested when they score at least ``threshold``, to the counts per group:
    pairs, positives, true positives, false positives, false negatives."""
    for pair in pairs:
        tally_one(counts, pair.group, pair.positive, pair.score >= threshold)


def tally_one(
    counts: defaultdict[str, list[int]], group: str, positive: bool, suggested: bool
) -> None:
    """Add one labelled pair to the counts of its group (see :func:`folded_figures`)."""
    row = counts[group]
    row[0] += 1
    row[1] += positive
    row[2] += positive and suggested
    row[3] += (not positive) and suggested
    row[4] += positive and not suggested


def folded_figures(
    counts: Mapping[str, list[int]],
) -> tuple[tuple[FoldedFigures, ...], FoldedFigures]:
    """Figures per group and overall from counts of pairs, positives, TP, FP and FN."""
    groups = tuple(FoldedFigures(group, *counts[group]) for group in sorted(counts))
    overall = FoldedFigures("all", *(sum(g[i] for g in counts.values()) for i in range(5)))
    return groups, overall


def measure(
    scores: Iterable[LabelledScore], threshold: float
) -> tuple[tuple[FoldedFigures, ...], FoldedFigures]:
    """Counts per group and overall at one threshold, chosen beforehand (no fold chooses it).

    For a held-out set: pairs that took no part in writing the vocabulary or choosing the
    threshold, measured once at the threshold the other pairs chose.
    """
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    _tally(counts, scores, threshold)
    return folded_figures(counts)


def language_group(text_a: str, text_b: str) -> str:
    """``"en-en"``, ``"ru-ru"`` or ``"en-ru"``: the languages of two texts, by script."""
    pair = sorted((language.detect(text_a), language.detect(text_b)))
    return f"{pair[0]}-{pair[1]}"
