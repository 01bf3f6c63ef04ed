"""Query latency on a large corpus: full-text search and the README's example questions.

The corpus is generated straight into the tables with ``corpus.store.bulk_insert`` (no crawl):
100,000 posts on three blogs in English, French and German, two comments and two links per post
on average, words drawn from a Zipf-like vocabulary with the README's search terms mixed in at
the rates real words have. Search is timed through ``corpus.search`` after the index is built
(the build time is reported apart); the alternative is what a user without an index does:
read the same texts from JSON Lines and keep those holding every word.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from bench.common import REPO, Figure, fresh_dir
from corpus.db import open_corpus
from corpus.search import SearchFilters, ensure_index, search
from corpus.store import COMMENT_COLUMNS, bulk_insert
from parsers.records import comment_id_for, post_id_for, stable_id

COMMAND = ".venv/bin/python -m bench.run --only query"
SEARCHES: tuple[tuple[str, SearchFilters], ...] = (
    ("archiver commentaires", SearchFilters()),
    ("archives du web", SearchFilters(kinds=("comment",))),
    ("link rot", SearchFilters(kinds=("comment",), since=datetime(2010, 1, 1).date())),
    ("wget mirror", SearchFilters(author="Tom Whitcombe")),
)
# Used when README.md has no example questions to read.
FALLBACK_QUERIES = (
    "SELECT kind, count(*) FROM comments GROUP BY kind",
    "SELECT name, comments, posts, blogs FROM commenters ORDER BY comments DESC LIMIT 10",
    "SELECT title, comments, replies, max_depth FROM post_overview "
    "WHERE NOT is_page ORDER BY comments DESC LIMIT 10",
)
_SITES = (
    ("https://lune.example/", "fr"),
    ("https://moon.example/", "en"),
    ("https://mond.example/", "de"),
)
_PLANTED = ("archiver", "commentaires", "archives", "du", "web", "link", "rot", "wget", "mirror")
# The leading columns of ``corpus.store.COMMENT_COLUMNS`` that the generated comments fill.
_COMMENT_FIELDS = (
    "comment_id", "post_id", "parent_id", "position", "depth", "author_id", "author_name",
    "author_url", "published_at", "title", "text", "html", "kind", "source", "platform_id",
    "approved", "site_id", "page_url", "sort_key",
)  # fmt: skip
_AUTHORS = ("Tom Whitcombe", "Hélène Vasseur", "Inès Marchal", "Jonas Weber", "Ada Byrne")


def readme_queries() -> list[str]:
    """The SQL of the README's "Example questions" (indented blocks that start with SELECT)."""
    readme = REPO / "README.md"
    if not readme.exists():
        return list(FALLBACK_QUERIES)
    text = readme.read_text(encoding="utf-8")
    start = text.find("Example questions")
    if start < 0:
        return list(FALLBACK_QUERIES)
    section = text[start:]
    end = section.find("\n### ")
    section = section[: end if end > 0 else None]
    queries = []
    for block in re.findall(r"((?:\n {4}.*)+)", section):
        sql = "\n".join(line[4:] for line in block.strip("\n").splitlines()).strip()
        if sql.upper().startswith("SELECT"):
            queries.append(sql.rstrip(";"))
    return queries or list(FALLBACK_QUERIES)


class _Words:
    """Pseudo-words with Zipf-like frequencies, plus the planted search terms."""

    def __init__(self, rng: random.Random, size: int = 40_000) -> None:
        syllables = [a + b for a in "bcdfglmnprstv" for b in "aeiou"]
        words = {"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(size)}
        self.vocabulary = sorted(words)
        rng.shuffle(self.vocabulary)
        # Planted terms sit at ranks 50..3000: common enough to match, rare enough to matter.
        for rank, word in zip(range(50, 3000, 330), _PLANTED, strict=False):
            self.vocabulary.insert(rank, word)
        weights = [1.0 / (rank + 1) for rank in range(len(self.vocabulary))]
        self.cumulative = list(_accumulate(weights))
        self.rng = rng

    def text(self, count: int) -> str:
        return " ".join(self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count))


