"""The crawl's coverage: the share of the posts and pages a blog's sitemap lists that it got.

A sitemap lists more than posts (tag pages, every page of every listing), and it may list
addresses on another host or ones that are gone. Those fetched and found to be something else
leave the count; those not fetched, or that failed, count as missed.
"""

from __future__ import annotations

from pathlib import Path

from sampleblog.server import SiteServer
from scraper.config import CrawlConfig
from scraper.crawler import run_crawl

_TEXT = "<p>A sentence long enough to be read as the body of this post, and more. </p>" * 5


def _post(title: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><div class='post'><h2>{title}</h2>"
        f"<div class='entry-content'>{_TEXT}</div></div></body></html>"
    )


def _listing(*posts: str) -> str:
    items = "".join(
        f"<article><h2><a href='{url}'>A post</a></h2><p>A teaser.</p></article>" for url in posts
    )
    return f"<html><head><title>Posts</title></head><body>{items}</body></html>"


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def _crawl(root: Path, sitemap: list[str], tmp_path: Path) -> dict[str, object]:
    server = SiteServer(root)
    base = server.start()
    try:
        urls = "".join(f"<url><loc>{u.replace('BASE/', base)}</loc></url>" for u in sitemap)
        _write(
            root,
            "sitemap.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        )
        summary = run_crawl(
            CrawlConfig(seeds=(base,), db_path=tmp_path / "c.duckdb", delay=0, parse_workers=0)
        )
    finally:
        server.stop()
    site: dict[str, object] = summary["sites"][0]
    return site


def test_listings_and_other_hosts_in_the_sitemap_do_not_lower_coverage(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _write(root, "/", _listing("/2024/01/first/"))
    _write(root, "/2024/01/first/", _post("First"))
    _write(root, "/2024/02/second/", _post("Second"))
    _write(root, "/tag/misc/", _listing("/2024/01/first/", "/2024/02/second/"))
    site = _crawl(
        root,
        [
            "BASE/",
            "BASE/2024/01/first/",
            "BASE/2024/02/second/",
            "BASE/tag/misc/",
            "https://elsewhere.example/2024/01/not-this-blog/",
        ],
        tmp_path,
    )
    assert site["posts"] == 2
    # Five addresses listed, one on another host; the home page and the tag page are listings.
    assert site["coverage"] == 1.0


def test_a_listed_post_that_is_gone_counts_as_missed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _write(root, "/", _listing("/2024/01/first/"))
    _write(root, "/2024/01/first/", _post("First"))
    _write(root, "/2024/02/second/", _post("Second"))
    site = _crawl(
        root,
        ["BASE/2024/01/first/", "BASE/2024/02/second/", "BASE/2024/03/gone/", "BASE/"],
        tmp_path,
    )
    assert site["posts"] == 2
    assert site["coverage"] == round(2 / 3, 3)


def test_a_sitemap_of_another_host_alone_gives_no_coverage(tmp_path: Path) -> None:
    # A mirror keeps the original site's sitemap: every address in it is elsewhere.
    root = tmp_path / "site"
    _write(root, "/", _listing("/2024/01/first/"))
    _write(root, "/2024/01/first/", _post("First"))
    site = _crawl(root, ["https://elsewhere.example/2024/01/first/"], tmp_path)
    assert site["posts"] == 1
    assert site["coverage"] is None
