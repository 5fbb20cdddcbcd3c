"""The world of the role matrix: two programmes with a project each, a user of every role,
the officer and evaluator members of project A, and whatever each domain's matrix module
creates for its URLs. The race and fuzz tests build the same world on a database of their
own."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from app.auth.models import MemberRole, Role, User
from seed.factories import (
    DEFAULT_PASSWORD,
    MemberFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProjectFactory,
    UserFactory,
)


def domain_modules() -> list[ModuleType]:
    support = Path(__file__).resolve().parent
    return [importlib.import_module(m.name) for m in pkgutil.iter_modules([str(support)])
            if m.name.startswith("matrix_")]


ROLES = ("anonymous", "admin", "manager", "officer", "evaluator")
A, F, L = "allowed", "forbidden", "login"  # L: redirected to sign in
PUBLIC = (A, A, A, A, A)
SIGNED_IN = (L, A, A, A, A)
STAFF = (L, A, A, F, F)
ADMIN = (L, A, F, F, F)

# endpoint -> {method: expected outcome per role, in the order of ROLES}
FOUNDATION: dict[str, dict[str, tuple[str, ...]]] = {
    "static": {"GET": PUBLIC},
    "reports.index": {"GET": PUBLIC},
    "reports.healthz": {"GET": PUBLIC},
    "reports.dashboard": {"GET": SIGNED_IN},
    "reports.audit_log": {"GET": STAFF},
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": {"POST": SIGNED_IN},
    "auth.set_language": {"POST": PUBLIC},
    "auth.account": {"GET": SIGNED_IN},
    "auth.change_password": {"POST": SIGNED_IN},
    "auth.users": {"GET": ADMIN},
    "auth.user_new": {"GET": ADMIN, "POST": ADMIN},
    "auth.user_edit": {"GET": ADMIN, "POST": ADMIN},
    "auth.user_deactivate": {"POST": ADMIN},
    "auth.user_activate": {"POST": ADMIN},
    "programmes.organisations": {"GET": SIGNED_IN},
    "programmes.organisation_new": {"GET": STAFF, "POST": STAFF},
    "programmes.organisation_edit": {"GET": STAFF, "POST": STAFF},
    "programmes.programmes": {"GET": STAFF},
    "programmes.programme_new": {"GET": STAFF, "POST": STAFF},
    "programmes.programme_detail": {"GET": SIGNED_IN},
    "programmes.programme_edit": {"GET": STAFF, "POST": STAFF},
    "programmes.projects": {"GET": SIGNED_IN},
    "programmes.project_new": {"GET": STAFF, "POST": STAFF},
    "programmes.project_detail": {"GET": SIGNED_IN},
    "programmes.project_edit": {"GET": STAFF, "POST": STAFF},
    "programmes.project_members": {"GET": STAFF, "POST": STAFF},
    "programmes.project_member_remove": {"POST": STAFF},
    "programmes.project_member_sensitive": {"POST": STAFF},
}

# Endpoints on another project (B) than the one the officer and evaluator work on (A):
# they may neither read nor change anything there.
FOUNDATION_OTHER_PROJECT = [
    ("programmes.project_detail", "GET"),
    ("programmes.project_edit", "GET"),
    ("programmes.project_edit", "POST"),
    ("programmes.project_members", "GET"),
    ("programmes.project_members", "POST"),
    ("programmes.project_member_remove", "POST"),
    ("programmes.project_member_sensitive", "POST"),
    ("programmes.programme_detail", "GET"),
]


DOMAINS = domain_modules()
MATRIX = {**FOUNDATION}
OTHER_PROJECT = list(FOUNDATION_OTHER_PROJECT)
for _module in DOMAINS:
    overlap = MATRIX.keys() & _module.ROWS.keys()
    assert not overlap, f"{_module.__name__} repeats rows: {overlap}"
    MATRIX.update(_module.ROWS)
    OTHER_PROJECT += _module.OTHER_PROJECT




# Values a matrix post adds to the form as the page shows it, where the page leaves a required
# field empty (the form is then a real submission, so "allowed" means it was done).
PAYLOADS: dict[str, dict[str, str]] = {
    "auth.change_password": {"current_password": DEFAULT_PASSWORD,
                             "new_password": "quiet harbour lamp 93",
                             "confirm": "quiet harbour lamp 93"},
    "evaluation.score_indicator": {"*-justification": "Matrix check"},
    "evaluation.rate_project": {"*-justification": "Matrix check"},
    "evaluation.consensus_indicator": {"reason": "Matrix check"},
    "evaluation.consensus_criterion": {"reason": "Matrix check"},
    "followup.recommendation_new": {"text": "Matrix check"},
    "followup.action_new": {"description": "Matrix check", "action_date": "2024-03-01"},
    "followup.report_back_page": {"description": "Matrix check", "action_date": "2024-03-01"},
    "frameworks.risk_new": {"description": "Matrix check"},
    "frameworks.result_new": {"statement": "Matrix check"},
    "frameworks.assumption_new": {"text": "Matrix check"},
    "auth.create_token": {"name": "Matrix check"},
}

# Endpoints whose matrix post is refused by a rule after the permission check passed (409 or
# 422, with the reason on the page): the world's period is not in the state these decisions
# need, its grid holds a value that breaks a rule, an import needs a file, and the forms whose
# valid submission the page alone does not give (a score sheet's per-indicator fields, a
# result's level and parent, an action's activity of another project). For them "allowed"
# means that refusal; 400, 404 and 5xx still fail.
REFUSED_BY_A_RULE = {
    "monitoring.import_page", "monitoring.period_data", "monitoring.period_submit",
    "monitoring.period_approve", "evaluation.consensus_indicator",
    "evaluation.consensus_criterion",
    # an upload form posted without its file
    "evidence.value_files", "evidence.activity_files", "evidence.event_files",
    "evidence.recommendation_files", "evidence.action_files",
    # the IATI import posted without its file, and its confirmation without a checked file
    "iati.import_page", "iati.import_confirm",
}

# A notification is its recipient's own, a background job its owner's: to anyone else they
# do not exist (404, not 403).
NOT_FOUND_TO_OTHERS = {"monitoring.notification_open", "jobs.job_page", "jobs.job_state",
                       "jobs.download", "auth.revoke_token"}


@dataclass
class World:
    users: dict[str, Any]
    ids_a: dict[str, int]
    ids_b: dict[str, int]


def build_world(session: Any) -> World:
    def make_user(role: Role) -> User:
        user: User = UserFactory(role=role)
        session.commit()
        return user

    org = OrganisationFactory()
    programme_a, programme_b = ProgrammeFactory(), ProgrammeFactory()
    project_a = ProjectFactory(programme=programme_a)
    project_b = ProjectFactory(programme=programme_b)
    users = {role.value: make_user(role) for role in Role}
    MemberFactory(user=users["officer"], project=project_a, role=MemberRole.OFFICER)
    MemberFactory(user=users["evaluator"], project=project_a, role=MemberRole.EVALUATOR)
    other_a = MemberFactory(project=project_a, role=MemberRole.OFFICER)
    other_b = MemberFactory(project=project_b, role=MemberRole.OFFICER)
    target = make_user(Role.OFFICER)
    session.commit()
    common = {"org_id": org.id, "user_id": target.id, "filename": "app.css"}
    ids_a = {**common, "programme_id": programme_a.id, "project_id": project_a.id,
             "member_id": other_a.id}
    ids_b = {**common, "programme_id": programme_b.id, "project_id": project_b.id,
             "member_id": other_b.id}
    context = {"project_a": project_a, "project_b": project_b, "users": users}
    # Modules with a higher ORDER build on the records the others made (given as ids_a, ids_b).
    for module in sorted(domain_modules(), key=lambda m: getattr(m, "ORDER", 0)):
        extra_a, extra_b = module.make_ids(session, {**context, "ids_a": ids_a, "ids_b": ids_b})
        ids_a.update(extra_a)
        ids_b.update(extra_b)
    session.commit()
    return World(users=users, ids_a=ids_a, ids_b=ids_b)
