"""English and Russian text: which language a text is in, its words, their stems, stop-words.

The matchers of :mod:`indicators` compare texts written in either language (recommendations
of OSCE offices and national workshops come in Russian as often as in English). This module
holds what they share:

- :func:`detect` tells English from Russian by script: the share of Cyrillic among the
  letters. A mixed text is in the language of the majority of its letters; a text without
  letters is taken as English.
- :func:`tokens` splits a text into lower-case words: ``ё`` is read as ``е``, accents on Latin
  letters are dropped (``naïve`` → ``naive``), possessive ``'s`` and apostrophes go, hyphens and
  punctuation split words (``community-based`` → ``community``, ``based``; ``по-новому`` →
  ``по``, ``новому``), and so do changes of script inside a word (``ПВЭ-programme``).
- :func:`stem` stems a word with the Snowball stemmer of its language (Porter2 for English,
  after folding British spellings to American ones: ``radicalisation`` and ``radicalization``
  share a stem; the Snowball Russian stemmer for Russian). Without a language the word's own
  script decides, so a mixed text is stemmed word by word.
- :func:`stems` is :func:`tokens`, minus stop-words, numbers and one-letter words, stemmed.
- :data:`STOPWORDS` holds function words of both languages.

Pure Python with one dependency (``snowballstemmer``, pure Python, no data to download).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal

import snowballstemmer

__all__ = [
    "LANGUAGES",
    "STOPWORDS",
    "Language",
    "cyrillic_share",
    "detect",
    "is_cyrillic",
    "is_stopword",
    "stem",
    "stems",
    "tokens",
]

Language = Literal["en", "ru"]
LANGUAGES: tuple[Language, ...] = ("en", "ru")

_WORD = re.compile(r"[a-z0-9]+|[\u0400-\u04ff]+")
_POSSESSIVE = re.compile(r"(?<=[a-z])['’]s\b")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’](?=[a-z])")

_EN_STOPWORDS = """
a about above after again against all almost along also although am among an and any are as at
be because been before being below between both but by can cannot could did do does doing done
down during each either else especially etc even ever every few for from further had has have
having he her here hers herself him himself his how however i if in into is it its itself just
made make makes many may me might more most much must my myself need needs neither no nor not
now of off often on once one only or other others our ours ourselves out over own per rather
same shall she should so some such sure than that the their theirs them themselves then there
these they this those through thus to too towards under until up upon us very via was we were
what when whenever where whether which while who whom whose why will with within without would
yet you your yours
"""

_RU_STOPWORDS = """
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для
до его ее если есть еще же за здесь и из или им их к как какие какой когда которая которого
которое которые который которых кто ли либо между меня мне можно мой мы на над нам нас не него
нее нет ни них но ну о об однако он она они оно от очень по под после при про с сам само свой
свои своих себя со так также такие такой там те тем то того тоже той только том тот тех ту ты у
уже хотя чего чем через что чтобы эта эти этих это этого этой этом этот являются является
следует должны должен должно необходимо нужно а также в том числе числе том их а
"""

#: Function words of each language, in the form :func:`tokens` gives (``ё`` as ``е``).
STOPWORDS: dict[Language, frozenset[str]] = {
    "en": frozenset(_EN_STOPWORDS.split()),
    "ru": frozenset(_RU_STOPWORDS.split()),
}

_SPELLING = {
    "labour": "labor", "programme": "program", "programmes": "programs", "centre": "center",
    "centres": "centers", "neighbour": "neighbor", "defence": "defense",
    "behaviour": "behavior", "favour": "favor", "analyse": "analyze", "analysed": "analyzed",
    "mobilise": "mobilize", "organisation": "organization", "organisations": "organizations",
}  # fmt: skip
_BRITISH_IZE = re.compile(r"(?<=[a-z]{3})is(ation|ations|e|ed|es|ing|er|ers)$")
_IRREGULAR = {"women": "woman", "men": "man", "children": "child"}


def is_cyrillic(char: str) -> bool:
    """Whether a single character is a Cyrillic letter."""
    return "\u0400" <= char <= "\u04ff"


def cyrillic_share(text: str) -> float:
    """The share of Cyrillic letters among all letters of ``text``; 0 without letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_cyrillic(c)) / len(letters)


def detect(text: str) -> Language:
    """``"ru"`` when most letters of ``text`` are Cyrillic, else ``"en"``."""
    return "ru" if cyrillic_share(text) > 0.5 else "en"


def _fold(text: str) -> str:
    """Lower-case; ``ё`` as ``е``; accents dropped from Latin letters, Cyrillic kept whole."""
    text = text.lower().replace("ё", "е")
    out = []
    for char in text:
        if "a" <= char <= "z" or is_cyrillic(char) or not char.isalpha():
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(out)


def tokens(text: str) -> list[str]:
    """The lower-case words of ``text`` in order (digits kept as words of their own)."""
    folded = _fold(text)
    folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", folded))
    return _WORD.findall(folded)


@functools.cache
def _stemmer(language: Language) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer("english" if language == "en" else "russian")


@functools.lru_cache(maxsize=65536)
def stem(word: str, lang: Language | None = None) -> str:
    """The Snowball stem of a lower-case ``word``; without ``lang`` its script decides."""
    word = word.lower().replace("ё", "е")
    language: Language = lang or ("ru" if any(is_cyrillic(c) for c in word) else "en")
    if language == "en":
        word = _IRREGULAR.get(word, word)
        word = _SPELLING.get(word, word)
        word = _BRITISH_IZE.sub(r"iz\1", word)
    return str(_stemmer(language).stemWord(word))


def is_stopword(word: str) -> bool:
    """Whether a lower-case word is a function word of English or Russian."""
    return word in STOPWORDS["en"] or word in STOPWORDS["ru"]


def stems(text: str, lang: Language | None = None) -> list[str]:
    """Stems of the content words of ``text``: no stop-words, numbers or one-letter words.

    Each word is stemmed in its own script's language unless ``lang`` is given.
    """
    return [
        stem(word, lang)
        for word in tokens(text)
        if len(word) > 1 and not word.isdigit() and not is_stopword(word)
    ]
