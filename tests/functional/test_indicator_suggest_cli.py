"""``flask indicators suggest-evaluate``, end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from app import create_app
from tests_support import app_test_config


@pytest.fixture(scope="module")
def cli_app(database_url: str) -> Flask:
    return create_app(app_test_config(database_url))


@pytest.fixture
def runner(cli_app: Flask) -> FlaskCliRunner:
    return cli_app.test_cli_runner()


def _row(output: str, name: str) -> tuple[int, int, float]:
    match = re.search(rf"^{re.escape(name)}\s+(\d+)\s+(\d+)\s+(\d\.\d\d)$", output, re.MULTILINE)
    assert match, output
    return int(match.group(1)), int(match.group(2)), float(match.group(3))


def test_prints_recall_at_five_overall_per_language_and_held_out(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["indicators", "suggest-evaluate"])
    assert result.exit_code == 0, result.output
    header = re.search(r"^(\d+) statements, (\d+) labelled", result.output, re.MULTILINE)
    assert header and int(header.group(2)) >= 40
    assert "recall@5" in result.output
    english, russian, overall = (_row(result.output, n) for n in ("en", "ru", "all"))
    assert english[0] > 0 and russian[0] > 0
    assert overall[0] == english[0] + russian[0] == int(header.group(2))
    assert overall[1] == english[1] + russian[1]
    assert overall[2] == pytest.approx(overall[1] / overall[0], abs=0.005)
    assert overall[2] >= 0.8 and english[2] >= 0.8 and russian[2] >= 0.8
    held_out = _row(result.output, "held-out")
    assert held_out[0] >= 10 and held_out[2] >= 0.8
    assert "No suitable bank indicator: " in result.output


def test_fewer_suggestions_count_fewer_hits(runner: FlaskCliRunner) -> None:
    five = _row(runner.invoke(args=["indicators", "suggest-evaluate"]).output, "all")
    one = _row(runner.invoke(args=["indicators", "suggest-evaluate", "-k", "1"]).output, "all")
    assert one[0] == five[0] and one[1] < five[1]


def test_a_bad_labelled_file_is_refused_by_row(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("id,language,level,statement,suitable,source\n"
                    "a,en,output,Youth trained,PVE-YTH-01,ours\n"
                    "b,en,output,Women trained,PVE-WMN-99,ours\n", encoding="utf-8")
    result = runner.invoke(args=["indicators", "suggest-evaluate", "--file", str(path)])
    assert result.exit_code == 1
    assert "cases.csv, row 3: code(s) not in the bank: PVE-WMN-99" in result.output
