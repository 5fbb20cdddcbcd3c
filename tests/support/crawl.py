"""A crawl of the demo data as each role sees it: every link of every page, followed.

The demo database is the one ``make run`` serves (the documented dataset, the demo accounts
and their memberships). A crawl signs in as one demo user and follows, breadth first, every
link of the app's own pages; it records each URL's status and, for HTML, the page. A route
(its URL rule and the names of its query parameters) is opened as a page at most
``per_route`` times, so a list of hundreds of events costs a few pages, not hundreds; every
further link to it is still requested and must answer, but is not read for more links.
Downloads (PDF, spreadsheets) are requested once per route: they are all made by the same
code from different rows, and printing each would take minutes.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from alembic import command
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound

from app import create_app
from app.cli import DEMO_USERS, alembic_config, load_demo_memberships, load_demo_users
from app.db import db
from tests_support import app_test_config

# Links that change state or end the session when followed are not part of a crawl.
SKIP = re.compile(r"^/(logout|static/)")


@dataclass
class Link:
    url: str
    found_on: str
    text: str


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    html: str | None
    found_on: str


@dataclass
class Crawl:
    role: str
    visits: dict[str, Visit] = field(default_factory=dict)
    external: list[Link] = field(default_factory=list)

    @property
    def pages(self) -> list[Visit]:
        return [v for v in self.visits.values() if v.html is not None]

    def broken(self) -> list[str]:
        return [f"{v.url} answered {v.status} (linked from {v.found_on})"
                for v in self.visits.values() if v.status != 200]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                self._open, self._href = [], href

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._href, " ".join("".join(self._open).split())))
            self._open = None


def links_of(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def demo_app(folder: Path, url: str) -> Flask:
    """The app on a fresh database holding what ``make run`` loads."""
    from app.auth.services import Actor
    from seed import loader

    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    with app.app_context():
        with db.standalone_session() as session:
            loader.load(session, Actor.system())
        load_demo_users("fast")
        load_demo_memberships()
    return app


def route_key(app: Flask, url: str) -> str | None:
    """The URL rule and query parameter names of a path, or None when no GET route has it."""
    parts = urlsplit(url)
    adapter = app.url_map.bind("localhost")
    try:
        rule, _args = adapter.match(parts.path, method="GET", return_rule=True)
    except (NotFound, MethodNotAllowed):
        return None
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{rule.rule}?{'&'.join(names)}"


def sign_in(client: Any, role: str) -> None:
    email, _name, _role, password = next(u for u in DEMO_USERS if u[2].value == role)
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"{role} could not sign in"


def crawl(app: Flask, role: str, per_route: int = 3, start: str = "/",
          language: str | None = None) -> Crawl:
    """Follow every link reachable by ``role`` from ``start``, in ``language`` when given
    (chosen on the sign-in page, as a person would; it is kept for their account)."""
    result = Crawl(role)
    opened: dict[str, int] = {}
    downloads: set[str] = set()  # routes that answered with a file
    queue: deque[Link] = deque([Link(start, "(start)", "")])
    seen = {start}
    client = app.test_client()
    if language:
        client.post("/language", data={"locale": language, "next": "/login"})
    if role != "anonymous":
        sign_in(client, role)
    while queue:
        link = queue.popleft()
        key = route_key(app, link.url) or link.url
        response = client.get(link.url)
        status = response.status_code
        if status in (301, 302, 303) and urlsplit(response.location).path.startswith("/"):
            target = urljoin(link.url, response.location)
            response.close()
            response = client.get(target)
            status = response.status_code
        kind = response.mimetype or ""
        if status == 200 and kind != "text/html":
            downloads.add(key)
        html = None
        if status == 200 and kind == "text/html" and opened.get(key, 0) < per_route:
            opened[key] = opened.get(key, 0) + 1
            html = response.get_data(as_text=True)
        response.close()
        result.visits[link.url] = Visit(link.url, status, kind, html, link.found_on)
        if html is None:
            continue
        for href, text in links_of(html):
            absolute, _fragment = urldefrag(urljoin("http://localhost" + link.url, href))
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or href.startswith(("mailto:", "tel:")):
                continue
            if parts.netloc != "localhost":
                result.external.append(Link(absolute, link.url, text))
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not local or SKIP.match(local) or local in seen:
                continue
            seen.add(local)
            if (route_key(app, local) or local) in downloads:
                continue
            queue.append(Link(local, link.url, text))
    return result
