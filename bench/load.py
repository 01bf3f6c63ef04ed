"""Loading speed: parsed records into DuckDB through the corpus's own batch functions.

Timed twice: one transaction per page, and 32 pages per transaction as the crawl's writer
thread groups its commits. The records are those of the 300 real parse pages, parsed once
beforehand so that only the writing is timed. The alternative is what a trafilatura user
keeps: one JSON line per page, written to a file. Records are posts, comments, links and
authors as stored (rows counted in the corpus afterwards).
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import asdict
from datetime import UTC, datetime

import trafilatura

from bench.common import Figure, fresh_dir
from bench.pages import parse_pages
from corpus.db import open_corpus
from corpus.store import (
    PageWrite,
    ParsedWrite,
    save_pages,
    save_parsed_pages,
    save_site,
    site_id_for,
    transaction,
)
from parsers.decode import decode_document
from parsers.extract import parse_document
from parsers.records import Page, ParsedPage

COMMAND = ".venv/bin/python -m bench.run --only load"
GROUP = 32  # pages per transaction, as ``corpus.writer.MAX_GROUP`` groups a crawl's commits


def _page_write(body: bytes, page: ParsedPage, site_id: str) -> PageWrite:
    return PageWrite(
        page=Page(
            url=page.url,
            final_url=page.url,
            status=200,
            content_type="text/html",
            fetched_at=datetime.now(UTC),
            body=body,
        ),
        site_id=site_id,
        kind=page.kind,
        crawl_id="bench",
        post_id=page.post.post_id if page.post else None,
    )


def _load_corpus(
    parsed: list[tuple[bytes, ParsedPage]], db_path: str, group: int = 1
) -> tuple[float, int, int]:
    """Load the pages ``group`` per transaction, through the batch functions the writer uses."""
    conn = open_corpus(db_path)
    try:
        site_id = site_id_for("https://bench.example/")
        save_site(conn, site_id=site_id, root_url="https://bench.example/")
        started = time.perf_counter()
        for first in range(0, len(parsed), group):
            chunk = parsed[first : first + group]
            with transaction(conn):
                save_pages(
                    conn, [_page_write(body, page, site_id) for body, page in chunk], known_new=True
                )
                save_parsed_pages(
                    conn, [ParsedWrite(parsed=page, site_id=site_id, found_via="bench")
                           for _body, page in chunk]
                )  # fmt: skip
        seconds = time.perf_counter() - started
        row = conn.execute(
            "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)"
            " + (SELECT count(*) FROM links) + (SELECT count(*) FROM authors),"
            " (SELECT count(*) FROM posts)"
        ).fetchone()
        assert row is not None
        return seconds, int(row[0]), int(row[1])
    finally:
        conn.close()


def _write_jsonl(parsed: list[tuple[bytes, ParsedPage]], path: str) -> float:
    started = time.perf_counter()
    with open(path, "w", encoding="utf-8") as out:  # noqa: PTH123
        for _body, page in parsed:
            out.write(json.dumps(asdict(page), ensure_ascii=False, default=str) + "\n")
    return time.perf_counter() - started


def run(quick: bool = False) -> tuple[list[Figure], dict[str, object]]:
    """Time loading the parsed pages into a fresh corpus, and writing the same as JSON Lines."""
    pages = parse_pages(100 if quick else 300)
    work = fresh_dir("load")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = [(p.body, parse_document(p.body, p.url, "text/html")) for p in pages]
        trafilatura_json = [
            trafilatura.extract(
                decode_document(p.body, "text/html").text,
                url=p.url,
                include_comments=True,
                with_metadata=True,
                output_format="json",
            )
            or ""
            for p in pages
        ]
    db = work / "load.duckdb"
    seconds, records, posts = _load_corpus(parsed, str(db))
    grouped_seconds, grouped_records, _ = _load_corpus(
        parsed, str(work / "grouped.duckdb"), group=GROUP
    )
    jsonl_seconds = _write_jsonl(parsed, str(work / "records.jsonl"))
    jsonl_rate = records / jsonl_seconds
    corpus_bytes = db.stat().st_size
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        corpus_bytes += wal.stat().st_size
    raw_bytes = sum(len(p.body) for p in pages)
    json_bytes = sum(len(t.encode()) for t in trafilatura_json)
    figures = [
        Figure(
            section="Load",
            metric=f"records/s into DuckDB, one transaction per page ({len(pages)} pages)",
            ours=records / seconds,
            unit="records/s",
            alternative="the same records as JSON Lines (json.dumps to a file)",
            theirs=jsonl_rate,
            command=COMMAND,
            note=f"{records} records ({posts} posts) in {seconds:.2f} s; "
            f"{seconds / len(pages) * 1000:.1f} ms per page",
        ),
        Figure(
            section="Load",
            metric=f"records/s into DuckDB, {GROUP} pages per transaction (the crawl's writer)",
            ours=grouped_records / grouped_seconds,
            unit="records/s",
            alternative="the same records as JSON Lines (json.dumps to a file)",
            theirs=jsonl_rate,
            command=COMMAND,
            note=f"{grouped_seconds / len(pages) * 1000:.1f} ms per page",
        ),
        Figure(
            section="Load",
            metric="corpus bytes per post (raw page kept + records + links)",
            ours=corpus_bytes / max(posts, 1),
            unit="bytes/post",
            alternative="trafilatura JSON output alone (no raw page kept)",
            theirs=json_bytes / max(posts, 1),
            higher_is_better=False,
            command=COMMAND,
            note=f"raw pages alone are {raw_bytes / len(pages):,.0f} bytes each",
        ),
    ]
    raw: dict[str, object] = {
        "pages": len(pages),
        "records": records,
        "posts": posts,
        "seconds": seconds,
        "grouped_seconds": grouped_seconds,
        "jsonl_seconds": jsonl_seconds,
        "corpus_bytes": corpus_bytes,
        "raw_page_bytes": raw_bytes,
        "trafilatura_json_bytes": json_bytes,
    }
    return figures, raw
