"""Tests for the indicator bank: the packaged data, its validation and the search.

The data tests guard the promises the bank makes to M&E officers (enough indicators at every
level and in every theme, honest provenance, quotes that really occur in the source
documents); the validation tests feed crafted TOML so that every refusal is exercised.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import pytest

from indicators import bank, types
from indicators.bank import (
    THEME_PREFIXES,
    BankIndicator,
    Calculation,
    Direction,
    Disaggregation,
    Frequency,
    Level,
    Measure,
    SeedReference,
    Theme,
)

_DROP = object()
"""Marker for a field to leave out of a crafted entry."""

_VALID: dict[str, object] = {
    "code": "PVE-YTH-01",
    "name": "Young people trained",
    "level": "output",
    "theme": "youth",
    "definition": "Counts young people trained.\nEach person counts once.",
    "unit": "people",
    "measure": "number",
    "direction": "increase",
    "calculation": "sum",
    "suggested_disaggregations": ["sex", "age_group"],
    "data_source": "Training records",
    "means_of_verification": ["Attendance sheets"],
    "frequency": "quarterly",
    "sensitive": False,
    "source_note": "Common practice; wording ours.",
}


def _value(value: object) -> str:
    """Render a Python value as TOML; only the shapes the bank uses are needed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    return "{ " + ", ".join(f"{key} = {_value(item)}" for key, item in value.items()) + " }"


def _entry(**overrides: object) -> str:
    """One ``[[indicator]]`` table: the valid entry with some fields replaced or dropped."""
    fields = {**_VALID, **overrides}
    lines = [f"{key} = {_value(value)}" for key, value in fields.items() if value is not _DROP]
    return "[[indicator]]\n" + "\n".join(lines) + "\n"


def _sources_dir() -> Path:
    configured = os.environ.get("PVE_SOURCES_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"


# --- the packaged bank -----------------------------------------------------------------------


def test_packaged_bank_loads_and_is_cached() -> None:
    indicators = bank.load_bank()
    assert indicators is bank.load_bank()
    assert all(isinstance(indicator, BankIndicator) for indicator in indicators)


def test_bank_has_at_least_44_indicators() -> None:
    assert len(bank.load_bank()) >= 44


@pytest.mark.parametrize("level", [Level.OUTPUT, Level.OUTCOME, Level.IMPACT])
def test_every_results_level_has_at_least_eight_indicators(level: Level) -> None:
    assert sum(indicator.level is level for indicator in bank.load_bank()) >= 8


@pytest.mark.parametrize("theme", list(Theme))
def test_every_theme_has_at_least_two_indicators(theme: Theme) -> None:
    assert sum(indicator.theme is theme for indicator in bank.load_bank()) >= 2


def test_codes_are_unique_ordered_and_prefixed_by_theme() -> None:
    codes = [indicator.code for indicator in bank.load_bank()]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)
    for indicator in bank.load_bank():
        assert indicator.code.startswith(f"PVE-{THEME_PREFIXES[indicator.theme]}-")


def test_vocabularies_hold_exactly_the_stored_values() -> None:
    assert [member.value for member in Level] == ["output", "outcome", "impact", "context"]
    assert [member.value for member in Measure] == [
        "number",
        "percentage",
        "nominal",
        "ordinal",
        "qualitative",
    ]
    assert [member.value for member in Direction] == ["increase", "decrease", "maintain"]
    assert [member.value for member in Calculation] == ["sum", "mean", "max", "latest", "ratio"]
    assert [member.value for member in Disaggregation] == [
        "sex",
        "age_group",
        "country",
        "target_group",
        "location",
    ]
    assert [member.value for member in Frequency] == [
        "monthly",
        "quarterly",
        "semi_annual",
        "annual",
    ]
    assert {member.value for member in Theme} == {
        "youth",
        "women",
        "religious_leaders",
        "online",
        "prisons_rehabilitation",
        "returnees",
        "migrants",
        "community_resilience",
        "institutional_capacity",
        "strategy_coordination",
        "do_no_harm",
    }
    assert set(THEME_PREFIXES) == set(Theme)
    assert len(set(THEME_PREFIXES.values())) == len(Theme)


def test_bank_shares_the_core_vocabularies() -> None:
    """A bank indicator's enums must be the very ones the aggregation code compares with."""
    assert bank.Calculation is types.Calculation
    assert bank.Direction is types.Direction
    assert bank.Measure is types.Measure


