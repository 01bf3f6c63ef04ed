"""Comment extraction scored on real blogs: Blogger and an old WordPress theme against their
own comment feeds, and the comment snippets of the trafilatura evaluation set.

Run with ``pytest -s tests/test_comments_real.py`` to see the figures.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.comments import CommentSection, extract_comments
from parsers.comments.fields import node_text
from parsers.records import Comment, comment_id_for, post_id_for
from tests.conftest import shared_path

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _html_text(fragment: str) -> str:
    tree = LexborHTMLParser(f"<div>{fragment}</div>")
    node = tree.css_first("div")
    return _squash(node_text(node)) if node is not None else ""


def _same_minute(mine: datetime | None, gold: datetime, local: tzinfo | None = None) -> bool:
    """Aware results compare in the gold's zone; naive ones as the blog's wall clock."""
    if mine is None:
        return False
    if mine.tzinfo is not None:
        mine = mine.astimezone(gold.tzinfo)
        expected = gold
    else:
        expected = gold.astimezone(local).replace(tzinfo=None) if local else gold
        expected = expected.replace(tzinfo=None)
    return mine.replace(second=0, microsecond=0, tzinfo=None) == expected.replace(
        second=0, microsecond=0, tzinfo=None
    )


def _extract(path: Path, url: str) -> tuple[str, list[Comment]]:
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", "replace"))
    post_id = post_id_for(url)
    return post_id, list(extract_comments(tree, page_url=url, post_id=post_id).comments)


# --- Blogger -------------------------------------------------------------------------------

_POST_FILE = re.compile(r"^\d{4}/\d{2}/[^/]+\.html$")
_FEED_LINK = re.compile(r"feeds/(\d+)/comments/default")


@pytest.mark.shared
def test_lafuite_blogger_comments_match_the_comment_feeds() -> None:
    root = shared_path("site_lafuite_blogger")
    pages = sorted(
        p
        for p in root.glob("20[0-9][0-9]/*/*.html")
        if _POST_FILE.match(p.relative_to(root).as_posix()) and not p.name.startswith("index")
    )
    assert len(pages) == 51
    total = authors = dates = texts = all_three = found = 0
    ids_agree = True
    for page in pages:
        html_text = page.read_text(encoding="utf-8")
        feed_id = _FEED_LINK.search(html_text)
        assert feed_id is not None, page
        feed = ET.parse(root / "feeds" / feed_id.group(1) / "comments" / "default")
        url = "http://www.lafuiteautourdumonde.com/" + page.relative_to(root).as_posix()
        post_id, comments = _extract(page, url)
        by_id = {c.platform_id: c for c in comments}
        assert all(c.depth == 0 and c.parent_id is None for c in comments)
        for entry in feed.getroot().iter(f"{ATOM}entry"):
            total += 1
            link = next(
                e.get("href", "") for e in entry.iter(f"{ATOM}link") if e.get("rel") == "alternate"
            )
            native = link.rsplit("#c", 1)[1]
            mine = by_id.get(native)
            if mine is None:
                continue
            found += 1
            ids_agree &= mine.comment_id == comment_id_for(post_id, native)
            name = entry.findtext(f"{ATOM}author/{ATOM}name") or ""
            published = datetime.fromisoformat(entry.findtext(f"{ATOM}published") or "")
            gold_text = _html_text(entry.findtext(f"{ATOM}content") or "")
            # The feed names anonymous commenters in English, the page in the blog's language;
            # the page's word is kept as shown.
            shown = _squash(name)
            ok_author = mine.author_name == shown or (
                shown == "Anonymous" and mine.author_name == "Anonyme"
            )
            ok_date = _same_minute(mine.published_at, published)
            ok_text = _squash(mine.text) == gold_text
            authors += ok_author
            dates += ok_date
            texts += ok_text
            all_three += ok_author and ok_date and ok_text
    print(
        f"\nlafuite (Blogger): {total} feed comments, found {found}, author {authors}, "
        f"date {dates}, text {texts}, all three {all_three} ({all_three / total:.3f})"
    )
    assert total == 180
    assert ids_agree
    assert all_three / total >= 0.98


# --- WordPress, old custom theme -------------------------------------------------------------


@pytest.mark.shared
def test_danvk_wordpress_comments_match_the_comment_feeds() -> None:
    root = shared_path("site_danvk_wordpress", "wp")
    # The blog ran on WordPress's fixed "UTC-7" setting, summer and winter alike.
    local = timezone(timedelta(hours=-7))
    total = on_pages = found = authors = dates = both = 0
    posts_with_comments = 0
    for feed_path in sorted(root.glob("*-*-*/*/feed/index.html")):
        page = feed_path.parent.parent / "index.html"
        if not page.exists():
            continue
        items = ET.parse(feed_path).getroot().iter("item")
        url = "http://www.danvk.org/wp/" + page.parent.relative_to(root).as_posix() + "/"
        _, comments = _extract(page, url)
        by_id = {c.platform_id: c for c in comments}
        page_ids = set(re.findall(r'id="comment-(\d+)"', page.read_text(encoding="utf-8")))
        gold = list(items)
        posts_with_comments += bool(gold)
        for item in gold:
            total += 1
            native = (item.findtext("link") or "").rsplit("#comment-", 1)[1]
            if native not in page_ids:
                continue  # on a comment page the mirror does not hold
            on_pages += 1
            mine = by_id.get(native)
            if mine is None:
                continue
            found += 1
            name = _squash(html.unescape(item.findtext(f"{DC}creator") or ""))
            published = parsedate_to_datetime(item.findtext("pubDate") or "")
            ok_author = mine.author_name == name
            ok_date = _same_minute(mine.published_at, published, local)
            authors += ok_author
            dates += ok_date
            both += ok_author and ok_date
    print(
        f"\ndanvk (WordPress): {total} feed comments on {posts_with_comments} posts, "
        f"{on_pages} on mirrored pages, found {found}, author {authors}, date {dates}, "
        f"both {both} ({both / on_pages:.3f})"
    )
    assert (total, on_pages) == (298, 293)
    assert both / on_pages >= 0.98


# --- trafilatura evaluation pages ------------------------------------------------------------


@pytest.mark.shared
def test_trafilatura_eval_comment_snippets() -> None:
    root = shared_path("trafilatura_eval", "tests")
    gold = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = {url: entry for url, entry in gold.items() if entry.get("comments")}
    static = found_static = absent = found_all_snippets = 0
    snippets_static = snippets_found = 0
    misses: list[str] = []
    for url, entry in sorted(pages.items()):
        path = root / "cache" / entry["file"]
        if not path.exists():
            path = root / "eval" / entry["file"]
        raw = path.read_bytes().decode("utf-8", "replace")
        tree = LexborHTMLParser(raw)
        page_text = _squash(node_text(tree.body)) if tree.body is not None else ""
        snippets = [_squash(s) for s in entry["comments"] if _squash(s)]
        if not snippets or not any(s in page_text for s in snippets):
            absent += 1  # loaded by JavaScript, or not in the page at all
            continue
        static += 1
        section = extract_comments(tree, page_url=url, post_id=post_id_for(url))
        extracted = " ".join(
            _squash(f"{c.title or ''} {c.author_name or ''} {c.text}") for c in section.comments
        )
        present = [s for s in snippets if s in page_text]
        hits = [s for s in present if s in extracted]
        snippets_static += len(present)
        snippets_found += len(hits)
        if hits:
            found_static += 1
        else:
            misses.append(entry["file"])
        found_all_snippets += len(hits) == len(present)
    print(
        f"\ntrafilatura_eval: {len(pages)} pages with comment snippets; {absent} have none of "
        f"them in the static HTML; of the {static} others, comments found on {found_static} "
        f"(all snippets on {found_all_snippets}); snippets {snippets_found}/{snippets_static}"
    )
    print("  pages missed:", " ".join(misses))
    assert len(pages) == 142
    assert found_static / static >= 0.85


# --- saved pages with expected JSON beside them ---------------------------------------------

PAGES = Path(__file__).parent / "pages"
REGENERATE = os.environ.get("BLOGCORPUS_REGEN") == "1"


def _section_as_json(section: CommentSection) -> dict[str, Any]:
    def record(comment: Comment) -> dict[str, Any]:
        data = dataclasses.asdict(comment)
        if comment.published_at is not None:
            data["published_at"] = comment.published_at.isoformat()
        return data

    return {
        "platform": section.platform,
        "comments_open": section.comments_open,
        "declared_count": section.declared_count,
        "container": section.container.tag if section.container is not None else None,
        "next_page_url": section.next_page_url,
        "prev_page_url": section.prev_page_url,
        "comments": [record(c) for c in section.comments],
    }


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.html")), ids=lambda p: p.stem)
def test_saved_page_matches_expected_json(page: Path) -> None:
    """Each saved page's section equals the JSON beside it (BLOGCORPUS_REGEN=1 rewrites it)."""
    url = f"https://blog.example.org/{page.stem}/"
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    section = extract_comments(tree, page_url=url, post_id=post_id_for(url))
    got = _section_as_json(section)
    expected_path = page.with_suffix(".json")
    if REGENERATE or not expected_path.exists():
        expected_path.write_text(
            json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
    assert section.comments, "every saved page has comments"


# --- behaviour on small inputs ------------------------------------------------------------

WP_PAGE = (PAGES / "wordpress_classic.html").read_text(encoding="utf-8") if PAGES.exists() else ""


def _section(markup: str, url: str = "https://blog.example.org/p/", **kw: Any) -> CommentSection:
    return extract_comments(LexborHTMLParser(markup), page_url=url, post_id="post", **kw)


def test_ids_positions_and_threading() -> None:
    section = _section(WP_PAGE, page_offset=50)
    first, reply, ping = section.comments
    assert [c.position for c in section.comments] == [50, 51, 52]
    assert first.comment_id == comment_id_for("post", "21")
    assert reply.parent_id == first.comment_id and reply.depth == 1
    assert ping.kind == "pingback" and ping.parent_id is None


def test_container_removal_leaves_the_body_and_no_comment() -> None:
    tree = LexborHTMLParser(WP_PAGE)
    section = extract_comments(tree, page_url="https://blog.example.org/p/", post_id="post")
    assert section.container is not None
    section.container.decompose()
    remaining = tree.body.text() if tree.body is not None else ""
    assert "Der Beitrag." in remaining
    assert "Schöner Beitrag" not in remaining and "Danke, Anna" not in remaining


def test_comments_never_come_from_the_post_body() -> None:
    page = (
        '<div class="entry-content"><ol class="commentlist"><li id="comment-1">'
        '<div class="comment-author">Quoted</div><div class="comment-content">in the body'
        "</div></li></ol></div>"
    )
    assert _section(page).comments == ()


def test_comment_page_links_by_number() -> None:
    page = (
        '<div id="comments"><a href="/p/comment-page-1/#comments">x</a>'
        '<a href="/p/comment-page-3/#comments">y</a></div>'
    )
    section = _section(page, url="https://blog.example.org/p/comment-page-2/")
    assert section.prev_page_url == "https://blog.example.org/p/comment-page-1/"
    assert section.next_page_url == "https://blog.example.org/p/comment-page-3/"


def test_blogger_and_feed_ids_agree() -> None:
    page = (
        '<div id="comments"><div class="comment-thread"><ol><li class="comment" id="c5301274">'
        '<div class="comment-block"><cite class="user">Luc</cite><span class="datetime">'
        '<a href="post.html?showComment=1347277500000#c5301274">10 septembre 2012 à 04:45</a>'
        '</span><p class="comment-content">Salut</p></div></li></ol></div></div>'
    )
    (comment,) = _section(page).comments
    assert comment.platform_id == "5301274"
    assert comment.comment_id == comment_id_for("post", "5301274")
    assert comment.published_at == datetime(2012, 9, 10, 11, 45, tzinfo=UTC)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "<html",
        WP_PAGE[: len(WP_PAGE) // 2],
        "<div>" * 20_000 + "x",
        '<ol class="commentlist">' + '<li id="comment-1"><ol class="children">' * 3000,
        bytes(range(256)).decode("latin-1") * 200,
        "\x00" * 10_000,
    ],
    ids=["empty", "tag", "truncated", "deep-divs", "deep-comments", "binary", "nul"],
)
def test_bad_input_never_raises(junk: str) -> None:
    section = _section(junk)
    assert isinstance(section.comments, tuple)


