"""What screen readers and keyboards meet on the forms: no field announced as invalid before
it is, errors summarised and linked to their fields, removals that name what goes and ask
first, the menu as a real button, and the language picked before signing in kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from monitoring_data import build, grid_form

from app.auth.models import Locale, Role, User
from app.monitoring.models import DataValue
from seed.factories import MemberFactory, ProjectFactory, ResultFactory, UserFactory
from seed.factories.base import use_session


def test_untouched_fields_carry_no_aria_state(client: Any, login_as: Any) -> None:
    login_as(Role.MANAGER)
    for url in ("/programmes/new", "/organisations/new", "/followup/events/new"):
        page = client.get(url).get_data(as_text=True)
        assert "<input" in page, url
        assert '="None"' not in page, url
        assert "aria-invalid" not in page, url


def test_sign_in_errors_are_summarised_and_linked_to_their_fields(client: Any) -> None:
    page = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', page, re.S)
    assert summary, "no error summary"
    assert 'href="#email"' in summary.group(0)
    assert 'href="#password"' in summary.group(0)
    assert re.search(r'<input[^>]*aria-describedby="email-error"[^>]*aria-invalid="true"'
                     r'|<input[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"',
                     page)
    assert 'id="email-error"' in page


def test_a_refused_grid_lists_each_wrong_row_and_leads_to_it(client: Any, auth: Any,
                                                            session: Any) -> None:
    setup = build(session)
    auth.login(setup.officer)
    form = grid_form(client, setup.period)
    key = setup.key("N")
    form[f"{key}-value"] = "three"
    response = client.post(f"/periods/{setup.period.id}/data", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary, "no error summary above the grid"
    link = re.search(rf'<a href="#(f-{key}-value)">([^<]*)</a>', summary.group(0))
    assert link, summary.group(0)
    assert setup.indicators["N"].code in link.group(2)
    assert f'id="{link.group(1)}"' in page  # the link leads to the row's input
    assert re.search(rf'id="f-{key}-value"[^>]*aria-invalid="true" '
                     rf'aria-describedby="error-{key}"', page)
    assert f'id="error-{key}"' in page
    assert "marked in red" not in page
    assert session.scalar(sa.select(sa.func.count(DataValue.id))) == 0


def test_removing_a_result_names_it_and_asks_first(client: Any, session: Any, auth: Any) -> None:
    use_session(session)
    try:
        project = ProjectFactory()
        result = ResultFactory(project=project, code="1.1", statement="Youth speak out")
        manager = UserFactory(role=Role.MANAGER)
        MemberFactory(project=project, user=manager)
        session.commit()
    finally:
        use_session(None)
    auth.login(manager)
    page = client.get(f"/projects/{project.id}/framework/results").get_data(as_text=True)
    action = f"/projects/{project.id}/framework/results/{result.id}/delete"
    box = re.search(r'<details class="confirm">(.*?)</details>', page, re.S)
    assert box, "Remove does not ask first"
    assert "<summary" in box.group(1) and f'action="{action}"' in box.group(1)
    assert "1.1 Youth speak out" in box.group(1)  # the confirmation names the result
    summary = re.search(r"<summary.*?</summary>", box.group(1), re.S)
    assert summary and "1.1" in summary.group(0)  # so does the button read out
    moves = re.findall(r'<button type="submit" class="button small"[^>]*>(.*?)</button>', page)
    assert moves and all("1.1" in label for label in moves if "Move" in label)


def test_the_menu_is_a_button_not_a_hidden_checkbox(client: Any, login_as: Any) -> None:
    login_as(Role.OFFICER)
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'<button type="button" id="nav-toggle"[^>]*aria-expanded="false"'
                     r'[^>]*aria-controls="mainnav"', page)
    assert 'id="mainnav"' in page
    assert 'type="checkbox" id="nav-toggle"' not in page
    assert "aria-hidden=\"true\">" not in re.sub(r"<svg.*?</svg>|<span[^>]*>", "", page)


@pytest.mark.parametrize("chosen", ["ru", "en"])
def test_the_language_picked_before_signing_in_is_kept(client: Any, session: Any, auth: Any,
                                                       make_user: Any, chosen: str) -> None:
    other = "en" if chosen == "ru" else "ru"
    user = make_user(Role.OFFICER, locale=Locale(other))
    client.post("/language", data={"locale": chosen, "next": "/login"})
    assert auth.login(user).status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert f'<html lang="{chosen}">' in page
    session.expire_all()
    assert session.get(User, user.id).locale is Locale(chosen)


def test_signing_in_without_picking_keeps_the_accounts_language(client: Any, auth: Any,
                                                                make_user: Any) -> None:
    user = make_user(Role.OFFICER, locale=Locale.RU)
    assert auth.login(user).status_code == 302
    assert '<html lang="ru">' in client.get("/dashboard").get_data(as_text=True)
