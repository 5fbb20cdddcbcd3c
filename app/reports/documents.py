"""Documents to send: PDF through WeasyPrint from the app's own templates, and Word (DOCX).

A PDF is an HTML template under ``templates/documents/`` printed with the stylesheet
``static/documents.css`` and the DejaVu fonts shipped in ``static/fonts`` (they cover Latin and
Cyrillic), so a document looks the same on every machine. Every page carries the document's
title, the date its figures stand at, who produced it and "page N of M"; long tables repeat
their header rows. WeasyPrint reads nothing but the app's own static files: any other address
in a document (a link a user typed, say) is never fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app, render_template
from flask_babel import format_date, get_locale, gettext
from markupsafe import Markup


class FetchRefused(ValueError):
    pass


def _static_root() -> Path:
    return Path(current_app.static_folder or "").resolve()


def _fetcher() -> Any:
    """Fetches only files under the app's static folder; anything else is refused (WeasyPrint
    logs the refusal and goes on without that resource)."""
    from weasyprint.urls import URLFetcher

    root = _static_root()

    class StaticFiles(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(root):
                raise FetchRefused(url)
            return super().fetch(url, headers)

    return StaticFiles(allowed_protocols={"file"}, allow_redirects=False)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that is safe inside an HTML ``<style>`` element: quotes,
    backslashes, angle brackets, ampersands and control characters are written as escapes."""
    out = []
    for char in text:
        if char in '\\"<>&' or ord(char) < 32 or ord(char) == 127:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_NUMBER, _TOTAL = "\x01", "\x02"


def _counter_content(text: str) -> str:
    """A CSS ``content`` value from a translated text in which ``_NUMBER`` and ``_TOTAL``
    stand for the page counters."""
    counters = {_NUMBER: "counter(page)", _TOTAL: "counter(pages)"}
    pieces: list[str] = []
    chunk = ""
    for char in text:
        if char not in counters:
            chunk += char
            continue
        if chunk:
            pieces.append(css_string(chunk))
        pieces.append(counters[char])
        chunk = ""
    if chunk:
        pieces.append(css_string(chunk))
    return " ".join(pieces)


def page_counter(parts: int = 1) -> str:
    """A CSS ``content`` value saying "Page N of M" in the reader's language; a document
    printed in several parts (see ``pdf``) says "Page N", the total being known only once the
    last part is laid out."""
    if parts > 1:
        return _counter_content(gettext("Page %(number)s", number=_NUMBER))
    return _counter_content(gettext("Page %(number)s of %(total)s", number=_NUMBER,
                                    total=_TOTAL))


#: Where a long document may be cut into separately laid-out parts (see ``pdf``).
PART_BREAK = Markup("<!--pdf-part-->")
_START, _END = "<!--pdf-start-->", "<!--pdf-end-->"


def _page_style(title: str, as_of: date, parts: int, first_page: int) -> str:
    as_of_text = gettext("Figures as of %(date)s", date=format_date(as_of, "long"))
    style = (f"@page {{ @top-left {{ content: {css_string(title)}; }} "
             f"@top-right {{ content: {css_string(as_of_text)}; }} "
             f"@bottom-right {{ content: {page_counter(parts)}; }} }}")
    if first_page > 1:
        style += f" @page :first {{ counter-reset: page {first_page:d}; }}"
    return f"<style>{style}</style>"


def pdf(template: str, *, title: str, as_of: date, produced_by: str, landscape: bool = False,
        progress: Callable[[int, int], None] | None = None, **context: Any) -> bytes:
    """Render ``template`` (which extends ``documents/base.html``) to PDF bytes.

    WeasyPrint keeps the layout of every page in memory until the file is written, some 7 MB a
    page of dense table. A template that can grow with the data marks the places where it may
    be cut with ``{{ part_break }}``; a document longer than one part (``PART_SIZE``) is laid
    out and written a part at a time, page numbers running on, and the parts are joined, so
    memory stays that of one part. ``progress(parts printed, parts)`` follows the printing."""
    from weasyprint import HTML

    html = render_template(template, title=title, as_of=as_of, landscape=landscape,
                           produced_on=date.today(), produced_by=produced_by,
                           lang=str(get_locale() or "en"), part_break=PART_BREAK, **context)
    head, rest = html.split(_START, 1)
    content, tail = rest.split(_END, 1)
    parts = _parts(content)
    written: list[bytes] = []
    first_page = 1
    for part in parts:
        style = _page_style(title, as_of, len(parts), first_page)
        document = HTML(string=head.replace("</head>", style + "</head>", 1) + part + tail,
                        base_url=str(_static_root()) + "/", url_fetcher=_fetcher()).render()
        first_page += len(document.pages)
        written.append(document.write_pdf())
        del document
        if progress:
            progress(len(written), len(parts))
    if len(written) == 1:
        return written[0]
    return _join(written, title, str(get_locale() or "en"))


#: How much HTML one part holds at most, unless a single piece is larger: about three pages
#: of dense table. Smaller parts keep less in memory at once (measured on the tracking table of
#: 200 indicators x 20 quarters: one part 960 MB at its peak, parts of 150,000 characters
#: 325 MB, of 40,000 270 MB) at the cost of a font subset per part in the file.
PART_SIZE = 40_000


def _parts(content: str) -> list[str]:
    """The pieces between part breaks, joined in order into parts of at most ``PART_SIZE``
    characters; a document that small is printed in one part."""
    parts: list[str] = []
    current = ""
    for piece in content.split(PART_BREAK):
        if current.strip() and len(current) + len(piece) > PART_SIZE:
            parts.append(current)
            current = ""
        current += piece
    if current.strip() or not parts:
        parts.append(current)
    return parts


def _join(files: list[bytes], title: str, lang: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for data in files:
        writer.append(PdfReader(BytesIO(data)))
    writer.add_metadata({"/Title": title, "/Creator": "PVE Track"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
