"""The packages of app/ import one way, no modules import each other in a circle, the pure
core imports nothing of the app, and the URLs stay where users and bookmarks expect them."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from layers import PACKAGE_LAYERS, import_cycles, imports, layer_violations

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"


def test_no_package_imports_one_above_it() -> None:
    assert [str(v) for v in layer_violations(APP)] == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert import_cycles(APP) == []


def test_the_computation_core_imports_nothing_of_the_app() -> None:
    for path in sorted((ROOT / "indicators").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "from app" not in text and "import app" not in text, path


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "app"


def test_the_check_reports_a_lower_package_importing_a_higher_one(tmp_path: Path) -> None:
    app = _write(tmp_path, {
        "app/__init__.py": "",
        "app/frameworks/__init__.py": "",
        "app/frameworks/models.py": "from app.monitoring.models import DataValue\n",
        "app/monitoring/__init__.py": "",
        "app/monitoring/models.py": "from app.frameworks.models import Indicator\n",
    })
    found = [(v.source, v.target, v.line) for v in layer_violations(app)]
    assert found == [("app.frameworks.models", "app.monitoring.models", 1)]


def test_the_check_counts_imports_for_type_checking_and_inside_functions(tmp_path: Path) -> None:
    app = _write(tmp_path, {
        "app/__init__.py": "",
        "app/auth/__init__.py": "",
        "app/auth/models.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from app.programmes.models import Project\n"
            "def load():\n"
            "    from app.reports import views\n"),
        "app/programmes/__init__.py": "",
        "app/programmes/models.py": "",
        "app/reports/__init__.py": "",
        "app/reports/views.py": "",
    })
    assert sorted((v.target, v.line) for v in layer_violations(app)) == [
        ("app.programmes.models", 3), ("app.reports.views", 5)]


def test_the_check_refuses_peers_and_unplaced_packages(tmp_path: Path) -> None:
    app = _write(tmp_path, {
        "app/__init__.py": "",
        "app/evaluation/__init__.py": "from app.followup import links\n",
        "app/followup/__init__.py": "",
        "app/followup/links.py": "",
        "app/newthing/__init__.py": "from app.db import db\n",
        "app/db.py": "",
    })
    reasons = sorted(v.reason for v in layer_violations(app))
    assert reasons == ["app.newthing has no layer: place it in tests/architecture",
                       "evaluation and followup are peers"]


def test_the_check_finds_a_circle_through_a_relative_import(tmp_path: Path) -> None:
    app = _write(tmp_path, {
        "app/__init__.py": "",
        "app/followup/__init__.py": "",
        "app/followup/views.py": "from flask import Blueprint\nbp = Blueprint('f', __name__)\n"
                                 "from . import views_report\n",
        "app/followup/views_report.py": "from app.followup.views import bp\n",
        "app/followup/blueprint.py": "",
    })
    assert import_cycles(app) == [["app.followup.views", "app.followup.views_report"]]


def test_every_package_of_the_app_has_a_layer() -> None:
    packages = {path.parent.name for path in APP.glob("*/__init__.py")}
    assert packages == set(PACKAGE_LAYERS)


def test_the_imports_read_are_the_real_ones() -> None:
    """A guard on the reader itself: a few imports the app is known to make."""
    edges = {(i.source, i.target) for i in imports(APP)}
    assert ("app.frameworks.views", "app.frameworks.blueprint") in edges
    assert ("app.reports.views", "app.reports.results") in edges
    assert ("app.monitoring.models", "app.frameworks.models") in edges


@pytest.fixture
def url_map(app: Flask) -> list[str]:
    return sorted(f"{rule.rule} {','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))}"
                  for rule in app.url_map.iter_rules())


def test_the_urls_stay_the_same(url_map: list[str]) -> None:
    """tests/architecture/url_map.txt is the URL map before the packages moved; a new page adds
    its line there, a moved or removed one is a decision to make on purpose."""
    expected = (Path(__file__).parent / "url_map.txt").read_text().splitlines()
    assert url_map == expected
