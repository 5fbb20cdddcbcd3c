"""Suggest links between recommendations of different events that ask for the same thing.

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
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "CONCEPT_WEIGHT",
    "DEFAULT_THRESHOLD",
    "Evaluation",
    "Suggestion",
    "Vocabulary",
    "analyse",
    "default_vocabulary",
    "evaluate",
    "match",
    "normalise",
    "parse_vocabulary",
    "stem",
]

#: Pairs scoring at least this much are suggested; chosen from the sweep over the labelled
#: pairs of the documented dataset (``flask recommendations evaluate``).
DEFAULT_THRESHOLD = 0.25
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
_SPLIT = re.compile(r"[\W_]+")
_POSSESSIVE = re.compile(r"['’]s\b")
_APOSTROPHE = re.compile(r"['’]")


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
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", folded))
    return [
        stem(word)
        for word in _SPLIT.split(folded)
        if len(word) > 1 and not word.isdigit() and word not in stopwords
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


def _vector(bag: Counter[str], df: Counter[str], n: int) -> dict[str, float]:
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


def match(
    items: Iterable[tuple[str, str, str]],
    threshold: float = DEFAULT_THRESHOLD,
    vocabulary: Vocabulary | None = None,
) -> list[Suggestion]:
    """Suggested pairs ``(a, b, score)`` from different events with ``score >= threshold``.

    ``items`` are ``(id, event, text)``. Pairs that share no informative token score 0 and are
    never suggested. The list is sorted by score, highest first, then by ids.
    """
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must lie between 0 and 1, got {threshold}")
    vocab = vocabulary or default_vocabulary()
    records = sorted(items)
    for previous, current in itertools.pairwise(records):
        if previous[0] == current[0]:
            raise ValueError(f"recommendation id {current[0]!r} is used twice")
    bags = [
        Counter(token for token in analyse(text, vocab) if token not in vocab.generic)
        for _id, _event, text in records
    ]
    df: Counter[str] = Counter(token for bag in bags for token in bag)
    vectors = [_vector(bag, df, len(records)) for bag in bags]
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
    filler = frozenset(stem(word.lower()) for word in _words(data, "filler"))
    terms: dict[tuple[str, ...], str] = {}
    generic: set[str] = set()
    for entry in data.get("concept", []):
        ident = entry.get("id")
        if not isinstance(ident, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
            raise ValueError(f"vocabulary: concept {ident!r}: 'id' must be a lower-case name")
        token = CONCEPT_PREFIX + ident
        raw_terms = entry.get("terms")
        if not isinstance(raw_terms, list) or not raw_terms:
            raise ValueError(f"vocabulary: concept {ident!r}: 'terms' must be a non-empty list")
        if entry.get("generic", False):
            generic.add(token)
        for term in raw_terms:
            key = tuple(_normalise(str(term), stopwords))
            if not key:
                raise ValueError(f"vocabulary: concept {ident!r}: term {term!r} has no words")
            if terms.setdefault(key, token) != token:
                raise ValueError(
                    f"vocabulary: concept {ident!r}: term {term!r} already means {terms[key]!r}"
                )
    longest = max((len(key) for key in terms), default=1)
    return Vocabulary(terms, frozenset(generic), filler, stopwords, longest)


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
