"""Load test of the production set-up: `make loadtest` (not part of `make test`).

Serves PVE Track as in production (gunicorn with app/gunicorn_conf.py, PostgreSQL, Redis) on a
database filled with the synthetic data at scale, and a bare Flask hello-world under the same
gunicorn settings; then measures each page with wrk, interleaving the page and hello-world runs
so that any drift of the machine hits both alike, and prints per number of connections:
requests per second, the ratio to hello-world, latency percentiles and errors, beside the aims.

    .venv/bin/python tests/load/loadtest.py [--quick] [--pages dashboard,audit] [--fresh] ...

The database (``LOADTEST_DATABASE_URL``, default postgresql://postgres@127.0.0.1:5432/pvetrack_load)
is generated once and reused while it holds the synthetic data of the same scale and seed;
``--fresh`` rebuilds it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
LUA = HERE / "report.lua"
JSON_MARK = "LOADTEST_JSON "

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pvetrack_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
MANAGER_EMAIL = "loadtest-manager@example.org"
MANAGER_PASSWORD = "quarry-lantern-5816-harbour"
SYNTHETIC_PROGRAMMES, SYNTHETIC_EVENTS = 9, 17  # the documented dataset, which --scale multiplies

# The pages measured, in order: name -> path template ({project} is the project with most data).
PAGES: dict[str, str] = {
    "login": "/login",
    "dashboard": "/dashboard",
    "audit": "/audit",
    "evaluation_report": "/evaluation/projects/{project}/report",
    "results": "/projects/{project}/results",
    "followup_events": "/followup/",
    "followup_report": "/followup/report",
    "followup_report_csv": "/followup/report.csv",
    "iptt": "/projects/{project}/iptt",
}
SIGNED_OUT_PAGES = frozenset({"login"})

# Aims of the issue "Fast under load".
RATIO_AIM = 0.25
RATIO_AIM_HEAVY = 0.10
HEAVY_PAGES = frozenset({"followup_report", "followup_events"})
P95_AIM_MS = 200.0
P95_AIM_CONNECTIONS = 32


# --- wrk output and figures (pure) -------------------------------------------------------------

@dataclass(frozen=True)
class WrkRun:
    """One wrk run, as reported by report.lua's done()."""

    requests: int
    duration_us: int
    p50_us: int
    p95_us: int
    p99_us: int
    non_2xx_3xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0


def parse_wrk(stdout: str) -> WrkRun:
    """Read the JSON line report.lua prints at the end of a wrk run."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(JSON_MARK):
            data = json.loads(line[len(JSON_MARK):])
            return WrkRun(
                requests=int(data["requests"]), duration_us=int(data["duration_us"]),
                p50_us=int(data["p50_us"]), p95_us=int(data["p95_us"]),
                p99_us=int(data["p99_us"]), non_2xx_3xx=int(data["non_2xx_3xx"]),
                socket_errors=sum(int(data[k]) for k in
                                  ("connect_errors", "read_errors", "write_errors", "timeouts")))
    raise ValueError("wrk printed no result line; is report.lua loaded?\n" + stdout[-2000:])


@dataclass(frozen=True)
class Figures:
    """The median of several runs of one page (or of hello-world beside it); errors summed."""

    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    runs: int
    requests: int = 0


def combine(runs: Sequence[WrkRun]) -> Figures:
    if not runs:
        raise ValueError("no runs to combine")
    return Figures(
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.p50_us for r in runs) / 1000,
        p95_ms=statistics.median(r.p95_us for r in runs) / 1000,
        p99_ms=statistics.median(r.p99_us for r in runs) / 1000,
        errors=sum(r.non_2xx_3xx + r.socket_errors for r in runs),
        runs=len(runs), requests=sum(r.requests for r in runs))


@dataclass(frozen=True)
class Row:
    page: str
    connections: int
    page_figures: Figures
    hello_figures: Figures

    @property
    def ratio(self) -> float:
        hello = self.hello_figures.rps
        return self.page_figures.rps / hello if hello else 0.0


def ratio_aim(page: str) -> float:
    return RATIO_AIM_HEAVY if page in HEAVY_PAGES else RATIO_AIM


def aims(row: Row) -> list[tuple[str, bool]]:
    """The aims of the issue that apply to a row, each with whether it is met."""
    aim = ratio_aim(row.page)
    if row.page_figures.requests == 0:
        # No request finished within the runs: latencies are unknown, nothing is met.
        return [("requests completed", False)]
    checks = [(f"ratio >= {aim:.2f}", row.ratio >= aim),
              ("no errors", row.page_figures.errors == 0)]
    if row.connections >= P95_AIM_CONNECTIONS:
        checks.append((f"p95 < {P95_AIM_MS:.0f} ms", row.page_figures.p95_ms < P95_AIM_MS))
    return checks


def format_table(rows: Sequence[Row]) -> str:
    """One table for the rows of one number of connections."""
    if not rows:
        return ""
    hello = statistics.median(r.hello_figures.rps for r in rows)
    head = (f"{'page':<20} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>6}  aims")
    lines = [f"{rows[0].connections} connections (hello-world: {hello:.0f} req/s, median)",
             head, "-" * len(head)]
    for r in rows:
        f = r.page_figures
        marks = ", ".join(f"{name} {'pass' if ok else 'MISS'}" for name, ok in aims(r))
        if f.requests == 0:
            lines.append(f"{r.page:<20} {'-':>8} {'-':>6} {'-':>8} {'-':>8} {'-':>8} "
                         f"{f.errors:>6}  {marks}")
            continue
        lines.append(f"{r.page:<20} {f.rps:>8.1f} {r.ratio:>6.3f} {f.p50_ms:>8.1f} "
                     f"{f.p95_ms:>8.1f} {f.p99_ms:>8.1f} {f.errors:>6}  {marks}")
    return "\n".join(lines)


def parse_csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not match:
        raise ValueError("no csrf_token in the sign-in page")
    return match.group(1)


def parse_set_cookies(headers: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Name and value of every Set-Cookie header (attributes such as Secure are ignored: the
    test speaks plain HTTP on loopback to a server configured for HTTPS)."""
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            cookies[key.strip()] = val.strip()
    return cookies


