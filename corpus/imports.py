"""Bringing export files into the corpus: WordPress WXR, and WARC archives of fetched pages.

Both end in the same records and tables as a crawl: WXR through ``parsers.wxr``, WARC pages
through ``parsers.extract.parse_document`` exactly like crawled pages.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

import duckdb
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from corpus.db import CorpusError
from corpus.store import (
    save_comments,
    save_links,
    save_page,
    save_parsed,
    save_post,
    save_site,
    site_id_for,
    transaction,
)
from parsers.extract import links_for_records, parse_document
from parsers.records import Comment, Page, stable_id
from parsers.urls import origin_of, try_canonicalize
from parsers.wxr import parse_wxr

# The content types the crawler parses; other responses (images, scripts) are not kept.
PARSED_TYPES = ("html", "xml", "rss", "atom", "text/plain")
# Set by ``corpus.exports.warc`` when a response answered a redirected request.
REQUESTED_URI_HEADER = "WARC-Blogcorpus-Requested-URI"
WARC_BATCH = 200


def import_wxr(conn: duckdb.DuckDBPyConnection, data: bytes, *, source: str) -> dict[str, int]:
    """Import one WXR file in one transaction; returns counts of what was stored.

    The import is recorded as a crawl whose seed is the file: ``crawls.stats`` keeps the
    counts and the problems noted (recovered XML errors, comments of unknown types ...).
    Raises ``CorpusError`` for a file that is no WordPress export at all.
    """
    started = datetime.now(UTC)
    result = parse_wxr(data)
    if not (result.posts or result.pages or result.comments):
        refusal = next((p for p in result.problems if p.startswith("not a WordPress export")), None)
        if refusal is not None:
            raise CorpusError(f"{source}: neither a WARC file nor a WordPress export ({refusal})")
    root = try_canonicalize(result.site.link or result.site.base_site_url or "")
    if root is None:
        first = next(iter(result.posts + result.pages), None)
        root = try_canonicalize(first.url.rsplit("/", 2)[0] + "/") if first else None
    if root is None:
        root = f"http://imported.invalid/{source.strip('/').replace('/', '_')}/"
    site_id = site_id_for(root)
    by_post: defaultdict[str, list[Comment]] = defaultdict(list)
    for comment in result.comments:
        by_post[comment.post_id].append(comment)
    with transaction(conn):
        save_site(
            conn,
            site_id=site_id,
            root_url=root,
            platform="wordpress",
            title=result.site.title,
            language=result.site.language,
        )
        for post, is_page in [(p, False) for p in result.posts] + [(p, True) for p in result.pages]:
            save_post(conn, post, site_id=site_id, is_page=is_page, found_via="import")
            comments = tuple(by_post.pop(post.post_id, []))
            save_comments(conn, comments, site_id=site_id, page_url=None)
            save_links(
                conn,
                post.post_id,
                links_for_records(post, comments, post.url),
                site_id=site_id,
                comment_ids=[c.comment_id for c in comments],
            )
        orphans = [c for group in by_post.values() for c in group]
        save_comments(conn, orphans, site_id=site_id, page_url=None)
        counts = {
            "posts": len(result.posts),
            "pages": len(result.pages),
            "comments": len(result.comments),
            "problems": len(result.problems),
        }
        stats = {"import": "wxr", "file": source, **counts, "problems": list(result.problems)}
        conn.execute(
            "INSERT INTO crawls VALUES (?, ?, ?, ?, ?, ?)",
            [
                stable_id("import", source, started.isoformat()),
                started,
                datetime.now(UTC),
                [source],
                json.dumps({"import": "wxr", "file": source}),
                json.dumps(stats, ensure_ascii=False),
            ],
        )
    return counts


def sniff_format(head: bytes) -> str:
    """``warc`` or ``wxr`` from a file's first bytes (gzip is looked inside)."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return "wxr"
    return "warc" if head.lstrip()[:5] == b"WARC/" else "wxr"


