"""A post without comments yields no comments: forms, notices and widgets are not comments.

Each case was a real false positive: the block theme's comment form ("Name *"), Blogger's
"Publier un commentaire" box, and the "Comments are closed." notice.
"""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from parsers.extract import parse_document
from tests.conftest import shared_path

PAGES = Path(__file__).resolve().parent / "pages"
URL = "http://127.0.0.1:8080/2022/10/23/a-post/"


def _without(path: Path, selector: str) -> bytes:
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    for node in tree.css(selector):
        node.decompose()
    return (tree.html or "").encode()


def test_block_theme_comment_form_alone_is_not_a_comment() -> None:
    page = PAGES / "wordpress-real" / "twentytwentythree-threaded-pingbacks.html"
    full = parse_document(page.read_bytes(), URL, "text/html")
    assert len(full.comments) == 40
    bare = parse_document(_without(page, "ol.wp-block-comment-template"), URL, "text/html")
    assert bare.post is not None
    assert bare.comments == ()


def test_classic_theme_closed_notice_is_not_a_comment() -> None:
    page = PAGES / "wordpress-real" / "twentytwentyone-comments-closed.html"
    bare = parse_document(_without(page, "ol.comment-list"), URL, "text/html")
    assert bare.comments == ()
    assert bare.post is not None and bare.post.comments_open is False


def test_blogger_post_without_comments_has_none() -> None:
    root = shared_path("site_lafuite_blogger")
    page = root / "2011" / "09" / "buenas-noches.html"
    parsed = parse_document(
        page.read_bytes(), "http://127.0.0.1:8080/2011/09/buenas-noches.html", "text/html"
    )
    assert parsed.post is not None
    assert parsed.comments == ()
