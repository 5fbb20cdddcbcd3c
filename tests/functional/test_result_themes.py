"""A result's themes: saved with the result from its form or beside its indicator suggestions,
recorded in the audit trail, refused when stale or to those who may not edit the framework,
and used to rank the suggestions before the themes of the chain."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
import sqlalchemy as sa
from suggestion_pages import indicator_page, suggested_codes

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.frameworks import chain
from app.frameworks.models import Result, ResultLevel, ResultTheme
from seed.factories import IndicatorFactory, MemberFactory, ProjectFactory, ResultFactory

MESSENGERS = "Trained messengers publish content and reach young people."
ACTOR = Actor(user_id=None, ip="127.0.0.1")


def _output(session: Any) -> Any:
    """An output under a goal measured by an online indicator of the bank (the chain's theme)."""
    project = ProjectFactory(start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    goal = ResultFactory(project=project, code="G", level=ResultLevel.GOAL,
                         statement="Fewer young people are drawn to violence.")
    output = ResultFactory(project=project, parent=goal, code="1.1", level=ResultLevel.OUTPUT,
                           statement=MESSENGERS)
    IndicatorFactory(project=project, result=goal, bank_code="PVE-ONL-06")
    session.commit()
    return output


def _saved(session: Any, result_id: int) -> list[str]:
    session.expire_all()
    return sorted(t.value for t in session.scalars(
        sa.select(ResultTheme.theme).where(ResultTheme.result_id == result_id)))


def _theme_changes(session: Any, result_id: int) -> list[tuple[str, Any]]:
    session.expire_all()
    return [(e.action, (e.changes or {}).get("themes")) for e in session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity == "result",
                                    AuditEvent.entity_id == str(result_id))
        .order_by(AuditEvent.id))]


def _edit_data(result: Any, version: int, themes: list[str]) -> dict[str, Any]:
    return {"level": result.level.value, "parent_id": result.parent_id or "",
            "code": result.code, "statement": result.statement, "themes": themes,
            "version": str(version)}


def _save_url(result: Any) -> str:
    return f"/projects/{result.project_id}/framework/results/{result.id}/themes"


