"""The links every page repeats are handed to the frontier once per crawl, unless found again
with a better priority."""

from __future__ import annotations

from pathlib import Path

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
