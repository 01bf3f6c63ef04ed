"""Publication dates that came out wrong on real pages of the evaluation sets.

Each case is a pattern seen there: a small page built the same way, and where the shared data
is present, the real page too.
"""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path

from parsers.extract import parse_document
from tests.conftest import shared_path

_TEXT = (
    "<p>Over the past few years we have seen threats on the web becoming increasingly "
    "sophisticated, and phishing sites rotate their domains very quickly to avoid being "
    "blocked by the lists that browsers share with each other.</p>"
)


def _published(html: str | bytes, url: str) -> datetime | None:
    data = html.encode("utf-8") if isinstance(html, str) else html
    parsed = parse_document(data, url, "text/html", assume_post=True)
    assert parsed.post is not None
    return parsed.post.published_at


def _page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _trafilatura_page(name: str) -> bytes:
    root = shared_path("trafilatura_eval", "tests")
    cached = root / "cache" / name
    return _page(cached if cached.exists() else root / "eval" / name)


def test_a_utc_stamp_past_midnight_keeps_the_day_the_address_shows() -> None:
    # New York at 21:25 is 02:25 the next day in UTC; the address has the local day.
    html = (
        '<html><head><meta property="article:published_time" content="2020-02-25T02:25:54+00:00">'
        f"</head><body><article><h1>Exit</h1>{_TEXT}</article></body></html>"
    )
    published = _published(html, "https://news.example.com/2020/02/24/exit/")
    assert published is not None
    assert published.date() == date(2020, 2, 24)
    # The same instant, only seen from a zone where it is still the 24th.
    assert published == datetime.fromisoformat("2020-02-25T02:25:54+00:00")


def test_a_stamp_with_its_own_offset_is_not_moved_to_the_address_day() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2020-02-25T08:00:00+01:00">'
        f"</head><body><article><h1>Exit</h1>{_TEXT}</article></body></html>"
    )
    published = _published(html, "https://news.example.com/2020/02/24/exit/")
    assert published == datetime.fromisoformat("2020-02-25T08:00:00+01:00")


def test_real_pages_dated_in_utc_get_the_local_day() -> None:
    cases = {
        "pagesix.com.myers.html": (
            "https://pagesix.com/2020/02/24/former-wh-press-secretary-dee-dee-myers-exits-"
            "warner-bros-role/",
            date(2020, 2, 24),
        ),
        "literaturgefluester.wordpress.com.jahr.html": (
            "https://literaturgefluester.wordpress.com/2019/01/01/ins-neue-jahr-4/",
            date(2019, 1, 1),
        ),
    }
    for name, (url, day) in cases.items():
        published = _published(_trafilatura_page(name), url)
        assert published is not None and published.date() == day, name


def test_json_ld_in_a_cdata_section_is_read_and_gives_the_first_release() -> None:
    # Open Graph names the last edit as the publication; JSON-LD, wrapped in CDATA, calls
    # that same instant dateModified and gives the first release.
    html = (
        '<html><head><meta property="article:published_time" content="2024-12-07T12:43:39Z">'
        '<script type="application/ld+json">\n<![CDATA[\n{"@context": "http://schema.org", '
        '"@type": "NewsArticle", "headline": "Martial law", '
        '"datePublished": "2024-12-06T22:00:40Z", "dateModified": "2024-12-07T12:43:39Z"}\n'
        "]]>\n</script></head>"
        f"<body><article><h1>Martial law</h1>{_TEXT}</article></body></html>"
    )
    published = _published(html, "https://news.example.com/world/martial-law")
    assert published == datetime.fromisoformat("2024-12-06T22:00:40+00:00")


def test_a_time_element_holding_display_text_yields_to_the_head() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2015-09-17T16:57:43+01:00">'
        '</head><body><article><h1>Winter</h1><time datetime="17:00, 24 December 2015">'
        f"Friday 25 December 2015</time>{_TEXT}</article></body></html>"
    )
    published = _published(html, "https://news.example.com/winter")
    assert published is not None and published.date() == date(2015, 9, 17)


def test_a_time_element_holding_display_text_is_read_when_nothing_else_dates_the_post() -> None:
    html = (
        '<html><head></head><body><article><h1>Winter</h1><time datetime="17:00, 24 December '
        f'2015">Friday 25 December 2015</time>{_TEXT}</article></body></html>'
    )
    published = _published(html, "https://news.example.com/winter")
    assert published is not None and published.date() == date(2015, 12, 24)


def test_real_readability_pages_get_their_publication_day() -> None:
    root = shared_path("readability_testpages", "test", "test-pages")
    cases = {
        "schema-org-context-object": date(2024, 12, 6),
        "bug-1255978": date(2015, 9, 17),
    }
    for name, day in cases.items():
        published = _published(_page(root / name / "source.html"), "http://fakehost/test/page.html")
        assert published is not None and published.date() == day, name
