"""The names of the XLSForm's value questions carry the indicator and category codes, and
the importer reads them back from the headers of either tool's export."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from app.monitoring.imports import xlsform

XFORM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")  # no "-" or "/": the exports' separators


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=20),
       st.text(min_size=1, max_size=20), st.sampled_from(sorted(xlsform.PARTS)))
def test_a_value_name_is_an_xform_name_and_reads_back(code: str, type_code: str,
                                                      category: str, part: str) -> None:
    name = xlsform.value_name(code, type_code, category, part)
    assert XFORM_NAME.fullmatch(name)
    assert xlsform.parse_value_name(name) == (code, type_code, category, part)


def test_names_as_written() -> None:
    assert xlsform.value_name("1.1a", "age_group", "15_24", "value") == \
        "v.1_002e1a.age__group.15__24.value"
    assert xlsform.parse_value_name("v.1_002e1a.age__group.15__24.num") == (
        "1.1a", "age_group", "15_24", "numerator")
    assert xlsform.parse_value_name("female_15_24") is None
    assert xlsform.parse_value_name("v.a.b.c.other") is None
