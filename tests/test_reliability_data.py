"""Data: a finished crawl run again adds no rows and asks conditionally; an export killed midway
leaves the previous file whole.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from sampleblog.generated import GeneratedBlog
from tests.test_reliability_blog import BLOGCORPUS, compare_with_truth, crawl_cli


def _counts(db: Path) -> tuple[int, ...]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM comments),"
            " (SELECT count(*) FROM authors), (SELECT count(*) FROM links),"
            " (SELECT count(*) FROM pages)"
        ).fetchone()
    finally:
        conn.close()
    assert row is not None
    return tuple(int(v) for v in row)


def _last_seen(db: Path) -> dict[str, object]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        return dict(conn.execute("SELECT url, last_seen FROM posts").fetchall())
    finally:
        conn.close()


def test_finished_crawl_run_again_adds_nothing_and_asks_conditionally(tmp_path: Path) -> None:
    blog = GeneratedBlog(posts=25, comments_per_post=2, seed=8, traps=False, post_feeds=False)
    blog.start()
    try:
        db = tmp_path / "corpus.duckdb"
        assert crawl_cli(blog.base_url, db).returncode == 0
        before = _counts(db)
        seen_first = _last_seen(db)
        first_run = len(blog.requests)
        again = crawl_cli(blog.base_url, db)
        assert again.returncode == 0, again.stderr[-2000:]
        second = blog.requests[first_run:]
        second_run = len(blog.requests)
        # A third run: the pages the second one revalidated (stored as 304) keep their
        # validators and are asked conditionally again.
        assert crawl_cli(blog.base_url, db).returncode == 0
        third = blog.requests[second_run:]
    finally:
        blog.stop()
    assert _counts(db) == before
    check = compare_with_truth(db, blog)
    assert check.missing_posts == 0 and check.duplicate_post_rows == 0
    # Addresses the first run found missing (guessed sitemap names, absent tag archives) are
    # not asked again; every stored page is asked with its ETag.
    first_missing = {r.path for r in blog.requests[:first_run] if r.status == 404}
    assert first_missing, "the generated blog has dead links"
    assert not [r for r in second if r.path in first_missing]
    pages = [r for r in second if r.path != "/robots.txt" and r.status != 404]
    assert pages, "the re-crawl revisits listings and open posts"
    conditional = [r for r in pages if "If-None-Match" in r.headers]
    unchanged = [r for r in pages if r.status == 304]
    # Every page asked again carries its ETag, and the unchanged blog answers 304 to all.
    assert len(conditional) == len(pages) and len(unchanged) == len(pages), (
        len(conditional),
        len(unchanged),
        len(pages),
    )
    # Posts whose pages answered 304 were seen again: their last_seen moved on, and only theirs
    # (the third run's revalidation moved them once more).
    seen_last = _last_seen(db)
    revalidated = {r.path for r in second if r.status == 304}
    moved = {url for url in seen_first if seen_last[url] > seen_first[url]}
    assert moved and moved == {url for url in seen_first if urlsplit(url).path in revalidated}
    asked_again = [r for r in third if r.path != "/robots.txt" and r.status != 404]
    assert len(asked_again) == len(pages)
    assert all("If-None-Match" in r.headers and r.status == 304 for r in asked_again)


def test_export_killed_midway_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    blog = GeneratedBlog(posts=60, comments_per_post=3, seed=8, traps=False, post_feeds=False)
    blog.start()
    try:
        db = tmp_path / "corpus.duckdb"
        assert crawl_cli(blog.base_url, db).returncode == 0
    finally:
        blog.stop()
    out = tmp_path / "posts.jsonl"
    command = [str(BLOGCORPUS), "export", "--db", str(db), "--format", "jsonl", "-o", str(out)]
    assert subprocess.run(command, capture_output=True).returncode == 0
    previous = out.read_bytes()
    assert previous.count(b"\n") == 60
    for wait in (0.05, 0.2, 0.4, 0.8):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(wait)
        process.send_signal(signal.SIGKILL)
        process.wait()
        current = out.read_bytes()
        # Either the old file or a complete new one (the same posts): never a truncated one.
        assert current == previous or current.count(b"\n") == 60, wait
    leftovers = [
        p.name for p in tmp_path.iterdir() if p.name.startswith((".posts", "posts.jsonl."))
    ]
    assert len(leftovers) <= 4, leftovers


def test_a_crawl_cut_short_by_max_pages_says_so(tmp_path: Path) -> None:
    blog = GeneratedBlog(posts=25, comments_per_post=1, seed=8, traps=False, post_feeds=False)
    blog.start()
    try:
        db = tmp_path / "corpus.duckdb"
        cut = crawl_cli(blog.base_url, db, "--json", "--max-pages", "5")
        finished = crawl_cli(blog.base_url, db, "--json")
    finally:
        blog.stop()
    assert cut.returncode == 0, cut.stderr[-2000:]
    summary = json.loads(cut.stdout)
    assert summary["fetched"] == 5
    assert summary["stopped_early"] is True and summary["stop_reason"] == "max_pages"
    # The same command without the limit finishes the blog: nothing left, nothing cut.
    rest = json.loads(finished.stdout)
    assert rest["stopped_early"] is False and rest["stop_reason"] is None
    assert rest["sites"][0]["queued"] == 0
