"""The documented dataset loads, holds together, rejects bad data and matches its sources.

The provenance test is the one that matters most: PVE Track's demonstration data claims to be
drawn from the source documents, so every quoted passage must really be in its document and
every number a record states must really be in the passage it cites.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import seed
from seed.documented import (
    DocumentedDataset,
    Event,
    FollowUpAction,
    IndicatorValue,
    PartialDate,
    load_documented,
    number_provenance,
    numbers_in,
    provenance_in,
)

# --------------------------------------------------------------------------------------------
# Helpers: the source folder, passage normalisation and the number-spelling matcher
# --------------------------------------------------------------------------------------------


def sources_dir() -> Path | None:
    """The folder of source documents, if this checkout has it."""
    configured = os.environ.get("PVE_SOURCES_DIR")
    if configured:
        candidate = Path(configured)
    else:
        candidate = Path(seed.__file__).resolve().parents[1] / ".." / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)


def normalise(text: str) -> str:
    """Collapse whitespace and straighten quotes; everything else must match exactly."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_WORD_RUN = re.compile(rf"\b(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*\b", re.IGNORECASE)
_SIGN = r"(?:[-\u2212](?=\d))?"
_GROUPED = re.compile(rf"(?<![\w.]){_SIGN}\d{{1,3}}(?:[,\u00a0\u202f ]\d{{3}})+(?:\.\d+)?(?!\d)")
_PLAIN = re.compile(rf"(?<![\w.]){_SIGN}\d+(?:\.\d+)?(?!\d)")
_SCALED = re.compile(r"(\d+(?:\.\d+)?)\s*(hundred|thousand|million|billion)\b", re.IGNORECASE)


def _words_value(run: str) -> int:
    total = current = 0
    for word in re.findall(r"[a-z]+", run.lower()):
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current


def numbers_spelled_in(text: str) -> set[Decimal]:
    """Every number a passage spells, in the usual ways.

    Digits with or without thousands separators ("23,000", "23 000", "23000"), decimals and
    signs ("-1.653"), digits with a scale word ("450 million"), and English number words up
    to the billions ("thirty-five", "one hundred", "five"). Ambiguous runs such as "650 700"
    yield both readings; a spare reading can only make a match easier, never hide a number.
    """
    found: set[Decimal] = set()
    for pattern in (_GROUPED, _PLAIN):
        for match in pattern.finditer(text):
            cleaned = re.sub(r"[,\u00a0\u202f ]", "", match.group()).replace("\u2212", "-")
            found.add(Decimal(cleaned))
    for match in _SCALED.finditer(text):
        found.add(Decimal(match.group(1)) * _SCALES[match.group(2).lower()])
    for match in _WORD_RUN.finditer(text):
        found.add(Decimal(_words_value(match.group())))
        for word in re.findall(r"[a-z]+", match.group().lower()):
            if word in _UNITS:
                found.add(Decimal(_UNITS[word]))
    return found


@pytest.fixture(scope="module")
def dataset() -> DocumentedDataset:
    return load_documented()


# --------------------------------------------------------------------------------------------
# The dataset loads and holds together
# --------------------------------------------------------------------------------------------


def test_the_dataset_loads_with_every_kind_of_record(dataset: DocumentedDataset) -> None:
    assert dataset.organisations
    assert dataset.events
    assert dataset.recommendations
    assert dataset.follow_up_actions
    assert dataset.programmes
    assert dataset.projects
    assert dataset.results
    assert dataset.indicators
    assert dataset.values
    assert dataset.budget_lines


def test_the_events_the_documents_describe_are_all_there(dataset: DocumentedDataset) -> None:
    ids = {event.id for event in dataset.events}
    assert {
        "ashgabat-2011-11",
        "phase2-media-workshop",
        "phase2-border-management-workshop",
        "phase2-religious-leaders-workshop",
        "astana-2015-09",
        "almaty-2016-03",
        "bishkek-2016-11",
        "kg-round-table-2023",
        "bishkek-2024-me-workshop",
        "tashkent-2023-bioterrorism",
        "dushanbe-2023-07-soft-targets",
        "uzbekistan-2023-12-protect",
        "kazakhstan-2024-03-critical-infrastructure",
    } <= ids


def test_almaty_has_six_recommendations_and_bishkek_fourteen(
    dataset: DocumentedDataset,
) -> None:
    assert [r.number for r in dataset.recommendations_of("almaty-2016-03")] == list(range(1, 7))
    assert [r.number for r in dataset.recommendations_of("bishkek-2016-11")] == list(range(1, 15))


def test_documented_dates_keep_their_precision(dataset: DocumentedDataset) -> None:
    almaty = dataset.event("almaty-2016-03")
    assert (almaty.start, almaty.end) == (PartialDate(2016, 3, 29), PartialDate(2016, 3, 31))
    assert almaty.date_precision == "day"
    assert dataset.event("ashgabat-2011-11").date_precision == "month"
    media = dataset.event("phase2-media-workshop")
    assert media.dates_are_bounds
    assert media.start == PartialDate(2013, 9)
    assert media.date_note


def test_hedged_participant_counts_keep_their_qualifier(dataset: DocumentedDataset) -> None:
    bishkek = dataset.event("bishkek-2016-11")
    assert (bishkek.participants_total, bishkek.participants_qualifier) == (
        Decimal(100),
        "more than",
    )
    assert dataset.event("astana-2015-09").participants_total == 35


def test_references_resolve(dataset: DocumentedDataset) -> None:
    organisations = {o.id for o in dataset.organisations}
    projects = {p.id for p in dataset.projects}
    for event in dataset.events:
        for org in (
            *event.organisers,
            *event.hosts,
            *event.funders,
            *event.participating_organisations,
        ):
            assert org in organisations, (event.id, org)
        assert event.project is None or event.project in projects
    for recommendation in dataset.recommendations:
        dataset.event(recommendation.event)
    for action in dataset.follow_up_actions:
        dataset.recommendation(action.recommendation)
        assert set(action.actor_organisations) <= organisations
    for project in dataset.projects:
        assert set(project.implementers) <= organisations
    for indicator in dataset.indicators:
        dataset.project(indicator.project)
        assert indicator.result_id in {r.id for r in dataset.results}
    for value in dataset.values:
        dataset.indicator(value.indicator)


def test_every_record_has_provenance_or_is_marked_illustrative(
    dataset: DocumentedDataset,
) -> None:
    for _, record in dataset.records():
        assert record.sources or (record.illustrative and record.illustrative_note), record


def test_only_documented_follow_up_counts_as_done(dataset: DocumentedDataset) -> None:
    committee = dataset.actions_of("astana-2015-09-r3")
    assert {a.id: a.state for a in committee} == {
        "astana-2015-09-committee": "done",
        "astana-2015-09-project": "planned",
        "astana-2015-09-donors": "planned",
    }
    (hlpsd,) = dataset.actions_of("bishkek-2016-11-r2")
    assert hlpsd.state == "planned"
    for recommendation in dataset.recommendations_of("almaty-2016-03"):
        assert not dataset.actions_of(recommendation.id)


def test_every_done_action_has_a_date_or_documented_bounds(dataset: DocumentedDataset) -> None:
    for action in dataset.follow_up_actions:
        if action.state == "done":
            assert action.date or (action.not_before and action.not_after), action.id


def test_numbers_in_lists_documented_numbers_only(dataset: DocumentedDataset) -> None:
    assert sorted(numbers_in(dataset.event("astana-2015-09"))) == [2, 35]
    (ratio,) = dataset.values_of("kg-ve-prisoners-share")
    assert sorted(numbers_in(ratio)) == [328, 10436]
    (baseline_holder,) = (i for i in dataset.indicators if i.id == "kg-mosques")
    assert numbers_in(baseline_holder) == [39]
    illustrative = IndicatorValue(
        indicator="x", kind="planned", value=Decimal(5), illustrative=True, illustrative_note="n"
    )
    assert numbers_in(illustrative) == []
    event = Event(id="e", title="t", kind="workshop", cost=Decimal("10.5"), cost_currency="USD")
    assert numbers_in(event) == [Decimal("10.5")]


def test_partial_dates_know_their_bounds() -> None:
    assert PartialDate.parse("2024").first_day == date(2024, 1, 1)
    assert PartialDate.parse("2024-02").last_day == date(2024, 2, 29)
    assert PartialDate.parse(date(2016, 3, 29)).precision == "day"
    assert str(PartialDate.parse("2013-09")) == "2013-09"


# --------------------------------------------------------------------------------------------
# Validation rejects bad data, naming the file, the record and the field
# --------------------------------------------------------------------------------------------

_SRC = (
    'source = { document = "001_436a3518ccd8ed53.txt", passage = "Almaty, Kazakhstan", '
    'locator = "Title page" }'
)

_ORGANISATIONS = f"""
[[organisation]]
id = "unrcca"
name = "UNRCCA"
kind = "un_agency"
{_SRC}
"""

_EVENTS = f"""
[[event]]
id = "almaty"
title = "Workshop"
kind = "workshop"
start = "2016-03-29"
end = "2016-03-31"
date_precision = "day"
organisers = ["unrcca"]
{_SRC}

[[recommendation]]
id = "almaty-r1"
event = "almaty"
number = 1
text = "Do research."
themes = ["research"]
priority = "normal"
status = "not_started"
status_note = "No follow-up is documented."
{_SRC}

[[follow_up]]
id = "almaty-r1-a"
recommendation = "almaty-r1"
kind = "meeting_held"
state = "planned"
date = "2017"
description = "Present it."
{_SRC}
"""

_PROGRAMMES = f"""
[[programme]]
id = "prog"
code = "P"
title = "Programme"
lead_organisation = "unrcca"
{_SRC}

[[project]]
id = "proj"
programme = "prog"
code = "P-1"
title = "Project"
{_SRC}

[[result]]
project = "proj"
code = "1"
level = "goal"
statement = "Something improves."
illustrative = true
illustrative_note = "Our wording."

[[indicator]]
id = "ind"
project = "proj"
result = "1"
code = "1.a"
name = "Count"
type = "output"
measure = "number"
unit = "events"
calculation = "sum"
cumulation = "non_cumulative"
{_SRC}

[[value]]
indicator = "ind"
start = "2022"
end = "2022"
value = 3
kind = "reported"
{_SRC}

[[budget_line]]
id = "budget"
programme = "prog"
description = "Contracts."
amount = 450000000
currency = "KZT"
kind = "contracted"
{_SRC}
"""

_BASE = {
    "organisations.toml": _ORGANISATIONS,
    "events.toml": _EVENTS,
    "programmes.toml": _PROGRAMMES,
}


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def _mutated(file_name: str, old: str, new: str) -> dict[str, str]:
    files = dict(_BASE)
    assert old in files[file_name], old
    files[file_name] = files[file_name].replace(old, new, 1)
    return files


def test_the_minimal_fixture_is_valid(tmp_path: Path) -> None:
    loaded = load_documented(_write(tmp_path, _BASE))
    assert [v.value for v in loaded.values] == [3]
    assert loaded.budget_lines[0].amount == 450_000_000


BAD_DATA = [
    pytest.param(
        _mutated("events.toml", 'organisers = ["unrcca"]', 'organisers = ["nobody"]'),
        r"events\.toml: event 'almaty': field 'organisers': no organisation with id 'nobody'",
        id="unknown-organisation",
    ),
    pytest.param(
        _mutated("events.toml", 'event = "almaty"', 'event = "elsewhere"'),
        r"events\.toml: recommendation 'almaty-r1': field 'event': no event",
        id="unknown-event",
    ),
    pytest.param(
        _mutated("events.toml", 'recommendation = "almaty-r1"', 'recommendation = "almaty-r9"'),
        r"events\.toml: follow_up 'almaty-r1-a': field 'recommendation': no recommendation",
        id="unknown-recommendation",
    ),
    pytest.param(
        _mutated("programmes.toml", 'indicator = "ind"', 'indicator = "gone"'),
        r"programmes\.toml: value 'gone@2022\.\.2022:reported': field 'indicator'",
        id="unknown-indicator",
    ),
    pytest.param(
        _mutated("programmes.toml", 'result = "1"', 'result = "2"'),
        r"programmes\.toml: indicator 'ind': field 'result': no result with id 'proj/2'",
        id="unknown-result",
    ),
    pytest.param(
        _mutated("events.toml", 'kind = "workshop"', 'kind = "picnic"'),
        r"events\.toml: event 'almaty': field 'kind': 'picnic' is not one of",
        id="event-kind-not-allowed",
    ),
    pytest.param(
        _mutated("events.toml", 'themes = ["research"]', 'themes = ["weather"]'),
        r"events\.toml: recommendation 'almaty-r1': field 'themes': 'weather' is not one of",
        id="theme-not-allowed",
    ),
    pytest.param(
        _mutated("events.toml", 'state = "planned"', 'state = "promised"'),
        r"events\.toml: follow_up 'almaty-r1-a': field 'state'",
        id="action-state-not-allowed",
    ),
    pytest.param(
        _mutated(
            "organisations.toml", 'kind = "un_agency"\n', 'kind = "un_agency"\ncountry = "XX"\n'
        ),
        r"organisations\.toml: organisation 'unrcca': field 'country': 'XX' is not an ISO",
        id="country-not-iso",
    ),
    pytest.param(
        _mutated("organisations.toml", _SRC, ""),
        r"organisations\.toml: organisation 'unrcca': field 'source': a record needs a source",
        id="no-provenance",
    ),
    pytest.param(
        _mutated("programmes.toml", 'illustrative_note = "Our wording."\n', ""),
        r"programmes\.toml: result 'proj/1': field 'illustrative_note'",
        id="illustrative-without-note",
    ),
    pytest.param(
        _mutated("events.toml", 'start = "2016-03-29"', 'start = "2016-02-30"'),
        r"events\.toml: event 'almaty': field 'start'",
        id="impossible-date",
    ),
    pytest.param(
        _mutated("events.toml", 'start = "2016-03-29"', 'start = "March 2016"'),
        r"events\.toml: event 'almaty': field 'start': not a date",
        id="unparseable-date",
    ),
    pytest.param(
        _mutated("events.toml", 'end = "2016-03-31"', 'end = "2016-03-01"'),
        r"events\.toml: event 'almaty': field 'end': 2016-03-01 is before",
        id="end-before-start",
    ),
    pytest.param(
        _mutated("events.toml", 'date_precision = "day"', 'date_precision = "month"'),
        r"events\.toml: event 'almaty': field 'date_precision'",
        id="precision-disagrees-with-date",
    ),
    pytest.param(
        _mutated("events.toml", 'date = "2017"\n', ""),
        r"events\.toml: follow_up 'almaty-r1-a': field 'date_note'",
        id="undated-action-without-note",
    ),
    pytest.param(
        _mutated(
            "organisations.toml",
            _ORGANISATIONS,
            _ORGANISATIONS + _ORGANISATIONS,
        ),
        r"organisations\.toml: organisation 'unrcca': field 'id': used twice",
        id="duplicate-id",
    ),
    pytest.param(
        _mutated("events.toml", 'status = "not_started"', 'status = "not_started"\nstatis = "x"'),
        r"events\.toml: recommendation 'almaty-r1': field 'statis': is not a known field",
        id="unknown-field",
    ),
    pytest.param(
        _mutated("organisations.toml", '"Almaty, Kazakhstan"', '"' + "x" * 301 + '"'),
        r"organisations\.toml: organisation 'unrcca': field 'source': passage is 301",
        id="passage-too-long",
    ),
    pytest.param(
        _mutated("organisations.toml", "001_436a3518ccd8ed53.txt", "999_unknown.txt"),
        r"organisations\.toml: organisation 'unrcca': field 'source': unknown source document",
        id="unknown-document",
    ),
    pytest.param(
        _mutated("programmes.toml", 'calculation = "sum"', 'calculation = "ratio"'),
        r"programmes\.toml: indicator 'ind': field 'numerator'",
        id="ratio-without-numerator",
    ),
    pytest.param(
        _mutated("programmes.toml", "value = 3\n", ""),
        r"programmes\.toml: value 'ind@2022\.\.2022:reported': field 'value'",
        id="value-without-number",
    ),
    pytest.param(
        _mutated("programmes.toml", 'start = "2022"\nend = "2022"\n', ""),
        r"programmes\.toml: value 'ind@\?\.\.\?:reported': field 'period_note'",
        id="undocumented-period-without-note",
    ),
    pytest.param(
        _mutated("events.toml", "number = 1", "number = 0"),
        r"events\.toml: recommendation 'almaty-r1': field 'number'",
        id="bad-recommendation-number",
    ),
    pytest.param(
        _mutated("programmes.toml", "amount = 450000000", 'amount = "a lot"'),
        r"programmes\.toml: budget_line 'budget': field 'amount': must be a number",
        id="amount-not-a-number",
    ),
    pytest.param(
        _mutated("programmes.toml", "[[programme]]", "[[programmes]]"),
        r"programmes\.toml: unknown section 'programmes'",
        id="unknown-section",
    ),
    pytest.param(
        _mutated("programmes.toml", "[[programme]]", "[[programme]"),
        r"programmes\.toml: not valid TOML",
        id="invalid-toml",
    ),
]


@pytest.mark.parametrize(("files", "message"), BAD_DATA)
def test_validation_rejects_bad_data(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_documented(_write(tmp_path, files))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    files = dict(_BASE)
    del files["events.toml"]
    with pytest.raises(ValueError, match=r"events\.toml: file not found"):
        load_documented(_write(tmp_path, files))


def test_a_duplicate_recommendation_number_is_rejected(tmp_path: Path) -> None:
    second = _EVENTS.split("[[recommendation]]")[1].split("[[follow_up]]")[0]
    second = second.replace('id = "almaty-r1"', 'id = "almaty-r2"')
    files = dict(_BASE, **{"events.toml": _EVENTS + "\n[[recommendation]]" + second})
    with pytest.raises(ValueError, match=r"recommendation 'almaty-r2': field 'number'"):
        load_documented(_write(tmp_path, files))


# --------------------------------------------------------------------------------------------
# The number matcher, and the provenance test proper
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Kazakhstan blocked 23,000 URLs", "23000"),
        ("blocked 23 000 URLs", "23000"),
        ("blocked 23000 URLs", "23000"),
        ("attended by thirty-five representatives", "35"),
        ("ultimately trained more than 300.", "300"),
        ("Tajikistan\t0.871\t-1.653\t-1.335", "-1.653"),
        ("Kazakhstan 0.000 -2.196 0.000", "0"),
        ("about 450 million tenge", "450000000"),
        ("almost \\$1 million of the USA", "1000000"),
        ("has exceeded over one hundred.", "100"),
        ("five humanitarian operations", "5"),
        ("two hundred and fifty", "250"),
        ("a total of 10,436 prisoners", "10436"),
    ],
)
def test_the_number_matcher_reads_usual_spellings(text: str, number: str) -> None:
    assert Decimal(number) in numbers_spelled_in(text)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Change 2013-2023", "-2023"),
        ("750 events", "75"),
        ("7500 events", "750"),
        ("version 1.5", "5"),
    ],
)
def test_the_number_matcher_does_not_read_numbers_that_are_not_there(
    text: str, number: str
) -> None:
    assert Decimal(number) not in numbers_spelled_in(text)


