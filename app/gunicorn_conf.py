"""Gunicorn settings for production: ``gunicorn -c python:app.gunicorn_conf 'app:create_app()'``.

Every setting comes from the environment so that one file serves every host:

- ``WEB_CONCURRENCY``: worker processes (default: two per core plus one, at most 8);
- ``HOST`` and ``PORT``: where to listen (default 127.0.0.1:8000; put a reverse proxy in front);
- ``GUNICORN_TIMEOUT``: seconds a request may take before its worker is replaced (default 60).
"""

from __future__ import annotations

import os
from typing import Any

MAX_DEFAULT_WORKERS = 8


def default_workers(cores: int | None) -> int:
    """Two workers per core plus one, capped: the app waits on the database, not the CPU,
    but each worker holds its own connection pool and memory."""
    return max(1, min(2 * (cores or 1) + 1, MAX_DEFAULT_WORKERS))


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


workers = _int_env("WEB_CONCURRENCY", default_workers(os.cpu_count()))
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{_int_env('PORT', 8000)}"

# A request longer than this is stuck: the worker is killed and replaced. Large documents
# (PDFs of long reports, big imports) run as background jobs, not inside a request.
timeout = _int_env("GUNICORN_TIMEOUT", 60)
# On restart or scale-down, requests in flight get this long to finish.
graceful_timeout = 30
# Keep idle connections from the reverse proxy open a little longer than a page's assets take.
keepalive = 5

# Load the app once in the master and fork the workers from it: faster start, shared memory.
# create_app() disposes of the engine in production, and post_fork below does it again, so no
# database connection opened in the master is ever shared by two processes.
preload_app = True

# Replace each worker after a bounded number of requests (with jitter, so that they do not
# all restart at once) to bound the memory a long-lived process may accumulate.
max_requests = 2000
max_requests_jitter = 200

# Heartbeat files on a memory file system: a slow disk must not make workers look dead.
SHM = "/dev/shm"  # noqa: S108 - a RAM-backed directory for gunicorn's heartbeat files only
if os.path.isdir(SHM):
    worker_tmp_dir = SHM

# No control socket: its default path is one per user, so two servers on a host would share it.
control_socket_disable = True

# Access log on stdout: client, request, status, size, time taken (microseconds), referrer
# and user agent; the process manager collects it with the error log (stderr).
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'


def post_fork(server: Any, worker: Any) -> None:
    """Start each worker with an empty connection pool of its own."""
    wsgi = getattr(getattr(worker, "app", None), "callable", None)
    state = getattr(wsgi, "extensions", {}).get("pvetrack_db")
    if state is not None:
        # close=False: leave any connection inherited from the master to the master.
        state.engine.dispose(close=False)
