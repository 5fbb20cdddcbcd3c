"""Programmes with donors and amounts, and their alignment tags."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit import Actor, AuditEvent
from app.auth.models import Role
from app.errors import ValidationFailed
from app.programmes import services
from app.programmes.models import Programme, ProgrammeDonor
from seed.factories import OrganisationFactory, ProgrammeFactory

BASE = {"code": "CA-PVE-9", "title": "Resilient communities", "currency": "USD",
        "status": "implementation", "version": "0"}


def _programme(session: Any, code: str = "CA-PVE-9") -> Programme:
    session.expire_all()
    return session.scalars(sa.select(Programme).where(Programme.code == code)).one()


def test_manager_gives_donors_amounts_and_tags(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    eu, osce = OrganisationFactory(name="European Union"), OrganisationFactory(name="OSCE")
    session.commit()
    response = client.post("/programmes/new", data={
        **BASE, "donors-0-organisation_id": eu.id, "donors-0-amount": "1200000",
        "donors-1-organisation_id": osce.id, "donors-1-amount": "",
        "donors-2-organisation_id": "", "donors-2-amount": "",
        "gcts_pillars": ["I", "IV"], "poa_priorities": ["empowering_youth"],
        "target_groups": ["youth", "women"], "drivers": ["push_lack_of_opportunity"],
        "levels": ["local", "online"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    programme = _programme(session)
    assert [(d.organisation_id, d.amount) for d in programme.donors] == [
        (eu.id, Decimal("1200000.00")), (osce.id, None)]
    assert programme.gcts_pillars == ["I", "IV"]
    assert programme.levels == ["local", "online"]
    page = client.get(f"/programmes/{programme.id}").get_data(as_text=True)
    for text in ("European Union", "$1,200,000.00", "OSCE", "IV. Human rights and the rule of law",
                 "Empowering youth", "Push: lack of socio-economic opportunity", "Online"):
        assert text in page
    [event] = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "programme.create")).all()
    assert event.changes["donors"] == [None, ["European Union: 1200000.00", "OSCE: —"]]
    assert event.changes["target_groups"] == [None, ["youth", "women"]]


def test_donor_rows_are_added_and_removed_without_saving(client: Any, login_as: Any,
                                                         session: Any) -> None:
    login_as(Role.MANAGER)
    org = OrganisationFactory(name="Donor Fund")
    session.commit()
    added = client.post("/programmes/new", data={
        **BASE, "donors-0-organisation_id": org.id, "donors-0-amount": "5",
        "donor_row": "add"})
    body = added.get_data(as_text=True)
    assert added.status_code == 200
    assert 'name="donors-1-organisation_id"' in body
    removed = client.post("/programmes/new", data={
        **BASE, "donors-0-organisation_id": org.id, "donors-0-amount": "5",
        "donors-1-organisation_id": "", "donor_row": "remove-0"})
    body = removed.get_data(as_text=True)
    assert 'name="donors-0-organisation_id"' not in body
    assert 'name="donors-1-organisation_id"' in body
    assert session.scalar(sa.select(sa.func.count(Programme.id))) == 0


def test_donor_and_tag_mistakes_are_named(client: Any, login_as: Any, session: Any) -> None:
    login_as(Role.MANAGER)
    org = OrganisationFactory(name="Twice Given")
    session.commit()
    twice = client.post("/programmes/new", data={
        **BASE, "donors-0-organisation_id": org.id, "donors-1-organisation_id": org.id})
    assert twice.status_code == 422
    assert "Twice Given is listed twice as a donor." in twice.get_data(as_text=True)
    orphan = client.post("/programmes/new", data={**BASE, "donors-0-amount": "100"})
    assert orphan.status_code == 422
    assert "Choose the donor this amount comes from." in orphan.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Programme.id))) == 0
    with pytest.raises(ValidationFailed) as refused:
        services.create_programme(session, Actor.system(), {
            "code": "X", "title": "X", "currency": "USD", "levels": ["galactic"],
            "drivers": ["push_unresolved_conflict", "pull_nonsense"]})
    assert {f: [str(m) for m in ms] for f, ms in refused.value.errors.items()} == {
        "drivers": ["Unknown value: pull_nonsense"], "levels": ["Unknown value: galactic"]}
    with pytest.raises(ValidationFailed, match="no organisation number 999999"):
        services.create_programme(session, Actor.system(), {
            "code": "X", "title": "X", "currency": "USD", "donors": [(999999, None)]})
    with pytest.raises(ValidationFailed, match="cannot be negative"):
        services.create_programme(session, Actor.system(), {
            "code": "X", "title": "X", "currency": "USD", "donors": [(org.id, Decimal(-1))]})


def test_changing_only_the_donors_is_a_new_version(client: Any, login_as: Any,
                                                   session: Any) -> None:
    login_as(Role.MANAGER)
    programme = ProgrammeFactory(code="CA-PVE-9", title="Before")
    first, second = OrganisationFactory(name="First Donor"), OrganisationFactory(name="Second")
    session.commit()
    form = {**BASE, "title": "Before", "countries": "KZ, KG", "version": str(programme.version)}
    page = client.get(f"/programmes/{programme.id}/edit").get_data(as_text=True)
    assert 'name="donors-0-organisation_id"' in page
    assert client.post(f"/programmes/{programme.id}/edit", data={
        **form, "donors-0-organisation_id": first.id, "donors-0-amount": "10"}).status_code == 302
    stale = client.post(f"/programmes/{programme.id}/edit", data={
        **form, "donors-0-organisation_id": second.id})
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "nothing of yours was saved" in body and "First Donor: 10.00" in body
    programme = _programme(session)
    assert [d.organisation_id for d in programme.donors] == [first.id]
    assert client.post(f"/programmes/{programme.id}/edit", data={
        **form, "version": str(programme.version), "gcts_pillars": ["II"],
        "donors-0-organisation_id": second.id, "donors-0-amount": "7"}).status_code == 302
    programme = _programme(session)
    assert [(d.organisation_id, d.amount) for d in programme.donors] == [(second.id, Decimal(7))]
    assert programme.gcts_pillars == ["II"]
    assert session.scalar(sa.select(sa.func.count(ProgrammeDonor.id))) == 1
    events = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "programme.update").order_by(AuditEvent.id)).all()
    assert [e.changes for e in events] == [
        {"donors": [[], ["First Donor: 10.00"]]},
        {"gcts_pillars": [[], ["II"]], "donors": [["First Donor: 10.00"], ["Second: 7.00"]]},
    ]
