"""A post's publication date as its page states it, on real themes.

Themes print dates in many shapes. Drupal's "Fri, 12/19/2008 - 16:47" carries the exact
instant in RDFa; danvk.org's classic WordPress theme prints "10.03.06" (month first) in one
element and "at 12:12 am" in the byline, with the day also in the address.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from parsers.dates import date_in_url
from parsers.extract import parse_document
from tests.conftest import shared_path

DANVK = "http://www.danvk.org/"


def _danvk_posts(root: Path) -> list[tuple[str, bytes]]:
    pages = sorted(root.glob("wp/20??-??-??/*/index.html"))
    return [(DANVK + str(p.relative_to(root).parent) + "/", p.read_bytes()) for p in pages]


def test_a_month_first_date_is_read_on_the_day_the_address_names() -> None:
    root = shared_path("site_danvk_wordpress")
    page = root / "wp" / "2006-10-03" / "the-pandas-thumb" / "index.html"
    parsed = parse_document(
        page.read_bytes(), DANVK + "wp/2006-10-03/the-pandas-thumb/", "text/html"
    )
    assert parsed.post is not None
    # "10.03.06" and "Posted in books, reviews, science at 12:12 am by danvk"
    assert parsed.post.published_at == datetime(2006, 10, 3, 0, 12)


def test_every_danvk_post_is_dated_on_its_address_day_with_the_bylines_time() -> None:
    posts = _danvk_posts(shared_path("site_danvk_wordpress"))
    assert len(posts) > 200
    off_day, without_time, comments_before_post = [], 0, 0
    for url, body in posts:
        parsed = parse_document(body, url, "text/html")
        assert parsed.post is not None and parsed.post.published_at is not None, url
        published = parsed.post.published_at
        if published.date() != date_in_url(url):
            off_day.append(url)
        without_time += published.time() == datetime.min.time()
        comments_before_post += sum(
            1
            for c in parsed.comments
            if c.published_at is not None and c.published_at.replace(tzinfo=None) < published
        )
    assert off_day == []
    # One post was published at midnight ("at 12:00 am"); every other byline has its time.
    assert without_time <= 1
    assert comments_before_post == 0


def test_drupal_rdfa_date_keeps_its_seconds_and_zone() -> None:
    page = shared_path("site_robshouse_drupal") / "node" / "101.html"
    parsed = parse_document(page.read_bytes(), "http://robshouse.net/node/101", "text/html")
    assert parsed.post is not None
    # Shown as "Fri, 12/19/2008 - 16:47"; content="2008-12-19T16:47:11+00:00".
    assert parsed.post.published_at == datetime(2008, 12, 19, 16, 47, 11, tzinfo=UTC)


def test_the_day_in_an_address_with_hyphens_or_slashes() -> None:
    assert date_in_url("http://a.example/wp/2006-10-03/a-post/") == date(2006, 10, 3)
    assert date_in_url("http://a.example/2021/03/05/a-post/") == date(2021, 3, 5)
    assert date_in_url("http://a.example/2021-2022-season/") is None
    assert date_in_url("http://a.example/2021/13/05/") is None


def _page(date_text: str, byline: str) -> bytes:
    return (
        "<html><head><title>A post</title></head><body><div class='post'>"
        f"<h2>A post</h2><div class='storydate'>{date_text}</div>"
        f"<p class='meta'>{byline}</p><div class='entry'>"
        + "<p>A sentence long enough to be read as the body of this post. </p>" * 6
        + "</div></div></body></html>"
    ).encode()


def test_day_and_month_stay_as_read_when_the_address_does_not_settle_them() -> None:
    # No day in the address: the language's order stands (day first without a language).
    parsed = parse_document(_page("10.03.06", "at 9:05 pm"), "http://a.example/a-post/", None)
    assert parsed.post is not None
    assert parsed.post.published_at == datetime(2006, 3, 10, 21, 5)
    # The address names another day altogether: no swap makes them agree, nothing changes.
    parsed = parse_document(
        _page("10.03.06", "Posted at noon"), "http://a.example/2006/05/01/a-post/", None
    )
    assert parsed.post is not None
    assert parsed.post.published_at == datetime(2006, 3, 10)


def test_no_date_from_a_namespace_address_or_a_bare_year() -> None:
    # Drupal's static pages carry no date; trafilatura's search found "2000/01" in
    # xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#", then "2015" in a sidebar link.
    root = shared_path("site_robshouse_drupal")
    for name in ("309", "296", "221", "291"):
        page = root / "node" / f"{name}.html"
        parsed = parse_document(page.read_bytes(), f"http://robshouse.net/node/{name}", None)
        assert parsed.post is not None
        assert parsed.post.published_at is None, name