def test_entries_are_complete_and_usable() -> None:
    sentence_end = re.compile(r"[.!?](?=\s|$)")
    for indicator in bank.load_bank():
        assert 2 <= len(sentence_end.findall(indicator.definition)) <= 4, indicator.code
        assert indicator.source_note.endswith("wording ours."), indicator.code
        assert isinstance(indicator.suggested_disaggregations, tuple)
        assert isinstance(indicator.means_of_verification, tuple)
        if indicator.calculation is Calculation.RATIO:
            assert indicator.numerator, indicator.code
            assert indicator.denominator, indicator.code
        if indicator.measure is Measure.PERCENTAGE:
            assert indicator.calculation is Calculation.RATIO, indicator.code
            assert indicator.unit == "%", indicator.code


def test_some_indicators_are_flagged_sensitive() -> None:
    flagged = {indicator.theme for indicator in bank.load_bank() if indicator.sensitive}
    assert {Theme.DO_NO_HARM, Theme.RETURNEES, Theme.PRISONS_REHABILITATION} <= flagged


def test_indicators_are_immutable() -> None:
    indicator = bank.load_bank()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        indicator.name = "changed"  # type: ignore[misc]


def test_seed_quotes_occur_in_their_source_documents() -> None:
    sources = _sources_dir()
    if not sources.is_dir():
        pytest.skip(f"source documents not available at {sources}")
    assert bank.check_seed_references(sources) == ()


# --- get and search --------------------------------------------------------------------------


def test_get_finds_by_code_in_any_case() -> None:
    indicator = bank.get(" pve-str-02 ")
    assert indicator is not None
    assert indicator.code == "PVE-STR-02"
    assert bank.get("PVE-XXX-99") is None


def test_search_finds_by_word() -> None:
    assert [indicator.code for indicator in bank.search("atyncha")] == ["PVE-REL-01"]
    assert "PVE-STR-02" in [indicator.code for indicator in bank.search("focal")]
    assert all("repatriat" in indicator.definition for indicator in bank.search("repatriated"))


def test_search_combines_words_with_and() -> None:
    police = {indicator.code for indicator in bank.search("police")}
    trust = {indicator.code for indicator in bank.search("trust")}
    both = {indicator.code for indicator in bank.search("trust police")}
    assert both
    assert both == police & trust
    assert both < police


def test_search_is_case_insensitive_and_ignores_punctuation() -> None:
    assert bank.search("Focal Point") == bank.search("focal point,")
    assert bank.search("PVE-YTH") == bank.search("pve-yth")


def test_search_matches_code_and_theme() -> None:
    assert [indicator.code for indicator in bank.search("PVE-MIG-03")] == ["PVE-MIG-03"]
    by_theme = bank.search("religious leaders")
    assert {indicator.theme for indicator in bank.search("religious_leaders")} == {
        Theme.RELIGIOUS_LEADERS
    }
    assert len(by_theme) >= len(bank.search("", theme="religious_leaders"))


def test_search_filters_by_level_and_theme() -> None:
    impact = bank.search("", level="impact")
    assert impact
    assert all(indicator.level is Level.IMPACT for indicator in impact)
    youth_outputs = bank.search("", level=Level.OUTPUT, theme=Theme.YOUTH)
    assert youth_outputs
    assert all(
        indicator.level is Level.OUTPUT and indicator.theme is Theme.YOUTH
        for indicator in youth_outputs
    )
    trained_youth = bank.search("trained", theme="youth")
    assert trained_youth
    assert all(indicator.theme is Theme.YOUTH for indicator in trained_youth)


def test_search_results_are_ordered_by_code() -> None:
    codes = [indicator.code for indicator in bank.search("")]
    assert codes == sorted(codes)
    assert len(codes) == len(bank.load_bank())


def test_search_returns_nothing_for_nonsense() -> None:
    assert bank.search("xyzzyplugh") == ()
    assert bank.search("trained xyzzyplugh") == ()


