"""Per-site counts for ``blogcorpus stats``."""

from __future__ import annotations

from typing import Any

import duckdb

STATS_SQL = """
SELECT
    s.host AS site,
    s.platform,
    (SELECT count(*) FROM posts p WHERE p.site_id = s.site_id AND NOT p.is_page) AS posts,
    (SELECT count(*) FROM posts p WHERE p.site_id = s.site_id AND p.is_page) AS pages,
    (SELECT count(*) FILTER (WHERE kind = 'comment') FROM comments c
        WHERE c.site_id = s.site_id) AS comments,
    (SELECT count(*) FILTER (WHERE kind = 'pingback') FROM comments c
        WHERE c.site_id = s.site_id) AS pingbacks,
    (SELECT count(*) FILTER (WHERE kind = 'trackback') FROM comments c
        WHERE c.site_id = s.site_id) AS trackbacks,
    (SELECT count(*) FROM authors a WHERE a.site_id = s.site_id) AS authors,
    (SELECT count(*) FROM links l WHERE l.site_id = s.site_id) AS links,
    (SELECT min(published_at)::DATE FROM posts p WHERE p.site_id = s.site_id) AS first_post,
    (SELECT max(published_at)::DATE FROM posts p WHERE p.site_id = s.site_id) AS last_post,
    (SELECT count(*) FROM pages g WHERE g.site_id = s.site_id) AS pages_fetched,
    (SELECT count(*) FROM frontier f WHERE f.site_id = s.site_id AND f.state = 'failed')
        AS failed_urls,
    (SELECT count(*) FILTER (WHERE NOT coalesce(approved, TRUE)) FROM comments c
        WHERE c.site_id = s.site_id) AS unapproved,
    (SELECT list(DISTINCT language ORDER BY language) FROM posts p
        WHERE p.site_id = s.site_id AND language IS NOT NULL) AS languages,
    -- The coverage estimate of the latest finished crawl of this site: the share of the
    -- posts its sitemaps (or a feed's declared total) list that the corpus holds.
    (SELECT TRY_CAST(j.value ->> 'coverage' AS DOUBLE)
        FROM crawls cr, json_each(cr.stats -> 'sites') j
        WHERE j.value ->> 'site' = s.root_url AND cr.finished_at IS NOT NULL
        ORDER BY cr.finished_at DESC LIMIT 1) AS coverage,
    (SELECT list({'reason': reason, 'count': n} ORDER BY n DESC, reason) FROM (
        SELECT f.state || ': ' || coalesce(f.reason, '?') AS reason, count(*) AS n
        FROM frontier f WHERE f.site_id = s.site_id AND f.state IN ('failed', 'skipped')
        GROUP BY 1)) AS errors
FROM sites s
ORDER BY s.host, s.root_url
"""


def site_stats(conn: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple[Any, ...]]]:
    """One row per site: posts, comments by kind, authors, links, date range, platform,
    languages, coverage estimate and errors by reason."""
    cursor = conn.execute(STATS_SQL)
    columns = [d[0] for d in cursor.description or []]
    return columns, cursor.fetchall()


def error_reasons(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(site host, reason, count) for URLs that failed or were skipped."""
    return [
        (str(r[0]), str(r[1]), int(r[2]))
        for r in conn.execute(
            """
            SELECT s.host, f.state || ': ' || coalesce(f.reason, '?'), count(*)
            FROM frontier f JOIN sites s USING (site_id)
            WHERE f.state IN ('failed', 'skipped')
            GROUP BY ALL ORDER BY 1, 3 DESC
            """
        ).fetchall()
    ]
