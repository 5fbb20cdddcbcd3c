"""The temporary table a values import is staged in, and the set-based statements that
compare the staged rows with the stored values and write them.

Loading uses the fastest path each driver offers inside the open transaction: COPY on
PostgreSQL (psycopg), ``executemany`` on SQLite.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.monitoring.models import DataValue

NAME = "import_value_stage"
FIELDS = ("value", "numerator", "denominator", "text", "comment", "evidence_url")
KEY = ("indicator_id", "period_id", "category_id")

STAGE = sa.Table(
    NAME, sa.MetaData(),
    sa.Column("row_no", sa.Integer), sa.Column("indicator_id", sa.Integer),
    sa.Column("period_id", sa.Integer), sa.Column("category_id", sa.Integer),
    sa.Column("value", sa.Numeric(18, 4)), sa.Column("numerator", sa.Numeric(18, 4)),
    sa.Column("denominator", sa.Numeric(18, 4)), sa.Column("text", sa.Text),
    sa.Column("comment", sa.Text), sa.Column("evidence_url", sa.String(500)),
    prefixes=["TEMPORARY"],
)
COLUMNS = [c.name for c in STAGE.columns]
VALUES: sa.Table = DataValue.__table__  # type: ignore[assignment]


def _qualified(connection: sa.Connection) -> str:
    return f"pg_temp.{NAME}" if connection.dialect.name == "postgresql" else f"temp.{NAME}"


def drop(connection: sa.Connection) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {_qualified(connection)}")


def create(connection: sa.Connection) -> None:
    drop(connection)
    STAGE.create(connection)


def load(connection: sa.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Append ``rows`` (in the order of ``COLUMNS``, numbers as text) to the stage."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {NAME} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in COLUMNS)
    sql = f"INSERT INTO {NAME} VALUES ({marks})"  # noqa: S608 - a constant name and "?" marks
    connection.exec_driver_sql(sql, rows)


def index(connection: sa.Connection) -> list[tuple[int, int]]:
    """Index the staged keys once loaded (cheaper than keeping an index up while loading).

    The index is unique: a file that gives a key twice fails to build it, and then the
    rows at fault are looked up and returned (first row, a later row).
    """
    try:
        with connection.begin_nested():
            connection.exec_driver_sql(
                f"CREATE UNIQUE INDEX ix_{NAME}_key ON {NAME} ({', '.join(KEY)})")
    except sa.exc.IntegrityError:
        return duplicates(connection)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {NAME}")
    return []


def duplicates(connection: sa.Connection, limit: int = 100) -> list[tuple[int, int]]:
    """(first row, a later row) for each key the file gives more than once."""
    query = (sa.select(sa.func.min(STAGE.c.row_no), sa.func.max(STAGE.c.row_no))
             .group_by(*[STAGE.c[k] for k in KEY]).having(sa.func.count() > 1)
             .order_by(sa.func.min(STAGE.c.row_no)).limit(limit))
    return [(first, last) for first, last in connection.execute(query)]


def duplicate_count(connection: sa.Connection) -> int:
    """How many staged rows repeat the key of an earlier row (each key's rows but one)."""
    per_key = (sa.select((sa.func.count() - 1).label("extra")).select_from(STAGE)
               .group_by(*[STAGE.c[k] for k in KEY]).having(sa.func.count() > 1).subquery())
    return int(connection.execute(
        sa.select(sa.func.coalesce(sa.func.sum(per_key.c.extra), 0))).scalar_one())


def _match() -> sa.ColumnElement[bool]:
    return sa.and_(*[VALUES.c[k] == STAGE.c[k] for k in KEY])


def _differs() -> sa.ColumnElement[bool]:
    return sa.or_(*[VALUES.c[f].is_distinct_from(STAGE.c[f]) for f in FIELDS])


def compare(connection: sa.Connection) -> tuple[int, int, int]:
    """How many staged rows are new, would change a stored value, or equal it."""
    def count(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    query = sa.select(
        count(VALUES.c.id.is_(None)),
        count(sa.and_(VALUES.c.id.is_not(None), _differs())),
        count(sa.and_(VALUES.c.id.is_not(None), sa.not_(_differs()))),
    ).select_from(STAGE.outerjoin(VALUES, _match()))
    new, changed, unchanged = connection.execute(query).one()
    return int(new), int(changed), int(unchanged)


def write(connection: sa.Connection, user_id: int | None, now: Any) -> tuple[int, int]:
    """Update the stored values that differ, then insert the new ones (in the order of the
    unique key, which keeps the index cheap to extend); returns (new, changed)."""
    counted = {"preserve_rowcount": True}
    updated = connection.execute(
        sa.update(VALUES).where(_match(), _differs()).values(
            **{f: STAGE.c[f] for f in FIELDS}, version=VALUES.c.version + 1,
            entered_by_id=user_id, entered_at=now).execution_options(**counted))
    names = [*KEY, *FIELDS, "entered_by_id", "entered_at", "version", "illustrative"]
    chosen = sa.select(
        *[STAGE.c[k] for k in KEY], *[STAGE.c[f] for f in FIELDS],
        sa.literal(user_id, sa.Integer()), now, sa.literal(1, sa.Integer()),
        sa.literal(False, sa.Boolean()),
    ).select_from(STAGE.outerjoin(VALUES, _match())).where(VALUES.c.id.is_(None)).order_by(
        *[STAGE.c[k] for k in KEY])
    inserted = connection.execute(
        sa.insert(VALUES).from_select(names, chosen).execution_options(**counted))
    drop(connection)
    return inserted.rowcount, updated.rowcount