def _warc_date(value: str | None) -> datetime:
    if value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def _responses(stream: BinaryIO, counts: dict[str, int]) -> Iterator[tuple[Page, str]]:
    """(page, canonical URL) for every HTTP response record worth keeping."""
    record: ArcWarcRecord
    for record in ArchiveIterator(stream):
        if record.rec_type != "response" or record.http_headers is None:
            counts["other_records"] += 1
            continue
        target = record.rec_headers.get_header("WARC-Target-URI") or ""
        url = try_canonicalize(target)
        if url is None:
            counts["bad_urls"] += 1
            continue
        status = int(record.http_headers.get_statuscode() or 0)
        content_type = record.http_headers.get_header("Content-Type")
        kind = (content_type or "").lower()
        if 300 <= status < 400 or (kind and not any(t in kind for t in PARSED_TYPES)):
            counts["skipped"] += 1
            continue
        body = record.content_stream().read()
        requested = record.rec_headers.get_header(REQUESTED_URI_HEADER)
        page = Page(
            url=try_canonicalize(requested) or url if requested else url,
            final_url=url,
            status=status,
            content_type=content_type,
            fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
            body=body,
            etag=record.http_headers.get_header("ETag"),
            last_modified=record.http_headers.get_header("Last-Modified"),
            found_via="warc",
        )
        yield page, url


def _site_for(conn: duckdb.DuckDBPyConnection, url: str, known: dict[str, str]) -> str:
    """The corpus site whose root is the longest prefix of ``url``, else the URL's origin."""
    best = max((root for root in known if url.startswith(root)), key=len, default=None)
    if best is not None:
        return known[best]
    root = origin_of(url) + "/"
    site_id = site_id_for(root)
    save_site(conn, site_id=site_id, root_url=root)
    known[root] = site_id
    return site_id


def import_warc(
    conn: duckdb.DuckDBPyConnection,
    stream: BinaryIO,
    *,
    source: str,
    on_commit: Callable[[], object] | None = None,
) -> dict[str, int]:
    """Import the HTTP responses of a WARC file as fetched pages, parsed like crawled ones.

    Each page joins the corpus site whose root URL it starts with, or a new site for its
    origin. Commits every few hundred pages; the import is recorded as a crawl whose seed is
    the file, so ``crawl_report`` and ``fetch_log`` show it. ``on_commit`` runs after each
    committed batch (to publish a snapshot for readers, for instance).
    """
    counts: defaultdict[str, int] = defaultdict(int)
    crawl_id = stable_id("import", source, datetime.now(UTC).isoformat())
    known = {
        str(r[0]): str(r[1]) for r in conn.execute("SELECT root_url, site_id FROM sites").fetchall()
    }
    conn.execute(
        "INSERT INTO crawls VALUES (?, ?, NULL, ?, ?, NULL)",
        [crawl_id, datetime.now(UTC), [source], json.dumps({"import": "warc", "file": source})],
    )
    pages = _responses(stream, counts)
    while True:
        batch = [item for _, item in zip(range(WARC_BATCH), pages, strict=False)]
        if not batch:
            break
        with transaction(conn):
            for page, url in batch:
                site_id = _site_for(conn, url, known)
                parsed = None
                if page.status == 200 and page.body:
                    parsed = parse_document(page.body, url, page.content_type)
                save_page(
                    conn,
                    page,
                    site_id=site_id,
                    kind=parsed.kind if parsed else "other",
                    crawl_id=crawl_id,
                    parse_note="; ".join(parsed.notes) if parsed and parsed.notes else None,
                    post_id=parsed.post.post_id if parsed and parsed.post else None,
                )
                if parsed is not None:
                    save_parsed(conn, parsed, site_id=site_id, found_via="warc")
                    if parsed.url.rstrip("/") == origin_of(url) and parsed.platform:
                        save_site(
                            conn,
                            site_id=site_id,
                            root_url=origin_of(url) + "/",
                            platform=parsed.platform,
                            title=parsed.title,
                            language=parsed.language,
                        )
                counts["pages"] += 1
                counts["posts"] += int(parsed is not None and parsed.post is not None)
                counts["comments"] += len(parsed.comments) if parsed else 0
        if on_commit is not None:
            on_commit()
    conn.execute(
        "UPDATE crawls SET finished_at = ?, stats = ? WHERE crawl_id = ?",
        [datetime.now(UTC), json.dumps(dict(counts)), crawl_id],
    )
    return dict(counts)
