"""Suggest bank indicators for a result statement, ranked and explained.

A manager writing a results chain knows what the result says, not which of the bank's
indicators measures it. :func:`suggest` reads the statement (English or Russian, detected per
text), the result's level and, when known, its themes, and ranks every bank indicator by fit:

- **concepts** (:file:`suggest.toml`): ideas the statement and the indicator share whatever
  their words ("convicts" and "prisoners", "repatriated" and "returnees"). An indicator carries
  the concepts of its English and its Russian texts, so a Russian statement meets it through
  the concept too. Each concept weighs by how rare it is in the bank (a concept that half the
  bank carries says little), and counts fully when the indicator's name carries it, half when
  only its definition does;
- **words**: stems the statement shares with the indicator's name and definition in the
  statement's language, weighted the same way, at half the weight of a concept;
- **level fit**: the same level as the result (a goal is measured at impact, where context
  indicators also belong) multiplies the text score by 1.6, a neighbouring level by 1.25;
- **theme fit**: an indicator of one of the result's themes scores 1.3 times.

Only indicators that share a concept or a word with the statement are suggested: a
suggestion always rests on something in the statement. Each suggestion carries its reasons
as codes with the statement's own words (or the level or theme value), never sentences: the
app words them in the reader's language. Ties fall back to the bank code, so the order is
deterministic. The bank's texts are stemmed once per process (cached), so a suggestion over
the whole bank is a set intersection per indicator and runs on every page view.

:func:`evaluate` measures the ranking on a labelled set (statement → suitable bank codes):
the share of statements with a suitable indicator among the first five (recall at 5),
overall and per language.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from types import MappingProxyType

from indicators import bank, language
from indicators.bank import BankIndicator, Level, Theme

__all__ = [
    "LANGUAGES",
    "Case",
    "Evaluation",
    "LanguageScore",
    "Reason",
    "ReasonCode",
    "Suggestion",
    "bank_level",
    "evaluate",
    "read_cases",
    "suggest",
]

LANGUAGES = ("en", "ru")
DEFAULT_LIMIT = 5
SAME_LEVEL = 1.6
NEAR_LEVEL = 1.25
THEME_FIT = 1.3
WORD_WEIGHT = 0.5
DEFINITION_WEIGHT = 0.5
_RESOURCE = "suggest.toml"

# A result's level (app: goal, outcome, output) or a bank level, as a rung of the chain.
_RUNG = {"output": 0, "outcome": 1, "impact": 2, "goal": 2, "context": 2}


class ReasonCode(StrEnum):
    """Why an indicator is suggested; the app words each code."""

    CONCEPTS = "concepts"  # terms: the statement's phrases that carry a concept the indicator has
    WORDS = "words"  # terms: other words of the statement found in the indicator's texts
    LEVEL_SAME = "level_same"  # terms: (the indicator's level,)
    LEVEL_NEAR = "level_near"  # terms: (the indicator's level,)
    THEME = "theme"  # terms: (the indicator's theme,)


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    code: str
    score: float
    reasons: tuple[Reason, ...]

    def reason(self, code: ReasonCode) -> Reason | None:
        return next((r for r in self.reasons if r.code is code), None)


def bank_level(level: str | Level) -> Level:
    """The bank level that measures a result of ``level`` (a goal is measured at impact)."""
    value = str(level.value if isinstance(level, Level) else level).strip().lower()
    if value == "goal":
        return Level.IMPACT
    try:
        return Level(value)
    except ValueError:
        allowed = ", ".join(sorted(_RUNG))
        raise ValueError(f"level {level!r} is not one of {allowed}") from None


# --- text ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    """A text as stems in order, each with the word it came from (stop words removed)."""

    stems: tuple[str, ...]
    words: tuple[str, ...]


def _read(text: str, lang: str) -> _Text:
    """Each word is stemmed in its own script's language (``lang`` names the table only)."""
    pairs = [(language.stem(word), word) for word in language.tokens(text)
             if len(word) > 1 and not word.isdigit() and not language.is_stopword(word)]
    pairs = [(stem, word) for stem, word in pairs if stem]
    return _Text(tuple(s for s, _ in pairs), tuple(w for _, w in pairs))


@functools.cache
def _concepts() -> Mapping[str, Mapping[tuple[str, ...], str]]:
    """Per language: stem sequence → concept key, from :file:`suggest.toml`."""
    text = resources.files("indicators").joinpath(_RESOURCE).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    table: dict[str, dict[tuple[str, ...], str]] = {lang: {} for lang in LANGUAGES}
    for key, entry in data.get("concept", {}).items():
        for lang in LANGUAGES:
            for term in entry.get(lang, []):
                stems = _read(term, lang).stems
                if stems:
                    table[lang].setdefault(stems, key)
    return MappingProxyType({lang: MappingProxyType(t) for lang, t in table.items()})


