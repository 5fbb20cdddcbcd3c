"""Settings of the results frameworks: report due days and status bands."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.config import ConfigError, load_config


def test_defaults_and_overrides_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config({"ENV": "testing"})
    assert config["REPORT_DUE_DAYS"] == 30
    assert config["SUGGEST_BACKGROUND_RECOMMENDATIONS"] == 500
    assert (config["STATUS_ON_TRACK"], config["STATUS_AT_RISK"]) == (Decimal("0.9"),
                                                                      Decimal("0.6"))
    monkeypatch.setenv("REPORT_DUE_DAYS", "15")
    monkeypatch.setenv("STATUS_ON_TRACK", "0.8")
    monkeypatch.setenv("SUGGEST_BACKGROUND_RECOMMENDATIONS", "0")
    config = load_config({"ENV": "testing"})
    assert config["SUGGEST_BACKGROUND_RECOMMENDATIONS"] == 0
    assert config["REPORT_DUE_DAYS"] == 15 and config["STATUS_ON_TRACK"] == Decimal("0.8")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("REPORT_DUE_DAYS", "-1", "REPORT_DUE_DAYS must not be negative"),
    ("STATUS_AT_RISK", "0.95", "STATUS_ON_TRACK must be above STATUS_AT_RISK"),
    ("STATUS_ON_TRACK", "lots", "STATUS_ON_TRACK must be a number"),
    ("SUGGEST_BACKGROUND_RECOMMENDATIONS", "-1",
     "SUGGEST_BACKGROUND_RECOMMENDATIONS must be zero or more"),
    ("IMPORT_BACKGROUND_ROWS", "-5", "IMPORT_BACKGROUND_ROWS must be zero or more"),
])
def test_bad_settings_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                  message: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_config({"ENV": "testing"})


def test_a_pair_model_file_is_checked_when_the_app_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from indicators import pairscore

    bad = tmp_path / "model.toml"
    bad.write_text('features = ["cosine"]\n', encoding="utf-8")
    for path, message in ((tmp_path / "missing.toml", "missing.toml: .*No such file"),
                          (bad, "'features' does not list")):
        monkeypatch.setenv("PAIR_MODEL_FILE", str(path))
        with pytest.raises(ConfigError, match=message):
            load_config({"ENV": "testing"})
    good = tmp_path / "good.toml"
    good.write_text(pairscore.dump_model(pairscore.load_model()), encoding="utf-8")
    monkeypatch.setenv("PAIR_MODEL_FILE", str(good))
    assert load_config({"ENV": "testing"})["PAIR_MODEL_FILE"] == str(good)
