"""Organisations, programmes and projects: lists, forms and membership."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from app.auth.models import ProjectMember, Role, User
from app.auth.permissions import authorize
from app.db import contains, db
from app.errors import ServiceError
from app.pagination import paginate
from app.programmes import labels as programme_labels
from app.programmes import services
from app.programmes.forms import (
    MemberForm,
    OrganisationForm,
    ProgrammeForm,
    ProjectForm,
)
from app.programmes.models import (
    ActivityStatus,
    Organisation,
    OrganisationKind,
    Programme,
    ProgrammeDonor,
    Project,
)
from app.web import current_actor, get_or_404, record_id, save_form

bp = Blueprint("programmes", __name__)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"programme_labels": programme_labels}


def _org_choices(blank: str) -> list[SelectChoice]:
    orgs = db.session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.acronym).order_by(
            Organisation.name)
    ).all()
    return [SelectChoice("", blank)] + [
        SelectChoice(o.id, f"{o.name} ({o.acronym})" if o.acronym else o.name) for o in orgs]


# --- organisations -----------------------------------------------------------------------


@bp.get("/organisations")
def organisations() -> Any:
    authorize("organisations.view")
    q = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or ""
    query = sa.select(Organisation).order_by(Organisation.name)
    if q:
        query = query.where(sa.or_(contains(Organisation.name, q),
                                   contains(Organisation.acronym, q)))
    if kind in {k.value for k in OrganisationKind}:
        query = query.where(Organisation.kind == OrganisationKind(kind))
    return render_template("programmes/organisations.html", page=paginate(db.session, query),
                           q=q, kind=kind, kinds=list(OrganisationKind))


@bp.route("/organisations/new", methods=["GET", "POST"])
def organisation_new() -> Any:
    authorize("organisations.edit")
    form = OrganisationForm(version=0)
    fields = services.ORGANISATION_FIELDS
    result = save_form(form, lambda v: services.create_organisation(
        db.session, current_actor(), _org_values(v)), fields,
        "programmes/organisation_form.html", org=None)
    return redirect(url_for(".organisations")) if isinstance(result, Organisation) else result


def _org_values(values: dict[str, Any]) -> dict[str, Any]:
    values["kind"] = OrganisationKind(values["kind"])
    values["country"] = values["country"].upper() if values.get("country") else None
    return values


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
def organisation_edit(org_id: int) -> Any:
    authorize("organisations.edit")
    org = get_or_404(Organisation, org_id)
    form = OrganisationForm(obj=org)
    if request.method == "GET":
        form.kind.data = org.kind.value
    result = save_form(form, lambda v: services.update_organisation(
        db.session, current_actor(), org, form.version.data or 0, _org_values(v)),
        services.ORGANISATION_FIELDS, "programmes/organisation_form.html", org=org)
    return redirect(url_for(".organisations")) if isinstance(result, Organisation) else result


# --- programmes --------------------------------------------------------------------------


@bp.get("/programmes")
def programmes() -> Any:
    authorize("programmes.list")
    q = (request.args.get("q") or "").strip()
    project_count = (sa.select(sa.func.count(Project.id))
                     .where(Project.programme_id == Programme.id).scalar_subquery())
    query = (sa.select(Programme, project_count.label("project_count"))
             .options(joinedload(Programme.lead_organisation)).order_by(Programme.code))
    if q:
        query = query.where(sa.or_(contains(Programme.title, q), contains(Programme.code, q)))
    return render_template("programmes/programmes.html",
                           page=paginate(db.session, query, rows=True), q=q)


def _programme_form(obj: Programme | None = None, **kwargs: Any) -> ProgrammeForm:
    form = ProgrammeForm(obj=obj, **kwargs)
    org_choices = _org_choices(_("— none —"))
    form.lead_organisation_id.choices = org_choices
    if request.method == "GET":
        if obj is not None:
            form.status.data = obj.status.value
            if obj.donors:
                form.donors.append_entry()  # a blank row to add one more
    else:
        _change_donor_rows(form)
    for entry in form.donors:
        entry.form.organisation_id.choices = org_choices
    return form


def _change_donor_rows(form: ProgrammeForm) -> None:
    """The form's "add a donor" and "remove" buttons change the rows without saving."""
    action = request.form.get("donor_row") or ""
    if action == "add":
        form.donors.append_entry()
    elif action.startswith("remove-"):
        name = f"donors-{action.removeprefix('remove-')}"
        form.donors.entries = [e for e in form.donors.entries if e.name != name] or []
        if not form.donors.entries:
            form.donors.append_entry()


