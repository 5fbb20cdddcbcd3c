"""The indicator bank in Russian: complete, checked on load, searched in both languages."""

from __future__ import annotations

import re

import pytest

from indicators import bank

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Latin words that stay Latin in Russian text: acronyms and names of products and bodies.
KEPT_LATIN = re.compile(r"\b(?:[A-Z]{2,}[a-z]?|[A-Z][a-z]+[A-Z]\w*|Facebook|Telegram|"
                        r"WhatsApp|YouTube|Instagram|TikTok|Google|Excel|Kobo\w*|ODK)\b")


def test_every_entry_has_every_text_in_russian() -> None:
    for english in bank.load_bank():
        russian = bank.localised(english, "ru")
        assert russian is not english, english.code
        for field in bank.TRANSLATED:
            value = getattr(russian, field)
            if getattr(english, field) is None:
                assert value is None, (english.code, field)
                continue
            texts = value if isinstance(value, tuple) else (value,)
            for text in texts:
                assert CYRILLIC.search(text), (english.code, field, text)
                latin = re.findall(r"[A-Za-z]{3,}", KEPT_LATIN.sub("", text))
                assert not latin, (english.code, field, latin)
        # what is not text stays the bank's own
        assert (russian.code, russian.level, russian.measure, russian.calculation,
                russian.frequency, russian.sensitive, russian.seed_reference) == (
            english.code, english.level, english.measure, english.calculation,
            english.frequency, english.sensitive, english.seed_reference)


def test_a_language_without_a_translation_gives_the_english_entry() -> None:
    entry = bank.load_bank()[0]
    assert bank.localised(entry, "en") is entry
    assert bank.localised(entry, "kk") is entry


def test_search_finds_an_entry_by_its_russian_or_english_words_and_answers_in_russian() -> None:
    entry = bank.get("PVE-YTH-01")
    assert entry is not None
    russian = bank.localised(entry, "ru")
    russian_word = next(w for w in re.findall(r"[А-Яа-яЁё]{6,}", russian.name))
    english_word = next(w for w in re.findall(r"[A-Za-z]{6,}", entry.name))
    for query in (russian_word.upper(), english_word):
        found = bank.search_in(query, "ru")
        assert "PVE-YTH-01" in [f.code for f in found], query
        assert all(f.name == bank.localised(f, "ru").name for f in found)
    assert bank.search_in("ёжикнетакогослова", "ru") == ()


def test_yo_and_ye_are_the_same_letter_in_a_search() -> None:
    with_yo = [e for e in (bank.localised(x, "ru") for x in bank.load_bank())
               if re.search(r"\w*ё\w*", e.name)]
    assert with_yo, "no Russian name with ё to search for"
    word = re.search(r"\w*ё\w*", with_yo[0].name).group(0)  # type: ignore[union-attr]
    assert with_yo[0].code in [f.code for f in bank.search_in(word.replace("ё", "е"), "ru")]


def _bank_of_two() -> tuple[bank.BankIndicator, ...]:
    return bank.load_bank()[:2]


def _table(entry: bank.BankIndicator, **changes: object) -> str:
    fields = {f: getattr(entry, f) for f in bank.TRANSLATED if getattr(entry, f) is not None}
    fields = {f: ("Текст" if isinstance(v, str) else ["Текст"] * len(v)) for f, v in
              fields.items()}
    fields.update(changes)
    lines = [f'["{entry.code}"]']
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, list):
            items = ", ".join(f'"{v}"' for v in value)
            lines.append(f"{name} = [{items}]")
        else:
            lines.append(f'{name} = "{value}"')
    return "\n".join(lines) + "\n"


def test_a_translation_file_must_match_the_bank() -> None:
    two = _bank_of_two()
    good = _table(two[0]) + _table(two[1])
    assert set(bank.parse_translation(good, two)) == {two[0].code, two[1].code}
    with pytest.raises(ValueError, match=f"without a translation: {two[1].code}"):
        bank.parse_translation(_table(two[0]), two)
    with pytest.raises(ValueError, match="not in the bank: PVE-XXX-99"):
        bank.parse_translation(good + '["PVE-XXX-99"]\nname = "x"\n', two)
    with pytest.raises(ValueError, match=f"{two[0].code}: missing unit"):
        bank.parse_translation(_table(two[0], unit=None) + _table(two[1]), two)
    with pytest.raises(ValueError, match=f"{two[0].code}: unexpected colour"):
        bank.parse_translation(_table(two[0], colour="синий") + _table(two[1]), two)
    with pytest.raises(ValueError, match="means_of_verification has 1 items"):
        bank.parse_translation(
            _table(two[0], means_of_verification=["Один"]) + _table(two[1]), two)
    with pytest.raises(ValueError, match="not valid TOML"):
        bank.parse_translation("[[[", two)
