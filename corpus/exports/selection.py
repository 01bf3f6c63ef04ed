"""Which rows an export holds: the site and date filters, as temporary tables of ids.

The selection is materialized once (temporary tables work on read-only corpora and snapshots
too), so every table file of one export agrees on the same posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from corpus.export import post_filter

__all__ = ["ExportFilter", "select_rows"]


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportFilter:
    """Only one site (host or site_id), only posts published in [since, until]."""

    site: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def by_date(self) -> bool:
        return self.since is not None or self.until is not None


def select_rows(conn: duckdb.DuckDBPyConnection, flt: ExportFilter) -> None:
    """Fill the temporary tables ``_export_sites`` and ``_export_posts`` for ``flt``."""
    where, params = post_filter(flt.site, flt.since, flt.until)
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE _export_posts AS SELECT post_id FROM posts WHERE {where}",
        params,
    )
    site_where, site_params = post_filter(flt.site, None, None)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _export_sites AS "
        f"SELECT site_id FROM sites WHERE {site_where}",
        site_params,
    )
