"""Typed access to one TOML record, with errors that name the file, record and field."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from seed.documented.records import (
    Note,
    PartialDate,
    Provenance,
    Reference,
)
from seed.documented.vocabulary import (
    _SLUG,
    COUNTRY_CODES,
    CURRENCIES,
    DOCUMENTS,
    MAX_PASSAGE,
    QUALIFIERS,
)

# --------------------------------------------------------------------------------------------
# Reading and validation
# --------------------------------------------------------------------------------------------


class _Fields:
    """Reads the fields of one raw TOML table and reports problems with their location.

    Every accessor marks its key as read; ``finish`` then rejects keys nobody read, so that a
    misspelt field is an error instead of a silently missing fact.
    """

    def __init__(self, file_name: str, kind: str, raw: object, position: int) -> None:
        self.file_name = file_name
        self.kind = kind
        if not isinstance(raw, dict):
            raise ValueError(f"{file_name}: {kind} #{position}: expected a table")
        self.raw: dict[str, Any] = raw
        self.seen: set[str] = set()
        ident = raw.get("id")
        self.label = f"{kind} {ident!r}" if isinstance(ident, str) else f"{kind} #{position}"

    def error(self, key: str, problem: str) -> ValueError:
        return ValueError(f"{self.file_name}: {self.label}: field {key!r}: {problem}")

    def relabel(self, label: str) -> None:
        self.label = f"{self.kind} {label!r}"

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.raw:
            if required:
                raise self.error(key, "is required")
            return None
        return self.raw[key]

    def text(self, key: str, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "must be non-empty text")
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def slug(self, key: str = "id") -> str:
        value = self.required_text(key)
        if not _SLUG.match(value):
            raise self.error(key, f"{value!r} is not a lower-case slug (a-z, 0-9, hyphens)")
        return value

    def optional_slug(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _SLUG.match(value):
            raise self.error(key, f"{value!r} is not a lower-case slug (a-z, 0-9, hyphens)")
        return value

    def choice(self, key: str, allowed: Iterable[str], required: bool = True) -> str | None:
        value = self.text(key, required)
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            raise self.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def required_choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.choice(key, allowed, required=True)
        assert value is not None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a list of non-empty texts")
        if len(set(value)) != len(value):
            raise self.error(key, "lists an entry twice")
        return tuple(value)

    def choices(self, key: str, allowed: Iterable[str]) -> tuple[str, ...]:
        values = self.texts(key)
        allowed = tuple(allowed)
        for value in values:
            if value not in allowed:
                raise self.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return values

    def country(self, key: str = "country") -> str | None:
        value = self.text(key)
        if value is not None and value not in COUNTRY_CODES:
            raise self.error(key, f"{value!r} is not an ISO 3166-1 alpha-2 code")
        return value

    def countries(self, key: str = "countries") -> tuple[str, ...]:
        return self.choices(key, sorted(COUNTRY_CODES))

    def currency(self, key: str, required: bool = False) -> str | None:
        return self.choice(key, sorted(CURRENCIES), required)

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def number(self, key: str, required: bool = False) -> Decimal | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.error(key, "must be a number")
        number = Decimal(value)
        if not number.is_finite():
            raise self.error(key, "must be a finite number")
        return number

    def integer(self, key: str) -> int:
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.error(key, "must be a whole number of at least 1")
        return value

    def partial_date(self, key: str) -> PartialDate | None:
        value = self._get(key, False)
        if value is None:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def provenance(self, key: str, raw: object) -> Provenance:
        if not isinstance(raw, dict):
            raise self.error(key, "must be a table with document, passage and locator")
        unknown = set(raw) - {"document", "passage", "locator"}
        if unknown:
            raise self.error(key, f"unknown keys {sorted(unknown)}")
        document, passage, locator = raw.get("document"), raw.get("passage"), raw.get("locator")
        for name, value in (("document", document), ("passage", passage), ("locator", locator)):
            if not isinstance(value, str) or not value.strip():
                raise self.error(key, f"{name} must be non-empty text")
        assert isinstance(document, str)
        assert isinstance(passage, str)
        assert isinstance(locator, str)
        if document not in DOCUMENTS:
            raise self.error(key, f"unknown source document {document!r}")
        if len(passage) > MAX_PASSAGE:
            raise self.error(key, f"passage is {len(passage)} characters, over {MAX_PASSAGE}")
        return Provenance(document, passage, locator)

    def sources(self) -> tuple[Provenance, ...]:
        """``source = {...}`` or ``sources = [{...}, ...]``, not both."""
        single = self._get("source", False)
        many = self._get("sources", False)
        if single is not None and many is not None:
            raise self.error("sources", "give either source or sources, not both")
        if single is not None:
            return (self.provenance("source", single),)
        if many is None:
            return ()
        if not isinstance(many, list) or not many:
            raise self.error("sources", "must be a non-empty list of tables")
        return tuple(self.provenance("sources", item) for item in many)

    def notes(self) -> tuple[Note, ...]:
        raw = self._get("notes", False)
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.error("notes", "must be a list of tables")
        notes = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise self.error("notes", "each note needs a text")
            unknown = set(item) - {"text", "source", "sources"}
            if unknown:
                raise self.error("notes", f"unknown keys {sorted(unknown)}")
            sub = _Fields(self.file_name, self.kind, dict(item), 0)
            sub.label = self.label
            sub.seen.add("text")
            notes.append(Note(item["text"], sub.sources()))
        return tuple(notes)

    def reference(self, key: str) -> Reference | None:
        raw = self._get(key, False)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise self.error(key, "must be a table")
        sub = _Fields(self.file_name, self.kind, raw, 0)
        sub.label = f"{self.label} {key}"
        reference = Reference(
            value=_required_number(sub, "value"),
            qualifier=sub.choice("qualifier", QUALIFIERS, required=False),
            date=sub.partial_date("date"),
            note=sub.text("note"),
            sources=sub.sources(),
        )
        sub.finish()
        return reference

    def common(self) -> dict[str, Any]:
        """Provenance, notes and the illustrative flag, which every record kind has."""
        sources = self.sources()
        illustrative = self.flag("illustrative")
        illustrative_note = self.text("illustrative_note")
        if illustrative and illustrative_note is None:
            raise self.error("illustrative_note", "an illustrative record must say why")
        if not illustrative and illustrative_note is not None:
            raise self.error("illustrative_note", "given but the record is not illustrative")
        if not sources and not illustrative:
            raise self.error("source", "a record needs a source or illustrative = true")
        return {
            "sources": sources,
            "notes": self.notes(),
            "illustrative": illustrative,
            "illustrative_note": illustrative_note,
        }

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.seen)
        if unknown:
            raise self.error(unknown[0], "is not a known field")


def _required_number(fields: _Fields, key: str) -> Decimal:
    value = fields.number(key, required=True)
    assert value is not None
    return value
