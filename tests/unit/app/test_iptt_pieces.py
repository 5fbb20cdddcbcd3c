"""The IPTT cut into pieces for printing: about so many rows a piece, never between an
indicator and its disaggregation rows, a result heading each piece its rows run on into."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from app.reports.iptt import Group, Row, Table
from indicators.types import Status


def _row(code: str, category: str | None = None) -> Row:
    return Row(indicator=SimpleNamespace(code=code), category=category,  # type: ignore[arg-type]
               baseline=None, lop_target=None, to_date=None, as_of=None, progress=None,
               basis=None, status=Status.NO_DATA, provisional=False, cells=[])


def _shape(table: Table) -> list[tuple[Any, list[str]]]:
    return [(group.result, [row.indicator.code + (f"/{row.category}" if row.category else "")
                            for row in group.rows]) for group in table.groups]


def test_pieces_hold_about_so_many_rows_and_repeat_the_result_they_run_on_in() -> None:
    outcome = [_row(f"1.{n}") for n in range(5)]
    output = [_row(f"2.{n}") for n in range(3)]
    table = Table(None, [], [Group("Outcome 1", outcome), Group("Output 1", output)])
    pieces = table.pieces(3)
    assert [_shape(p) for p in pieces] == [
        [("Outcome 1", ["1.0", "1.1", "1.2"])],
        [("Outcome 1", ["1.3", "1.4"]), ("Output 1", ["2.0"])],
        [("Output 1", ["2.1", "2.2"])],
    ]
    assert all(p.periods is table.periods and p.frequency is None for p in pieces)


def test_an_indicator_keeps_its_disaggregation_rows_in_its_piece() -> None:
    rows = [_row("1"), _row("1", "women"), _row("1", "men"), _row("2"), _row("2", "women")]
    pieces = Table(None, [], [Group(None, rows)]).pieces(2)
    assert [_shape(p) for p in pieces] == [
        [(None, ["1", "1/women", "1/men"])],
        [(None, ["2", "2/women"])],
    ]


def test_a_short_table_is_one_piece_and_an_empty_one_keeps_its_groups() -> None:
    table = Table(None, [], [Group("Goal", [_row("0")])])
    assert [_shape(p) for p in table.pieces(120)] == [[("Goal", ["0"])]]
    empty = Table(None, [], [Group("Goal", [])])
    assert [_shape(p) for p in empty.pieces(120)] == [[("Goal", [])]]
