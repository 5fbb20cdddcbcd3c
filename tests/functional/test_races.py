"""Two people saving the same record at the same moment: one save wins, the other is told
that someone else saved first and sees their values (409), and nothing answers 500.

Each race runs on a database of its own, with real concurrent requests in two threads. To
make the race certain rather than lucky, both requests wait for each other just before they
write (a barrier in the session's flush): both have read the record and passed the version
check, so the database alone decides. On SQLite the first request holds the write lock from
its start, so the second cannot pass the barrier and waits for the first to finish instead;
on PostgreSQL the second UPDATE waits for the first and then matches no row.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask, url_for
from page_forms import PageForm, page_forms
from role_world import MATRIX, ROLES, World, build_world

from app import create_app
from app.audit import AuditEvent
from app.auth.models import Role
from app.cli import alembic_config
from app.db import AppSession, db
from app.frameworks.models import PeriodState, ReportingPeriod
from seed.factories import DEFAULT_PASSWORD, ProjectFactory, UserFactory
from seed.factories.base import use_session
from tests_support import app_test_config, drop_pg_database, fresh_database_url

SKIP_FIELDS = {"csrf_token", "version"}
WAIT = 1.5  # seconds a request waits at the barrier for the other one


class Race:
    """A barrier that the two racing requests meet at, once each, before they write."""

    def __init__(self) -> None:
        self.barrier: threading.Barrier | None = None
        self.local = threading.local()

    def arm(self) -> None:
        self.barrier = threading.Barrier(2, timeout=WAIT)

    def meet(self, session: AppSession) -> None:
        barrier = self.barrier
        if barrier is None or getattr(self.local, "met", False):
            return
        if not any(sa_versioned(o) for o in (*session.dirty, *session.deleted)):
            return
        self.local.met = True
        # broken: the other request waits for this one's lock (SQLite), so go on alone
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()


def sa_versioned(obj: Any) -> bool:
    return sa.inspect(obj).mapper.version_id_col is not None


@pytest.fixture(scope="module")
def race_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, World, Race]]:
    url = fresh_database_url(tmp_path_factory.mktemp("races"), "races")
    command.upgrade(alembic_config(url), "head")
    app = create_app(app_test_config(url))
    race = Race()
    original = AppSession.flush

    def flush(self: AppSession, objects: Any = None) -> None:
        race.meet(self)
        original(self, objects)

    AppSession.flush = flush  # type: ignore[method-assign]
    try:
        with app.app_context(), db.standalone_session() as session:
            use_session(session)
            try:
                world = build_world(session)
                world.users["second_admin"] = UserFactory(role=Role.ADMIN)
                session.commit()
            finally:
                use_session(None)
        yield app, world, race
    finally:
        AppSession.flush = original  # type: ignore[method-assign]
        app.extensions["pvetrack_db"].engine.dispose()
        if url.startswith("postgresql"):
            drop_pg_database(url)


def _client(app: Flask, user: Any) -> Any:
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _race(app: Flask, race: Race, posts: list[tuple[Any, str, dict[str, Any]]]) -> list[Any]:
    """Send the posts at the same moment, one thread each; return the responses in order."""
    responses: list[Any] = [None] * len(posts)
    errors: list[BaseException] = []

    def send(i: int, client: Any, url: str, data: dict[str, Any]) -> None:
        race.local.met = False
        try:
            responses[i] = client.post(url, data=data)
        except BaseException as exc:  # surfaced below, with the thread's traceback
            errors.append(exc)

    race.arm()
    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    race.barrier = None
    assert not errors, errors
    return responses


def _edit_pages(app: Flask, world: World) -> list[tuple[str, bool]]:
    """The URLs of every page of project A with a form on itself, and whether a manager (not
    only an admin) may post it."""
    urls = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            rows = MATRIX.get(rule.endpoint, {})
            if ("GET" in rows and "POST" in rows and rule.arguments <= world.ids_a.keys()
                    and not rule.rule.endswith("/new")):
                url = url_for(rule.endpoint, **{k: world.ids_a[k] for k in rule.arguments})
                urls.add((url, rows["POST"][ROLES.index("manager")] == "allowed"))
    return sorted(urls)


def _versioned_form(html: str, url: str) -> PageForm | None:
    for form in page_forms(html, url):
        if form.method == "POST" and form.action == url and form.value("version"):
            return form
    return None


def _text_field(form: PageForm) -> str | None:
    return next((n for n in form.texts if n not in SKIP_FIELDS), None)


def _saves_alone(client: Any, url: str, data: dict[str, Any]) -> bool:
    """Whether the form, posted as the page shows it, is a save (not refused as incomplete)."""
    return bool(client.post(url, data=data).status_code in (200, 302))


def test_two_people_saving_every_versioned_form_at_once(race_app: Any) -> None:
    app, world, race = race_app
    admin = _client(app, world.users["admin"])
    manager = _client(app, world.users["manager"])
    other_admin = _client(app, world.users["second_admin"])
    raced: list[str] = []
    unraced: list[str] = []
    for url, managers_too in _edit_pages(app, world):
        other = manager if managers_too else other_admin
        page = admin.get(url)
        if page.status_code != 200:
            continue
        form = _versioned_form(page.get_data(as_text=True), url)
        if form is None:
            continue
        name = _text_field(form)
        if name is None or not _saves_alone(admin, url, form.replaced(name, "Alone")):
            unraced.append(url)
            continue
        form = _versioned_form(admin.get(url).get_data(as_text=True), url)
        assert form is not None
        mine, theirs = f"Race {len(raced)} by admin", f"Race {len(raced)} by the other"
        first, second = _race(app, race, [(admin, url, form.replaced(name, mine)),
                                          (other, url, form.replaced(name, theirs))])
        codes = sorted([first.status_code, second.status_code])
        assert codes in ([200, 409], [302, 409]), f"{url} ({name}): {codes}"
        loser, winner_value = ((first, theirs) if first.status_code == 409
                               else (second, mine))
        body = unescape(loser.get_data(as_text=True))
        assert "Someone else" in body, url
        assert winner_value in body, f"{url}: the other person's value is not shown"
        raced.append(url)
    # the forms a hostile run found answering 500 are among those raced
    assert any(re.fullmatch(r"/projects/\d+/edit", u) for u in raced), raced
    assert any("/recommendations/" in u and u.endswith("/edit") for u in raced), raced
    assert len(raced) >= 10, (raced, unraced)
    print("raced:", *raced, "not raced:", *unraced, sep="\n  ")


def test_the_same_action_posted_twice_at_once(race_app: Any) -> None:
    """Buttons that act on a versioned record from another page (a status, a verification, a
    decision): posted twice at once, one acts and the other is refused, never a 500."""
    app, world, race = race_app
    admin = _client(app, world.users["admin"])
    other = _client(app, world.users["second_admin"])
    actions: dict[str, PageForm] = {}
    for url, _managers_too in _edit_pages(app, world) + _read_pages(app, world):
        page = admin.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        for form in page_forms(page.get_data(as_text=True), url):
            versioned = any(n.endswith("version") and v for n, v in form.fields)
            if (form.method == "POST" and form.action != url and versioned
                    and not re.search(r"/(delete|remove)\b", form.action)):
                actions.setdefault(form.action, form)
    assert len(actions) >= 3, sorted(actions)
    for action, form in sorted(actions.items()):
        first, second = _race(app, race, [(admin, action, form.data()),
                                          (other, action, form.data())])
        codes = sorted([first.status_code, second.status_code])
        assert codes[-1] < 500, f"{action}: {codes}"
    print("actions raced:", *sorted(actions), sep="\n  ")


def _read_pages(app: Flask, world: World) -> list[tuple[str, bool]]:
    urls = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            rows = MATRIX.get(rule.endpoint, {})
            if ("GET" in rows and "POST" not in rows and rule.arguments <= world.ids_a.keys()
                    and "<" in rule.rule and rule.endpoint != "static"):
                urls.add((url_for(rule.endpoint, **{k: world.ids_a[k] for k in rule.arguments}),
                          True))
    return sorted(urls)


def test_approving_and_returning_a_period_at_once(race_app: Any) -> None:
    app, world, race = race_app
    with app.app_context(), db.standalone_session() as session:
        period = session.get(ReportingPeriod, world.ids_a["period_id"])
        assert period is not None
        period.state = PeriodState.SUBMITTED
        session.commit()
        version = period.version
    admin = _client(app, world.users["admin"])
    manager = _client(app, world.users["manager"])
    base = f"/periods/{world.ids_a['period_id']}"
    first, second = _race(app, race, [
        (admin, f"{base}/approve", {"period_version": version}),
        (manager, f"{base}/return", {"period_version": version, "reason": "Please check Q3."}),
    ])
    assert sorted([first.status_code, second.status_code]) == [302, 409]
    loser = first if first.status_code == 409 else second
    assert "Someone else acted on this period" in unescape(loser.get_data(as_text=True))
    with app.app_context(), db.standalone_session() as session:
        period = session.get(ReportingPeriod, world.ids_a["period_id"])
        assert period is not None
        decisions = session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.entity == "reporting_period", AuditEvent.entity_id == str(period.id),
            AuditEvent.action.in_(["period.approve", "period.return"]))).all()
        # exactly one decision was taken, and the period shows it
        assert len(decisions) == 1, decisions
        expected = {"period.approve": PeriodState.APPROVED, "period.return": PeriodState.RETURNED}
        assert period.state == expected[decisions[0]]


def test_a_change_to_a_record_whose_version_has_expired_is_saved(session: Any) -> None:
    """The session reads each changed record's version before it flushes; when that version
    has expired (after ``expire_all``), reading it loads it without flushing again."""
    project = ProjectFactory(title="Before")
    session.commit()
    version = project.version
    session.expire_all()
    project.title = "After"  # changed while its version is not loaded
    session.commit()
    session.expire_all()
    assert (project.title, project.version) == ("After", version + 1)