PROGRAMME_FORM_FIELDS = [*services.PROGRAMME_FIELDS, "donors"]


def _programme_values(values: dict[str, Any]) -> dict[str, Any]:
    values["status"] = ActivityStatus(values["status"])
    values["countries"] = values.get("countries") or []
    values["currency"] = (values.get("currency") or "USD").upper()
    values["donors"] = [(row["organisation_id"], row["amount"]) for row in values["donors"]
                        if row["organisation_id"] is not None]
    return values


def _save_programme(form: ProgrammeForm, save: Any, programme: Programme | None) -> Any:
    if request.form.get("donor_row"):
        return render_template("programmes/programme_form.html", form=form, current=None,
                               programme=programme)
    return save_form(form, lambda v: save(_programme_values(v)), PROGRAMME_FORM_FIELDS,
                     "programmes/programme_form.html", programme=programme)


@bp.route("/programmes/new", methods=["GET", "POST"])
def programme_new() -> Any:
    authorize("programmes.edit")
    form = _programme_form(version=0)
    result = _save_programme(form, lambda v: services.create_programme(
        db.session, current_actor(), v), None)
    if isinstance(result, Programme):
        return redirect(url_for(".programme_detail", programme_id=result.id))
    return result


@bp.get("/programmes/<int:programme_id>")
def programme_detail(programme_id: int) -> Any:
    programme = get_or_404(Programme, programme_id, joinedload(Programme.lead_organisation),
                     selectinload(Programme.projects).joinedload(Project.implementer),
                     selectinload(Programme.donors).joinedload(ProgrammeDonor.organisation))
    authorize("programme.view", programme)
    projects = [p for p in programme.projects if _can_view(p)]
    return render_template("programmes/programme_detail.html", programme=programme,
                           projects=projects)


def _can_view(project: Project) -> bool:
    from app.auth.permissions import can

    return can(g.user, "project.view", project)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
def programme_edit(programme_id: int) -> Any:
    authorize("programmes.edit")
    programme = get_or_404(Programme, programme_id, selectinload(Programme.donors))
    form = _programme_form(programme)
    result = _save_programme(form, lambda v: services.update_programme(
        db.session, current_actor(), programme, form.version.data or 0, v), programme)
    if isinstance(result, Programme):
        return redirect(url_for(".programme_detail", programme_id=programme.id))
    return result


# --- projects ----------------------------------------------------------------------------


@bp.get("/projects")
def projects() -> Any:
    authorize("projects.list")
    q = (request.args.get("q") or "").strip()
    query = (services.visible_projects(g.user)
             .options(joinedload(Project.programme), joinedload(Project.implementer))
             .order_by(Project.code))
    if q:
        query = query.where(sa.or_(contains(Project.title, q), contains(Project.code, q)))
    return render_template("programmes/projects.html", page=paginate(db.session, query), q=q)


def _project_form(obj: Project | None = None, **kwargs: Any) -> ProjectForm:
    form = ProjectForm(obj=obj, **kwargs)
    form.programme_id.choices = [
        SelectChoice(p.id, f"{p.code} — {p.title}") for p in db.session.execute(
            sa.select(Programme.id, Programme.code, Programme.title).order_by(Programme.code))
    ]
    form.implementer_id.choices = _org_choices(_("— none —"))
    if obj is not None and request.method == "GET":
        form.status.data = obj.status.value
    return form