def _accumulate(values: list[float]) -> list[float]:
    total = 0.0
    out = []
    for value in values:
        total += value
        out.append(total)
    return out


def build_corpus(db_path: Path, posts: int, seed: int = 11) -> dict[str, int]:
    """Write a corpus of ``posts`` posts with comments, authors and links; return row counts."""
    if COMMENT_COLUMNS[: len(_COMMENT_FIELDS)] != _COMMENT_FIELDS:
        raise RuntimeError("corpus.store.COMMENT_COLUMNS changed order; update bench/query.py")
    rng = random.Random(seed)
    words = _Words(rng)
    conn = open_corpus(db_path)
    start = datetime(2005, 1, 1, tzinfo=UTC)
    counts = {"posts": 0, "comments": 0, "links": 0, "authors": 0}
    try:
        site_rows = []
        for root, language in _SITES:
            site_rows.append([stable_id("site", root), root, root.split("/")[2], "wordpress",
                              root, language, start])  # fmt: skip
        bulk_insert(
            conn,
            "sites",
            ("site_id", "root_url", "host", "platform", "title", "language", "first_seen"),
            site_rows,
        )
        authors: dict[str, list[object]] = {}
        chunk = 5000
        for first in range(0, posts, chunk):
            post_rows, comment_rows, link_rows = [], [], []
            for i in range(first, min(first + chunk, posts)):
                root, language = _SITES[i % len(_SITES)]
                site_id = stable_id("site", root)
                url = f"{root}{2005 + i % 15}/{1 + i % 12:02d}/post-{i}/"
                post_id = post_id_for(url)
                author = _AUTHORS[i % 3]
                author_id = stable_id("author", site_id, author.casefold(), "")
                authors[author_id] = [author_id, site_id, author, None, "post_author"]
                body = words.text(rng.randint(60, 400))
                when = start + timedelta(hours=i * 1.3)
                post_rows.append([
                    post_id, site_id, url, url, words.text(rng.randint(2, 8)).title(), author_id,
                    author, when, language, body, f"<p>{body}</p>", body.count(" ") + 1, False,
                ])  # fmt: skip
                for j in range(rng.choice((0, 1, 2, 2, 3, 4))):
                    name = (
                        _AUTHORS[rng.randrange(len(_AUTHORS))]
                        if j % 2
                        else f"Reader {rng.randrange(5000)}"
                    )
                    commenter = stable_id("author", site_id, name.casefold(), "")
                    authors.setdefault(commenter, [commenter, site_id, name, None, "commenter"])
                    text = words.text(rng.randint(8, 120))
                    cid = comment_id_for(post_id, str(i * 10 + j))
                    comment_rows.append([
                        cid, post_id, None, j, 0, commenter, name, None,
                        when + timedelta(hours=j + 1), None, text, f"<p>{text}</p>", "comment",
                        "html", str(i * 10 + j), True, site_id, url, j,
                    ])  # fmt: skip
                for k in range(rng.choice((0, 1, 2, 3))):
                    target = _SITES[rng.randrange(3)][0] + f"post-{rng.randrange(posts)}/"
                    link_rows.append([
                        stable_id("link", post_id, None, "body", str(k)), site_id, post_id, None,
                        "body", target, target.split("/")[2], "voir", "", target.startswith(root),
                        k,
                    ])  # fmt: skip
            bulk_insert(
                conn,
                "posts",
                ("post_id", "site_id", "url", "canonical_url", "title", "author_id",
                 "author_name", "published_at", "language", "text", "html", "word_count",
                 "is_page"),
                post_rows,
            )  # fmt: skip
            # Only the columns this benchmark fills, so a column added later stays NULL.
            bulk_insert(conn, "comments", COMMENT_COLUMNS[: len(_COMMENT_FIELDS)], comment_rows)
            bulk_insert(
                conn,
                "links",
                ("link_id", "site_id", "post_id", "comment_id", "context", "target_url",
                 "target_host", "anchor_text", "rel", "is_internal", "position"),
                link_rows,
            )  # fmt: skip
            counts["posts"] += len(post_rows)
            counts["comments"] += len(comment_rows)
            counts["links"] += len(link_rows)
        bulk_insert(
            conn, "authors", ("author_id", "site_id", "name", "url", "role"), list(authors.values())
        )
        counts["authors"] = len(authors)
    finally:
        conn.close()
    return counts


