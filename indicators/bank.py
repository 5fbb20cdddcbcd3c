"""The indicator bank: reference PVE indicators kept as data, with a loader and a search.

The indicators live in ``bank.toml`` beside this module rather than in Python so that M&E
staff can review and extend them without touching code. Loading turns every entry into an
immutable :class:`BankIndicator` and refuses anything the database could not store
faithfully (an unknown level, theme, measure, direction, calculation, disaggregation or
frequency, a duplicate code, a ratio without numerator and denominator), because a bad
entry found at start-up is cheaper than a bad indicator copied into a live results
framework.

Pure standard library: the web application passes plain values in and gets plain values
out, as for the rest of the computation core. Measure, direction and calculation are the
enums of :mod:`indicators.types`, so that an indicator copied from the bank feeds the
aggregation and progress functions without translation; the vocabularies only the bank
needs (level, theme, disaggregation, frequency) are defined here.
"""

from __future__ import annotations

import functools
import os
import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from indicators.types import Calculation, Direction, Measure

__all__ = [
    "MAX_QUOTE_LENGTH",
    "THEME_PREFIXES",
    "BankIndicator",
    "Calculation",
    "Direction",
    "Disaggregation",
    "Frequency",
    "Level",
    "Measure",
    "SeedReference",
    "Theme",
    "check_seed_references",
    "get",
    "load_bank",
    "localised",
    "parse_bank",
    "parse_translation",
    "search",
    "search_in",
]


class Level(StrEnum):
    """Where an indicator sits in the results chain; the database stores the value."""

    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"
    CONTEXT = "context"


class Theme(StrEnum):
    """The PVE field an indicator belongs to; each theme owns one code prefix."""

    YOUTH = "youth"
    WOMEN = "women"
    RELIGIOUS_LEADERS = "religious_leaders"
    ONLINE = "online"
    PRISONS_REHABILITATION = "prisons_rehabilitation"
    RETURNEES = "returnees"
    MIGRANTS = "migrants"
    COMMUNITY_RESILIENCE = "community_resilience"
    INSTITUTIONAL_CAPACITY = "institutional_capacity"
    STRATEGY_COORDINATION = "strategy_coordination"
    DO_NO_HARM = "do_no_harm"


class Disaggregation(StrEnum):
    """The disaggregation types the monitoring module knows how to collect."""

    SEX = "sex"
    AGE_GROUP = "age_group"
    COUNTRY = "country"
    TARGET_GROUP = "target_group"
    LOCATION = "location"


