"""The evaluation rubric is a setting: defaults for every level, replaced from JSON."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config


def test_every_scale_has_a_text_for_each_level() -> None:
    rubric = load_config()["EVALUATION_RUBRIC"]
    assert set(rubric) == {"achievement", "data_quality", "criteria"}
    for levels in rubric.values():
        assert sorted(levels) == [1, 2, 3, 4]
        assert all(str(text).strip() for text in levels.values())


def test_the_environment_replaces_single_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATION_RUBRIC", '{"achievement": {"4": " Met, verified "}}')
    rubric = load_config()["EVALUATION_RUBRIC"]
    assert rubric["achievement"][4] == "Met, verified"
    assert str(rubric["achievement"][1]).startswith("Not achieved")


@pytest.mark.parametrize(("raw", "message"), [
    ("not json", "must be a JSON object"),
    ('["a"]', "maps scales to levels"),
    ('{"impact": {"1": "x"}}', "no level '1' of 'impact'"),
    ('{"achievement": {"5": "x"}}', "no level '5'"),
    ('{"achievement": {"2": ""}}', "needs a text"),
])
def test_a_bad_rubric_stops_the_app(monkeypatch: pytest.MonkeyPatch, raw: str,
                                    message: str) -> None:
    monkeypatch.setenv("EVALUATION_RUBRIC", raw)
    with pytest.raises(ConfigError, match=message):
        load_config()


def test_overrides_are_checked_too() -> None:
    with pytest.raises(ConfigError, match="each level 1-4 of criteria"):
        load_config({"EVALUATION_RUBRIC": {"achievement": {1: "a", 2: "b", 3: "c", 4: "d"},
                                           "data_quality": {1: "a", 2: "b", 3: "c", 4: "d"},
                                           "criteria": {1: "a"}}})