def _find_concepts(text: _Text, lang: str) -> dict[str, list[str]]:
    """Concept key → the phrases of ``text`` that carried it (longest terms first)."""
    terms = _concepts()[lang]
    longest = max((len(t) for t in terms), default=0)
    found: dict[str, list[str]] = {}
    position = 0
    while position < len(text.stems):
        for size in range(min(longest, len(text.stems) - position), 0, -1):
            key = terms.get(text.stems[position:position + size])
            if key is not None:
                phrases = found.setdefault(key, [])
                phrase = " ".join(text.words[position:position + size])
                if phrase not in phrases:
                    phrases.append(phrase)
                position += size
                break
        else:
            position += 1
    return found


# --- the bank, read once -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Profile:
    indicator: BankIndicator
    name_concepts: frozenset[str]
    concepts: frozenset[str]
    name_stems: Mapping[str, frozenset[str]]  # per language
    stems: Mapping[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class _Bank:
    profiles: tuple[_Profile, ...]
    concept_weight: Mapping[str, float]
    stem_weight: Mapping[str, Mapping[str, float]]  # per language


def _rarity(counts: Counter[str], total: int) -> dict[str, float]:
    return {key: math.log(1 + total / count) for key, count in counts.items()}


def _profile(indicator: BankIndicator) -> _Profile:
    name_concepts: set[str] = set()
    concepts: set[str] = set()
    name_stems: dict[str, frozenset[str]] = {}
    stems: dict[str, frozenset[str]] = {}
    for lang in LANGUAGES:
        entry = bank.localised(indicator, lang) if lang != "en" else indicator
        name = _read(entry.name, lang)
        definition = _read(entry.definition, lang)
        name_concepts |= set(_find_concepts(name, lang))
        concepts |= set(_find_concepts(name, lang)) | set(_find_concepts(definition, lang))
        name_stems[lang] = frozenset(name.stems)
        stems[lang] = frozenset(name.stems) | frozenset(definition.stems)
    return _Profile(indicator, frozenset(name_concepts), frozenset(concepts),
                    MappingProxyType(name_stems), MappingProxyType(stems))


def _build(indicators: Iterable[BankIndicator]) -> _Bank:
    profiles = tuple(_profile(indicator) for indicator in indicators)
    total = len(profiles)
    concept_counts = Counter(c for p in profiles for c in p.concepts)
    stem_weight = {lang: _rarity(Counter(s for p in profiles for s in p.stems[lang]), total)
                   for lang in LANGUAGES}
    return _Bank(profiles, MappingProxyType(_rarity(concept_counts, total)),
                 MappingProxyType({k: MappingProxyType(v) for k, v in stem_weight.items()}))


@functools.cache
def _packaged() -> _Bank:
    return _build(bank.load_bank())


# --- ranking -------------------------------------------------------------------------------


def _level_fit(result: Level, indicator: Level) -> ReasonCode | None:
    if result is indicator or {result, indicator} == {Level.IMPACT, Level.CONTEXT}:
        return ReasonCode.LEVEL_SAME
    if abs(_RUNG[result.value] - _RUNG[indicator.value]) == 1:
        return ReasonCode.LEVEL_NEAR
    return None


def suggest(statement: str, level: str | Level, themes: Iterable[Theme | str] = (), *,
            limit: int | None = DEFAULT_LIMIT,
            indicators: Sequence[BankIndicator] | None = None) -> tuple[Suggestion, ...]:
    """The bank indicators that fit a result, best first, each with its reasons.

    ``level`` is the result's level (goal, outcome, output) or a bank level; ``themes`` are
    bank themes (unknown values are refused). ``limit`` caps the list (None: every indicator
    that shares something with the statement). ``indicators`` replaces the packaged bank.
    """
    wanted = bank_level(level)
    theme_set = {Theme(t) for t in themes}
    data = _packaged() if indicators is None else _build(indicators)
    lang = language.detect(statement)
    text = _read(statement, lang)
    concepts = _find_concepts(text, lang)
    stem_words: dict[str, list[str]] = {}
    for stem, word in zip(text.stems, text.words, strict=True):
        words = stem_words.setdefault(stem, [])
        if word not in words:
            words.append(word)
    ranked: list[Suggestion] = []
    for profile in data.profiles:
        shared = sorted(set(concepts) & profile.concepts)
        concept_score = sum(
            data.concept_weight[c] * (1.0 if c in profile.name_concepts else DEFINITION_WEIGHT)
            for c in shared)
        stems = [s for s in stem_words if s in profile.stems[lang]]
        weights = data.stem_weight[lang]
        word_score = sum(
            weights[s] * (1.0 if s in profile.name_stems[lang] else DEFINITION_WEIGHT)
            for s in stems)
        score = concept_score + WORD_WEIGHT * word_score
        if score <= 0:
            continue
        reasons: list[Reason] = []
        explained: set[str] = set()
        if shared:
            terms = _unique(phrase for c in shared for phrase in concepts[c])
            reasons.append(Reason(ReasonCode.CONCEPTS, terms))
            explained = {word for phrase in terms for word in phrase.split()}
        words = [w for s in stems for w in stem_words[s] if w not in explained]
        if words:  # only the words a concept does not already explain
            reasons.append(Reason(ReasonCode.WORDS, _unique(words)))
        fit = _level_fit(wanted, profile.indicator.level)
        if fit is not None:
            score *= SAME_LEVEL if fit is ReasonCode.LEVEL_SAME else NEAR_LEVEL
            reasons.append(Reason(fit, (profile.indicator.level.value,)))
        if profile.indicator.theme in theme_set:
            score *= THEME_FIT
            reasons.append(Reason(ReasonCode.THEME, (profile.indicator.theme.value,)))
        ranked.append(Suggestion(profile.indicator.code, round(score, 6), tuple(reasons)))
    ranked.sort(key=lambda s: (-s.score, s.code))
    return tuple(ranked if limit is None else ranked[:limit])


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words))