def _provenance_failures(dataset: DocumentedDataset, documents: dict[str, str]) -> Iterable[str]:
    for file_name, record in dataset.records():
        label = f"{file_name}: {type(record).__name__} {record.id!r}"
        for provenance in provenance_in(record):
            text = documents.get(provenance.document)
            if text is None:
                yield f"{label}: document {provenance.document!r} is missing"
            elif normalise(provenance.passage) not in text:
                yield f"{label}: passage not in {provenance.document}: {provenance.passage!r}"
        spelled: set[Decimal] = set()
        for provenance in number_provenance(record):
            spelled |= numbers_spelled_in(normalise(provenance.passage))
        for number in numbers_in(record):
            if number not in spelled:
                yield f"{label}: number {number} is not in its cited passages"


def test_every_passage_and_number_is_in_its_source(dataset: DocumentedDataset) -> None:
    folder = sources_dir()
    if folder is None:
        pytest.skip("the source documents (shared/seeds or $PVE_SOURCES_DIR) are not present")
    documents = {
        path.name: normalise(path.read_text(encoding="utf-8")) for path in folder.glob("*.txt")
    }
    failures = list(_provenance_failures(dataset, documents))
    assert not failures, "\n".join(failures)


def test_the_provenance_check_catches_a_misquote_and_a_wrong_number(tmp_path: Path) -> None:
    files = _mutated("programmes.toml", "value = 3\n", "value = 4\n")
    files = {
        name: text.replace('"Almaty, Kazakhstan"', '"Almaty, Kazakhstan 3"', 1)
        if name == "organisations.toml"
        else text
        for name, text in files.items()
    }
    loaded = load_documented(_write(tmp_path, files))
    documents = {"001_436a3518ccd8ed53.txt": normalise("Almaty, Kazakhstan // 29-31 March 2016")}
    failures = list(_provenance_failures(loaded, documents))
    assert any("Organisation 'unrcca': passage not in" in f for f in failures)
    assert any("number 4 is not in its cited passages" in f for f in failures)


def test_follow_up_actions_are_records_with_ids(dataset: DocumentedDataset) -> None:
    assert all(isinstance(a, FollowUpAction) and a.id for a in dataset.follow_up_actions)
