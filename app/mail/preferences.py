"""What e-mail a user wants: how often their digest comes, which of its kinds they turned off,
and the signed links that turn a kind off without signing in.

The kinds are registered by the package that writes the digest (``register_kind``); this
module keeps them as plain names. ``DIGEST`` is the digest as a whole: unsubscribing from it
turns the digest off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.errors import STALE_MESSAGE, ServiceError, StaleEdit
from app.mail.models import DigestFrequency, DigestPreference

DIGEST = "digest"
SALT = "pvetrack-mail-unsubscribe"
DEFAULT_FREQUENCY = DigestFrequency.WEEKLY

#: kind -> its name for people, in the order the settings and the digest show them
KINDS: dict[str, Any] = {}
#: kind -> whether it can concern a user of a given role
_APPLIES: dict[str, Callable[[Any], bool]] = {}


def register_kind(kind: str, label: Any, applies: Callable[[Any], bool] | None = None) -> None:
    """Add a kind of digest item; ``applies(role)`` says which users it can concern."""
    KINDS[kind] = label
    _APPLIES[kind] = applies or (lambda _role: True)


def kinds_for(role: Any) -> dict[str, Any]:
    """The kinds that can concern a user of this role, with their names, in order."""
    return {kind: label for kind, label in KINDS.items() if _APPLIES[kind](role)}


def kind_label(kind: str) -> Any:
    if kind == DIGEST:
        return _l("The e-mail digest")
    return KINDS.get(kind, kind)


@dataclass(frozen=True)
class Choice:
    frequency: DigestFrequency
    muted: frozenset[str]
    version: int  # 0: the user has never changed the defaults

    def wants(self, kind: str) -> bool:
        return self.frequency is not DigestFrequency.OFF and kind not in self.muted


def of(session: Session, user_id: int) -> Choice:
    pref = find(session, user_id)
    if pref is None:
        return Choice(DEFAULT_FREQUENCY, frozenset(), 0)
    return Choice(pref.frequency, frozenset(pref.muted or ()), pref.version)


def find(session: Session, user_id: int) -> DigestPreference | None:
    from sqlalchemy import select

    return session.scalar(select(DigestPreference).where(DigestPreference.user_id == user_id))


def ensure(session: Session, user_id: int) -> DigestPreference:
    pref = find(session, user_id)
    if pref is None:
        pref = DigestPreference(user_id=user_id, frequency=DEFAULT_FREQUENCY, muted=[])
        session.add(pref)
        session.flush()
    return pref


def _current(pref: DigestPreference | None) -> dict[str, Any]:
    if pref is None:
        return {}
    return {"frequency": pref.frequency.value, "kinds": [k for k in KINDS
                                                         if k not in (pref.muted or ())]}


def save(session: Session, actor: Actor, user_id: int, *, frequency: DigestFrequency,
         wanted: list[str], version: int, offered: Iterable[str] | None = None,
         ) -> DigestPreference:
    """Set how often the user's digest comes and which kinds it carries. ``version`` is the
    one the form was rendered with (0: no settings saved yet); an older one is refused.

    ``offered`` are the kinds the user was asked about (all of them by default): those not
    ``wanted`` are turned off, and the others keep their setting, so that a kind kept from
    a user of another role is as they left it if their role changes."""
    asked = set(KINDS if offered is None else offered)
    unknown = [k for k in wanted if k not in asked or k not in KINDS]
    if unknown:
        raise ServiceError(_l("Unknown kind of e-mail: %(kind)s.", kind=", ".join(unknown)),
                           "kinds")
    pref = find(session, user_id)
    if (pref.version if pref else 0) != version:
        raise StaleEdit(STALE_MESSAGE, _current(pref))
    pref = pref or ensure(session, user_id)
    kept = {k for k in (pref.muted or ()) if k not in asked}
    muted = sorted(kept | {k for k in asked if k not in wanted})
    changes = audit.apply_changes(pref, {"frequency": frequency, "muted": muted})
    if changes:
        audit.record(session, actor, "mail.preferences", "digest_preference", pref.id, changes)
    session.commit()
    return pref


def unsubscribe(session: Session, actor: Actor, user_id: int, kind: str) -> bool:
    """Turn one kind off (or, for ``DIGEST``, the whole digest). Returns whether anything
    changed; the other kinds stay as they were."""
    pref = ensure(session, user_id)
    if kind == DIGEST:
        values: dict[str, Any] = {"frequency": DigestFrequency.OFF}
    else:
        values = {"muted": sorted({*(pref.muted or ()), kind})}
    changes = audit.apply_changes(pref, values)
    if changes:
        audit.record(session, actor, "mail.unsubscribe", "digest_preference", pref.id,
                     {"kind": kind, **changes}, reason="signed unsubscribe link")
    session.commit()
    return bool(changes)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kind: str) -> str:
    return str(_serializer().dumps({"u": user_id, "k": kind}))


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a link this app signed; None for anything else."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    kind = data.get("k")
    if kind != DIGEST and kind not in KINDS:
        return None
    return data["u"], kind


def unsubscribe_url(user_id: int, kind: str) -> str:
    return f"{current_app.config['BASE_URL']}/unsubscribe/{make_token(user_id, kind)}"


def list_unsubscribe_headers(user_id: int, kind: str = DIGEST) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that posts at once."""
    return {"List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
