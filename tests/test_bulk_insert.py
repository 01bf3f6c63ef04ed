"""``bulk_insert``: a few rows go in as a VALUES list, many as an Arrow table; both must store
exactly the same values, and both must take the upsert and the UPDATE the writer uses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest

from corpus.store import _VALUES_MAX_ROWS, bulk_insert, bulk_insert_view

COLUMNS = ("key", "number", "body", "terms", "seen_at", "note")
PARIS = timezone(timedelta(hours=1))


@pytest.fixture
def conn() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    # Not UTC: a naive time must still be stored as its wall-clock reading in UTC.
    connection.execute("SET TimeZone = 'America/New_York'")
    connection.execute(
        "CREATE TABLE t (key VARCHAR PRIMARY KEY, number BIGINT, body BLOB, terms VARCHAR[],"
        " seen_at TIMESTAMPTZ, note VARCHAR)"
    )
    yield connection
    connection.close()


def sample_rows(count: int) -> list[list[object]]:
    """Rows mixing every kind of value the corpus writes, NULLs and empty lists included."""
    rows: list[list[object]] = []
    for i in range(count):
        rows.append(
            [
                f"https://blog.example/{i}",
                None if i % 3 == 0 else 10**12 + i,
                None if i % 4 == 0 else bytes([0, 255, i % 256]) * 50,
                [] if i % 2 else ["tag", f"t{i}"],
                # aware in another zone, naive, and absent
                [datetime(2006, 5, 1, 12, i % 60, tzinfo=PARIS), datetime(2006, 5, 1, 12, 0), None][
                    i % 3
                ],
                "é\u200dx" if i % 5 == 0 else None,
            ]
        )
    return rows


def stored(conn: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM t ORDER BY key").fetchall()


def expected(rows: list[list[object]]) -> list[tuple[object, ...]]:
    def utc(value: object) -> object:
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value

    return sorted(tuple(utc(v) for v in row) for row in rows)


@pytest.mark.parametrize("count", [1, _VALUES_MAX_ROWS, _VALUES_MAX_ROWS + 1, 300])
def test_every_value_is_stored_as_given(conn: duckdb.DuckDBPyConnection, count: int) -> None:
    rows = sample_rows(count)
    bulk_insert(conn, "t", COLUMNS, rows)
    assert stored(conn) == expected(rows)


@pytest.mark.parametrize("count", [3, 40])
def test_upsert_keeps_new_rows_and_updates_stored_ones(
    conn: duckdb.DuckDBPyConnection, count: int
) -> None:
    first = sample_rows(count)
    bulk_insert(conn, "t", COLUMNS, first[: count // 2])
    changed = [[*row[:5], "changed"] for row in first]
    bulk_insert(conn, "t", COLUMNS, changed, "ON CONFLICT (key) DO UPDATE SET note = excluded.note")
    assert stored(conn) == expected(changed)


@pytest.mark.parametrize("count", [2, 40])
def test_update_from_the_rows(conn: duckdb.DuckDBPyConnection, count: int) -> None:
    rows = sample_rows(count)
    bulk_insert(conn, "t", COLUMNS, rows)
    marks = [[row[0], f"mark {i}"] for i, row in enumerate(rows) if i % 2 == 0]
    bulk_insert_view(
        conn,
        "marks",
        ("key", "note"),
        marks,
        "UPDATE t SET note = marks.note FROM marks WHERE t.key = marks.key",
    )
    notes = dict(conn.execute("SELECT key, note FROM t").fetchall())
    for i, row in enumerate(rows):
        assert notes[row[0]] == (f"mark {i}" if i % 2 == 0 else row[5])