def peak_rss_kb(status_text: str) -> int:
    """VmHWM (peak resident memory) from a /proc/<pid>/status text, in kB."""
    match = re.search(r"^VmHWM:\s+(\d+)\s+kB", status_text, re.MULTILINE)
    return int(match.group(1)) if match else 0


# --- processes ---------------------------------------------------------------------------------

def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        cmd = ["apt-get", "install", "-y", "-q", "wrk"]
    elif shutil.which("sudo"):
        cmd = ["sudo", "-n", "apt-get", "install", "-y", "-q", "wrk"]
    else:
        cmd = []
    if cmd:
        print("Installing wrk:", " ".join(cmd), flush=True)
        update = [*cmd[:cmd.index("install")], "update", "-q"]
        subprocess.run(update, check=False)
        subprocess.run(cmd, check=False)
    found = shutil.which("wrk")
    if not found:
        sys.exit("The load test needs wrk (Debian: apt-get install wrk) and could not install it.")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(FLASK_APP="app", PVE_ENV="production", DATABASE_URL=args.database_url,
               REDIS_URL=args.redis_url, SECRET_KEY=secrets.token_urlsafe(48))
    env.pop("SQL_ECHO", None)
    return env


def flask(args: argparse.Namespace, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(VENV_BIN / "flask"), *argv], cwd=ROOT, env=app_env(args),
                          text=True, capture_output=True, check=False)