# --- evaluation ----------------------------------------------------------------------------

CASE_COLUMNS = ("id", "language", "level", "statement", "suitable", "source")


@dataclass(frozen=True, slots=True)
class Case:
    """A labelled result statement: the bank codes a reader would accept as its indicator."""

    id: str
    language: str
    level: str
    statement: str
    suitable: frozenset[str]
    source: str
    held_out: bool = False


def read_cases(text: str, origin: str = "<string>",
               known: Iterable[str] | None = None) -> tuple[Case, ...]:
    """Parse the labelled set (CSV with :data:`CASE_COLUMNS`; more columns are allowed).

    ``suitable`` lists codes separated by spaces, empty when the bank has no suitable
    indicator. An optional ``held_out`` column says ``yes`` for statements added after the
    concept vocabulary was last changed, so that their recall is a figure on unseen wording.
    Refuses a missing column, an unknown language, level or code, a duplicate id, an empty
    statement or source or a ``held_out`` other than yes or empty, naming the row (the header
    is row 1)."""
    codes = set(known) if known is not None else {i.code for i in bank.load_bank()}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in CASE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{origin}, row 1 (header): missing column(s) {', '.join(missing)}")
    cases: list[Case] = []
    seen: set[str] = set()
    for row_number, row in enumerate(reader, start=2):
        where = f"{origin}, row {row_number}"
        values = {c: (row.get(c) or "").strip() for c in CASE_COLUMNS}
        for column in ("id", "statement", "source"):
            if not values[column]:
                raise ValueError(f"{where}: '{column}' is empty")
        if values["id"] in seen:
            raise ValueError(f"{where}: id {values['id']!r} is a duplicate")
        seen.add(values["id"])
        if values["language"] not in LANGUAGES:
            raise ValueError(f"{where}: language {values['language']!r} is not en or ru")
        try:
            bank_level(values["level"])
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        suitable = frozenset(values["suitable"].split())
        unknown = sorted(suitable - codes)
        if unknown:
            raise ValueError(f"{where}: code(s) not in the bank: {', '.join(unknown)}")
        held_out = (row.get("held_out") or "").strip()
        if held_out not in ("", "yes"):
            raise ValueError(f"{where}: held_out {held_out!r} is not yes or empty")
        cases.append(Case(values["id"], values["language"], values["level"],
                          values["statement"], suitable, values["source"], held_out == "yes"))
    return tuple(cases)


@dataclass(frozen=True, slots=True)
class LanguageScore:
    statements: int
    hits: int

    @property
    def recall(self) -> float:
        return self.hits / self.statements if self.statements else 0.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Recall at ``k``: overall, per language, on the held-out statements; the cases missed
    and those without a label."""

    k: int
    overall: LanguageScore
    by_language: Mapping[str, LanguageScore]
    held_out: LanguageScore
    missed: tuple[str, ...] = field(default=())
    unlabelled: tuple[str, ...] = field(default=())


def evaluate(cases: Iterable[Case], k: int = DEFAULT_LIMIT,
             indicators: Sequence[BankIndicator] | None = None) -> Evaluation:
    """Share of labelled statements with a suitable indicator among the first ``k`` suggested.

    Statements whose label is empty (the bank has nothing suitable) are left out of the figure
    and listed, so that a reader sees them rather than an inflated or deflated recall."""
    tally: dict[str, list[int]] = {lang: [0, 0] for lang in LANGUAGES}
    unseen = [0, 0]
    missed: list[str] = []
    unlabelled: list[str] = []
    for case in cases:
        if not case.suitable:
            unlabelled.append(case.id)
            continue
        top = {s.code for s in suggest(case.statement, case.level, limit=k,
                                       indicators=indicators)}
        hit = bool(top & case.suitable)
        tally[case.language][0] += 1
        tally[case.language][1] += int(hit)
        if case.held_out:
            unseen[0] += 1
            unseen[1] += int(hit)
        if not hit:
            missed.append(case.id)
    by_language = {lang: LanguageScore(n, h) for lang, (n, h) in tally.items()}
    overall = LanguageScore(sum(s.statements for s in by_language.values()),
                            sum(s.hits for s in by_language.values()))
    return Evaluation(k, overall, MappingProxyType(by_language), LanguageScore(*unseen),
                      tuple(missed), tuple(unlabelled))