def test_themes_saved_on_the_result_form_are_stored_shown_and_audited(
        client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    session.commit()
    created = client.post(f"/projects/{project.id}/framework/results/new", data={
        "level": "goal", "statement": "Young people resist recruitment online",
        "themes": ["youth", "online"], "version": "0"})
    assert created.status_code == 302
    result = session.scalars(sa.select(Result)).one()
    assert _saved(session, result.id) == ["online", "youth"]
    assert _theme_changes(session, result.id) == [("result.create", [None, ["online", "youth"]])]

    edit = f"/projects/{project.id}/framework/results/{result.id}/edit"
    form = html.unescape(client.get(edit).get_data(as_text=True))
    checked = re.findall(r'<input checked[^>]*name="themes"[^>]*value="([a-z_]+)"', form)
    assert sorted(checked) == ["online", "youth"]
    assert "Prisons and rehabilitation" in form  # every theme of the bank is offered
    version = result.version
    assert client.post(edit, data=_edit_data(result, version, ["women"])).status_code == 302
    assert _saved(session, result.id) == ["women"]
    assert _theme_changes(session, result.id)[-1] == (
        "result.update", [["online", "youth"], ["women"]])
    assert session.get(Result, result.id).version > version  # a new version of the result

    # saving the form again with the same themes records no change of them
    same = _edit_data(result, session.get(Result, result.id).version, ["women"])
    assert client.post(edit, data={**same, "statement": "Young women resist recruitment"}
                       ).status_code == 302
    assert _theme_changes(session, result.id)[-1] == ("result.update", None)

    chain_page = client.get(f"/projects/{project.id}/framework/results").get_data(as_text=True)
    assert '<span class="badge badge-theme">Women</span>' in chain_page

    login_as(Role.ADMIN)
    trail = html.unescape(client.get("/audit?entity=result").get_data(as_text=True))
    assert "Themes" in trail
    assert "Online, Youth" in trail and "Women" in trail


def test_unknown_themes_are_refused_on_the_form(client: Any, login_as: Any,
                                                session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    session.commit()
    refused = client.post(f"/projects/{project.id}/framework/results/new", data={
        "level": "goal", "statement": "x", "themes": ["youth", "bogus"], "version": "0"})
    assert refused.status_code == 422
    assert session.scalar(sa.select(sa.func.count(Result.id))) == 0
    with pytest.raises(Exception, match="Unknown value: bogus"):
        chain.create_result(session, ACTOR, project, {"level": "goal", "statement": "x",
                                                      "themes": ["bogus"]})


def test_values_without_themes_leave_them_as_they_are(session: Any) -> None:
    result = _output(session)
    chain.set_result_themes(session, ACTOR, result, result.version, ["youth"])
    chain.update_result(session, ACTOR, result, result.version, {
        "level": "output", "parent_id": result.parent_id, "code": result.code,
        "statement": "Messengers reach young people."})
    assert _saved(session, result.id) == ["youth"]


def test_a_stale_version_is_refused_on_the_form_and_beside_the_suggestions(
        client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    result = _output(session)
    old = result.version
    chain.set_result_themes(session, ACTOR, result, old, ["women"])
    assert result.version > old

    edit = f"/projects/{result.project_id}/framework/results/{result.id}/edit"
    stale = client.post(edit, data=_edit_data(result, old, ["youth"]))
    assert stale.status_code == 409
    body = html.unescape(stale.get_data(as_text=True))
    assert "Someone else saved this record" in body
    assert re.search(r"Now saved:\s*<strong>Women</strong>", body)
    assert _saved(session, result.id) == ["women"]

    refused = client.post(_save_url(result), data={"theme": ["youth"], "version": str(old)})
    assert refused.status_code == 302
    assert "themes=1" in refused.headers["Location"]
    page = html.unescape(client.get(refused.headers["Location"]).get_data(as_text=True))
    assert "Someone else changed this record after you opened the page" in page
    assert "Indicators of the themes ticked here rank higher." in page  # shown, not saved
    assert "Theme of this result: Youth" in page
    assert _saved(session, result.id) == ["women"]
    assert [c for _a, c in _theme_changes(session, result.id)] == [[[], ["women"]]]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EVALUATOR])
def test_those_who_may_not_edit_the_framework_cannot_save_themes(
        client: Any, login_as: Any, session: Any, role: Role) -> None:
    result = _output(session)
    user = login_as(role)
    if role is Role.OFFICER:  # a member of the project is refused as well as a stranger
        MemberFactory(project=session.get(Result, result.id).project, user=user)
        session.commit()
    edit = f"/projects/{result.project_id}/framework/results/{result.id}/edit"
    assert client.post(_save_url(result), data={"theme": ["youth"],
                                                "version": str(result.version)}
                       ).status_code == 403
    assert client.post(edit, data=_edit_data(result, result.version, ["youth"])
                       ).status_code == 403
    assert _saved(session, result.id) == []
    assert _theme_changes(session, result.id) == []


def test_a_result_of_another_project_is_not_found(client: Any, login_as: Any,
                                                  session: Any) -> None:
    login_as(Role.MANAGER)
    result = _output(session)
    other = ProjectFactory()
    session.commit()
    url = f"/projects/{other.id}/framework/results/{result.id}/themes"
    assert client.post(url, data={"theme": ["youth"], "version": str(result.version)}
                       ).status_code == 404
    assert _saved(session, result.id) == []


def test_saved_themes_rank_the_suggestions_before_the_chain(client: Any, login_as: Any,
                                                            session: Any) -> None:
    login_as(Role.MANAGER)
    result = _output(session)
    from_chain = indicator_page(client, result)
    assert "Themes of this result: Online" in from_chain
    without = suggested_codes(indicator_page(client, result, "&themes=1"))  # no theme at all
    chain.set_result_themes(session, ACTOR, result, result.version, ["youth"])
    page = indicator_page(client, result)
    assert "Themes of this result: Youth" in page
    assert "Saved with this result." in page
    assert "Theme of this result: Youth" in page
    assert "Theme of this result: Online" not in page  # the chain's theme gives way
    suggested = suggested_codes(page)
    youth = [code for code in suggested if code.startswith("PVE-YTH-")]
    assert youth
    first = youth[0]
    reasons = page.split(first, 1)[1].split("Use this indicator", 1)[0]
    assert "Theme of this result: Youth" in reasons
    rank_before = without.index(first) if first in without else len(without)
    assert suggested.index(first) < rank_before
    assert re.search(r'<input type="checkbox" name="theme" value="youth" checked>', page)


def test_ticking_themes_beside_the_suggestions_saves_them(client: Any, login_as: Any,
                                                          session: Any) -> None:
    login_as(Role.MANAGER)
    result = _output(session)
    page = indicator_page(client, result)
    action = f'action="{_save_url(result)}"'
    assert action in page
    version = re.search(r'name="version" value="(\d+)"', page.split(action, 1)[1])
    assert version is not None and int(version.group(1)) == result.version
    saved = client.post(_save_url(result), data={"theme": ["youth", "women"],
                                                 "version": version.group(1)})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(
        f"/projects/{result.project_id}/framework/indicators/new?result={result.id}")
    assert _saved(session, result.id) == ["women", "youth"]
    assert _theme_changes(session, result.id) == [("result.update", [[], ["women", "youth"]])]
    after = html.unescape(client.get(saved.headers["Location"]).get_data(as_text=True))
    assert "The themes of 1.1 were saved." in after
    assert "Themes of this result: Women, Youth" in after
    assert "Theme of this result: Youth" in after

    # ticking none clears them: the chain's themes are used again
    current = session.get(Result, result.id).version
    assert client.post(_save_url(result), data={"version": str(current)}).status_code == 302
    assert _saved(session, result.id) == []
    assert "Themes of this result: Online" in indicator_page(client, result)
    assert _theme_changes(session, result.id)[-1] == ("result.update",
                                                      [["women", "youth"], []])


def test_saving_themes_needs_the_form_s_csrf_token(client: Any, login_as: Any, session: Any,
                                                   csrf_on: None) -> None:
    login_as(Role.MANAGER)
    result = _output(session)
    data = {"theme": ["youth"], "version": str(result.version)}
    assert client.post(_save_url(result), data=data).status_code == 400
    assert _saved(session, result.id) == []
    page = indicator_page(client, result)
    form = page.split(f'action="{_save_url(result)}"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    assert client.post(_save_url(result), data={**data, "csrf_token": token.group(1)}
                       ).status_code == 302
    assert _saved(session, result.id) == ["youth"]

