"""Links inside a post's body resolve against the page they stand on.

A relative link ("index.html", "../2011/09/a-post.html", "#signup") means the page's address
(or its ``<base href>``) joined with the link, as a browser reads it. Archived blogs and
mirrors are full of them. The body's HTML keeps them absolute, so that it reads right out of
its page, and the body's link records say where they lead.
"""

from __future__ import annotations

import re

from parsers.extract import parse_document
from tests.conftest import shared_path

_SENTENCE = "A sentence of the post that is long enough for the extractor to keep it as text. "


def _hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


def _page(body: str, head: str = "") -> bytes:
    # No element a theme marks as the body: the whole page is read.
    return (
        f"<html><head><title>A post</title>{head}"
        '<meta property="article:published_time" content="2011-12-24T10:00:00Z">'
        '<meta name="author" content="Ann"></head><body>'
        '<div id="nav"><a href="/">Home</a></div>'
        f"<div class='post'><h1>A post</h1>{body}</div></body></html>"
    ).encode()


def test_relative_links_in_a_body_read_from_the_whole_page() -> None:
    body = (
        f"<p>{_SENTENCE * 3}See <a href='index.html'>this page</a>, "
        f"<a href='../09/older.html'>an older post</a>, <a href='#signup'>the form</a>, "
        f"<a href='/about/'>about</a> and <a href='//cdn.example.net/a.pdf'>a file</a>.</p>"
        f"<p>{_SENTENCE * 3}</p>"
    )
    url = "http://blog.example/2011/12/a-post.html"
    page = parse_document(_page(body), url, "text/html")
    assert page.post is not None
    assert _hrefs(page.post.html) == [
        "http://blog.example/2011/12/index.html",
        "http://blog.example/2011/09/older.html",
        "http://blog.example/2011/12/a-post.html#signup",
        "http://blog.example/about/",
        "http://cdn.example.net/a.pdf",
    ]
    # Link records hold canonical addresses: no fragment, no "index.html".
    targets = {link.target_url for link in page.links if link.context == "body"}
    assert targets == {
        "http://blog.example/2011/12/",
        "http://blog.example/2011/09/older.html",
        url,
        "http://blog.example/about/",
        "http://cdn.example.net/a.pdf",
    }


def test_a_base_href_decides_where_relative_links_lead() -> None:
    body = f"<p>{_SENTENCE * 3}Read <a href='older.html'>the older post</a>.</p>"
    url = "http://blog.example/mirror/copy-of-a-post.html"
    head = '<base href="http://blog.example/2011/09/">'
    page = parse_document(_page(body, head), url, "text/html")
    assert page.post is not None
    assert _hrefs(page.post.html) == ["http://blog.example/2011/09/older.html"]


def test_real_wordpress_post_links_to_an_older_post() -> None:
    # danvk's theme puts the post straight into its ".post" box, with relative links (as the
    # mirror stores them): the text links to the previous post through
    # "../../index42dc.html?p=6", which was once joined to the site's root instead.
    root = shared_path("site_danvk_wordpress", "wp")
    path = root / "2006-09-25" / "biking-to-work" / "index.html"
    url = "http://127.0.0.1:8000/wp/2006-09-25/biking-to-work/"
    page = parse_document(path.read_bytes(), url, "text/html")
    assert page.post is not None
    targets = {link.target_url for link in page.links if link.context == "body"}
    assert "http://127.0.0.1:8000/wp/index42dc.html?p=6" in targets
    assert "http://127.0.0.1:8000/index42dc.html?p=6" not in targets
    assert 'href="http://127.0.0.1:8000/wp/index42dc.html?p=6"' in page.post.html


def test_real_blogger_post_keeps_its_links_to_other_posts_whole() -> None:
    # lafuite's theme marks the body element, which is read alone; its links to other posts
    # are relative to the post's month ("../09/le-temps.html").
    path = shared_path("site_lafuite_blogger", "2011", "12", "joyeux-noel-et-bonne-annee.html")
    url = "http://127.0.0.1:8000/2011/12/joyeux-noel-et-bonne-annee.html"
    page = parse_document(path.read_bytes(), url, "text/html")
    assert page.post is not None
    assert 'href="http://127.0.0.1:8000/2011/09/le-temps.html"' in page.post.html
    assert 'href="http://127.0.0.1:8000/09/' not in page.post.html
