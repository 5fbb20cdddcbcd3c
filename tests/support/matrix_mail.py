"""Role matrix rows of e-mail: the digest settings are every signed-in user's own (on the
account page); the unsubscribe page of a signed link works without signing in, for anyone
who holds the link, and changes only the digest of the user it was signed for."""

from __future__ import annotations

from typing import Any

from itsdangerous import URLSafeSerializer

from app.mail.preferences import SALT
from tests_support import TEST_SECRET

A, F, L = "allowed", "forbidden", "login"
PUBLIC = (A, A, A, A, A)
SIGNED_IN = (L, A, A, A, A)

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "mail.digest_save": {"POST": SIGNED_IN},
    "mail.unsubscribe_page": {"GET": PUBLIC},
    "mail.unsubscribe": {"POST": PUBLIC},
}

# Nothing here belongs to a project.
OTHER_PROJECT: list[tuple[str, str]] = []


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    serializer = URLSafeSerializer(TEST_SECRET, salt=SALT)

    def token(role: str) -> dict[str, Any]:
        return {"token": serializer.dumps({"u": world["users"][role].id, "k": "approvals"})}

    return token("manager"), token("officer")