class Frequency(StrEnum):
    """Suggested reporting frequency; a project may still choose its own periods."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"


THEME_PREFIXES: Mapping[Theme, str] = MappingProxyType(
    {
        Theme.YOUTH: "YTH",
        Theme.WOMEN: "WMN",
        Theme.RELIGIOUS_LEADERS: "REL",
        Theme.ONLINE: "ONL",
        Theme.PRISONS_REHABILITATION: "PRS",
        Theme.RETURNEES: "RET",
        Theme.MIGRANTS: "MIG",
        Theme.COMMUNITY_RESILIENCE: "COM",
        Theme.INSTITUTIONAL_CAPACITY: "CAP",
        Theme.STRATEGY_COORDINATION: "STR",
        Theme.DO_NO_HARM: "DNH",
    }
)
"""Code prefix per theme, so that a code alone tells a reader which field it covers."""

MAX_QUOTE_LENGTH = 200
"""A seed quote anchors an indicator to a passage; longer excerpts stop being a pointer."""

_CODE = re.compile(r"PVE-(?P<prefix>[A-Z]{3})-(?P<number>\d{2})")
_REQUIRED = (
    "code",
    "name",
    "level",
    "theme",
    "definition",
    "unit",
    "measure",
    "direction",
    "calculation",
    "suggested_disaggregations",
    "data_source",
    "means_of_verification",
    "frequency",
    "sensitive",
    "source_note",
)
_OPTIONAL = ("numerator", "denominator", "seed_reference")
_KNOWN_FIELDS = frozenset(_REQUIRED + _OPTIONAL)
_PACKAGE = __name__.rpartition(".")[0]
_RESOURCE = "bank.toml"
_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class SeedReference:
    """A short exact passage of a source document that the indicator answers.

    Kept so that anyone can check why the indicator is in the bank against the
    document itself, the same provenance rule every seeded record follows.
    """

    file: str
    quote: str


@dataclass(frozen=True, slots=True)
class BankIndicator:
    """One reference indicator, ready to be copied into a project's results framework.

    Frozen and built from tuples so that the cached bank can be shared freely without
    anyone mutating it for everybody else.
    """

    code: str
    name: str
    level: Level
    theme: Theme
    definition: str
    unit: str
    measure: Measure
    direction: Direction
    calculation: Calculation
    numerator: str | None
    denominator: str | None
    suggested_disaggregations: tuple[Disaggregation, ...]
    data_source: str
    means_of_verification: tuple[str, ...]
    frequency: Frequency
    sensitive: bool
    source_note: str
    seed_reference: SeedReference | None = None


def _normalise(text: str) -> str:
    """Collapse runs of whitespace, so wrapped TOML strings and PDF line breaks compare equal."""
    return " ".join(text.split())


def _coerce(vocabulary: type[_E], value: object, where: str) -> _E:
    """Turn a raw value into a vocabulary member, or say exactly what was wrong and where."""
    if isinstance(value, str):
        try:
            return vocabulary(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in vocabulary)
    raise ValueError(f"{where} has unknown value {value!r} (allowed: {allowed})")


def _as_text(value: object, code: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{code}: field '{field}' must be a non-empty string")
    return _normalise(value)


def _text(entry: Mapping[str, object], code: str, field: str) -> str:
    return _as_text(entry.get(field), code, field)


def _optional_text(entry: Mapping[str, object], code: str, field: str) -> str | None:
    if field not in entry:
        return None
    return _text(entry, code, field)


def _texts(entry: Mapping[str, object], code: str, field: str) -> tuple[str, ...]:
    value = entry.get(field)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        raise ValueError(f"{code}: field '{field}' must be a non-empty list of strings")
    return tuple(_normalise(item) for item in value)


def _disaggregations(entry: Mapping[str, object], code: str) -> tuple[Disaggregation, ...]:
    field = "suggested_disaggregations"
    value = entry.get(field)
    if not isinstance(value, list):
        raise ValueError(f"{code}: field '{field}' must be a list")
    chosen = tuple(_coerce(Disaggregation, item, f"{code}: field '{field}'") for item in value)
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"{code}: field '{field}' lists a disaggregation twice")
    return chosen


def _seed_reference(entry: Mapping[str, object], code: str) -> SeedReference | None:
    value = entry.get("seed_reference")
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"file", "quote"}:
        raise ValueError(f"{code}: field 'seed_reference' must be a table with file and quote")
    file = _as_text(value["file"], code, "seed_reference.file")
    quote = _as_text(value["quote"], code, "seed_reference.quote")
    if Path(file).name != file:
        raise ValueError(f"{code}: field 'seed_reference.file' must be a bare file name")
    if len(quote) > MAX_QUOTE_LENGTH:
        raise ValueError(
            f"{code}: field 'seed_reference.quote' is longer than {MAX_QUOTE_LENGTH} characters"
        )
    return SeedReference(file=file, quote=quote)


def _parse_entry(entry: object, position: int) -> BankIndicator:
    """Validate one ``[[indicator]]`` table; every message starts with the code at fault."""
    if not isinstance(entry, dict):
        raise ValueError(f"indicator #{position}: expected a table")
    raw_code = entry.get("code")
    match = _CODE.fullmatch(raw_code) if isinstance(raw_code, str) else None
    if match is None:
        raise ValueError(
            f"indicator #{position}: field 'code' must look like PVE-ABC-01, got {raw_code!r}"
        )
    code = match.group(0)
    unknown = sorted(set(entry) - _KNOWN_FIELDS)
    if unknown:
        raise ValueError(f"{code}: unknown field(s) {', '.join(unknown)}")
    missing = [field for field in _REQUIRED if field not in entry]
    if missing:
        raise ValueError(f"{code}: missing field(s) {', '.join(missing)}")

    def choice(field: str, vocabulary: type[_E]) -> _E:
        return _coerce(vocabulary, entry[field], f"{code}: field '{field}'")

    theme = choice("theme", Theme)
    if match.group("prefix") != THEME_PREFIXES[theme]:
        raise ValueError(
            f"{code}: field 'code' has prefix {match.group('prefix')} but theme {theme.value} "
            f"uses {THEME_PREFIXES[theme]}"
        )
    calculation = choice("calculation", Calculation)
    numerator = _optional_text(entry, code, "numerator")
    denominator = _optional_text(entry, code, "denominator")
    if calculation is Calculation.RATIO:
        if numerator is None or denominator is None:
            raise ValueError(
                f"{code}: field 'calculation' is ratio, so numerator and denominator are required"
            )
    elif numerator is not None or denominator is not None:
        raise ValueError(
            f"{code}: field 'calculation' is {calculation.value}; numerator and denominator "
            "belong to ratio indicators only"
        )
    sensitive = entry["sensitive"]
    if not isinstance(sensitive, bool):
        raise ValueError(f"{code}: field 'sensitive' must be true or false")
    return BankIndicator(
        code=code,
        name=_text(entry, code, "name"),
        level=choice("level", Level),
        theme=theme,
        definition=_text(entry, code, "definition"),
        unit=_text(entry, code, "unit"),
        measure=choice("measure", Measure),
        direction=choice("direction", Direction),
        calculation=calculation,
        numerator=numerator,
        denominator=denominator,
        suggested_disaggregations=_disaggregations(entry, code),
        data_source=_text(entry, code, "data_source"),
        means_of_verification=_texts(entry, code, "means_of_verification"),
        frequency=choice("frequency", Frequency),
        sensitive=sensitive,
        source_note=_text(entry, code, "source_note"),
        seed_reference=_seed_reference(entry, code),
    )


def parse_bank(text: str, origin: str = "<string>") -> tuple[BankIndicator, ...]:
    """Parse and validate bank TOML text; the indicators come back ordered by code.

    Separate from :func:`load_bank` so that callers (and tests) can check a draft bank
    without installing it. Raises ``ValueError`` naming the code and field at fault.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{origin}: not valid TOML: {error}") from error
    unknown = sorted(set(document) - {"indicator"})
    if unknown:
        raise ValueError(f"{origin}: unknown top-level key(s) {', '.join(unknown)}")
    entries = document.get("indicator")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{origin}: no [[indicator]] entries")
    indicators: dict[str, BankIndicator] = {}
    for position, entry in enumerate(entries, start=1):
        indicator = _parse_entry(entry, position)
        if indicator.code in indicators:
            raise ValueError(f"{indicator.code}: field 'code' is a duplicate")
        indicators[indicator.code] = indicator
    return tuple(indicators[code] for code in sorted(indicators))


