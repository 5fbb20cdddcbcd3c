"""Russian for interface strings that the catalogue does not translate yet.

A test of how a page words a message in Russian (which plural form it picks, how it fills the
placeholders, that no English is left) should not wait for the translator's pass. Each message
given here is added to the Russian catalogue the app has loaded only where that catalogue has
no translation of its own, and is taken out again afterwards; once the real translation is in
the catalogue, the test reads that one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask_babel import force_locale, get_domain

#: A message: its msgid, or for a plural message its (singular, plural) msgids.
MessageId = str | tuple[str, str]
#: Its Russian: one string, or the three plural forms (one, few, many).
Russian = str | tuple[str, str, str]


@contextmanager
def pending_russian(app: Flask, messages: Mapping[MessageId, Russian]) -> Iterator[None]:
    with app.test_request_context(), force_locale("ru"):
        translations = get_domain().get_translations()
    catalog: dict[Any, str] = vars(translations)["_catalog"]
    added = []
    for msgid, russian in messages.items():
        entries: list[tuple[Any, str]]
        if isinstance(msgid, tuple):
            assert isinstance(russian, tuple) and len(russian) == 3, msgid
            entries = [((msgid[0], form), text) for form, text in enumerate(russian)]
        else:
            assert isinstance(russian, str), msgid
            entries = [(msgid, russian)]
        for key, text in entries:
            if key not in catalog:
                catalog[key] = text
                added.append(key)
    try:
        yield
    finally:
        for key in added:
            catalog.pop(key, None)