@pytest.mark.parametrize(
    ("level", "theme", "message"),
    [("outputs", None, "level filter"), (None, "youths", "theme filter")],
)
def test_search_refuses_unknown_filters(level: str | None, theme: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bank.search("", level=level, theme=theme)


def test_search_over_a_given_bank() -> None:
    indicators = bank.parse_bank(_entry())
    assert bank.search("young", bank=indicators) == indicators
    assert bank.search("old", bank=indicators) == ()


# --- parsing and validation ------------------------------------------------------------------


def test_parse_builds_typed_indicator_and_normalises_whitespace() -> None:
    text = _entry(
        calculation="ratio",
        numerator="Trained  people",
        denominator="Enrolled\npeople",
        seed_reference={"file": "001_x.txt", "quote": "train 50 young\npeople"},
    )
    (indicator,) = bank.parse_bank(text)
    assert indicator == BankIndicator(
        code="PVE-YTH-01",
        name="Young people trained",
        level=Level.OUTPUT,
        theme=Theme.YOUTH,
        definition="Counts young people trained. Each person counts once.",
        unit="people",
        measure=Measure.NUMBER,
        direction=Direction.INCREASE,
        calculation=Calculation.RATIO,
        numerator="Trained people",
        denominator="Enrolled people",
        suggested_disaggregations=(Disaggregation.SEX, Disaggregation.AGE_GROUP),
        data_source="Training records",
        means_of_verification=("Attendance sheets",),
        frequency=Frequency.QUARTERLY,
        sensitive=False,
        source_note="Common practice; wording ours.",
        seed_reference=SeedReference(file="001_x.txt", quote="train 50 young people"),
    )


def test_parse_orders_by_code_and_allows_no_disaggregation() -> None:
    text = _entry(code="PVE-YTH-02", suggested_disaggregations=[]) + _entry()
    indicators = bank.parse_bank(text)
    assert [indicator.code for indicator in indicators] == ["PVE-YTH-01", "PVE-YTH-02"]
    assert indicators[1].suggested_disaggregations == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("level", "goal"),
        ("theme", "sports"),
        ("measure", "count"),
        ("direction", "up"),
        ("calculation", "median"),
        ("frequency", "weekly"),
        ("level", 3),
    ],
)
def test_unknown_vocabulary_value_names_code_and_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=rf"PVE-YTH-01: field '{field}' has unknown value"):
        bank.parse_bank(_entry(**{field: value}))


def test_unknown_disaggregation_names_code_and_field() -> None:
    with pytest.raises(
        ValueError, match="PVE-YTH-01: field 'suggested_disaggregations' has unknown value 'caste'"
    ):
        bank.parse_bank(_entry(suggested_disaggregations=["sex", "caste"]))


def test_duplicate_disaggregation_is_refused() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'suggested_disaggregations' lists"):
        bank.parse_bank(_entry(suggested_disaggregations=["sex", "sex"]))


def test_disaggregations_must_be_a_list() -> None:
    with pytest.raises(ValueError, match="'suggested_disaggregations' must be a list"):
        bank.parse_bank(_entry(suggested_disaggregations="sex"))


def test_duplicate_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'code' is a duplicate"):
        bank.parse_bank(_entry() + _entry(name="Another name"))


def test_ratio_needs_numerator_and_denominator() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'calculation' is ratio"):
        bank.parse_bank(_entry(calculation="ratio", numerator="Trained people"))
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'calculation' is ratio"):
        bank.parse_bank(_entry(calculation="ratio", denominator="Enrolled people"))


def test_numerator_outside_ratio_is_refused() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'calculation' is sum"):
        bank.parse_bank(_entry(denominator="Enrolled people"))


def test_blank_numerator_is_refused() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'numerator' must be a non-empty"):
        bank.parse_bank(_entry(calculation="ratio", numerator=" ", denominator="People"))


@pytest.mark.parametrize("code", ["PVE-Y-01", "pve-yth-01", "PVE-YTH-1", 7])
def test_malformed_code_is_refused(code: object) -> None:
    with pytest.raises(ValueError, match=r"indicator #1: field 'code' must look like"):
        bank.parse_bank(_entry(code=code))


def test_missing_code_is_refused() -> None:
    with pytest.raises(ValueError, match=r"indicator #1: field 'code' must look like"):
        bank.parse_bank(_entry(code=_DROP))


def test_code_prefix_must_match_theme() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'code' has prefix YTH but theme women"):
        bank.parse_bank(_entry(theme="women"))


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: unknown field"):
        bank.parse_bank(_entry(frequncy="annual"))


def test_missing_field_is_refused() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: missing field"):
        bank.parse_bank(_entry(unit=_DROP, data_source=_DROP))