@functools.cache
def load_bank(path: str | os.PathLike[str] | None = None) -> tuple[BankIndicator, ...]:
    """Return the validated bank, read once per process.

    Without ``path`` the packaged ``bank.toml`` is read through ``importlib.resources``
    so that the bank also loads from an installed wheel; a path loads another file.
    """
    if path is None:
        text = resources.files(_PACKAGE).joinpath(_RESOURCE).read_text(encoding="utf-8")
        return parse_bank(text, _RESOURCE)
    return parse_bank(Path(path).read_text(encoding="utf-8"), os.fspath(path))


@functools.cache
def _index() -> Mapping[str, BankIndicator]:
    return MappingProxyType({indicator.code: indicator for indicator in load_bank()})


def get(code: str) -> BankIndicator | None:
    """Return the packaged indicator with this code (any case, surrounding spaces ignored)."""
    return _index().get(code.strip().upper())


def _fold(text: str) -> str:
    """Case-folded, with ё read as е (Russian writers often leave the dots out)."""
    return text.casefold().replace("ё", "е")


def _words(query: str) -> list[str]:
    """Split a query into case-folded words, ignoring punctuation around them."""
    stripped = (word.strip(string.punctuation + "«»") for word in _fold(query).split())
    return [word for word in stripped if word]


def _haystack(indicator: BankIndicator) -> str:
    """Text a query word may match: code, name, definition and theme, spelt both ways."""
    theme = indicator.theme.value
    parts = (indicator.code, indicator.name, indicator.definition, theme, theme.replace("_", " "))
    return _fold(" ".join(parts))


def search(
    query: str,
    level: Level | str | None = None,
    theme: Theme | str | None = None,
    *,
    bank: Iterable[BankIndicator] | None = None,
) -> tuple[BankIndicator, ...]:
    """Find indicators whose code, name, definition or theme contain every query word.

    Words match case-insensitively anywhere in that text, so "train" also finds
    "trained"; an empty query lists everything that passes the filters. ``level`` and
    ``theme`` narrow the result and must be known values, so a typo in a filter fails
    loudly instead of returning an empty list. Results are ordered by code.
    """
    wanted_level = None if level is None else _coerce(Level, level, "level filter")
    wanted_theme = None if theme is None else _coerce(Theme, theme, "theme filter")
    words = _words(query)
    found = [
        indicator
        for indicator in (load_bank() if bank is None else bank)
        if (wanted_level is None or indicator.level is wanted_level)
        and (wanted_theme is None or indicator.theme is wanted_theme)
        and all(word in _haystack(indicator) for word in words)
    ]
    return tuple(sorted(found, key=lambda indicator: indicator.code))


# --- the bank in other languages ------------------------------------------------------------

