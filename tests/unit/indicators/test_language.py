"""Language detection, words, stems and stop-words of English and Russian texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Engage youth in prevention", "en"),
        ("Вовлекать молодёжь в профилактику", "ru"),
        ("Поддержать НПО (NGO) в регионах", "ru"),  # mostly Cyrillic
        ("Support NGOs, i.e. НПО, in the regions", "en"),  # mostly Latin
        ("", "en"),
        ("2250 — 2015", "en"),
    ],
)
def test_detect_by_share_of_cyrillic_letters(text: str, expected: str) -> None:
    assert language.detect(text) == expected


def test_cyrillic_share_counts_letters_only() -> None:
    assert language.cyrillic_share("ab вг 12 !!") == 0.5
    assert language.cyrillic_share("123") == 0.0


def test_tokens_fold_yo_case_accents_hyphens_and_apostrophes() -> None:
    assert language.tokens("Молодёжь, ЖЕНЩИНЫ; по-новому!") == [
        "молодежь",
        "женщины",
        "по",
        "новому",
    ]
    assert language.tokens("Women's community-based policing (naïve)") == [
        "women", "community", "based", "policing", "naive",
    ]  # fmt: skip
    assert language.tokens("ПВЭ-programme 2250") == ["пвэ", "programme", "2250"]


def test_tokens_keep_central_asian_cyrillic_letters_inside_words() -> None:
    assert language.tokens("Қазақстан әйелдері") == ["қазақстан", "әйелдері"]


def test_russian_inflections_share_a_stem() -> None:
    forms = ["молодёжь", "молодежи", "молодежью", "молодёжи"]
    assert {language.stem(word, "ru") for word in forms} == {"молодеж"}
    assert language.stem("стратегий", "ru") == language.stem("стратегии", "ru") == "стратег"
    assert language.stem("религиозных") == language.stem("религиозные") == "религиозн"


def test_english_stems_fold_british_spellings_and_plurals() -> None:
    assert language.stem("radicalisation") == language.stem("radicalization")
    assert language.stem("programmes") == language.stem("program")
    assert language.stem("women") == language.stem("woman")
    assert language.stem("strategies", "en") == language.stem("strategy", "en") == "strategi"


def test_the_script_decides_the_stemmer_without_a_language() -> None:
    assert language.stem("лидеров") == "лидер"
    assert language.stem("leaders") == "leader"


def test_stems_drop_stop_words_numbers_and_single_letters_of_both_languages() -> None:
    assert language.stems("The role of the youth in 2025 и в регионах") == [
        "role",
        "youth",
        "регион",
    ]
    assert language.stems("Необходимо обеспечить участие женщин") == ["обеспеч", "участ", "женщин"]


def test_stop_words_of_both_languages() -> None:
    assert {"the", "and", "of"} <= language.STOPWORDS["en"]
    assert {"и", "в", "не", "что", "для"} <= language.STOPWORDS["ru"]
    assert language.is_stopword("для") and language.is_stopword("the")
    assert not language.is_stopword("youth") and not language.is_stopword("молодежь")


@given(st.text(max_size=60))
def test_tokens_are_lower_case_words_without_yo(text: str) -> None:
    for token in language.tokens(text):
        assert token and token == token.lower() and "ё" not in token
        assert token.isalnum()
        assert language.detect(token) in language.LANGUAGES
