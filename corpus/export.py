"""Post documents for archivists: one post with its comments (threaded), links and authors.

Order is deterministic (site, publication time, post id) and files are written atomically: a
temporary file in the same folder, renamed over the target only once complete, so a killed
export never leaves a truncated file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import duckdb

from corpus.formats import to_jsonable
from parsers.document import thread

POST_COLUMNS = (
    "post_id, site_id, url, canonical_url, title, author_id, author_name, published_at, "
    "updated_at, language, categories, tags, comment_count_declared, comments_open, platform, "
    "word_count, status, is_page, text, html"
)
COMMENT_COLUMNS = (
    "comment_id, post_id, parent_id, position, depth, author_id, author_name, author_url, "
    "published_at, title, kind, source, platform_id, approved, text, html"
)
LINK_COLUMNS = (
    "post_id, comment_id, context, target_url, target_host, anchor_text, rel, is_internal"
)
BATCH = 500


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, map(to_jsonable, row), strict=True)) for row in cursor.fetchall()]


def post_filter(site: str | None, since: date | None, until: date | None) -> tuple[str, list[Any]]:
    """A WHERE clause (and its parameters) for the export filters."""
    clauses = ["TRUE"]
    params: list[Any] = []
    if site:
        clauses.append("(site_id = ? OR site_id IN (SELECT site_id FROM sites WHERE host = ?))")
        params += [site, site]
    if since:
        clauses.append("published_at >= ?")
        params.append(since)
    if until:
        clauses.append("published_at < ?::DATE + INTERVAL 1 DAY")
        params.append(until)
    return " AND ".join(clauses), params


def iter_post_documents(
    conn: duckdb.DuckDBPyConnection,
    *,
    site: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Each post as one JSON-ready document, in a stable order, in batches."""
    where, params = post_filter(site, since, until)
    ids = [
        r[0]
        for r in conn.execute(
            f"SELECT post_id FROM posts WHERE {where} "
            "ORDER BY site_id, published_at NULLS LAST, post_id",
            params,
        ).fetchall()
    ]
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        posts = _records(
            conn.execute(
                f"SELECT {POST_COLUMNS} FROM posts WHERE post_id IN (SELECT unnest(?))", [batch]
            )
        )
        comments: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in _records(
            conn.execute(
                f"SELECT {COMMENT_COLUMNS} FROM comments WHERE post_id IN (SELECT unnest(?)) "
                "ORDER BY post_id, position, comment_id",
                [batch],
            )
        ):
            comments[c["post_id"]].append(c)
        links: defaultdict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
        for link in _records(
            conn.execute(
                f"SELECT {LINK_COLUMNS} FROM links WHERE post_id IN (SELECT unnest(?)) "
                "ORDER BY post_id, comment_id NULLS FIRST, context, position",
                [batch],
            )
        ):
            links[(link.pop("post_id"), link["comment_id"])].append(link)
        by_id = {p["post_id"]: p for p in posts}
        for post_id in batch:
            post = by_id[post_id]
            own = comments.get(post_id, [])
            for c in own:
                c["links"] = links.get((post_id, c["comment_id"]), [])
            post["links"] = links.get((post_id, None), [])
            post["comments"] = thread(own)
            post["comment_count"] = len(own)
            yield post


@contextmanager
def atomic_output(path: Path | None, stdout: TextIO) -> Iterator[TextIO]:
    """Write to ``path`` through a temporary file renamed into place; stdout when None."""
    if path is None:
        yield stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private (0600); the export gets the permissions any file the
        # user writes gets, as the other formats' files do.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_jsonl(docs: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_json(docs: Iterator[dict[str, Any]], out: TextIO) -> int:
    """One JSON array, streamed post by post so memory stays flat."""
    count = 0
    out.write("[")
    for doc in docs:
        out.write(("\n" if count == 0 else ",\n") + json.dumps(doc, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count
