from __future__ import annotations

from functools import cache

import factory

from app.auth.models import Locale, MemberRole, ProjectMember, Role, User
from app.auth.passwords import hash_password
from seed.factories.base import BaseFactory

DEFAULT_PASSWORD = "correct-horse-battery-staple-9"  # noqa: S105 - factory default


@cache
def _default_hash() -> str:
    # Hashed once with the cheap profile; tests log in with the same profile.
    return hash_password(DEFAULT_PASSWORD, "fast")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    role = Role.OFFICER
    locale = Locale.EN
    active = True
    password_hash = factory.LazyFunction(_default_hash)


class MemberFactory(BaseFactory):
    class Meta:
        model = ProjectMember
        exclude = ("project",)

    user = factory.SubFactory(UserFactory)
    # A member row knows its project by id only (auth sits below programmes).
    project = factory.SubFactory("seed.factories.programmes.ProjectFactory")
    project_id = factory.SelfAttribute("project.id")
    role = MemberRole.OFFICER
