"""Documents to send: PDF through WeasyPrint from the app's own templates, and Word (DOCX).

A PDF is an HTML template under ``templates/documents/`` printed with the stylesheet
``static/documents.css`` and the DejaVu fonts shipped in ``static/fonts`` (they cover Latin and
Cyrillic), so a document looks the same on every machine. Every page carries the document's
title, the date its figures stand at, who produced it and "page N of M"; long tables repeat
their header rows. WeasyPrint reads nothing but the app's own static files: any other address
in a document (a link a user typed, say) is never fetched.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app, render_template
from flask_babel import get_locale, gettext


class FetchRefused(ValueError):
    pass


def _static_root() -> Path:
    return Path(current_app.static_folder or "").resolve()


def _fetcher() -> Any:
    """Fetches only files under the app's static folder; anything else is refused (WeasyPrint
    logs the refusal and goes on without that resource)."""
    from weasyprint.urls import URLFetcher

    root = _static_root()

    class StaticFiles(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(root):
                raise FetchRefused(url)
            return super().fetch(url, headers)

    return StaticFiles(allowed_protocols={"file"}, allow_redirects=False)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter() -> str:
    """A CSS ``content`` value saying "Page N of M" in the reader's language."""
    text = gettext("Page %(number)s of %(total)s", number="\x01", total="\x02")
    before, rest = text.split("\x01", 1)
    middle, after = rest.split("\x02", 1)
    return " ".join(p for p in (_css_string(before), "counter(page)", _css_string(middle),
                                "counter(pages)", _css_string(after)) if p != '""')


def pdf(template: str, *, title: str, as_of: date, produced_by: str, landscape: bool = False,
        **context: Any) -> bytes:
    """Render ``template`` (which extends ``documents/base.html``) to PDF bytes."""
    from weasyprint import HTML

    html = render_template(template, title=title, as_of=as_of, landscape=landscape,
                           produced_on=date.today(), produced_by=produced_by,
                           lang=str(get_locale() or "en"), page_counter=page_counter(),
                           **context)
    document = HTML(string=html, base_url=str(_static_root()) + "/", url_fetcher=_fetcher())
    return document.write_pdf()  # type: ignore[no-any-return]
