"""Comment scores where the gold is per comment: two mirrored blogs against their own comment
feeds, a real WordPress export, and pages a real WordPress rendered with threads and pingbacks.

The feeds are read here with the standard library, not with blogcorpus's feed parser, so the
gold does not depend on the code it scores. trafilatura returns the comment area as one
flattened string; the fairest comparison it allows is whether each gold comment's text
appears in that string ("found"); it has no per-comment author, date, parent or kind.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from eval.bodysets import Pair
from eval.extractors import CommentView, PageJob
from eval.results import Metric, SetResult
from eval.scoring import agreement, contains, same_minute, squash
from parsers.comments.fields import node_text
from parsers.wxr import parse_wxr

__all__ = [
    "danvk_jobs",
    "lafuite_jobs",
    "score_danvk",
    "score_lafuite",
    "score_wordpress_real",
    "score_wxr",
    "wordpress_real_jobs",
]

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
LAFUITE_SITE = "http://www.lafuiteautourdumonde.com/"
DANVK_SITE = "http://www.danvk.org/wp/"
# danvk.org ran on WordPress's fixed "UTC-7" setting, summer and winter alike.
DANVK_ZONE = timezone(timedelta(hours=-7))

_BLOGGER_POST = re.compile(r"^\d{4}/\d{2}/[^/]+\.html$")
_BLOGGER_FEED = re.compile(r"feeds/(\d+)/comments/default")


def _html_text(fragment: str) -> str:
    tree = LexborHTMLParser(f"<div>{fragment}</div>")
    node = tree.css_first("div")
    return squash(node_text(node)) if node is not None else ""


def _ratio(name: str, hits: int, total: int, theirs: float | None = None) -> Metric:
    return Metric(name, hits / total if total else 0.0, theirs, f"{hits}/{total}")


def _seconds(pairs: Mapping[str, Pair]) -> tuple[float, float]:
    ours = sum(p[0].seconds for p in pairs.values())
    theirs = sum(p[1].seconds for p in pairs.values() if p[1] is not None)
    return ours, theirs


# --- Blogger: site_lafuite_blogger --------------------------------------------------------------


def _lafuite_pages(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.glob("20[0-9][0-9]/*/*.html")
        if _BLOGGER_POST.match(p.relative_to(root).as_posix()) and not p.name.startswith("index")
    )


def lafuite_jobs(root: Path) -> list[PageJob]:
    """The 51 post pages, at the URLs they had."""
    return [
        PageJob(
            key=page.relative_to(root).as_posix(),
            path=str(page),
            url=LAFUITE_SITE + page.relative_to(root).as_posix(),
        )
        for page in _lafuite_pages(root)
    ]


def score_lafuite(root: Path, pairs: Mapping[str, Pair]) -> SetResult:
    """Every comment of the Atom comment feeds: found, author, date to the minute, text."""
    total = found = authors = dates = texts = theirs_found = 0
    for page in _lafuite_pages(root):
        key = page.relative_to(root).as_posix()
        mine, theirs = pairs[key]
        feed_id = _BLOGGER_FEED.search(page.read_text("utf-8"))
        if feed_id is None:
            continue
        feed_path = root / "feeds" / feed_id.group(1) / "comments" / "default"
        # The gold files are the data set's own, read from disk: no untrusted XML here.
        feed = ET.parse(feed_path).getroot()  # noqa: S314
        by_id = {c.platform_id: c for c in mine.comments}
        for entry in feed.iter(f"{ATOM}entry"):
            total += 1
            link = next(
                (
                    e.get("href", "")
                    for e in entry.iter(f"{ATOM}link")
                    if e.get("rel") == "alternate"
                ),
                "",
            )
            gold_text = _html_text(entry.findtext(f"{ATOM}content") or "")
            if theirs is not None and contains(theirs.comments_text, gold_text):
                theirs_found += 1
            comment = by_id.get(link.rsplit("#c", 1)[-1])
            if comment is None:
                continue
            found += 1
            name = squash(entry.findtext(f"{ATOM}author/{ATOM}name"))
            # The feed names anonymous commenters in English, the page in the blog's language.
            authors += comment.author == name or (
                name == "Anonymous" and comment.author == "Anonyme"
            )
            published = datetime.fromisoformat(entry.findtext(f"{ATOM}published") or "")
            dates += same_minute(comment.published, published)
            texts += squash(comment.text) == gold_text
    metrics = (
        _ratio("comments_found", found, total, theirs_found / total if total else None),
        _ratio("comment_authors", authors, total),
        _ratio("comment_dates", dates, total),
        _ratio("comment_texts", texts, total),
    )
    notes = (
        f"{total} comments in the feeds; trafilatura 'found' = the comment's text appears "
        "in its flattened comment string",
    )
    ours_s, theirs_s = _seconds(pairs)
    return SetResult("site_lafuite_blogger", "scored", len(pairs), metrics, notes, ours_s, theirs_s)


# --- WordPress, old custom theme: site_danvk_wordpress -----------------------------------------


def _danvk_posts(wp: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for feed in sorted(wp.glob("*-*-*/*/feed/index.html")):
        page = feed.parent.parent / "index.html"
        if page.exists():
            pairs.append((page, feed))
    return pairs


def danvk_jobs(root: Path) -> list[PageJob]:
    """Every post page that has a comment feed beside it (``root`` is the set's ``wp``)."""
    return [
        PageJob(
            key=page.parent.relative_to(root).as_posix(),
            path=str(page),
            url=DANVK_SITE + page.parent.relative_to(root).as_posix() + "/",
        )
        for page, _ in _danvk_posts(root)
    ]


def score_danvk(root: Path, pairs: Mapping[str, Pair]) -> SetResult:
    """The feed comments that are on the mirrored pages: found, author, date, text."""
    total = on_pages = found = authors = dates = texts = theirs_found = 0
    for page, feed in _danvk_posts(root):
        mine, theirs = pairs[page.parent.relative_to(root).as_posix()]
        by_id = {c.platform_id: c for c in mine.comments}
        page_ids = set(re.findall(r'id="comment-(\d+)"', page.read_text("utf-8")))
        for item in ET.parse(feed).getroot().iter("item"):  # noqa: S314 (the set's own files)
            total += 1
            native = (item.findtext("link") or "").rsplit("#comment-", 1)[-1]
            if native not in page_ids:
                continue  # on a comment page the mirror does not hold
            on_pages += 1
            gold_text = _html_text(item.findtext(f"{CONTENT}encoded") or "")
            if theirs is not None and contains(theirs.comments_text, gold_text):
                theirs_found += 1
            comment = by_id.get(native)
            if comment is None:
                continue
            found += 1
            authors += comment.author == squash(html.unescape(item.findtext(f"{DC}creator") or ""))
            published = parsedate_to_datetime(item.findtext("pubDate") or "")
            dates += same_minute(comment.published, published, DANVK_ZONE)
            texts += squash(comment.text) == gold_text
    metrics = (
        _ratio("comments_found", found, on_pages, theirs_found / on_pages if on_pages else None),
        _ratio("comment_authors", authors, on_pages),
        _ratio("comment_dates", dates, on_pages),
        _ratio("comment_texts", texts, on_pages),
    )
    notes = (f"{total} comments in the feeds, {on_pages} of them on the mirrored pages",)
    ours_s, theirs_s = _seconds(pairs)
    return SetResult("site_danvk_wordpress", "scored", len(pairs), metrics, notes, ours_s, theirs_s)


# --- A real WordPress export: wxr_timothyfitz ---------------------------------------------------

# The export's content as counted by hand (data/README.md).
WXR_GOLD = {
    "published_posts": 11,
    "pages": 1,
    "comments_on_posts": 379,
    "comments": 206,
    "pingbacks": 172,
    "unapproved_pingbacks": 24,
    "trackbacks": 1,
    "threaded_replies": 4,
    "page_pingbacks": 2,
}


def score_wxr(path: Path) -> SetResult:
    """Counts, kinds and threading of the export against the hand-counted gold."""
    result = parse_wxr(path.read_bytes())
    published = {p.post_id for p in result.posts if p.status == "publish"}
    on_posts = [c for c in result.comments if c.post_id in published]
    ids = {c.comment_id for c in on_posts}
    kinds = Counter(c.kind for c in on_posts)
    page_ids = {p.post_id for p in result.pages}
    # A reply counts only when its parent resolves to a comment of the same export.
    replies = [c for c in on_posts if c.parent_id in ids and c.depth == 1]
    got = {
        "published_posts": len(published),
        "pages": len(result.pages),
        "comments_on_posts": len(on_posts),
        "comments": kinds["comment"],
        "pingbacks": kinds["pingback"],
        "unapproved_pingbacks": sum(c.kind == "pingback" and not c.approved for c in on_posts),
        "trackbacks": kinds["trackback"],
        "threaded_replies": len(replies),
        "page_pingbacks": sum(
            c.post_id in page_ids and c.kind == "pingback" for c in result.comments
        ),
    }
    metrics = tuple(
        Metric(name, agreement(got[name], want), None, f"{got[name]}/{want}")
        for name, want in WXR_GOLD.items()
    )
    return SetResult(
        "wxr_timothyfitz",
        "scored",
        len(result.posts) + len(result.pages),
        metrics,
        ("trafilatura reads no WordPress export",),
    )


# --- Pages a real WordPress rendered: threads and pingbacks ------------------------------------

_SAVED_WITH = re.compile(r"curl -s (http://\S+?)`")


def _wordpress_pages(folder: Path) -> list[tuple[Path, str]]:
    pages = []
    for page in sorted(folder.glob("*.html")):
        match = _SAVED_WITH.search(page.with_suffix(".md").read_text("utf-8"))
        if match:
            pages.append((page, match.group(1)))
    return pages


def wordpress_real_jobs(folder: Path) -> list[PageJob]:
    """The saved pages, at the URL each was fetched from (named in the note beside it)."""
    return [
        PageJob(key=page.name, path=str(page), url=url) for page, url in _wordpress_pages(folder)
    ]


def _gold_comments(page: Path) -> dict[str, tuple[str | None, str]]:
    """WordPress's own rendering as gold: ``li#comment-N`` nested in its parent's ``li``, the
    comment type in the ``li``'s classes. Both are printed straight from its database."""
    tree = LexborHTMLParser(page.read_text("utf-8"))
    gold: dict[str, tuple[str | None, str]] = {}
    for li in tree.css('li[id^="comment-"]'):
        own = (li.attributes.get("id") or "").removeprefix("comment-")
        classes = (li.attributes.get("class") or "").split()
        kind = next((k for k in ("pingback", "trackback") if k in classes), "comment")
        parent: str | None = None
        node: LexborNode | None = li.parent
        while node is not None:
            node_id = node.attributes.get("id") or "" if node.tag == "li" else ""
            if node_id.startswith("comment-"):
                parent = node_id.removeprefix("comment-")
                break
            node = node.parent
        gold[own] = (parent, kind)
    return gold


def score_wordpress_real(folder: Path, pairs: Mapping[str, Pair]) -> SetResult:
    """Found, parent and kind of every comment on the saved pages."""
    total = found = parents = kinds = pings = pings_found = replies = replies_right = 0
    theirs_found = 0
    for page, _ in _wordpress_pages(folder):
        mine, theirs = pairs[page.name]
        by_id: dict[str | None, CommentView] = {c.platform_id: c for c in mine.comments}
        for own, (parent, kind) in _gold_comments(page).items():
            total += 1
            pings += kind != "comment"
            replies += parent is not None
            comment = by_id.get(own)
            if (
                theirs is not None
                and comment is not None
                and contains(theirs.comments_text, squash(comment.text))
            ):
                theirs_found += 1
            if comment is None:
                continue
            found += 1
            parents += comment.parent_platform_id == parent
            replies_right += parent is not None and comment.parent_platform_id == parent
            kinds += comment.kind == kind
            pings_found += kind != "comment" and comment.kind == kind
    metrics = (
        _ratio("comments_found", found, total),
        _ratio("comment_parents", parents, total),
        _ratio("threaded_replies", replies_right, replies),
        _ratio("comment_kinds", kinds, total),
        _ratio("pingbacks", pings_found, pings),
    )
    notes = (
        f"{total} comments on {len(pairs)} pages, {replies} of them replies, {pings} "
        "pingbacks; gold from WordPress's rendering (nesting and li classes)",
        f"trafilatura's comment string holds the text of {theirs_found} of the comments "
        "blogcorpus found (no parents or kinds)",
    )
    ours_s, theirs_s = _seconds(pairs)
    return SetResult("wordpress_real", "scored", len(pairs), metrics, notes, ours_s, theirs_s)
