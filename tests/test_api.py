"""WordPress's REST post listing as a discovery source."""

from __future__ import annotations

import json

from parsers.api import is_wordpress_listing, parse_wordpress_listing, wordpress_posts_url
from parsers.extract import parse_document
from scraper.scope import TrapGuard


def _listing(n: int, start: int = 0) -> bytes:
    return json.dumps(
        [
            {"id": i, "link": f"http://blog.example/{2010 + i % 5}/01/0{1 + i % 9}/post-{i}/"}
            for i in range(start, start + n)
        ]
    ).encode()


def test_listing_url_for_pretty_and_plain_permalinks() -> None:
    pretty = wordpress_posts_url("http://blog.example/wp-json/")
    assert pretty.startswith("http://blog.example/wp-json/wp/v2/posts?")
    assert "per_page=100" in pretty and "page=1" in pretty
    plain = wordpress_posts_url("http://blog.example/?rest_route=/")
    assert plain.startswith("http://blog.example/?") and "rest_route=%2Fwp%2Fv2%2Fposts" in plain
    assert is_wordpress_listing(pretty) and is_wordpress_listing(plain)
    assert not is_wordpress_listing("http://blog.example/wp-json/wp/v2/users")


def test_a_full_page_names_the_next_one_a_short_page_ends() -> None:
    first = wordpress_posts_url("http://blog.example/wp-json/")
    full = parse_wordpress_listing(_listing(100), first)
    assert len(full.post_urls) == 100
    assert full.next_url is not None and "page=2" in full.next_url
    last = parse_wordpress_listing(_listing(7, 100), full.next_url)
    assert len(last.post_urls) == 7 and last.next_url is None


def test_bad_json_is_a_problem_not_a_crash() -> None:
    url = wordpress_posts_url("http://blog.example/wp-json/")
    for body in (b"<html>rest disabled</html>", b'{"code": "rest_disabled"}', b"[1, 2, null]"):
        listing = parse_wordpress_listing(body, url)
        assert listing.post_urls == () and listing.next_url is None


def test_pages_announce_the_api_and_listings_are_parsed_as_feeds() -> None:
    page = (
        b'<html><head><link rel="https://api.w.org/" href="http://blog.example/wp-json/">'
        b"</head><body class='home blog'><article><h2>a</h2></article></body></html>"
    )
    parsed = parse_document(page, "http://blog.example/", "text/html")
    listing_url = next(u for u in parsed.feed_urls if "wp-json" in u)
    assert TrapGuard().reason_to_skip(listing_url, 1) is None
    listing = parse_document(_listing(3), listing_url, "application/json; charset=UTF-8")
    assert listing.kind == "feed"
    assert len(listing.discovered) == 3 and listing.next_urls == ()
