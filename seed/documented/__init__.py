"""The documented dataset: what the source documents say, as plain, validated records.

PVE Track exists to follow workshop recommendations until something happens. Its demonstration
data must therefore be beyond reproach: every record here rests on a passage of one of the
source documents (``shared/seeds/*.txt``), quoted exactly, and anything that is not documented
(a results-chain statement worded by us, a container that only groups context figures) says so
with ``illustrative = true`` and a note. A figure the documents do not give is left out, never
guessed.

The data lives in three TOML files under ``seed/data``:

``organisations.toml``
    ``[[organisation]]``.
``events.toml``
    ``[[event]]``, ``[[recommendation]]`` (``event = <event id>``) and ``[[follow_up]]``
    (``recommendation = <recommendation id>``).
``programmes.toml``
    ``[[programme]]``, ``[[project]]`` (``programme = <id>``), ``[[result]]``
    (``project = <id>``, ``code = "1.1"``), ``[[indicator]]`` (``project`` and ``result`` code),
    ``[[value]]`` (``indicator = <id>``) and ``[[budget_line]]``.

Conventions the loader into the database can rely on:

* Dates are written ``"YYYY-MM-DD"``, ``"YYYY-MM"`` or ``"YYYY"``; the form is the precision
  the documents give (``PartialDate.precision``). Nothing is padded to a day that is not
  documented; ``first_day``/``last_day`` give the bounds when a full date is required.
* Numbers are ``Decimal`` (TOML floats are read as decimals, so ``0.000`` stays exact).
* A ``qualifier`` ("more than", "about", ...) keeps the documents' hedging next to a number:
  "more than 300" is stored as 300 with qualifier "more than".
* Values of kind ``planned`` are targets for their period; values of kind ``reported`` are
  data values.
* ``aggregate = true`` on a recommendation means the documents say an event made
  recommendations but do not quote them; the record stands for all of them.
* Programme and project ``code`` values are identifiers assigned here; the documents give none.

``load_documented`` validates everything it reads and raises ``ValueError`` naming the file,
the record and the field, because a silently skipped record would make a talk shop look
followed up, or the other way round.
"""

from __future__ import annotations

from seed.documented.numbers import (
    number_provenance,
    numbers_in,
    provenance_in,
)
from seed.documented.reader import load_documented
from seed.documented.records import (
    BudgetLine,
    DocumentedDataset,
    Event,
    FollowUpAction,
    Indicator,
    IndicatorValue,
    Note,
    Organisation,
    PartialDate,
    Programme,
    Project,
    Provenance,
    Recommendation,
    Reference,
    Result,
)
from seed.documented.vocabulary import (
    DATA_DIR,
    DOCUMENT_TITLES,
    DOCUMENTS,
)

__all__ = [
    "DATA_DIR",
    "DOCUMENTS",
    "DOCUMENT_TITLES",
    "BudgetLine",
    "DocumentedDataset",
    "Event",
    "FollowUpAction",
    "Indicator",
    "IndicatorValue",
    "Note",
    "Organisation",
    "PartialDate",
    "Programme",
    "Project",
    "Provenance",
    "Recommendation",
    "Reference",
    "Result",
    "load_documented",
    "number_provenance",
    "numbers_in",
    "provenance_in",
]
