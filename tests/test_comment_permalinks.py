"""A comment's own link shows its post again: the crawl does not follow it.

Blogger gives every comment a permalink, the post's address plus ``?showComment=<time>``
(``%3FshowComment=`` in a mirror's file names). Followed, each one fetches the whole post again:
180 extra fetches of 51 posts on the lafuite mirror. When a page holds all of its post's
comments (no further comment pages), those links are left out of what the page reveals.
"""

from __future__ import annotations

from parsers.extract import parse_document
from tests.conftest import shared_path

POST = "http://blog.example/2012/09/post.html"


def _post_page(comments: str, pages: str = "") -> bytes:
    text = "<p>" + "The text of the post, long enough to be read as its body. " * 6 + "</p>"
    return (
        "<html><head><title>A post</title>"
        '<meta property="article:published_time" content="2012-09-10T10:00:00Z">'
        '<meta name="generator" content="Blogger"></head><body>'
        f"<div class='post hentry'><h3 class='post-title'>A post</h3>"
        f"<div class='post-body entry-content'>{text}</div></div>"
        f"<div class='comments' id='comments'><dl id='comments-block'>{comments}</dl>{pages}</div>"
        "<a href='http://blog.example/2012/08/older.html'>An older post</a>"
        "</body></html>"
    ).encode()


def _comment(number: int) -> str:
    stamp = 1347277500000 + number * 60000
    return (
        f"<dt class='comment-author' id='c{number}'><a name='c{number}'></a>"
        f"<a href='http://example.net/reader{number}'>Reader {number}</a> a dit…</dt>"
        f"<dd class='comment-body'><p>Comment number {number}, with something to say.</p></dd>"
        "<dd class='comment-footer'><span class='comment-timestamp'>"
        f"<a href='{POST}?showComment={stamp}#c{number}' title='comment permalink'>"
        "10 septembre 2012</a></span></dd>"
    )


def test_permalinks_of_comments_all_on_the_page_are_not_followed() -> None:
    page = parse_document(_post_page(_comment(1) + _comment(2)), POST, "text/html")
    assert len(page.comments) == 2
    assert not [url for url in page.discovered if "showComment" in url]
    assert "http://blog.example/2012/08/older.html" in page.discovered


def test_permalinks_are_followed_when_the_comments_go_on_elsewhere() -> None:
    # With further comment pages, a permalink may be the only way to a comment's page.
    pages = f"<a class='comment-pager' href='{POST}?commentPage=2'>Newer comments</a>"
    page = parse_document(_post_page(_comment(1) + _comment(2), pages), POST, "text/html")
    assert f"{POST}?commentPage=2" in page.next_urls
    assert len([url for url in page.discovered if "showComment" in url]) == 2


def test_a_real_blogger_post_reveals_no_comment_permalinks() -> None:
    path = shared_path("site_lafuite_blogger", "2013", "04", "le-premier-chapitre-est-acheve.html")
    url = "http://127.0.0.1:8000/2013/04/le-premier-chapitre-est-acheve.html"
    page = parse_document(path.read_bytes(), url, "text/html")
    assert len(page.comments) == 5
    assert [u for u in page.discovered if "showComment" in u] == []
    # The rest of what the page links to is still there: the next post, the archive.
    assert "http://127.0.0.1:8000/2013/04/nouvelles-pages-dinformations.html" in page.next_urls
    assert len(page.discovered) > 50
