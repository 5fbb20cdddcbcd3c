"""The pure parts of the load test (tests/load/loadtest.py): reading wrk's result line,
combining runs, the aims and the table. wrk itself is not run here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

LOADTEST = Path(__file__).resolve().parents[1] / "load" / "loadtest.py"


def _load():
    spec = importlib.util.spec_from_file_location("pvetrack_loadtest", LOADTEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


lt = _load()

WRK_STDOUT = """Running 10s test @ http://127.0.0.1:8000/audit
  2 threads and 8 connections
Requests/sec:    250.00
LOADTEST_JSON {"requests": 2500, "duration_us": 10000000, "bytes": 1, "p50_us": 30000, \
"p95_us": 90000, "p99_us": 150000, "max_us": 200000, "non_2xx_3xx": 3, "connect_errors": 1, \
"read_errors": 2, "write_errors": 0, "timeouts": 4}
"""


def run(requests=1000, duration_us=10_000_000, p50=1000, p95=2000, p99=3000, status=0, sock=0):
    return lt.WrkRun(requests=requests, duration_us=duration_us, p50_us=p50, p95_us=p95,
                     p99_us=p99, non_2xx_3xx=status, socket_errors=sock)


def test_parse_wrk_reads_the_result_line():
    result = lt.parse_wrk(WRK_STDOUT)
    assert result.requests == 2500
    assert result.rps == pytest.approx(250.0)
    assert (result.p50_us, result.p95_us, result.p99_us) == (30000, 90000, 150000)
    assert result.non_2xx_3xx == 3
    assert result.socket_errors == 7  # connect 1 + read 2 + write 0 + timeouts 4


def test_parse_wrk_without_the_result_line_fails():
    with pytest.raises(ValueError, match="no result line"):
        lt.parse_wrk("Running 10s test\nRequests/sec: 12\n")


def test_combine_takes_medians_and_sums_errors():
    figures = lt.combine([run(requests=1000, p95=50_000, status=1),
                          run(requests=3000, p95=10_000, sock=2),
                          run(requests=2000, p95=30_000)])
    assert figures.rps == pytest.approx(200.0)
    assert figures.p95_ms == pytest.approx(30.0)
    assert figures.errors == 3
    assert figures.requests == 6000
    with pytest.raises(ValueError, match="no runs"):
        lt.combine([])


def row(page, connections, page_rps, hello_rps, p95_ms=10.0, errors=0, requests=100):
    def figures(rps):
        return lt.Figures(rps=rps, p50_ms=1.0, p95_ms=p95_ms, p99_ms=p95_ms, errors=errors,
                          runs=1, requests=requests)
    return lt.Row(page, connections, figures(page_rps), figures(hello_rps))


def test_aims_ratio_thresholds_differ_for_the_heavy_pages():
    assert row("audit", 8, 240, 1000).ratio == pytest.approx(0.24)
    assert dict(lt.aims(row("audit", 8, 240, 1000))) == {
        "ratio >= 0.25": False, "no errors": True}
    assert dict(lt.aims(row("audit", 8, 260, 1000)))["ratio >= 0.25"] is True
    assert dict(lt.aims(row("followup_report", 8, 120, 1000))) == {
        "ratio >= 0.10": True, "no errors": True}
    assert dict(lt.aims(row("followup_events", 8, 90, 1000)))["ratio >= 0.10"] is False


def test_aims_latency_only_at_32_connections_and_errors_count():
    assert "p95 < 200 ms" not in dict(lt.aims(row("audit", 8, 500, 1000, p95_ms=900)))
    assert dict(lt.aims(row("audit", 32, 500, 1000, p95_ms=199.9)))["p95 < 200 ms"] is True
    assert dict(lt.aims(row("audit", 32, 500, 1000, p95_ms=200.0)))["p95 < 200 ms"] is False
    assert dict(lt.aims(row("audit", 32, 500, 1000, errors=1)))["no errors"] is False


def test_a_page_without_completed_requests_meets_no_aim():
    assert lt.aims(row("audit", 32, 0, 1000, p95_ms=0.0, requests=0)) == [
        ("requests completed", False)]


def test_table_lists_each_page_with_its_marks():
    text = lt.format_table([row("login", 32, 600, 1000, p95_ms=50),
                            row("followup_report", 32, 50, 1000, p95_ms=700)])
    lines = text.splitlines()
    assert lines[0].startswith("32 connections (hello-world: 1000 req/s")
    login = next(line for line in lines if line.startswith("login"))
    report = next(line for line in lines if line.startswith("followup_report"))
    assert "0.600" in login and "p95 < 200 ms pass" in login
    assert "0.050" in report and "ratio >= 0.10 MISS" in report and "p95 < 200 ms MISS" in report
    assert lt.format_table([]) == ""


def test_cookies_csrf_and_peak_memory_are_read():
    headers = [("Content-Type", "text/html"),
               ("Set-Cookie", "pvetrack_session=abc.def; Secure; HttpOnly; Path=/; SameSite=Lax"),
               ("set-cookie", "lang=en; Path=/")]
    assert lt.parse_set_cookies(headers) == {"pvetrack_session": "abc.def", "lang": "en"}
    html = '<input id="csrf_token" name="csrf_token" type="hidden" value="tok.123-x">'
    assert lt.parse_csrf(html) == "tok.123-x"
    with pytest.raises(ValueError, match="no csrf_token"):
        lt.parse_csrf("<form></form>")
    status = "Name:\tgunicorn\nVmPeak:\t  900 kB\nVmHWM:\t  185432 kB\nVmRSS:\t  1000 kB\n"
    assert lt.peak_rss_kb(status) == 185432
    assert lt.peak_rss_kb("Name:\tx\n") == 0


def test_gunicorn_default_workers_follow_the_cores_with_a_cap():
    from app import gunicorn_conf

    assert gunicorn_conf.default_workers(1) == 3
    assert gunicorn_conf.default_workers(2) == 5
    assert gunicorn_conf.default_workers(64) == gunicorn_conf.MAX_DEFAULT_WORKERS == 8
    assert gunicorn_conf.default_workers(None) == 3
