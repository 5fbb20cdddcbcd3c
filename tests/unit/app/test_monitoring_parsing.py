"""Numbers as officers type them, formula-like cells, and the shape of an XLSX upload."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from app.monitoring.entry import parse_number
from app.monitoring.imports.checks import number_text
from app.monitoring.imports.files import formula_like, unescape


@pytest.mark.parametrize(("raw", "expected"), [
    ("12", Decimal(12)), (" 1 234,5 ", Decimal("1234.5")), ("1\u00a0000", Decimal(1000)),
    ("-3.25", Decimal("-3.25")), ("", None), ("0.0001", Decimal("0.0001")),
])
def test_numbers_as_people_type_them(raw: str, expected: Decimal | None) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [
    ("twelve", "is not a number"), ("1e20", "can be stored"), ("NaN", "can be stored"),
    ("0.00001", "four decimal places"), ("1,234.5.6", "is not a number"),
])
def test_numbers_that_are_refused_say_why(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_number(raw)


def test_staged_numbers_are_plain() -> None:
    assert number_text("1E+3") == "1000"
    assert number_text("2,5") == "2.5"


@pytest.mark.parametrize(("text", "formula"), [
    ("=1+1", True), ("+cmd", True), ("@SUM(A1)", True), ("-x", True), ("\tx", True),
    ("-5", False), ("+5", False), ("-2,5", False), ("note = fine", False), ("", False),
])
def test_formula_like_cells(text: str, formula: bool) -> None:
    assert formula_like(text) is formula


def test_escaped_text_of_the_templates_comes_back_as_it_was() -> None:
    assert unescape("'=x") == "=x"
    assert unescape("'quoted'") == "'quoted'"


def test_zip_check_needs_a_workbook() -> None:
    from app.monitoring.imports.files import FileRefused, check_zip

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileRefused):
        check_zip(output, "letter.xlsx")
