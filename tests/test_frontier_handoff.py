"""The links every page repeats are handed to the frontier once per crawl, unless found again
with a better priority; the new ones can be fetched before the page that revealed them commits."""

from __future__ import annotations

import asyncio
from pathlib import Path

from corpus.db import open_corpus
from corpus.store import FrontierEntry, UrlMark, enqueue, mark_urls
from parsers.records import PageKind, ParsedPage
from scraper.config import CrawlConfig
from scraper.crawler import Crawler, Site, WorkItem
from scraper.scope import BlogScope

SEED = "http://blog.example/"
POST = "http://blog.example/2006/06/a-post/"
ABOUT = "http://blog.example/about/"
ELSEWHERE = "http://other.example/2006/06/their-post/"


def _crawler() -> Crawler:
    crawler = Crawler(CrawlConfig(seeds=(SEED,), db_path=Path("unused.duckdb")))
    crawler.sites["s"] = Site(seed=SEED, scope=BlogScope.from_seed(SEED, (), ()), site_id="s")
    return crawler


def _from(
    crawler: Crawler, url: str, kind: PageKind, discovered: tuple[str, ...]
) -> dict[str, int]:
    item = WorkItem(url, "s", 30, 1, "link", 0)
    parsed = ParsedPage(url=url, kind=kind, discovered=discovered)
    return {e.url: e.priority for e in crawler._new_entries(item, parsed)}


def test_repeated_links_are_handed_over_once() -> None:
    crawler = _crawler()
    first = _from(crawler, SEED, "listing", (POST, ABOUT, ELSEWHERE))
    assert set(first) == {POST, ABOUT}  # the other blog's post is out of scope
    # The same sidebar on the next page: nothing new for the frontier.
    assert _from(crawler, SEED + "page/2/", "listing", (ABOUT, POST)) == {}


def test_a_link_found_again_with_a_better_priority_is_handed_over_again() -> None:
    crawler = _crawler()
    as_link = _from(crawler, SEED, "listing", (ABOUT,))[ABOUT]
    # A feed lists it: feeds' URLs go before plain links.
    as_feed_item = _from(crawler, SEED + "feed/", "feed", (ABOUT,))
    assert as_feed_item[ABOUT] < as_link
    assert _from(crawler, SEED + "page/3/", "listing", (ABOUT,)) == {}


def test_urls_a_page_reveals_can_go_before_its_commit(tmp_path: Path) -> None:
    # A page's new URLs join the scheduler's window at once, in priority order, so a chain of
    # "older posts" pages does not wait for each page's commit. URLs the frontier already
    # holds stay with it: a done one must not be fetched again.
    crawler = Crawler(CrawlConfig(seeds=(SEED,), db_path=tmp_path / "c.duckdb"))
    crawler._conn = open_corpus(tmp_path / "c.duckdb")
    done = "http://blog.example/2006/05/done/"
    queued = "http://blog.example/page/2/"

    def entry(url: str, priority: int) -> FrontierEntry:
        return FrontierEntry(url=url, site_id="s", priority=priority, depth=2, found_via="link")

    enqueue(crawler.conn, [entry(done, 30), entry(queued, 30)])
    mark_urls(crawler.conn, [UrlMark(url=done, state="done")])
    crawler._read_window()
    assert [row[0] for row in crawler._window] == [queued]

    # Found again by a page (the frontier already holds two of them): it is asked.
    crawler._schedule_early(
        [entry(done, 10), entry(queued, 30), entry(POST, 10), entry(ABOUT, 60)],
        first_seen={done, queued, POST, ABOUT},
    )
    assert [(row[0], row[2]) for row in crawler._window] == [(POST, 10), (queued, 30), (ABOUT, 60)]
    item = asyncio.run(crawler._next_item())
    assert item is not None and item.url == POST
    crawler.conn.close()


def test_a_first_crawl_knows_without_asking_which_urls_are_new(tmp_path: Path) -> None:
    # Into a fresh corpus, every URL of the frontier was handed over by this run: one the run
    # had not seen before is new, one it had is the frontier's already.
    crawler = Crawler(CrawlConfig(seeds=(SEED,), db_path=tmp_path / "c.duckdb"))
    crawler._conn = open_corpus(tmp_path / "c.duckdb")
    crawler._start()
    assert crawler._frontier_fresh
    crawler._read_window()
    # The home page links to itself (already in the frontier: it is the seed) and to a post.
    site_id = next(iter(crawler.sites))
    parsed = ParsedPage(url=SEED, kind="listing", discovered=(SEED, POST))
    first_seen: set[str] = set()
    entries = crawler._new_entries(WorkItem(SEED, site_id, 5, 0, "seed", 0), parsed, first_seen)
    assert first_seen == {POST}
    crawler._conn.close()  # the frontier is not asked: a closed connection would fail
    crawler._schedule_early(entries, first_seen)
    assert POST in [row[0] for row in crawler._window]


def test_the_frontier_is_asked_in_bounded_statements(tmp_path: Path) -> None:
    # A sitemap may reveal 50,000 URLs at once: they are looked up a thousand at a time.
    crawler = Crawler(CrawlConfig(seeds=(SEED,), db_path=tmp_path / "c.duckdb"))
    crawler._conn = open_corpus(tmp_path / "c.duckdb")
    held = [f"http://blog.example/p/{n}/" for n in (5, 1500, 2400)]
    enqueue(
        crawler.conn,
        [FrontierEntry(url=u, site_id="s", priority=10, depth=1, found_via="link") for u in held],
    )
    asked = [f"http://blog.example/p/{n}/" for n in range(2500)] + ["http://blog.example/\x00/"]
    assert crawler._in_frontier(asked) == {*held, "http://blog.example/\x00/"}
    crawler.conn.close()


def test_a_tag_listing_that_lists_its_posts_hands_over_no_feeds() -> None:
    # A tag's own feed lists the newest of the posts its listing pages give anyway.
    crawler = _crawler()
    tag = "http://blog.example/tag/music/"
    tag_feed = "http://blog.example/tag/music/feed/"
    item = WorkItem(tag, "s", 40, 1, "link", 0)
    listing = ParsedPage(url=tag, kind="listing", entry_urls=(POST,), feed_urls=(tag_feed,))
    assert {e.url for e in crawler._new_entries(item, listing)} == {POST}
    # Drawn by a script (no posts of its own on the page): its feed is the way to them.
    scripted = ParsedPage(url=tag + "page/2/", kind="listing", feed_urls=(tag_feed,))
    assert {e.url for e in crawler._new_entries(item, scripted)} == {tag_feed}


def test_the_home_page_hands_over_the_blogs_feed() -> None:
    crawler = _crawler()
    home = ParsedPage(url=SEED, kind="listing", entry_urls=(POST,), feed_urls=(SEED + "feed/",))
    entries = crawler._new_entries(WorkItem(SEED, "s", 5, 0, "seed", 0), home)
    assert {e.url for e in entries} == {POST, SEED + "feed/"}
