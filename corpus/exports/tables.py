"""One file per table, Parquet or CSV: a dataset folder that DuckDB, pandas, polars or Spark
read as it is (``read_parquet('out/posts.parquet')``, ``pd.read_csv('out/comments.csv')``).

Raw page bodies stay out (the WARC export carries them). In CSV, list columns (categories,
tags, seeds) are written as JSON arrays, so they read back unambiguously; times are written
as ``2006-06-08 08:15:00+00`` (UTC).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import duckdb

from corpus.db import sql_literal
from corpus.exports.atomic import atomic_path
from corpus.exports.selection import ExportFilter, select_rows
from corpus.migrations import applied_migrations

__all__ = ["EXPORT_TABLES", "TableFormat", "table_query", "write_tables"]

TableFormat = Literal["parquet", "csv"]
EXPORT_TABLES: tuple[str, ...] = (
    "sites", "posts", "comments", "authors", "links", "pages", "crawls",
)  # fmt: skip
# Columns never exported to table files.
_LEFT_OUT = {"pages": ("body",)}
_ORDER = {
    "sites": "site_id",
    "posts": "site_id, published_at NULLS LAST, post_id",
    "comments": "site_id, post_id, position, comment_id",
    "authors": "site_id, author_id",
    "links": "site_id, post_id, comment_id NULLS FIRST, context, position, link_id",
    "pages": "url",
    "crawls": "started_at, crawl_id",
}
_IN_SITES = "site_id IN (SELECT site_id FROM _export_sites)"
_IN_POSTS = "post_id IN (SELECT post_id FROM _export_posts)"


def _where(table: str, flt: ExportFilter) -> str:
    if table == "sites":
        return _IN_SITES
    if table == "posts":
        return _IN_POSTS
    if table == "crawls":
        return "TRUE"
    if not flt.by_date:
        # Without a date filter, everything of the chosen sites, comments of posts the crawl
        # never reached included.
        return _IN_SITES
    if table == "authors":
        return (
            "author_id IN (SELECT author_id FROM posts WHERE " + _IN_POSTS + " UNION "
            "SELECT author_id FROM comments WHERE " + _IN_POSTS + ")"
        )
    return _IN_POSTS


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
        "AND schema_name = 'main' AND database_name = current_database() "
        "ORDER BY column_index",
        [table],
    ).fetchall()
    left_out = _LEFT_OUT.get(table, ())
    return [(str(n), str(t)) for n, t in rows if n not in left_out]


def table_query(
    conn: duckdb.DuckDBPyConnection, table: str, flt: ExportFilter, fmt: TableFormat
) -> str:
    """The SELECT that exports ``table`` (after ``select_rows``), in its deterministic order."""
    parts = []
    for name, data_type in _columns(conn, table):
        if fmt == "csv" and data_type.endswith("[]"):
            parts.append(f'to_json("{name}")::VARCHAR AS "{name}"')
        else:
            parts.append(f'"{name}"')
    return (
        f"SELECT {', '.join(parts)} FROM {table} WHERE {_where(table, flt)} "
        f"ORDER BY {_ORDER[table]}"
    )


def write_tables(
    conn: duckdb.DuckDBPyConnection,
    out_dir: Path,
    fmt: TableFormat,
    flt: ExportFilter = ExportFilter(),  # noqa: B008 - frozen
) -> dict[str, int]:
    """Write every corpus table to ``out_dir/<table>.<fmt>``; return rows per table.

    A ``manifest.json`` lists the files, their row counts and columns, the schema version and
    the filters, so a reader can check it has the whole dataset.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    select_rows(conn, flt)
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
    counts: dict[str, int] = {}
    manifest_tables: dict[str, object] = {}
    for table in EXPORT_TABLES:
        target = out_dir / f"{table}.{fmt}"
        query = table_query(conn, table, flt, fmt)
        with atomic_path(target) as tmp:
            conn.execute(f"COPY ({query}) TO {sql_literal(str(tmp))} ({options})")
        row = conn.execute(f"SELECT count(*) FROM ({query})").fetchone()
        counts[table] = int(row[0]) if row else 0
        manifest_tables[table] = {
            "file": target.name,
            "rows": counts[table],
            "columns": [name for name, _type in _columns(conn, table)],
        }
    manifest = {
        "format": fmt,
        "schema": applied_migrations(conn),
        "filters": {
            "site": flt.site,
            "since": flt.since.isoformat() if flt.since else None,
            "until": flt.until.isoformat() if flt.until else None,
        },
        "tables": manifest_tables,
    }
    with atomic_path(out_dir / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return counts
