"""What ``flask notify send-due`` runs: the producers of scheduled e-mail.

A producer is ``producer(session, now) -> int``: it queues the messages that are due at
``now`` (through ``services.queue_message``, whose dedupe keys make a second run send nothing
twice) and returns how many it queued. Each producer runs in a transaction of its own: one
that fails is rolled back and reported, and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Producer = Callable[[Session, datetime], int]
PRODUCERS: dict[str, Producer] = {}


def register(name: str, producer: Producer) -> None:
    """Add (or replace) the producer called ``name``."""
    PRODUCERS[name] = producer


@dataclass
class RunResult:
    queued: dict[str, int]
    failed: dict[str, str]


def run_all(session: Session, now: datetime) -> RunResult:
    result = RunResult(queued={}, failed={})
    for name, producer in sorted(PRODUCERS.items()):
        try:
            result.queued[name] = producer(session, now)
            session.commit()
        except Exception as exc:  # one producer's failure must not stop the others
            session.rollback()
            log.exception("producer %s failed", name)
            result.failed[name] = f"{type(exc).__name__}: {exc}"
    return result
