"""Static pages ("About", "Contact") in a crawl: read as pages, and never given a made-up date."""

from __future__ import annotations

from parsers.extract import parse_document
from tests.conftest import shared_path


def test_blogger_static_pages_get_no_date_from_their_sidebar() -> None:
    """lafuite's pages under ``/p/`` state no date. Searching their text found one only in the
    sidebar's archive or the footer: 1 January 2013 for all ten. A page keeps its title and
    author and has no date."""
    root = shared_path("site_lafuite_blogger", "p")
    pages = sorted(root.glob("*.html"))
    assert len(pages) == 10
    for path in pages:
        url = f"http://lafuite.blogspot.com/p/{path.name}"
        page = parse_document(path.read_bytes(), url, "text/html")
        assert page.kind == "page", url
        assert page.post is not None, url
        assert page.post.title, url
        assert page.post.author_name in {"André", "Marie-Claude"}, url
        assert page.post.published_at is None, url


def test_a_page_the_user_calls_an_article_still_gets_the_text_search_for_its_date() -> None:
    """``extract --as-post`` says the page is an article: there the date may come from its text."""
    html = (
        "<html><body><div class='post hentry'><h3 class='post-title'>Note</h3>"
        "<div class='post-body'><p>Written on 14 March 2009, after a long day of travel through "
        "the mountains, this note tells of the road and the people met along the way.</p>"
        "</div></div></body></html>"
    )
    url = "http://example.org/p/note.html"
    as_crawled = parse_document(html.encode(), url, "text/html")
    as_article = parse_document(html.encode(), url, "text/html", assume_post=True)
    assert as_crawled.kind == "page"
    assert as_crawled.post is not None and as_crawled.post.published_at is None
    assert as_article.post is not None and as_article.post.published_at is not None
    assert as_article.post.published_at.date().isoformat() == "2009-03-14"


def test_a_wordpress_page_with_comments_keeps_them_under_its_own_title() -> None:
    """danvk.org's project pages ("dragtable", 166 comments) sit in no post markup: the
    comment list (``ol#commentlist``) is what says they are read like posts. Their document
    title opens with the site's name, which the theme also prints as its first heading."""
    root = shared_path("site_danvk_wordpress", "wp")
    expected = {
        "dragtable": ("dragtable: Visually reorder all your table columns", 166),
        "gw-basic-program-decoder": ("GW-Basic Program Decoder", 5),
        "beals-conjecture": ("Beal’s Conjecture", 29),
    }
    for name, (title, comments) in expected.items():
        url = f"http://www.danvk.org/wp/{name}/"
        page = parse_document((root / name / "index.html").read_bytes(), url, "text/html")
        assert page.kind == "page", url
        assert page.post is not None and page.post.title == title, url
        assert len(page.comments) == comments, url
        assert {c.post_id for c in page.comments} == {page.post.post_id}, url
