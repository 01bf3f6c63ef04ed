"""A listing's entries (the posts it shows under linked headings) are fetched like posts, even
where their addresses look like nothing in particular."""

from __future__ import annotations

from pathlib import Path

from parsers.extract import parse_document
from parsers.records import ParsedPage
from scraper.config import CrawlConfig
from scraper.crawler import Crawler, Site, WorkItem
from scraper.scope import BlogScope
from tests.conftest import shared_path

BASE = "http://blog.example/"


def _parse(*parts: str, url: str) -> ParsedPage:
    return parse_document(shared_path(*parts).read_bytes(), url, "text/html")


def test_a_drupal_listing_names_its_posts_and_not_its_tags_or_menus() -> None:
    page = _parse("site_robshouse_drupal", "blog1448.html", url=BASE + "blog1448.html?page=10")
    assert page.kind == "listing"
    assert page.entry_urls == (
        BASE + "content/grincom-publishes-crowdsourced-musical-score-bach%C2%B4s-goldberg-"
        "variations-new-partnership-open.html",
        BASE + "content/abcs-drupalcon-munich.html",
        BASE + "content/kimikos-goldberg-variations-cd.html",
    )
    # Menus, tags and the sidebar are still followed, as plain links.
    assert BASE + "tags/music.html" in page.discovered
    assert BASE + "tags/music.html" not in page.entry_urls


def test_blogger_and_wordpress_listings_name_their_posts() -> None:
    blogger = _parse("site_lafuite_blogger", "index.html", url=BASE)
    assert len(blogger.entry_urls) == 7
    assert all(u.startswith(BASE + "20") and u.endswith(".html") for u in blogger.entry_urls)
    wordpress = _parse("site_danvk_wordpress", "wp", "index.html", url=BASE + "wp/")
    posts = [u for u in wordpress.entry_urls if u.startswith(BASE)]
    assert len(posts) == 5
    assert posts[0] == BASE + "wp/2014-10-09/moving-to-github-pages/"


def test_a_post_page_names_no_entries() -> None:
    # Headings inside a post (or its "related posts") are not a listing's entries.
    post = _parse(
        "site_danvk_wordpress", "wp", "2014-10-09", "moving-to-github-pages", "index.html",
        url=BASE + "wp/2014-10-09/moving-to-github-pages/",
    )  # fmt: skip
    assert post.kind == "post"
    assert post.entry_urls == ()


def test_entries_go_before_plain_links_and_listings() -> None:
    crawler = Crawler(CrawlConfig(seeds=(BASE,), db_path=Path("unused.duckdb")))
    crawler.sites["s"] = Site(seed=BASE, scope=BlogScope.from_seed(BASE, (), ()), site_id="s")
    entry = BASE + "content/some-post.html"
    more = BASE + "blog?page=2"
    about = BASE + "about.html"
    parsed = ParsedPage(
        url=BASE, kind="listing", discovered=(about, more, entry), entry_urls=(entry,)
    )
    handed = crawler._new_entries(WorkItem(BASE, "s", 30, 0, "seed", 0), parsed)
    by_url = {e.url: e for e in handed}
    assert by_url[entry].found_via == "entry"
    assert by_url[entry].priority < by_url[more].priority < by_url[about].priority