def test_a_date_element_that_is_its_own_time_tag_is_read_once() -> None:
    # A theme left its template placeholder in ``<time datetime>``: the date reader looks at the
    # node, then inside it, and must not take the node for its own inner ``<time>`` forever.
    page = (
        '<div id="comments"><ol class="commentlist">'
        '<li class="comment" id="comment-7"><div class="comment-author">Ann</div>'
        '<time class="comment-date" datetime="comment_date">March 10, 2017 at 12:20 am</time>'
        '<div class="comment-content"><p>First reply here.</p></div></li>'
        '<li class="comment" id="comment-8"><div class="comment-author">Bob</div>'
        '<time class="comment-date" datetime="comment_date">soon</time>'
        '<div class="comment-content"><p>Second reply here.</p></div></li>'
        "</ol></div>"
    )
    first, second = _section(page).comments
    assert first.published_at == datetime(2017, 3, 10, 0, 20)
    assert second.published_at is None and second.text == "Second reply here."


def test_a_comment_word_in_the_body_class_makes_no_comment_area() -> None:
    # WordPress prints the post type in <body class>; a "livecomment" post type is no comment
    # area, and taking <body> for one would remove the whole page from the post.
    item = (
        '<li class="widget-item"><a class="widget-user" href="https://disqus.com/by/{0}/">{0}</a>'
        '<span class="widget-date">5 November 2020</span>'
        '<span class="widget-comment">A remark long enough to look like a comment.</span></li>'
    )
    page = (
        '<html><body class="livecommente-template-default single">'
        "<article><p>The post itself, which must stay the post.</p></article>"
        f'<aside><ul class="recent">{item.format("ann")}{item.format("bob")}</ul></aside>'
        "</body></html>"
    )
    section = _section(page)
    assert section.container is None or section.container.tag not in {"html", "body"}
    assert section.comments == ()
