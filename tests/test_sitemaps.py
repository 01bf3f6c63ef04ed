"""Sitemaps: urlset, index, gzip, plain text, feeds in their place, and garbage."""

from __future__ import annotations

import gzip
import re
import time
import zlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.sitemaps import MAX_SITEMAP_BYTES, Sitemap, parse_sitemap
from tests.conftest import shared_path

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://blog.example/2024/01/first/</loc><lastmod>2024-01-05T10:00:00+01:00</lastmod></url>
  <url><loc> https://blog.example/2024/02/second/ </loc><lastmod>2024-02-01</lastmod></url>
  <url><loc>https://blog.example/about/</loc></url>
</urlset>"""

WP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="https://blog.example/wp-sitemap-index.xsl" ?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://blog.example/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc>https://blog.example/wp-sitemap-posts-page-1.xml</loc></sitemap>
<sitemap><loc>https://blog.example/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>
</sitemapindex>"""


def test_urlset_pages_and_lastmod() -> None:
    sitemap = parse_sitemap(URLSET, "https://blog.example/sitemap.xml")
    assert sitemap.pages == (
        ("https://blog.example/2024/01/first/", datetime(2024, 1, 5, 9, 0, tzinfo=UTC)),
        ("https://blog.example/2024/02/second/", datetime(2024, 2, 1, tzinfo=UTC)),
        ("https://blog.example/about/", None),
    )
    assert sitemap.sitemaps == ()
    assert sitemap.problems == ()


def test_wordpress_sitemap_index() -> None:
    sitemap = parse_sitemap(WP_INDEX, "https://blog.example/wp-sitemap.xml")
    assert sitemap.pages == ()
    assert sitemap.sitemaps == (
        "https://blog.example/wp-sitemap-posts-post-1.xml",
        "https://blog.example/wp-sitemap-posts-page-1.xml",
        "https://blog.example/wp-sitemap-taxonomies-category-1.xml",
    )


def test_gzip_body_is_inflated() -> None:
    sitemap = parse_sitemap(gzip.compress(URLSET), "https://blog.example/sitemap.xml.gz")
    assert [loc for loc, _ in sitemap.pages] == [
        "https://blog.example/2024/01/first/",
        "https://blog.example/2024/02/second/",
        "https://blog.example/about/",
    ]


