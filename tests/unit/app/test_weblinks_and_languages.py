"""Web addresses as stored and linked, and the language of a piece of stored text."""

from __future__ import annotations

import pytest

from app.languages import language_of, marked
from app.weblinks import is_web_address, link_target, normalise_web_address


@pytest.mark.parametrize(("typed", "stored"), [
    ("www.eeas.europa.eu/Central-Asia-PVE-Conference",
     "https://www.eeas.europa.eu/Central-Asia-PVE-Conference"),
    ("  osce.org  ", "https://osce.org"),
    ("example.org:8080/a?b=c", "https://example.org:8080/a?b=c"),
    ("http://example.org/report.pdf", "http://example.org/report.pdf"),
    ("HTTPS://Example.org", "HTTPS://Example.org"),
    ("report final.pdf", "report final.pdf"),  # not an address: left for the check to refuse
    ("/followup/events/7", "/followup/events/7"),
    ("ftp://example.org/x", "ftp://example.org/x"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_an_address_typed_without_its_scheme_is_completed(typed: str | None,
                                                           stored: str | None) -> None:
    assert normalise_web_address(typed) == stored


@pytest.mark.parametrize(("text", "valid"), [
    ("https://example.org", True),
    ("http://example.org/a b", False),
    ("https://", False),
    ("ftp://example.org", False),
    ("javascript:alert(1)", False),
    ("www.example.org", False),
    ("http://[::1", False),
])
def test_only_absolute_http_addresses_with_a_host_are_web_addresses(text: str,
                                                                    valid: bool) -> None:
    assert is_web_address(text) is valid


def test_a_stored_address_is_linked_only_when_it_leads_somewhere() -> None:
    assert link_target("www.example.org/x") == "https://www.example.org/x"
    assert link_target("javascript:alert(1)") is None
    assert link_target("see the annex") is None
    assert link_target(None) is None


@pytest.mark.parametrize(("text", "language"), [
    ("Youth-led prevention initiatives", "en"),
    ("Инициативы молодёжи", "ru"),
    ("ОБСЕ and UNDP", None),
    ("1.1.2", None),
    ("", None),
    ("x", None),
])
def test_the_language_of_stored_text_is_told_by_its_script(text: str,
                                                          language: str | None) -> None:
    assert language_of(text) == language


def test_data_in_another_language_than_the_page_is_marked() -> None:
    assert str(marked("Peer speakers <trained>", "ru")) == (
        '<span lang="en">Peer speakers &lt;trained&gt;</span>')
    assert str(marked("Peer speakers", "en")) == "Peer speakers"
    assert str(marked("Сверстники", "en")) == '<span lang="ru">Сверстники</span>'
    assert str(marked("Сверстники", "ru")) == "Сверстники"
    assert str(marked(None, "ru")) == ""
