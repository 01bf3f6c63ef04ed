"""WordPress export files (WXR) as records: the site, its posts and pages, every comment.

A WXR file is RSS 2.0 with WordPress's own ``wp:`` elements. It holds what no crawl can reach:
unapproved comments, pingbacks with their type, exact GMT dates, the comment tree. Posts and
pages come back apart (``Post`` has no type field); attachments, menu items and other internal
post types are skipped. Comments keep WordPress's ids, so ``comment_id`` matches the one a crawl
of the live site computes from ``#comment-<id>``.

Moderation: approved comments come back with ``approved=True``, held ones (``"0"``) with
``approved=False``. Comments marked ``spam`` or ``trash`` are dropped (they were never part of
the public conversation) and counted in ``problems``.

Real exports are often slightly broken (WordPress.com writes ``atom:link`` without declaring
the prefix), so the XML is read in recovery mode and never raises.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree

from parsers.feeds import child, child_text, children, html_to_text, read_xml, text_of
from parsers.records import Comment, CommentKind, Post, comment_id_for, post_id_for
from parsers.urls import try_canonicalize

__all__ = ["MAX_WXR_BYTES", "WxrResult", "WxrSite", "parse_wxr", "wpautop"]

# Exports of big blogs run to hundreds of megabytes; beyond this, split the export.
MAX_WXR_BYTES = 200 * 1024 * 1024
MAX_WXR_ITEMS = 200_000
_WP_NAMESPACES = tuple(
    f"http://wordpress.org/export/{version}/" for version in ("1.0", "1.1", "1.2", "1.3")
)
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_KEPT_TYPES = {"post", "page"}
# Internal records every export carries; skipping them is normal, not worth a problem line.
_SILENT_TYPES = {"attachment", "nav_menu_item", "revision", "wp_navigation", "custom_css"}
_DROPPED_STATUSES = {"spam", "trash", "post-trashed"}
_ZERO_DATE = "0000-00-00"


@dataclass(frozen=True, kw_only=True, slots=True)
class WxrSite:
    """The exported site as its channel describes it."""

    title: str | None
    link: str | None
    language: str | None
    base_site_url: str | None


@dataclass(frozen=True, kw_only=True, slots=True)
class WxrResult:
    """Everything one export yields. ``comments`` covers posts and pages alike."""

    site: WxrSite
    posts: tuple[Post, ...] = ()
    pages: tuple[Post, ...] = ()
    comments: tuple[Comment, ...] = ()
    problems: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# wpautop: WordPress stores paragraphs as blank lines and adds the markup when it displays them
# --------------------------------------------------------------------------------------------

_BLOCKS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|legend|li|main|map|math|menu|nav|"
    "ol|p|pre|section|style|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})(?=[\s/>]))", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCKS})(?=[\s/>])", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def wpautop(text: str) -> str:
    """Turn WordPress's stored text into HTML: blank lines make paragraphs, newlines ``<br>``.

    A simplified version of WordPress's own filter: block-level tags stand alone, ``<pre>``
    keeps its line breaks, and text that already has ``<p>`` markup stays as it is.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n<pre wpautop-{len(kept) - 1}></pre>\n\n"

    text = _PRE.sub(hold, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks: list[str] = []
    for raw in _PARAGRAPH_BREAK.split(text):
        chunk = raw.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    html = "\n".join(chunks)
    for index, original in enumerate(kept):
        html = html.replace(f"<pre wpautop-{index}></pre>", original)
    return html


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def _wp(el: etree._Element, name: str) -> str | None:
    return child_text(el, name, _WP_NAMESPACES)


def _raw_text(el: etree._Element | None) -> str:
    """An element's text without stripping: stored content keeps its blank lines."""
    if el is None:
        return ""
    return "".join(t for t in el.itertext() if isinstance(t, str))


def _gmt_date(gmt: str | None, local: str | None, notes: Counter[str]) -> datetime | None:
    """UTC from the ``_gmt`` field; the local time, without a zone, when GMT was never set.

    WordPress leaves ``post_date_gmt`` at ``0000-00-00 00:00:00`` for drafts and for posts
    imported from elsewhere; only the site's local time is known then.
    """
    for value, zone in ((gmt, UTC), (local, None)):
        if not value or value.startswith(_ZERO_DATE):
            continue
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            notes["unreadable dates"] += 1
            continue
        if zone is None:
            notes["dates without GMT kept as local time without a zone"] += 1
            return parsed.replace(tzinfo=None)
        return parsed.replace(tzinfo=zone)
    return None


def _site(channel: etree._Element) -> WxrSite:
    return WxrSite(
        title=child_text(channel, "title", ""),
        link=child_text(channel, "link", "") or _wp(channel, "base_blog_url"),
        language=child_text(channel, "language", ""),
        base_site_url=_wp(channel, "base_site_url"),
    )


def _authors(channel: etree._Element) -> dict[str, str]:
    """Login name to display name, from the channel's ``wp:author`` blocks."""
    names: dict[str, str] = {}
    for author in children(channel, "author", _WP_NAMESPACES):
        login = _wp(author, "author_login")
        display = _wp(author, "author_display_name")
        if login and display:
            names[login] = display
    return names


def _terms(item: etree._Element, domain: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for category in children(item, "category", ""):
        if category.get("domain") == domain and (name := text_of(category)):
            seen.setdefault(name, None)
    return tuple(seen)


def _item_url(item: etree._Element, site: WxrSite, wp_id: str | None) -> str | None:
    """The post's permalink; unpublished posts only have ``?p=<id>`` forms, or nothing."""
    for candidate in (child_text(item, "link", ""), child_text(item, "guid", "")):
        if candidate and try_canonicalize(candidate):
            return candidate
    if site.link and wp_id:
        return f"{site.link.rstrip('/')}/?p={wp_id}"
    return None


def _post(
    item: etree._Element,
    url: str,
    site: WxrSite,
    authors: dict[str, str],
    notes: Counter[str],
) -> Post:
    canonical = try_canonicalize(url) or url
    login = child_text(item, "creator", _DC)
    html = wpautop(_raw_text(child(item, "encoded", _CONTENT)))
    text = html_to_text(html)
    return Post(
        post_id=post_id_for(canonical),
        url=url,
        canonical_url=canonical,
        title=child_text(item, "title", ""),
        author_name=authors.get(login, login) if login else None,
        author_url=None,
        published_at=_gmt_date(_wp(item, "post_date_gmt"), _wp(item, "post_date"), notes),
        updated_at=_gmt_date(_wp(item, "post_modified_gmt"), _wp(item, "post_modified"), Counter()),
        language=site.language,
        text=text,
        html=html,
        categories=_terms(item, "category"),
        tags=_terms(item, "post_tag"),
        comments_open=(_wp(item, "comment_status") or "").lower() == "open"
        if _wp(item, "comment_status")
        else None,
        platform="wordpress",
        word_count=len(text.split()),
        status=_wp(item, "status") or "publish",
    )


def _comment_kind(raw: str | None, notes: Counter[str]) -> CommentKind:
    value = (raw or "").strip().lower()
    if value in {"", "comment"}:
        return "comment"
    if value in {"pingback", "trackback"}:
        return "pingback" if value == "pingback" else "trackback"
    notes[f"comments of type {value!r} kept as comments"] += 1
    return "comment"


@dataclass(frozen=True, kw_only=True, slots=True)
class _RawComment:
    wp_id: str | None
    parent_wp_id: str | None
    author: str | None
    author_url: str | None
    published: datetime | None
    html: str
    kind: CommentKind
    approved: bool


def _raw_comments(item: etree._Element, notes: Counter[str]) -> list[_RawComment]:
    found: list[_RawComment] = []
    for el in children(item, "comment", _WP_NAMESPACES):
        status = (_wp(el, "comment_approved") or "1").strip().lower()
        if status in _DROPPED_STATUSES:
            notes[f"{status} comments dropped"] += 1
            continue
        parent = _wp(el, "comment_parent")
        found.append(
            _RawComment(
                wp_id=_wp(el, "comment_id"),
                parent_wp_id=parent if parent and parent != "0" else None,
                author=_author_name(_wp(el, "comment_author")),
                author_url=_author_url(_wp(el, "comment_author_url")),
                published=_gmt_date(_wp(el, "comment_date_gmt"), _wp(el, "comment_date"), notes),
                html=wpautop(_raw_text(child(el, "comment_content", _WP_NAMESPACES))),
                kind=_comment_kind(_wp(el, "comment_type"), notes),
                approved=status == "1" or status == "approved",
            )
        )
    return found


def _author_name(raw: str | None) -> str | None:
    """The name as a reader sees it. WordPress stores a pingback's author (the linking page's
    title) with its entities escaped ("Robots &raquo; Time Out", "&#8217;"), and the export
    keeps them so."""
    if raw is None:
        return None
    return " ".join(html.unescape(raw).split()) or None


def _author_url(raw: str | None) -> str | None:
    """The commenter's address; None for one that names no site (WordPress saves a bare
    "http://" when the form's field was left at its prefill)."""
    value = (raw or "").strip()
    try:
        return value if value and urlsplit(value).hostname else None
    except ValueError:  # "http://[::1" and the like
        return None


def _sort_key(raw: _RawComment) -> tuple[float, int]:
    # Local-time dates (no zone) sort as if UTC: they only order comments of one site.
    stamp = (
        raw.published.replace(tzinfo=raw.published.tzinfo or UTC).timestamp()
        if raw.published
        else float("inf")
    )
    return stamp, int(raw.wp_id) if raw.wp_id and raw.wp_id.isdigit() else 0


def _thread(post_id: str, raws: list[_RawComment], notes: Counter[str]) -> list[Comment]:
    """Comments of one post in reading order, with parents and depths from the reply chain."""
    raws = sorted(raws, key=_sort_key)
    by_wp_id = {raw.wp_id: raw for raw in raws if raw.wp_id}
    depths: dict[str, int] = {}

    def depth_of(wp_id: str) -> int:
        # Walk up iteratively (threads can be deep); a cycle or a missing parent ends the chain.
        chain: list[str] = []
        current: str | None = wp_id
        while current is not None and current not in depths:
            if current in chain:
                notes["reply cycles broken"] += 1
                break
            chain.append(current)
            parent = by_wp_id[current].parent_wp_id
            current = parent if parent in by_wp_id else None
        depth = depths[current] if current is not None and current in depths else -1
        for link in reversed(chain):
            depth += 1
            depths[link] = depth
        return depths[wp_id]

    comments: list[Comment] = []
    for position, raw in enumerate(raws):
        text = html_to_text(raw.html)
        parent = raw.parent_wp_id if raw.parent_wp_id in by_wp_id else None
        if raw.parent_wp_id and parent is None:
            notes["replies to a comment missing from the export kept at top level"] += 1
        comments.append(
            Comment(
                comment_id=comment_id_for(post_id, raw.wp_id, raw.author, raw.published, text),
                post_id=post_id,
                platform_id=raw.wp_id,
                parent_id=comment_id_for(post_id, parent) if parent else None,
                depth=depth_of(raw.wp_id) if parent and raw.wp_id else 0,
                position=position,
                author_name=raw.author,
                author_url=raw.author_url,
                published_at=raw.published,
                title=None,
                text=text,
                html=raw.html,
                kind=raw.kind,
                source="import",
                approved=raw.approved,
            )
        )
    return comments


def parse_wxr(data: bytes) -> WxrResult:
    """Read a WordPress export (WXR 1.0 to 1.2) into site, posts, pages and comments."""
    root, initial = read_xml(data, max_bytes=MAX_WXR_BYTES)
    problems = list(initial)
    empty_site = WxrSite(title=None, link=None, language=None, base_site_url=None)
    channel = child(root, "channel", "") if root is not None else None
    if channel is None:
        problems.append("not a WordPress export: no RSS channel")
        return WxrResult(site=empty_site, problems=tuple(problems))
    site = _site(channel)
    authors = _authors(channel)
    notes: Counter[str] = Counter()
    items = list(children(channel, "item", ""))
    if len(items) > MAX_WXR_ITEMS:
        problems.append(f"{len(items)} items: only the first {MAX_WXR_ITEMS} were read")
        items = items[:MAX_WXR_ITEMS]
    if _wp(channel, "wxr_version") is None and not any(
        child(i, "post_type", _WP_NAMESPACES) is not None for i in items
    ):
        problems.append("not a WordPress export: no wp: elements")
        return WxrResult(site=site, problems=tuple(problems))

    posts: list[Post] = []
    pages: list[Post] = []
    comments: list[Comment] = []
    for item in items:
        post_type = _wp(item, "post_type") or "post"
        if post_type not in _KEPT_TYPES:
            if post_type not in _SILENT_TYPES:
                notes[f"items of type {post_type!r} skipped"] += 1
            continue
        wp_id = _wp(item, "post_id")
        url = _item_url(item, site, wp_id)
        if url is None:
            notes["items without a usable URL skipped"] += 1
            continue
        post = _post(item, url, site, authors, notes)
        (pages if post_type == "page" else posts).append(post)
        comments += _thread(post.post_id, _raw_comments(item, notes), notes)
    problems += [f"{count} {what}" for what, count in sorted(notes.items())]
    return WxrResult(
        site=site,
        posts=tuple(posts),
        pages=tuple(pages),
        comments=tuple(comments),
        problems=tuple(problems),
    )
