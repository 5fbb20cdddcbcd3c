"""Organisations, programmes and projects through the browser forms, with their audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.audit import AuditEvent
from app.auth.models import ProjectMember, Role
from app.programmes.models import Organisation, Programme, Project
from seed.factories import OrganisationFactory, ProgrammeFactory, ProjectFactory, UserFactory


def _events(session: Any, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_manager_sets_up_organisation_programme_and_project(client: Any, login_as: Any,
                                                            session: Any) -> None:
    login_as(Role.MANAGER)
    response = client.post("/organisations/new", data={
        "name": "Search for Common Ground", "acronym": "SFCG", "kind": "ngo", "country": "",
        "version": "0"})
    assert response.status_code == 302
    org = session.scalars(sa.select(Organisation).where(Organisation.acronym == "SFCG")).one()
    response = client.post("/programmes/new", data={
        "code": "CA-PVE-1", "title": "Community resilience in Central Asia",
        "lead_organisation_id": str(org.id), "countries": "kg, tj", "start_date": "2024-01-01",
        "end_date": "2026-12-31", "currency": "eur", "budget": "1500000", "status": "pipeline",
        "version": "0"})
    assert response.status_code == 302
    programme = session.scalars(sa.select(Programme).where(Programme.code == "CA-PVE-1")).one()
    assert programme.countries == ["KG", "TJ"]
    assert programme.currency == "EUR" and programme.budget == Decimal("1500000.00")
    response = client.post(f"/projects/new?programme={programme.id}", data={
        "programme_id": str(programme.id), "code": "CA-PVE-1.1",
        "title": "Women's resource centres",
        "implementer_id": str(org.id), "countries": "TJ", "status": "implementation",
        "budget": "400000", "version": "0"})
    assert response.status_code == 302
    project = session.scalars(sa.select(Project).where(Project.code == "CA-PVE-1.1")).one()
    page = client.get(f"/programmes/{programme.id}").get_data(as_text=True)
    assert "CA-PVE-1.1" in page and "Community resilience" in page
    created = {e.action for e in session.scalars(sa.select(AuditEvent))}
    assert {"organisation.create", "programme.create", "project.create"} <= created
    assert project.programme_id == programme.id


def test_invalid_input_names_the_field_and_writes_nothing(client: Any, login_as: Any,
                                                          session: Any) -> None:
    login_as(Role.MANAGER)
    ProgrammeFactory(code="TAKEN")
    session.commit()
    response = client.post("/programmes/new", data={
        "code": "TAKEN", "title": "Duplicate", "countries": "Kazakhstan",
        "start_date": "2025-01-01", "end_date": "2024-01-01", "currency": "USD",
        "status": "pipeline", "version": "0"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "two-letter country codes" in body
    assert "end date is before the start date" in body
    assert session.scalar(sa.select(sa.func.count(Programme.id))) == 1
    response = client.post("/programmes/new", data={
        "code": "TAKEN", "title": "Duplicate", "currency": "USD", "status": "pipeline",
        "version": "0"})
    assert response.status_code == 422
    assert "already used: TAKEN" in response.get_data(as_text=True)


def test_stale_project_edit_is_refused_with_the_other_value(client: Any, login_as: Any,
                                                            session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory(title="Before")
    session.commit()
    form = {"programme_id": str(project.programme_id), "code": project.code,
            "status": "implementation", "countries": "KG", "version": str(project.version)}
    assert client.post(f"/projects/{project.id}/edit",
                       data={**form, "title": "Saved first"}).status_code == 302
    second = client.post(f"/projects/{project.id}/edit", data={**form, "title": "Saved second"})
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "Saved first" in body and "nothing of yours was saved" in body
    session.expire_all()
    assert session.get(Project, project.id).title == "Saved first"
    [event] = _events(session, "project.update")
    assert event.changes == {"title": ["Before", "Saved first"]}


def test_membership_is_managed_and_audited(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    project = ProjectFactory()
    officer = UserFactory(role=Role.OFFICER)
    manager = UserFactory(role=Role.MANAGER)
    session.commit()
    page = client.get(f"/projects/{project.id}/members").get_data(as_text=True)
    assert officer.email in page and manager.email not in page
    assert client.post(f"/projects/{project.id}/members",
                       data={"user_id": officer.id}).status_code == 302
    member = session.scalars(sa.select(ProjectMember)).one()
    assert member.role.value == "officer"
    refused = client.post(f"/projects/{project.id}/members", data={"user_id": manager.id})
    assert refused.status_code == 422
    assert client.post(f"/projects/{project.id}/members/{member.id}/remove").status_code == 302
    assert session.scalar(sa.select(sa.func.count(ProjectMember.id))) == 0
    assert len(_events(session, "project.member_add")) == 1
    assert len(_events(session, "project.member_remove")) == 1


def test_audit_trail_filters(client: Any, login_as: Any, session: Any) -> None:
    manager = login_as(Role.MANAGER)
    client.post("/organisations/new", data={"name": "UNRCCA Test", "kind": "un_agency",
                                            "version": "0"})
    org = session.scalars(sa.select(Organisation)).one()
    client.post(f"/organisations/{org.id}/edit", data={
        "name": "UNRCCA Renamed", "kind": "un_agency", "version": str(org.version)})
    page = client.get("/audit?action=organisation.update").get_data(as_text=True)
    assert "UNRCCA Test" in page and "UNRCCA Renamed" in page
    assert "Organisation created" not in page.split("<tbody>")[1]
    page = client.get(f"/audit?user={manager.email}&entity=organisation").get_data(as_text=True)
    assert page.count("<tr>") == 1 + 2  # header + create + update
    assert "No events match" in client.get("/audit?user=nobody@nowhere").get_data(as_text=True)


def _bulk_programmes(session: Any, n: int, start: int = 0) -> None:
    org = OrganisationFactory()
    session.flush()
    session.execute(sa.insert(Programme), [
        {"code": f"BULK-{i:05d}", "title": f"Bulk programme {i}", "countries": ["KZ"],
         "currency": "USD", "status": "implementation", "version": 1, "illustrative": True,
         "lead_organisation_id": org.id} for i in range(start, start + n)])
    programme_ids = session.scalars(sa.select(Programme.id).limit(n)).all()
    session.execute(sa.insert(Project), [
        {"code": f"BULKP-{i:05d}", "title": f"Bulk project {i}", "countries": ["KZ"],
         "status": "implementation", "version": 1, "illustrative": True,
         "programme_id": programme_ids[i % len(programme_ids)], "implementer_id": org.id}
        for i in range(start, start + n)])
    session.execute(sa.insert(Organisation), [
        {"name": f"Bulk org {i}", "kind": "ngo", "version": 1, "illustrative": True}
        for i in range(start, start + n)])
    session.commit()


LIST_PAGES = ["/programmes", "/projects", "/organisations", "/audit", "/dashboard",
              "/admin/users"]


def test_list_pages_keep_their_query_count_from_10_to_1000_rows(
    client: Any, login_as: Any, session: Any, count_queries: Any
) -> None:
    login_as(Role.ADMIN)

    def counts() -> dict[str, int]:
        result = {}
        for url in LIST_PAGES:
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result[url] = counter.count
        return result

    _bulk_programmes(session, 10)
    small = counts()
    _bulk_programmes(session, 990, start=10)
    large = counts()
    assert large == small
    # the dashboard is a manager's portfolio: the figures loader, the reports, the follow-up
    # report, the recommendations coming due and the latest verified follow-up
    assert max(n for url, n in small.items() if url != "/dashboard") <= 8
    assert small["/dashboard"] <= 16
