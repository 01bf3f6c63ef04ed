"""Crawler traps: a blog whose every page carries an endless calendar, day archives that always
link the next day, ``?replytocom=`` and ``?share=`` links, session ids in the query and the path,
``utm_*`` links, links into a disallowed folder and a soft-404 catch-all nesting forever.

The crawl must end with every post, fetch no variant that canonicalisation removes, keep the
endless families bounded, and never ask for a disallowed path. Figures come from the server's
request log.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sampleblog.generated import GeneratedBlog
from scraper.config import CrawlConfig
from scraper.crawler import run_crawl
from scraper.scope import MAX_DEPTH
from tests.servers import hostile
from tests.servers.hostile import HostileServer
from tests.test_reliability_blog import compare_with_truth

hostile_server = hostile.hostile_server

# Query keys and path parameters that only copy a page: not one fetch may carry them.
_VARIANT = re.compile(r"[?&;](replytocom|share|nb|phpsessid|jsessionid|utm_[a-z]+)=", re.I)


def family(path: str) -> str:
    """Which trap family a requested path belongs to."""
    if _VARIANT.search(path):
        return "variant"
    if "?m=" in path:
        return "calendar"
    if re.fullmatch(r"/\d{4}/\d\d/\d\d/", path):
        return "day archive"
    if path.startswith("/nowhere/"):
        return "soft 404"
    if path.startswith("/private/"):
        return "disallowed"
    return "other"


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GeneratedBlog, Path]]:
    blog = GeneratedBlog(posts=12, comments_per_post=2, seed=9, post_feeds=False)
    blog.start()
    db = tmp_path_factory.mktemp("traps") / "corpus.duckdb"
    try:
        run_crawl(
            CrawlConfig(seeds=(blog.base_url,), db_path=db, delay=0, concurrency=4, parse_workers=0)
        )
        yield blog, db
    finally:
        blog.stop()


def test_trapped_crawl_ends_with_every_post(trapped: tuple[GeneratedBlog, Path]) -> None:
    blog, db = trapped
    check = compare_with_truth(db, blog)
    families = Counter(family(r.path) for r in blog.requests)
    print(f"trap crawl: {len(blog.requests)} requests, {dict(families)}", file=sys.stderr)
    assert check.missing_posts == check.missing_comments == check.queued == 0, check


def test_no_fetch_of_canonicalised_variants(trapped: tuple[GeneratedBlog, Path]) -> None:
    blog, _ = trapped
    variants = [r.path for r in blog.requests if family(r.path) == "variant"]
    assert variants == [], variants[:10]


def test_endless_families_stay_bounded(trapped: tuple[GeneratedBlog, Path]) -> None:
    """Calendars, day archives and soft-404 nesting are cut by shape, not by luck."""
    blog, _ = trapped
    families = Counter(family(r.path) for r in blog.requests)
    assert families["calendar"] <= 31, families  # query variants per path are capped at 30
    # Each day archive links the next day forever: the depth cap cuts every chain, so they
    # number at most MAX_DEPTH per chain started (a first of the month, linked by calendars).
    starts = {r.path for r in blog.requests if re.fullmatch(r"/\d{4}/\d\d/01/", r.path)}
    assert families["day archive"] <= MAX_DEPTH * len(starts), (families, len(starts))
    nested = [r.path for r in blog.requests if family(r.path) == "soft 404"]
    # Repeated path segments are cut after two: /nowhere-x/, archives/, archives/archives/.
    assert all(p.count("archives/") <= 2 for p in nested), nested


def test_no_request_to_disallowed_paths(trapped: tuple[GeneratedBlog, Path]) -> None:
    """Every page links into /private/ (disallowed by robots.txt): none is ever asked for."""
    blog, db = trapped
    assert [r.path for r in blog.requests if family(r.path) == "disallowed"] == []
    conn = duckdb.connect(str(db), read_only=True)
    try:
        refused = conn.execute(
            "SELECT count(*) FROM frontier WHERE starts_with(url, ?) AND state = 'skipped'",
            [blog.base_url + "private/"],
        ).fetchone()
    finally:
        conn.close()
    assert refused is not None and refused[0] > 0, "the links were seen, and refused"


@pytest.mark.parametrize("path", ["/redirect/loop", "/redirect/self", "/redirect/chain/9"])
def test_redirect_loops_and_long_chains_end(
    hostile_server: HostileServer, tmp_path: Path, path: str
) -> None:
    hostile_server.robots_mode = "missing"
    hostile_server.add("/", f'<html><body><a href="{path}">x</a></body></html>'.encode())
    summary = run_crawl(
        CrawlConfig(
            seeds=(hostile_server.url("/"),),
            db_path=tmp_path / "c.duckdb",
            delay=0,
            parse_workers=0,
            guess_well_known=False,
            backoff=0.01,
        )
    )
    hops = [p for p in hostile_server.paths() if p.startswith("/redirect/")]
    assert len(hops) <= 6, hops  # at most 5 redirects followed, and never retried
    assert any("redirect" in reason for reason in summary["errors"]), summary["errors"]


def test_soft_404_catch_all_ends(hostile_server: HostileServer, tmp_path: Path) -> None:
    """Every unknown path answers 200 with a relative link one level deeper."""
    hostile_server.robots_mode = "missing"
    hostile_server.soft_404 = True
    hostile_server.add(
        "/", b'<html><body><a href="more/">more</a> <a href="x/">x</a></body></html>'
    )
    hostile_server.add(
        "/more/", b'<html><body><a href="more/">more</a> <a href="x/">x</a></body></html>'
    )
    run_crawl(
        CrawlConfig(
            seeds=(hostile_server.url("/"),),
            db_path=tmp_path / "c.duckdb",
            delay=0,
            parse_workers=0,
            guess_well_known=False,
        )
    )
    assert len(hostile_server.paths()) < 20, hostile_server.paths()
