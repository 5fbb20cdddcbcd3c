"""The e-mail digest: what waits for each user, across the domains, once a day or a week.

It reads what the other packages already compute (the task list of data collection, the
recommendations coming due, the follow-up verdict of each event) and says it in an e-mail,
through ``app.mail``. It sits at the top of the layers, beside the app factory: it reads every
domain and no domain reads it.
"""

from __future__ import annotations

import functools

from flask import Flask


def register(app: Flask) -> None:
    """Register the digest's kinds (each can be turned off) and its producer, which
    ``flask notify send-due`` runs."""
    from app.digest import compose, send
    from app.mail import due, preferences

    for kind, label in compose.KIND_LABELS.items():
        preferences.register_kind(kind, label, functools.partial(compose.applies, kind))
    due.register("digests", send.send_digests)