def test_gzip_bomb_is_capped() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b" " * (1024 * 1024)
    bomb = b"".join(compressor.compress(chunk) for _ in range(MAX_SITEMAP_BYTES // len(chunk) + 20))
    bomb += compressor.flush()
    assert len(bomb) < 200_000
    started = time.monotonic()
    sitemap = parse_sitemap(bomb, "https://blog.example/sitemap.xml.gz")
    assert time.monotonic() - started < 10
    assert sitemap.pages == ()
    assert any("inflates past" in p for p in sitemap.problems)


def test_corrupt_and_short_gzip() -> None:
    assert parse_sitemap(b"\x1f\x8bnot really gzip", "https://x.example/s.gz").problems
    truncated = gzip.compress(URLSET)[:-30]
    sitemap = parse_sitemap(truncated, "https://x.example/s.gz")
    assert any("incomplete" in p for p in sitemap.problems)


def test_plain_text_sitemap() -> None:
    body = b"https://blog.example/a/\r\n\r\nhttps://blog.example/b/\n  https://blog.example/c/  \n"
    sitemap = parse_sitemap(body, "https://blog.example/sitemap.txt")
    assert [loc for loc, _ in sitemap.pages] == [
        "https://blog.example/a/",
        "https://blog.example/b/",
        "https://blog.example/c/",
    ]
    assert sitemap.problems == ()


def test_robots_txt_is_reported_not_guessed() -> None:
    body = b"User-agent: *\nDisallow: /wp-admin/\nSitemap: https://blog.example/wp-sitemap.xml\n"
    sitemap = parse_sitemap(body, "https://blog.example/robots.txt")
    assert sitemap.pages == () and sitemap.sitemaps == ()
    assert any("3 lines are not URLs" in p for p in sitemap.problems)
    assert any("not a sitemap" in p for p in sitemap.problems)


def test_html_and_binary_are_not_sitemaps() -> None:
    html = parse_sitemap(b"<!DOCTYPE html><html><body>404</body></html>", "https://x.example/s")
    assert html.pages == () and any("not a sitemap" in p for p in html.problems)
    binary = parse_sitemap(b"\x89PNG\r\n\x1a\n\x00\x00", "https://x.example/s")
    assert binary.pages == () and any("binary" in p for p in binary.problems)
    assert parse_sitemap(b"", "https://x.example/s").problems


def test_missing_loc_relative_loc_and_bad_lastmod_are_reported() -> None:
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><lastmod>2024-01-01</lastmod></url>"
        b"<url><loc>/p/1</loc><lastmod>last tuesday</lastmod></url></urlset>"
    )
    sitemap = parse_sitemap(body, "https://blog.example/sitemap.xml")
    assert sitemap.pages == (("https://blog.example/p/1", None),)
    assert len(sitemap.problems) == 3


def test_feed_used_as_sitemap() -> None:
    body = (
        b"<rss version='2.0'><channel><title>B</title><item><link>https://b.example/p/</link>"
        b"<pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate></item></channel></rss>"
    )
    sitemap = parse_sitemap(body, "https://b.example/feed/")
    assert sitemap.pages == (("https://b.example/p/", datetime(2024, 1, 1, tzinfo=UTC)),)


def test_url_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.sitemaps

    monkeypatch.setattr(parsers.sitemaps, "MAX_SITEMAP_URLS", 5)
    urls = b"".join(b"<url><loc>https://b.example/%d</loc></url>" % i for i in range(12))
    sitemap = parse_sitemap(b"<urlset>" + urls + b"</urlset>", "https://b.example/s.xml")
    assert len(sitemap.pages) == 5
    assert any("only the first 5" in p for p in sitemap.problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_parse_sitemap_never_raises(body: bytes) -> None:
    assert isinstance(parse_sitemap(body, "https://x.example/sitemap.xml"), Sitemap)


@pytest.mark.shared
def test_real_sitemaps() -> None:
    drupal = shared_path("site_robshouse_drupal", "sitemap.xml")
    data = drupal.read_bytes()
    sitemap = parse_sitemap(data, "https://robshouse.net/sitemap.xml")
    assert len(sitemap.pages) == len(re.findall(rb"<loc>", data)) == 200
    assert sitemap.pages[0] == (
        "https://robshouse.net/",
        datetime(2025, 4, 16, 17, 47, 6, tzinfo=UTC),
    )
    assert sitemap.problems == ()

    resources = shared_path("trafilatura_eval", "tests", "resources")
    plain = parse_sitemap((resources / "sitemap.xml").read_bytes(), "https://www.sitemaps.org/s")
    packed = parse_sitemap(
        (resources / "sitemap.xml.gz").read_bytes(), "https://www.sitemaps.org/s"
    )
    assert len(plain.pages) == 84
    assert packed.pages == plain.pages
    index = parse_sitemap((resources / "sitemap2.xml").read_bytes(), "http://www.example.com/s")
    # The second <loc> is wrapped in CDATA.
    assert index.sitemaps == (
        "http://www.example.com/sitemap1.xml.gz",
        "http://www.example.com/sitemap2.xml.gz",
    )
    hreflang = parse_sitemap(
        (resources / "sitemap-hreflang.xml").read_bytes(), "http://www.example.com/s"
    )
    assert [loc for loc, _ in hreflang.pages] == [
        "http://www.example.com/english/page.html",
        "http://www.example.com/deutsch/page.html",
        "http://www.example.com/schweiz-deutsch/page.html",
    ]
