"""The demo data as each role sees it in Russian: every link of every page answers 200, and no
page shows an English interface string.

"English interface string" is decided by the catalogue, not guessed: a piece of a Russian page
(a text node, or a label read out by screen readers: ``aria-label``, ``title``, ``alt``,
``placeholder``, a button's value) that is exactly the English text of a catalogue message
whose Russian differs. Messages with placeholders match with any text in the placeholder.
Text inside an element whose ``lang`` is not Russian is data in another language, marked as
such, and is not interface text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from crawl import Crawl, crawl, demo_app

from tests_support import drop_pg_database, fresh_database_url

ROLES = ("anonymous", "officer", "evaluator", "manager", "admin")
CATALOGUE = Path(__file__).resolve().parents[2] / "app/translations/ru/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[sd]|%[sd])")
READ_OUT = ("aria-label", "title", "alt", "placeholder")


class EnglishInterface:
    """The English texts of the catalogue's messages that have a different Russian text."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            catalogue = read_po(file, locale="ru")
        plain: set[str] = set()
        patterns: list[str] = []
        for message in catalogue:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for english in ids:
                english = " ".join(english.replace("%%", "%").split())
                if english in strings or len(english) < 3 or not re.search(r"[A-Za-z]", english):
                    continue
                if PLACEHOLDER.search(english):
                    # split keeps the placeholders at odd positions: a number stands for
                    # %d, any text for %s
                    parts = PLACEHOLDER.split(english)
                    literal = parts[::2]
                    if sum(len(p.strip()) for p in literal) < 3:
                        continue  # nothing but placeholders: any text would match
                    patterns.append("".join(
                        re.escape(p) if i % 2 == 0 else
                        (r"[\d\s\u00a0.,]+" if p.endswith("d") else ".+?")
                        for i, p in enumerate(parts)))
                else:
                    plain.add(english)
        self.plain = plain
        self.pattern = re.compile("(?:" + "|".join(patterns) + ")")

    def matches(self, text: str) -> bool:
        return text in self.plain or self.pattern.fullmatch(text) is not None


class _Texts(HTMLParser):
    """Text nodes and read-out attributes, outside script, style and foreign-language data."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, foreign or hidden)
        self.page_language = page_language
        self.texts: list[str] = []

    def _outside(self) -> bool:
        return any(flag for _tag, flag in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language = values.get("lang")
        foreign = (tag in ("script", "style", "svg", "code")
                   or (language is not None and not language.startswith(self.page_language)))
        if not (foreign or self._outside()):
            for name in READ_OUT:
                if values.get(name):
                    self.texts.append(values[name] or "")
            if tag == "input" and values.get("type") in ("submit", "button") and values.get(
                    "value"):
                self.texts.append(values["value"] or "")
        if tag not in self.VOID:
            self.stack.append((tag, foreign))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._outside():
            self.texts.append(data)


def english_on(html: str, english: EnglishInterface) -> list[str]:
    parser = _Texts("ru")
    parser.feed(html)
    found = []
    for text in parser.texts:
        text = " ".join(text.split()).strip(" :·—–,.")
        if text and english.matches(text):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("crawl")
    url = fresh_database_url(folder, "crawl")
    app = demo_app(folder, url)
    yield app
    app.extensions["pvetrack_db"].engine.dispose()
    if os.environ.get("TEST_DATABASE_URL"):
        drop_pg_database(url)


@pytest.fixture(scope="module")
def crawls(demo: Any) -> dict[str, Crawl]:
    return {}


def russian_crawl(demo: Any, crawls: dict[str, Crawl], role: str) -> Crawl:
    if role not in crawls:
        crawls[role] = crawl(demo, role, language="ru")
    return crawls[role]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_answers(demo: Any, crawls: dict[str, Crawl], role: str) -> None:
    result = russian_crawl(demo, crawls, role)
    assert len(result.pages) > (0 if role == "anonymous" else 30), "the crawl found too little"
    assert not result.broken(), "\n".join(result.broken())
    # Other sites cannot be reached from the tests; their links must at least be absolute
    # web addresses (a stored "www.…" once became a link relative to the page, and a 404).
    malformed = [f"{link.url} on {link.found_on}" for link in result.external
                 if not re.fullmatch(r"https?://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", link.url)]
    assert not malformed, malformed


@pytest.mark.parametrize("role", ROLES)
def test_no_english_interface_on_russian_pages(
        demo: Any, crawls: dict[str, Crawl], role: str) -> None:
    english = EnglishInterface(CATALOGUE)
    result = russian_crawl(demo, crawls, role)
    problems = []
    for page in result.pages:
        assert page.html is not None
        assert '<html lang="ru"' in page.html, f"{page.url} is not in Russian"
        problems += [f"{page.url}: {text!r}" for text in english_on(page.html, english)]
    assert not problems, f"{len(problems)} English strings:\n" + "\n".join(
        sorted(set(problems)))


def test_the_check_finds_english_in_a_russian_page() -> None:
    """The check itself: an interface message in English is found, with and without
    placeholders; the same text marked as English data, or translated, is not."""
    english = EnglishInterface(CATALOGUE)
    page = ('<html lang="ru"><body><h1>Sign in to PVE Track</h1>'
            '<button aria-label="Skip to content">x</button>'
            '<p lang="en">Sign in to PVE Track</p><p>Вход в PVE Track</p>'
            '<script>var s = "Sign in to PVE Track";</script></body></html>')
    assert english_on(page, english) == ["Sign in to PVE Track", "Skip to content"]
