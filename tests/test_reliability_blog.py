"""The generated blog the reliability tests crawl, and the helpers that judge a crawl by it.

The helpers (``crawl_cli``, ``compare_with_truth``, ``refetches``) are shared by the crash,
politeness, trap and soak runs: a corpus is judged by the blog's own truth and a crawler's
behaviour by the server's request log, never by what the crawler says about itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from parsers.extract import parse_document
from sampleblog.generated import GeneratedBlog

REPO = Path(__file__).resolve().parent.parent
BLOGCORPUS = REPO / ".venv" / "bin" / "blogcorpus"


@dataclass(frozen=True)
class CorpusCheck:
    """A corpus against the truth: what is missing and what is stored twice."""

    posts: int
    missing_posts: int
    duplicate_post_rows: int
    comments: int
    missing_comments: int
    duplicate_comment_rows: int
    queued: int


def crawl_command(url: str, db: Path, *extra: str) -> list[str]:
    """The exact ``blogcorpus crawl`` command line a user would type."""
    return [str(BLOGCORPUS), "crawl", url, "--db", str(db), "--delay", "0", "--quiet", *extra]


def crawl_cli(
    url: str, db: Path, *extra: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the CLI crawl to its end."""
    return subprocess.run(
        crawl_command(url, db, *extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def compare_with_truth(db: Path, blog: GeneratedBlog) -> CorpusCheck:
    """Posts and comments of the corpus matched to the blog's truth by URL and WordPress id."""
    truth = blog.truth
    conn = duckdb.connect(str(db), read_only=True)
    try:
        post_rows = conn.execute("SELECT url FROM posts WHERE NOT is_page").fetchall()
        comment_rows = conn.execute(
            "SELECT p.url, c.platform_id FROM comments c JOIN posts p USING (post_id)"
        ).fetchall()
        queued = conn.execute("SELECT count(*) FROM frontier WHERE state = 'queued'").fetchone()
    finally:
        conn.close()
    stored_posts = Counter(url for (url,) in post_rows)
    stored_comments = Counter((url, str(pid)) for url, pid in comment_rows)
    wanted_posts = {post.url for post in truth.posts}
    wanted_comments = {(c.post_url, str(c.id)) for c in truth.comments}
    return CorpusCheck(
        posts=len(stored_posts),
        missing_posts=len(wanted_posts - set(stored_posts)),
        duplicate_post_rows=sum(n - 1 for n in stored_posts.values()),
        comments=len(stored_comments),
        missing_comments=len(wanted_comments - set(stored_comments)),
        duplicate_comment_rows=sum(n - 1 for n in stored_comments.values()),
        queued=int(queued[0]) if queued else 0,
    )


def refetches(blog: GeneratedBlog) -> int:
    """Requests for a path already asked for (robots.txt aside: each run asks for it once)."""
    counts = Counter(r.path for r in blog.requests if r.path != "/robots.txt")
    return sum(n - 1 for n in counts.values())


def sql_duplicates(db: Path) -> tuple[int, int]:
    """``count(*) - count(DISTINCT ...)`` for posts by URL and comments by id."""
    conn = duckdb.connect(str(db), read_only=True)
    try:
        row = conn.execute(
            "SELECT (SELECT count(*) - count(DISTINCT url) FROM posts),"
            " (SELECT count(*) - count(DISTINCT comment_id) FROM comments)"
        ).fetchone()
    finally:
        conn.close()
    assert row is not None
    return int(row[0]), int(row[1])


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


# -- the generated blog itself -------------------------------------------------------------


def test_blog_is_deterministic_from_seed_and_size() -> None:
    one, two = GeneratedBlog(posts=60, seed=4), GeneratedBlog(posts=60, seed=4)
    assert one.truth == two.truth
    assert one.page("/page/2/") == two.page("/page/2/")
    assert GeneratedBlog(posts=60, seed=5).truth != one.truth


def test_pages_show_the_truth() -> None:
    """Every post page, parsed by blogcorpus's own parser, gives the truth's comments."""
    blog = GeneratedBlog(posts=40, comments_per_post=4, seed=2)
    by_post: dict[str, set[str]] = {}
    for comment in blog.truth.comments:
        by_post.setdefault(comment.post_url, set()).add(str(comment.id))
    for post in blog.truth.posts:
        found: set[str] = set()
        for page in range(1, post.comment_pages + 1):
            url = post.url if page == 1 else f"{post.url}comment-page-{page}/"
            status, content_type, text = blog.page(url.split("example", 1)[1])
            assert status == 200
            parsed = parse_document(text.encode(), url, content_type)
            assert parsed.post is not None and parsed.post.title == post.title
            found |= {c.platform_id or "" for c in parsed.comments}
        assert found == by_post.get(post.url, set()), post.url
    kinds = Counter(c.kind for c in blog.truth.comments)
    assert kinds["pingback"] and kinds["comment"]
    assert any(c.depth >= 2 for c in blog.truth.comments), "threaded replies are generated"
    assert any(p.comment_pages > 1 for p in blog.truth.posts), "paged comments are generated"


def test_served_over_http_with_a_request_log() -> None:
    blog = GeneratedBlog(posts=30, seed=1)
    base = blog.start()
    try:
        status, content_type, robots = _get(base + "robots.txt")
        assert status == 200 and "Disallow: /private/" in robots
        assert f"Sitemap: {base}sitemap.xml" in robots
        _, _, sitemap = _get(base + "sitemap.xml")
        assert sitemap.count("<loc>") == 30 and base in sitemap
        _, content_type, _ = _get(base + "feed/")
        assert "rss" in content_type
        first = blog.truth.posts[0].url
        assert first.startswith(base)
        assert _get(first)[0] == 200
        assert [r.path for r in blog.requests] == [
            "/robots.txt",
            "/sitemap.xml",
            "/feed/",
            first.removeprefix(base[:-1]),
        ]
    finally:
        blog.stop()


def test_two_thousand_posts_cost_little_memory() -> None:
    tracemalloc.start()
    try:
        blog = GeneratedBlog(posts=2000, comments_per_post=4, seed=0)
        blog.page("/")
        blog.page(blog.truth.posts[1500].url.split("example", 1)[1])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The truth (2,000 posts, ~8,000 comments) is the bulk of it; pages are rendered per request.
    assert peak < 40 * 1024 * 1024, peak
    print(f"2,000-post blog with truth: peak {peak / 2**20:.1f} MiB", file=sys.stderr)


def summary_line(check: CorpusCheck, **extra: Any) -> str:
    """One line of figures for the test log and the reliability report."""
    fields = {**check.__dict__, **extra}
    return " ".join(f"{k}={v}" for k, v in fields.items())
