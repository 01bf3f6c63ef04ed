"""Re-running the parsers over stored raw pages: after a parser improvement, no re-crawl."""

from __future__ import annotations

import duckdb

from corpus.store import fill_site_languages, prune_orphan_authors, save_parsed, transaction
from parsers.extract import parse_document

BATCH = 200


def reparse_pages(conn: duckdb.DuckDBPyConnection, *, only_posts: bool = False) -> dict[str, int]:
    """Parse every stored page again and store what it yields; idempotent."""
    # 304: revalidated by a later crawl, the body is the 200 it was first fetched with.
    where = "status IN (200, 304) AND body IS NOT NULL AND octet_length(body) > 0"
    if only_posts:
        where += " AND kind IN ('post', 'page')"
    query = f"SELECT url FROM pages WHERE {where} ORDER BY url"
    urls = [r[0] for r in conn.execute(query).fetchall()]
    for start in range(0, len(urls), BATCH):
        batch = urls[start : start + BATCH]
        rows = conn.execute(
            "SELECT url, final_url, site_id, content_type, body, found_via FROM pages "
            "WHERE url IN (SELECT unnest(?)) ORDER BY url",
            [batch],
        ).fetchall()
        with transaction(conn):
            for url, final_url, site_id, content_type, body, found_via in rows:
                parsed = parse_document(bytes(body), final_url or url, content_type)
                save_parsed(conn, parsed, site_id=site_id, found_via=found_via)
                conn.execute(
                    "UPDATE pages SET kind = ?, post_id = ?, parse_note = ? WHERE url = ?",
                    [
                        parsed.kind,
                        parsed.post.post_id if parsed.post else None,
                        "; ".join(parsed.notes) or None,
                        url,
                    ],
                )
    with transaction(conn):
        prune_orphan_authors(conn)
        fill_site_languages(conn)
    row = conn.execute("SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM comments)")
    posts, comments = row.fetchone() or (0, 0)
    return {"pages": len(urls), "posts": int(posts), "comments": int(comments)}