@pytest.mark.parametrize("field", ["name", "definition", "unit", "data_source", "source_note"])
def test_text_fields_must_be_non_empty_strings(field: str) -> None:
    with pytest.raises(ValueError, match=f"PVE-YTH-01: field '{field}' must be a non-empty"):
        bank.parse_bank(_entry(**{field: "  "}))
    with pytest.raises(ValueError, match=f"PVE-YTH-01: field '{field}' must be a non-empty"):
        bank.parse_bank(_entry(**{field: 5}))


@pytest.mark.parametrize("value", ["Attendance sheets", [], ["Attendance", ""], ["Sheets", 2]])
def test_means_of_verification_must_be_a_list_of_strings(value: object) -> None:
    with pytest.raises(ValueError, match="field 'means_of_verification' must be a non-empty list"):
        bank.parse_bank(_entry(means_of_verification=value))


def test_sensitive_must_be_boolean() -> None:
    with pytest.raises(ValueError, match="PVE-YTH-01: field 'sensitive' must be true or false"):
        bank.parse_bank(_entry(sensitive="yes"))


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("001_x.txt", "must be a table with file and quote"),
        ({"file": "001_x.txt"}, "must be a table with file and quote"),
        ({"file": "001_x.txt", "quote": "q", "page": 3}, "must be a table with file and quote"),
        ({"file": "", "quote": "a quote"}, "file' must be a non-empty"),
        ({"file": "001_x.txt", "quote": 4}, "quote' must be a non-empty"),
        ({"file": "seeds/001_x.txt", "quote": "q"}, "must be a bare file name"),
        ({"file": "001_x.txt", "quote": "x" * 201}, "longer than 200 characters"),
    ],
)
def test_seed_reference_is_validated(reference: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"PVE-YTH-01: field 'seed_reference.*{message}"):
        bank.parse_bank(_entry(seed_reference=reference))


def test_seed_quote_of_exactly_the_limit_is_accepted() -> None:
    quote = "x" * bank.MAX_QUOTE_LENGTH
    (indicator,) = bank.parse_bank(_entry(seed_reference={"file": "001_x.txt", "quote": quote}))
    assert indicator.seed_reference == SeedReference(file="001_x.txt", quote=quote)


def test_invalid_toml_is_refused_with_its_origin() -> None:
    with pytest.raises(ValueError, match=r"draft\.toml: not valid TOML"):
        bank.parse_bank("[[indicator]\ncode = ", origin="draft.toml")


def test_unknown_top_level_key_is_refused() -> None:
    with pytest.raises(ValueError, match="<string>: unknown top-level key"):
        bank.parse_bank("version = 2\n" + _entry())


@pytest.mark.parametrize("text", ["", "indicator = 3\n", "indicator = []\n"])
def test_bank_without_entries_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="no \\[\\[indicator\\]\\] entries"):
        bank.parse_bank(text)


def test_entry_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ValueError, match="indicator #1: expected a table"):
        bank.parse_bank('indicator = ["PVE-YTH-01"]\n')


# --- loading from a path ---------------------------------------------------------------------


def test_load_bank_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "bank.toml"
    path.write_text(_entry(), encoding="utf-8")
    loaded = bank.load_bank(path)
    assert [indicator.code for indicator in loaded] == ["PVE-YTH-01"]
    assert bank.load_bank(path) is loaded


def test_load_bank_names_the_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("indicator = [", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml: not valid TOML"):
        bank.load_bank(path)


# --- checking seed references ----------------------------------------------------------------


def test_check_seed_references_reports_missing_files_and_quotes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kazakhstan blocked 23,000\n  URLs in 2015.", encoding="utf-8")
    text = (
        _entry(code="PVE-YTH-01", seed_reference={"file": "a.txt", "quote": "23,000 URLs"})
        + _entry(code="PVE-YTH-02", seed_reference={"file": "a.txt", "quote": "30,000 URLs"})
        + _entry(code="PVE-YTH-03", seed_reference={"file": "b.txt", "quote": "anything"})
        + _entry(code="PVE-YTH-04")
    )
    problems = bank.check_seed_references(tmp_path, bank.parse_bank(text))
    assert problems == (
        "PVE-YTH-02: quote not found in a.txt",
        "PVE-YTH-03: source file b.txt not found",
    )