def _project_values(values: dict[str, Any]) -> dict[str, Any]:
    values["status"] = ActivityStatus(values["status"])
    values["countries"] = values.get("countries") or []
    return values


@bp.route("/projects/new", methods=["GET", "POST"])
def project_new() -> Any:
    authorize("project.edit")
    form = _project_form(version=0, programme_id=request.args.get("programme", type=record_id))
    result = save_form(form, lambda v: services.create_project(
        db.session, current_actor(), _project_values(v)), services.PROJECT_FIELDS,
        "programmes/project_form.html", project=None)
    if isinstance(result, Project):
        return redirect(url_for(".project_detail", project_id=result.id))
    return result


@bp.get("/projects/<int:project_id>")
def project_detail(project_id: int) -> Any:
    project = get_or_404(Project, project_id, joinedload(Project.programme),
                   joinedload(Project.implementer),
                   selectinload(Project.members).joinedload(ProjectMember.user))
    authorize("project.view", project)
    return render_template("programmes/project_detail.html", project=project)


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def project_edit(project_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("project.edit", project)
    form = _project_form(project)
    result = save_form(form, lambda v: services.update_project(
        db.session, current_actor(), project, form.version.data or 0, _project_values(v)),
        services.PROJECT_FIELDS, "programmes/project_form.html", project=project)
    if isinstance(result, Project):
        return redirect(url_for(".project_detail", project_id=project.id))
    return result


@bp.route("/projects/<int:project_id>/members", methods=["GET", "POST"])
def project_members(project_id: int) -> Any:
    project = get_or_404(Project, project_id,
                   selectinload(Project.members).joinedload(ProjectMember.user))
    authorize("project.members.manage", project)
    form = MemberForm()
    member_ids = {m.user_id for m in project.members}
    candidates = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.role.in_([Role.OFFICER, Role.EVALUATOR]))
        .order_by(User.name)).all()
    form.user_id.choices = [SelectChoice(u.id, f"{u.name} <{u.email}>") for u in candidates
                            if u.id not in member_ids]
    status = 200
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        try:
            if user is None:
                abort(404)
            services.add_member(db.session, current_actor(), project, user,
                                bool(form.sensitive_access.data))
        except ServiceError as exc:
            db.session.rollback()
            form.apply_error(exc)
            status = 422
        else:
            flash(_("%(name)s was added to the project.", name=user.name), "success")
            return redirect(url_for(".project_members", project_id=project.id))
    elif request.method == "POST":
        status = 422
    return render_template("programmes/project_members.html", project=project, form=form), status


@bp.post("/projects/<int:project_id>/members/<int:member_id>/sensitive")
def project_member_sensitive(project_id: int, member_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("project.members.manage", project)
    member = get_or_404(ProjectMember, member_id, joinedload(ProjectMember.user))
    allowed = request.form.get("allowed") == "1"
    try:
        services.set_sensitive_access(db.session, current_actor(), project, member, allowed)
    except ServiceError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("%(name)s may now see sensitive data of this project.", name=member.user.name)
              if allowed else
              _("%(name)s no longer sees sensitive data of this project.",
                name=member.user.name), "success")
    return redirect(url_for(".project_members", project_id=project.id))


@bp.post("/projects/<int:project_id>/members/<int:member_id>/remove")
def project_member_remove(project_id: int, member_id: int) -> Any:
    project = get_or_404(Project, project_id)
    authorize("project.members.manage", project)
    member = get_or_404(ProjectMember, member_id, joinedload(ProjectMember.user))
    try:
        services.remove_member(db.session, current_actor(), project, member)
    except ServiceError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("%(name)s was removed from the project.", name=member.user.name), "success")
    return redirect(url_for(".project_members", project_id=project.id))
