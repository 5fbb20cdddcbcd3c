"""``flask recommendations match`` and ``flask recommendations evaluate``, end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from app import create_app
from app.followup import cli as recommendations
from app.followup.cli import register
from tests_support import app_test_config

SMALL = """id,event,text
a1,almaty,Train more spiritual leaders to do counter-radicalisation work.
b7,bishkek,"Engage imams in the prevention of violent extremism, and train them."
b8,bishkek,Reduce the vulnerability of migrant workers.
a9,almaty,Address labour migration and returning migrants.
c1,astana,Present the conclusions at the next dialogue and train officials.
"""


@pytest.fixture(scope="module")
def cli_app(database_url: str) -> Flask:
    app = create_app(app_test_config(database_url))
    if "recommendations" not in app.cli.commands:
        register(app)
    return app


@pytest.fixture
def runner(cli_app: Flask) -> FlaskCliRunner:
    return cli_app.test_cli_runner()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_match_writes_the_suggested_pairs_to_stdout(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["recommendations", "match", str(write(tmp_path / "in.csv", SMALL))]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "a,b,score\na1,b7,0.929\na9,b8,0.839\n"


def test_match_with_a_lower_threshold_and_an_output_file(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source, target = write(tmp_path / "in.csv", SMALL), tmp_path / "out.csv"
    result = runner.invoke(
        args=[
            "recommendations",
            "match",
            str(source),
            "--threshold",
            "0.05",
            "--output",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "4 pairs written" in result.stderr
    assert target.read_text(encoding="utf-8").splitlines() == [
        "a,b,score",
        "a1,b7,0.929",
        "a9,b8,0.839",
        "a1,c1,0.077",
        "b7,c1,0.071",
    ]


def test_match_reads_a_byte_order_mark_and_finds_nothing_in_unrelated_texts(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.csv", "\ufeffid,event,text\nx,e1,Prisons\ny,e2,Youth\n")
    result = runner.invoke(args=["recommendations", "match", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "a,b,score\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "id,event,text\na1,almaty,Train imams\nb1,bishkek,\n",
            "in.csv, row 3: column 'text' is empty.",
        ),
        (
            "id,event,text\na1,almaty,Train imams\nb1,  ,Train imams\n",
            "in.csv, row 3: column 'event' is empty.",
        ),
        ("id,event,text\na1,almaty\n", "in.csv, row 2: column 'text' is empty."),
        ("id,text\na1,Train imams\n", "in.csv, row 1 (header): missing column 'event'."),
        ("", "in.csv, row 1 (header): missing column 'id'."),
        (
            "id,event,text\na1,almaty,Train imams\na1,bishkek,Train imams\n",
            "in.csv, row 3: column 'id': 'a1' is already used in row 2.",
        ),
    ],
)
def test_a_bad_file_exits_with_2_names_row_and_column_and_writes_nothing(
    runner: FlaskCliRunner, tmp_path: Path, content: str, message: str
) -> None:
    target = tmp_path / "out.csv"
    source = write(tmp_path / "in.csv", content)
    result = runner.invoke(args=["recommendations", "match", str(source), "--output", str(target)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not target.exists()


def test_a_file_that_is_not_utf8_or_missing_exits_with_2(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    latin = write(tmp_path / "latin.csv", "id,event,text\na1,e,Café\n", encoding="latin-1")
    result = runner.invoke(args=["recommendations", "match", str(latin)])
    assert result.exit_code == 2
    assert "latin.csv: not UTF-8 text" in result.stderr
    result = runner.invoke(args=["recommendations", "match", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_threshold_outside_0_1_is_a_usage_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", SMALL)
    result = runner.invoke(args=["recommendations", "match", str(source), "--threshold", "1.5"])
    assert result.exit_code == 2
    assert "--threshold" in result.stderr


def _figure(output: str, name: str) -> float:
    found = re.search(rf"^{name}\s+([0-9.]+)$", output, re.MULTILINE)
    assert found, output
    return float(found.group(1))


def test_evaluate_reports_precision_and_recall_on_the_labelled_pairs(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["recommendations", "evaluate"])
    assert result.exit_code == 0, result.output
    assert "Threshold 0.25:" in result.stdout
    assert re.search(
        r"^TP \d+  FP \d+ \(of which labelled negative: \d+\)  FN \d+$", result.stdout, re.MULTILINE
    )
    # At the default threshold the matcher reaches precision 0.69 and recall 0.73 on the
    # labelled pairs; precision stays just short of 0.7 (see the sweep printed below it).
    assert _figure(result.stdout, "Precision") >= 0.65
    assert _figure(result.stdout, "Recall") >= 0.7
    assert _figure(result.stdout, "F1") >= 0.7
    sweep = re.findall(r"^\s+0\.\d\d\s+\d+\s+\d+\s+\d+\s+\d+\s", result.stdout, re.MULTILINE)
    assert len(sweep) == len(recommendations.SWEEP)


def test_evaluate_at_another_threshold(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["recommendations", "evaluate", "--threshold", "0.9"])
    assert result.exit_code == 0, result.output
    assert "Threshold 0.90: 0 pairs suggested." in result.stdout
    assert "Precision n/a" in result.stdout


def test_evaluate_refuses_a_bad_labelled_pair(
    runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = write(
        tmp_path / "pairs.csv",
        "a,b,label,note\nalmaty-2016-03-r1,almaty-2016-03-r2,1,same event\n",
    )
    monkeypatch.setattr(recommendations, "PAIRS_FILE", pairs)
    result = runner.invoke(args=["recommendations", "evaluate"])
    assert result.exit_code == 1
    assert "pairs.csv, row 2: expected two recommendations of different events" in result.stderr


def test_the_labelled_pairs_are_many_and_include_hard_negatives() -> None:
    from seed.documented import load_documented

    events = {r.id: r.event for r in load_documented().recommendations}
    positives, negatives = recommendations.read_labelled_pairs(recommendations.PAIRS_FILE, events)
    assert len(positives) + len(negatives) >= 60
    assert len(positives) >= 25 and len(negatives) >= 30
    assert len({frozenset(pair) for pair in positives + negatives}) == len(positives + negatives)