def checked_flask(args: argparse.Namespace, *argv: str) -> str:
    done = flask(args, *argv)
    if done.returncode:
        sys.exit(f"flask {' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def connect(url: str) -> Iterator[object]:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        yield conn


def prepare_database(args: argparse.Namespace) -> None:
    parts = urllib.parse.urlsplit(args.database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with connect(admin_url) as conn:
        exists = conn.execute(  # type: ignore[attr-defined]
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and args.fresh:
            print(f"Dropping {name} (--fresh)", flush=True)
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    checked_flask(args, "db", "upgrade")
    prefix = f"SYN{args.seed}-P%"
    with connect(args.database_url) as conn:
        programmes = conn.execute(  # type: ignore[attr-defined]
            "SELECT count(*) FROM programmes WHERE code LIKE %s", (prefix,)).fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[attr-defined]
    want_programmes, want_events = SYNTHETIC_PROGRAMMES * args.scale, SYNTHETIC_EVENTS * args.scale
    if programmes == want_programmes and events >= want_events:
        print(f"Reusing {name}: {programmes} programmes, {events} events "
              f"(scale {args.scale}, seed {args.seed}).", flush=True)
    elif programmes == 0:
        print(f"Generating the synthetic data at scale {args.scale} (takes minutes)...",
              flush=True)
        started = time.monotonic()
        print(checked_flask(args, "seed", "--synthetic", "--scale", str(args.scale),
                            "--random-seed", str(args.seed)).strip())
        print(f"Generated in {time.monotonic() - started:.0f} s.", flush=True)
    else:
        sys.exit(f"{name} holds other data ({programmes} programmes of seed {args.seed}, "
                 f"{events} events; expected {want_programmes} and {want_events}): "
                 "run with --fresh to rebuild it.")
    with connect(args.database_url) as conn:
        has_manager = conn.execute(  # type: ignore[attr-defined]
            "SELECT 1 FROM users WHERE email = %s", (MANAGER_EMAIL,)).fetchone()
    if not has_manager:
        checked_flask(args, "users", "create", "--email", MANAGER_EMAIL, "--name",
                      "Load test manager", "--role", "manager", "--password", MANAGER_PASSWORD)


def busiest_project(args: argparse.Namespace) -> int:
    with connect(args.database_url) as conn:
        row = conn.execute(  # type: ignore[attr-defined]
            "SELECT i.project_id FROM indicators i JOIN data_values v ON v.indicator_id = i.id "
            "GROUP BY i.project_id ORDER BY count(*) DESC, i.project_id LIMIT 1").fetchone()
    if row is None:
        sys.exit("The database holds no indicator values.")
    return int(row[0])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    peak_kb: dict[int, int] = field(default_factory=dict)

    def worker_pids(self) -> list[int]:
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text, re.MULTILINE):
                pids.append(int(status.parent.name))
        return pids

    def sample_memory(self) -> None:
        """Remember each worker's peak; workers are replaced after max_requests, so sample
        after every run rather than once at the end."""
        for pid in self.worker_pids():
            try:
                kb = peak_rss_kb(Path(f"/proc/{pid}/status").read_text())
            except OSError:
                continue
            self.peak_kb[pid] = max(kb, self.peak_kb.get(pid, 0))


def start_server(name: str, target: str, cwd: Path, env: dict[str, str], workers: int,
                 log_dir: Path) -> Server:
    port = free_port()
    env = {**env, "WEB_CONCURRENCY": str(workers), "HOST": "127.0.0.1", "PORT": str(port),
           "PYTHONPATH": str(ROOT)}
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "python:app.gunicorn_conf",
             "--access-logfile", "/dev/null", target],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, port, process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start:\n{log.read_text()[-3000:]}")
        try:
            status, _, _ = request(port, "GET", "/login" if name == "app" else "/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer within 60 s:\n{log.read_text()[-3000:]}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        try:
            os.killpg(server.process.pid, signal.SIGTERM)
            server.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)


# --- HTTP --------------------------------------------------------------------------------------

def request(port: int, method: str, path: str, cookies: dict[str, str] | None = None,
            body: dict[str, str] | None = None) -> tuple[int, list[tuple[str, str]], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def sign_in(port: int) -> dict[str, str]:
    status, headers, html = request(port, "GET", "/login")
    if status != 200:
        raise RuntimeError(f"GET /login answered {status}")
    cookies = parse_set_cookies(headers)
    form = {"email": MANAGER_EMAIL, "password": MANAGER_PASSWORD, "csrf_token": parse_csrf(html)}
    status, headers, _ = request(port, "POST", "/login", cookies, form)
    cookies.update(parse_set_cookies(headers))
    location = dict((k.lower(), v) for k, v in headers).get("location", "")
    if status != 302 or "/login" in location:
        raise RuntimeError(f"sign-in as {MANAGER_EMAIL} failed: {status} {location}")
    return cookies


def check_page(port: int, path: str, cookies: dict[str, str] | None) -> None:
    status, headers, _ = request(port, "GET", path, cookies)
    if status != 200:
        location = dict((k.lower(), v) for k, v in headers).get("location", "")
        raise RuntimeError(f"GET {path} answered {status} {location}".rstrip())


# --- measuring ---------------------------------------------------------------------------------

def run_wrk(wrk: str, port: int, path: str, connections: int, duration: int,
            cookies: dict[str, str] | None) -> WrkRun:
    cmd = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s",
           "--timeout", "30s", "-s", str(LUA)]
    if cookies:
        cmd += ["-H", f"Cookie: {cookie_header(cookies)}"]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    done = subprocess.run(cmd, text=True, capture_output=True, check=False)
    if done.returncode:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse_wrk(done.stdout)


def measure(args: argparse.Namespace, wrk: str, app: Server, hello: Server,
            paths: dict[str, str], cookies: dict[str, str]) -> dict[int, list[Row]]:
    tables: dict[int, list[Row]] = {}
    for connections in args.connections:
        rows = []
        for page, path in paths.items():
            page_cookies = None if page in SIGNED_OUT_PAGES else cookies
            hello_runs, page_runs = [], []
            for _ in range(args.rounds):
                hello_runs.append(run_wrk(wrk, hello.port, "/", connections, args.duration, None))
                hello.sample_memory()
                page_runs.append(run_wrk(wrk, app.port, path, connections, args.duration,
                                         page_cookies))
                app.sample_memory()
            row = Row(page, connections, combine(page_runs), combine(hello_runs))
            print(f"  {connections:>3} conn  {page:<20} {row.page_figures.rps:8.1f} req/s  "
                  f"ratio {row.ratio:.3f}  p95 {row.page_figures.p95_ms:.1f} ms", flush=True)
            rows.append(row)
        tables[connections] = rows
    return tables


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url",
                        default=os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url",
                        default=os.environ.get("LOADTEST_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", default="8,32",
                        type=lambda s: [int(c) for c in s.split(",") if c.strip()])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="runs per page (median taken)")
    parser.add_argument("--pages", type=lambda s: [p.strip() for p in s.split(",") if p.strip()],
                        default=list(PAGES), help=f"subset of: {','.join(PAGES)}")
    parser.add_argument("--quick", action="store_true", help="2 s runs, one round")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    unknown = [p for p in args.pages if p not in PAGES]
    if unknown:
        parser.error(f"unknown pages {unknown}; choose from {', '.join(PAGES)}")
    if args.quick:
        args.duration, args.rounds = 2, 1
    return args


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wrk = ensure_wrk()
    prepare_database(args)
    project = busiest_project(args)
    paths = {p: PAGES[p].format(project=project) for p in args.pages}
    log_dir = Path(tempfile.mkdtemp(prefix="pvetrack-loadtest-"))
    servers: list[Server] = []
    # SIGTERM (and SIGHUP) end the run like Ctrl-C does, so that the servers are stopped.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    try:
        servers.append(start_server("app", "app:create_app()", ROOT, app_env(args),
                                    args.workers, log_dir))
        env = {k: v for k, v in os.environ.items()
               if k not in {"DATABASE_URL", "REDIS_URL", "PVE_ENV"}}
        servers.append(start_server("hello", "hello:app", HERE, env, args.workers, log_dir))
        app, hello = servers
        cookies = sign_in(app.port)
        for page, path in paths.items():
            check_page(app.port, path, None if page in SIGNED_OUT_PAGES else cookies)
        print(f"Measuring {len(paths)} pages (project {project}), {args.duration} s per run, "
              f"{args.rounds} round(s), {args.workers} workers each; logs in {log_dir}",
              flush=True)
        tables = measure(args, wrk, app, hello, paths, cookies)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.sample_memory()
            stop_server(server)
    print()
    for rows in tables.values():
        print(format_table(rows))
        print()
    print("Aims: ratio to hello-world >= 0.25 on every page (>= 0.10 for the follow-up report "
          "and events list); p95 < 200 ms at 32 connections; no errors (non-2xx/3xx, socket).")
    for server in servers:
        peaks = sorted((kb for kb in server.peak_kb.values() if kb), reverse=True)
        print(f"Peak RSS of the {server.name} workers (VmHWM): " + (
            f"{peaks[0] / 1024:.0f} MB at most, median {statistics.median(peaks) / 1024:.0f} MB, "
            f"over {len(peaks)} worker processes (replaced after max_requests)"
            if peaks else "not read"))
    if args.json:
        args.json.write_text(json.dumps({
            "project": project, "scale": args.scale, "duration": args.duration,
            "rounds": args.rounds, "workers": args.workers,
            "tables": {str(c): [{**asdict(r), "ratio": r.ratio,
                                 "aims": dict(aims(r))} for r in rows]
                       for c, rows in tables.items()},
            "peak_rss_kb": {s.name: sorted(s.peak_kb.values(), reverse=True) for s in servers},
        }, indent=2))
        print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