# The texts of an entry that are written in a language (the rest are codes and vocabularies).
TRANSLATED = ("name", "definition", "unit", "numerator", "denominator", "data_source",
              "means_of_verification", "source_note")
LANGUAGES = ("ru",)


def parse_translation(text: str, bank: Iterable[BankIndicator],
                      origin: str = "<string>") -> Mapping[str, BankIndicator]:
    """Check a translation file against the bank and return each entry in that language.

    The file holds one table per code with every text of :data:`TRANSLATED` that the
    English entry has (numerator and denominator only for ratios), means of verification
    in the same number. A code missing, a code the bank does not know, a field missing or
    one too many is refused, naming the code and field: a half-translated bank would show
    a manager a mix of languages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{origin}: not valid TOML ({exc})") from exc
    entries = {indicator.code: indicator for indicator in bank}
    unknown = sorted(set(data) - set(entries))
    if unknown:
        raise ValueError(f"{origin}: code(s) not in the bank: {', '.join(unknown)}")
    missing = sorted(set(entries) - set(data))
    if missing:
        raise ValueError(f"{origin}: code(s) without a translation: {', '.join(missing)}")
    translated: dict[str, BankIndicator] = {}
    for code, english in entries.items():
        table = data[code]
        if not isinstance(table, dict):
            raise ValueError(f"{origin}: {code}: expected a table")
        expected = {f for f in TRANSLATED if getattr(english, f) is not None}
        if set(table) != expected:
            extra, absent = sorted(set(table) - expected), sorted(expected - set(table))
            raise ValueError(f"{origin}: {code}: " + "; ".join(
                part for part in (f"missing {', '.join(absent)}" if absent else "",
                                  f"unexpected {', '.join(extra)}" if extra else "") if part))
        means = _texts(table, code, "means_of_verification")
        if len(means) != len(english.means_of_verification):
            raise ValueError(f"{origin}: {code}: means_of_verification has {len(means)} "
                             f"items, the bank {len(english.means_of_verification)}")
        ratio = english.numerator is not None
        translated[code] = replace(
            english, name=_text(table, code, "name"),
            definition=_text(table, code, "definition"), unit=_text(table, code, "unit"),
            numerator=_text(table, code, "numerator") if ratio else None,
            denominator=_text(table, code, "denominator") if ratio else None,
            data_source=_text(table, code, "data_source"), means_of_verification=means,
            source_note=_text(table, code, "source_note"))
    return MappingProxyType(translated)


@functools.cache
def _translation(language: str) -> Mapping[str, BankIndicator]:
    if language not in LANGUAGES:
        return MappingProxyType({})
    name = f"bank.{language}.toml"
    resource = resources.files(_PACKAGE).joinpath(name)
    if not resource.is_file():
        return MappingProxyType({})  # not translated yet: the bank is shown in English
    return parse_translation(resource.read_text(encoding="utf-8"), load_bank(), name)


def localised(indicator: BankIndicator, language: str) -> BankIndicator:
    """The entry with its texts in ``language`` (English, the bank's own, when there is no
    translation into it)."""
    return _translation(language).get(indicator.code, indicator)


def search_in(query: str, language: str, level: Level | str | None = None,
              theme: Theme | str | None = None) -> tuple[BankIndicator, ...]:
    """Search the bank in English and in ``language`` at once, and return the entries in
    ``language``: a Russian-speaking manager may type either."""
    words = _words(query)
    found = [
        indicator for indicator in search("", level, theme)
        if all(word in _haystack(indicator) or word in _haystack(localised(indicator, language))
               for word in words)
    ]
    return tuple(localised(indicator, language) for indicator in found)


def check_seed_references(
    sources: str | os.PathLike[str], bank: Iterable[BankIndicator] | None = None
) -> tuple[str, ...]:
    """List every seed reference whose file is missing or does not contain its quote.

    Whitespace is normalised on both sides because the source texts are extracted from
    PDFs with arbitrary line breaks. An empty result means every reference holds.
    """
    folder = Path(sources)
    texts: dict[str, str | None] = {}
    problems = []
    for indicator in load_bank() if bank is None else bank:
        reference = indicator.seed_reference
        if reference is None:
            continue
        if reference.file not in texts:
            document = folder / reference.file
            texts[reference.file] = (
                _normalise(document.read_text(encoding="utf-8")) if document.is_file() else None
            )
        text = texts[reference.file]
        if text is None:
            problems.append(f"{indicator.code}: source file {reference.file} not found")
        elif _normalise(reference.quote) not in text:
            problems.append(f"{indicator.code}: quote not found in {reference.file}")
    return tuple(problems)