def _median_ms(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _export_texts(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    rows = conn.execute(
        "SELECT title, text, author_name FROM posts UNION ALL "
        "SELECT title, text, author_name FROM comments"
    ).fetchall()
    with path.open("w", encoding="utf-8") as out:
        for title, text, author in rows:
            out.write(json.dumps({"title": title, "text": text, "author": author}) + "\n")


def _scan(path: Path, query: str) -> int:
    terms = query.lower().split()
    hits = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            text = f"{doc['title'] or ''} {doc['text'] or ''}".lower()
            hits += all(t in text for t in terms)
    return hits


def run(quick: bool = False) -> tuple[list[Figure], dict[str, Any]]:
    """Build the corpus, its search index, then time the searches and the example questions."""
    posts = 10_000 if quick else 100_000
    repeat = 3 if quick else 5
    work = fresh_dir("query")
    db = work / "big.duckdb"
    started = time.perf_counter()
    counts = build_corpus(db, posts)
    build_seconds = time.perf_counter() - started
    conn = open_corpus(db)
    # DuckDB draws a progress bar on stdout for long statements; the report is the output.
    conn.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    ensure_index(conn)
    index_seconds = time.perf_counter() - started
    figures: list[Figure] = []
    raw: dict[str, Any] = {"counts": counts, "build_seconds": build_seconds,
                           "index_seconds": index_seconds, "search": {}, "sql": {}}  # fmt: skip
    try:
        jsonl = work / "texts.jsonl"
        _export_texts(conn, jsonl)
        ours_all, theirs_all = [], []
        for text, filters in SEARCHES:
            ms = _median_ms(lambda t=text, f=filters: search(conn, t, filters=f), repeat)
            scan_ms = _median_ms(lambda t=text: _scan(jsonl, t), 1 if quick else 2)
            raw["search"][text] = {"ms": ms, "scan_ms": scan_ms}
            ours_all.append(ms)
            theirs_all.append(scan_ms)
        figures.append(
            Figure(
                section="Query",
                metric=f"search latency, median of {len(SEARCHES)} README searches, "
                f"{counts['posts']:,} posts + {counts['comments']:,} comments",
                ours=statistics.median(ours_all),
                unit="ms",
                alternative="scan the same texts in JSON Lines (Python, all words)",
                theirs=statistics.median(theirs_all),
                higher_is_better=False,
                command=COMMAND,
                note=f"index built once in {index_seconds:.1f} s; slowest search "
                f"{max(ours_all):.0f} ms",
            )
        )
        for sql in readme_queries():
            try:
                ms = _median_ms(lambda s=sql: conn.execute(s).fetchall(), repeat)
            except duckdb.Error as exc:
                raw["sql"][sql] = {"error": str(exc).splitlines()[0]}
                continue
            raw["sql"][sql] = {"ms": ms}
            first = " ".join(sql.split())
            figures.append(
                Figure(
                    section="Query",
                    metric=f"`{first[:70]}{'…' if len(first) > 70 else ''}`",
                    ours=ms,
                    unit="ms",
                    higher_is_better=False,
                    command=COMMAND,
                    note="README example question",
                )
            )
    finally:
        conn.close()
    raw["corpus_bytes"] = db.stat().st_size
    return figures, raw
