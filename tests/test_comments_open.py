"""Whether a post still takes comments, from what its page says.

A page that says comments are closed is closed; one that offers a comment form is open; one
that does neither is unknown. Themes mark the notice in a classed element, or (older ones)
print it in a bare paragraph.
"""

from __future__ import annotations

from collections import Counter

from parsers.extract import parse_document
from tests.conftest import shared_path

_TEXT = "<p>A sentence long enough to be read as the body of this post, and more. </p>" * 5


def _post(after_body: str) -> bytes:
    return (
        "<html><head><title>A post</title></head><body><div class='post'><h2>A post</h2>"
        f"<div class='entry-content'>{_TEXT}</div></div>{after_body}</body></html>"
    ).encode()


def _open(after_body: str) -> bool | None:
    parsed = parse_document(_post(after_body), "http://a.example/2020/01/02/a-post/", None)
    assert parsed.post is not None
    return parsed.post.comments_open


def test_the_notice_in_a_bare_paragraph_closes_comments() -> None:
    assert _open("<p>Comments are closed.</p>") is False
    assert _open("<p>Les commentaires sont fermés.</p>") is False


def test_a_paragraph_that_only_mentions_closed_comments_says_nothing() -> None:
    passing = "<p>I wrote about why comments are closed on so many blogs these days, at length.</p>"
    assert _open(passing) is None
    assert _open("") is None


def test_danvk_posts_that_say_comments_are_closed() -> None:
    root = shared_path("site_danvk_wordpress")
    seen: Counter[tuple[bool, bool | None]] = Counter()
    for page in root.glob("wp/20??-??-??/*/index.html"):
        body = page.read_bytes()
        url = "http://www.danvk.org/" + str(page.relative_to(root).parent) + "/"
        parsed = parse_document(body, url, "text/html")
        assert parsed.post is not None
        seen[(b"Comments are closed." in body, parsed.post.comments_open)] += 1
    assert seen[(True, False)] == 102
    assert seen[(True, None)] == seen[(True, True)] == 0
