"""Every interface string is marked, extracted and translated into Russian."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "app" / "translations"


def _ids(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_template_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
         "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
         "--no-location", "-o", str(fresh), "."],
        cwd=ROOT, check=True,
    )
    assert _ids(fresh) == _ids(TRANSLATIONS / "messages.pot"), (
        "run `make messages` and translate the new strings")


def test_every_string_has_a_russian_translation() -> None:
    with (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    assert not catalog.fuzzy
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert _ids(TRANSLATIONS / "messages.pot") <= {m.id for m in catalog if m.id}


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def test_translations_keep_their_placeholders() -> None:
    with (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            if not found <= expected or (len(ids) == 1 and found != expected):
                wrong.append((ids[0], text))
    assert wrong == []
