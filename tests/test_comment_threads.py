"""Replies on real WordPress themes keep their parent.

WordPress marks each comment's ``<li>`` with ``depth-N``; themes differ in where they put the
comment's id and its replies. Some put the id on an ``<article>`` inside the ``<li>`` (the
replies' ``<ul class="children">`` then follows that article, not inside it); some close the
comment's element before its ``<ul class="children">``. Either way a reply is a reply.
"""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from eval.extractors import read_page
from parsers.extract import parse_document
from tests.conftest import shared_path

PAGES = {
    "theoriginalcopy.de.baby.html": ("https://theoriginalcopy.de/editors-letter-baby/", 26),
    "golfpost.de-premiere.html": ("https://www.golfpost.de/golf-im-tv-777789172/", 13),
    "blog.wordpress.com.diverse.html": (
        "https://en.blog.wordpress.com/2019/06/19/"
        "want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/",
        3,
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_reply_sits_at_its_wordpress_depth(name: str) -> None:
    url, replies = PAGES[name]
    root = shared_path("trafilatura_eval", "tests")
    path = root / "cache" / name
    if not path.exists():
        path = root / "eval" / name
    raw = read_page(str(path))
    parsed = parse_document(raw, url, "text/html", assume_post=True)
    tree = LexborHTMLParser(raw.decode("utf-8", "replace"))
    by_id = {c.comment_id: c for c in parsed.comments}
    checked = 0
    for comment in parsed.comments:
        node = tree.css_first(f'[id="comment-{comment.platform_id}"]')
        while node is not None and node.tag != "li":
            node = node.parent
        depth = re.search(r"\bdepth-(\d+)\b", (node.attributes.get("class") or "") if node else "")
        assert depth is not None, comment.platform_id
        assert comment.depth == int(depth.group(1)) - 1, comment.platform_id
        if comment.depth:
            parent = by_id[comment.parent_id or ""]
            assert parent.depth == comment.depth - 1
        checked += 1
    assert checked == len(parsed.comments) > 0
    assert sum(1 for c in parsed.comments if c.parent_id) >= replies
