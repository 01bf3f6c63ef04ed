"""Crawl three real blogs, mirrored in ../shared/data and served on 127.0.0.1.

Each crawl starts from the blog's home page, as a researcher's would, and the corpus is checked
against the blog's own tree and its comment feeds: every post found once, every comment on the
mirrored pages with its author and date, no trap URL requested. These crawls take a minute or
so each; `make test-mirrors` (run by CI) runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from parsers.extract import parse_document
from parsers.feeds import parse_feed
from sampleblog.server import RequestRecord, SiteServer
from scraper.config import CrawlConfig
from scraper.crawler import run_crawl
from tests.conftest import shared_path

pytestmark = pytest.mark.mirrors
TRAP = re.compile(r"replytocom|[?&]share=|utm_|sessionid|jsessionid|phpsessid", re.IGNORECASE)


@dataclass
class Crawled:
    base: str
    conn: duckdb.DuckDBPyConnection
    requests: list[RequestRecord]
    summary: dict[str, object]


def _atom_for_extensionless_feeds(path: str) -> str | None:
    # The Blogger mirror stores its feeds without an extension; Blogger serves them as Atom.
    if "/feeds/" in path and not Path(path).suffix:
        return "application/atom+xml; charset=UTF-8"
    return None


def _crawl(root: Path, start: str, tmp: Path) -> Iterator[Crawled]:
    server = SiteServer(root, content_type=_atom_for_extensionless_feeds)
    base = server.start()
    db = tmp / "mirror.duckdb"
    try:
        summary = run_crawl(
            CrawlConfig(seeds=(base + start,), db_path=db, delay=0, concurrency=4, parse_workers=2)
        )
        requests = list(server.requests)
    finally:
        server.stop()
    conn = duckdb.connect(str(db), read_only=True)
    conn.execute("SET TimeZone = 'UTC'")
    site = summary["sites"][0]  # type: ignore[index]
    print(
        f"\n{root.name}: {site['posts']} posts, {site['comments']} comments, "
        f"{len(requests)} requests, {len(requests) / max(site['posts'], 1):.2f} requests/post, "
        f"{summary['seconds']} s"
    )
    yield Crawled(base=base, conn=conn, requests=requests, summary=summary)
    conn.close()


def _no_traps(crawled: Crawled) -> None:
    traps = [r.path for r in crawled.requests if TRAP.search(r.path)]
    assert traps == []
    paths = [r.path for r in crawled.requests]
    assert len(paths) == len(set(paths)), "a URL was requested twice"


@pytest.fixture(scope="module")
def danvk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    yield from _crawl(shared_path("site_danvk_wordpress"), "wp/", tmp_path_factory.mktemp("dk"))


@pytest.fixture(scope="module")
def lafuite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    yield from _crawl(shared_path("site_lafuite_blogger"), "", tmp_path_factory.mktemp("lf"))


@pytest.fixture(scope="module")
def robshouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    yield from _crawl(shared_path("site_robshouse_drupal"), "", tmp_path_factory.mktemp("rh"))


def _post_urls(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT url FROM posts WHERE NOT is_page").fetchall()]


def _minute(when: datetime | None) -> datetime | None:
    return when.replace(second=0, microsecond=0) if when else None


def test_danvk_wordpress_every_post_and_comment(danvk: Crawled) -> None:
    root = shared_path("site_danvk_wordpress")
    expected = {
        danvk.base + p.parent.relative_to(root).as_posix() + "/"
        for p in root.glob("wp/[12][0-9][0-9][0-9]-*/*/index.html")
    }
    assert len(expected) == 215
    found = _post_urls(danvk.conn)
    assert sorted(found) == sorted(expected)

    stored = {
        (r[0], r[1]): (r[2], r[3], r[4])
        for r in danvk.conn.execute(
            "SELECT p.url, c.platform_id, c.author_name, c.published_at, c.published_tz_known "
            "FROM comments c JOIN posts p USING (post_id)"
        ).fetchall()
    }
    checked = matched = 0
    for feed_file in root.glob("wp/[12][0-9][0-9][0-9]-*/*/feed/index.html"):
        post_url = danvk.base + feed_file.parent.parent.relative_to(root).as_posix() + "/"
        feed = parse_feed(feed_file.read_bytes(), post_url + "feed/")
        for comment in feed.comments:
            page = root / feed_file.parent.parent.relative_to(root) / "index.html"
            if f'id="comment-{comment.platform_id}"' not in page.read_text(encoding="utf-8"):
                continue  # on a comment page the mirror does not have
            checked += 1
            author, when, exact = stored.get((post_url, comment.platform_id), (None, None, None))
            if author != comment.author_name or when is None or comment.published_at is None:
                continue
            if exact:  # the feed's instant, merged in
                matched += when == comment.published_at
            else:  # the page's wall-clock reading: the blog kept UTC-7 all year
                wall = comment.published_at.replace(tzinfo=None) - timedelta(hours=7)
                matched += _minute(when.replace(tzinfo=None)) == _minute(wall)
    print(f"danvk: {matched}/{checked} feed comments found with author and date")
    assert checked == 293
    assert matched / checked >= 0.98
    _no_traps(danvk)


def test_lafuite_blogger_every_post_and_comment(lafuite: Crawled) -> None:
    root = shared_path("site_lafuite_blogger")
    expected = {
        lafuite.base + p.relative_to(root).as_posix()
        for p in root.glob("20[0-9][0-9]/[01][0-9]/*.html")
        if not p.name.startswith("index")
    }
    assert len(expected) == 51
    assert sorted(_post_urls(lafuite.conn)) == sorted(expected)

    stored = {
        r[0]: (r[1], r[2], r[3])
        for r in lafuite.conn.execute(
            "SELECT platform_id, author_name, published_at, text FROM comments"
        ).fetchall()
    }
    total = matched = 0
    for feed_file in root.glob("feeds/*/comments/default"):
        feed = parse_feed(feed_file.read_bytes(), lafuite.base + "feeds/x/comments/default")
        for comment in feed.comments:
            total += 1
            author, when, text = stored.get(comment.platform_id, (None, None, ""))
            same_author = author == comment.author_name or {author, comment.author_name} == {
                "Anonyme",
                "Anonymous",
            }
            same_time = _minute(when) == _minute(comment.published_at)
            if same_author and same_time and text.split() == comment.text.split():
                matched += 1
    print(f"lafuite: {matched}/{total} feed comments found with author, date and text")
    assert total == 180
    assert matched / total >= 0.98
    # Every comment came with its post's page: none of their permalinks, each the post again
    # ("post.html%3FshowComment=<time>.html" in this mirror), was fetched.
    assert [r.path for r in lafuite.requests if "showComment" in r.path] == []
    # The template declares no language; the blog's is the one its posts are written in.
    assert lafuite.conn.execute("SELECT language FROM sites").fetchall() == [("fr",)]
    _no_traps(lafuite)


def test_robshouse_drupal_every_blog_post_once(robshouse: Crawled) -> None:
    root = shared_path("site_robshouse_drupal")
    blog_nodes = [
        p
        for p in (root / "node").glob("*.html")
        if "node-type-blog" in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert len(blog_nodes) == 60
    stored = {
        r[0]
        for r in robshouse.conn.execute("SELECT post_id FROM posts WHERE NOT is_page").fetchall()
    }
    # Each blog post is mirrored twice, as node/<n> and as its alias: both are one post.
    for node in blog_nodes:
        url = robshouse.base + node.relative_to(root).as_posix()
        parsed = parse_document(node.read_bytes(), url, "text/html")
        assert parsed.post is not None, node
        assert parsed.post.post_id in stored, f"{node.name} is not in the corpus"
    urls = _post_urls(robshouse.conn)
    assert len(urls) == len(set(urls))
    assert not any("/node/" in urlsplit(u).path for u in urls)
    _no_traps(robshouse)
