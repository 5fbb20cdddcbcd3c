"""Which language a piece of stored text is in, so that pages can mark data in a language
other than the page's with ``lang`` (screen readers then read it with the right voice, and
the checks of the Russian pages can tell data from interface text).

Only the script is looked at: text with Latin letters and no Cyrillic ones is English, text
with Cyrillic letters and no Latin ones is Russian, anything else (numbers, codes, mixed
text) is left unmarked.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LATIN = re.compile(r"[A-Za-z]{2}")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_ANY_LATIN = re.compile(r"[A-Za-z]")


def language_of(text: str) -> str | None:
    if _CYRILLIC.search(text):
        return None if _ANY_LATIN.search(text) else "ru"
    return "en" if _LATIN.search(text) else None


def marked(text: object, page_language: str) -> Markup:
    """``text`` escaped, inside ``<span lang="…">`` when it is in another language than
    the page."""
    if text is None:
        return Markup("")
    shown = str(text)
    language = language_of(shown)
    if language is None or page_language.startswith(language):
        return escape(shown)
    return Markup('<span lang="{}">{}</span>').format(language, shown)
