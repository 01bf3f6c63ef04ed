"""Applying one ``CommentMarkup`` row to a page: find the comment area, its items, their fields.

Threading comes from the markup itself: a comment nested inside another (``ul.children``,
Blogger's ``.comment-replies``) or placed in a reply wrapper right after it (Drupal's
``.indented``) is a reply; LiveJournal-style pages give depth by indentation instead.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence, Set
from datetime import datetime
from functools import cached_property
from urllib.parse import parse_qs, urldefrag, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.comments.fields import (
    Matcher,
    RawComment,
    clean_author,
    first_match,
    native_id,
    node_text,
    pingback_kind,
    resolve_url,
    split_title,
)
from parsers.comments.selectors import BODY_SELECTOR, CommentMarkup
from parsers.dates import from_epoch_ms, parse_datetime
from parsers.records import CommentKind

__all__ = ["MAX_COMMENTS", "PageNodes", "common_ancestor", "extract_with", "read_date"]

# A page with more comments than this is a forum dump or an attack; the rest is ignored.
MAX_COMMENTS = 5000
_REPLY_WRAPPERS = (
    "ul.children, ol.children, .comment-replies, .children, .replies, "
    ".reply, .comment-reply-link, .comment-actions, .comment-reply, .comment-edit-link"
)
_LIGHT_STRIP = CommentMarkup(
    platform="",
    family="light-strip",
    container="",
    item="[id^='comment-'], [id^='li-comment-']",
    strip=("cite", ".avatar", "img", ".comment-meta", ".commentmetadata", "script", "style"),
)
_NAMED_SECTIONS = "#comments, .comments-area, #comments-block, .wp-block-comments"
_DATE_ATTRS = ("datetime", "data-datetime", "data-timestamp", "data-date", "content", "title")
_INDENT_CLASS = re.compile(r"(?:twig|depth|level)-(\d+)\b")
_MARGIN = re.compile(r"margin-left\s*:\s*(\d+)")


class PageNodes:
    """What every markup row asks of one page, found once: each query walks the whole tree.

    Valid while the tree is not modified (comment extraction only reads it).
    """

    def __init__(self, tree: LexborHTMLParser) -> None:
        self._tree = tree

    @cached_property
    def body(self) -> frozenset[int]:
        """The post body's nodes: comments never come from inside them."""
        return frozenset(node.mem_id for node in self._tree.css(BODY_SELECTOR))

    @cached_property
    def trusted(self) -> frozenset[int]:
        """Named comment sections, trusted even where a theme prints them inside the body."""
        if not self.body:
            return frozenset()
        return frozenset(node.mem_id for node in self._tree.css(_NAMED_SECTIONS))


def extract_with(
    tree: LexborHTMLParser,
    markup: CommentMarkup,
    *,
    page_url: str,
    languages: Sequence[str] | None,
    areas: list[LexborNode] | None = None,
    nodes: PageNodes | None = None,
) -> tuple[list[RawComment], LexborNode | None]:
    """Comments found by one markup row, and the node holding them (None when none found).

    ``areas`` replaces the row's container selector when the caller has already found the
    comment area (the generic fallback finds it by its words, not by a selector). ``nodes``
    shares the page-wide lookups between the rows tried on one page.
    """
    if markup.requires and tree.css_first(markup.requires) is None:
        return [], None
    if areas is None:
        areas = _outermost(tree.css(markup.container))
    if not areas:
        return [], None
    if nodes is None:
        nodes = PageNodes(tree)
    body_ids = nodes.body
    trusted = nodes.trusted
    items: list[LexborNode] = []
    seen: set[int] = set()
    container: LexborNode | None = None
    for area in areas:
        # A selector list can return one node once per matching selector.
        # Some themes print the comment section inside their body wrapper; a named comment
        # section is trusted there, a bare comment list (quoted markup, say) is not.
        if _inside(area, body_ids, None) and area.mem_id not in trusted:
            continue
        found = [n for n in area.css(markup.item) if not _inside(n, body_ids, area)]
        for node in found:
            if node.mem_id in seen:
                continue
            if container is None:
                container = area
            seen.add(node.mem_id)
            items.append(node)
        if len(items) >= MAX_COMMENTS:
            break
    items = items[:MAX_COMMENTS]
    if markup.item_id_pattern:
        items = _well_named(items, markup.item_id_pattern)
    if not items:
        return [], None
    if container is not None and container.tag in {"html", "body"}:
        # Markup found page-wide (schema.org, microformats): hold only what the items span.
        container = common_ancestor(items)
    matcher = Matcher(tree.root)
    if markup.depth_from_indent:
        depths, parents = _threads_by_indent(items)
    else:
        depths, parents = _threads_by_nesting(items, markup, matcher)
    comments: list[RawComment] = []
    index_of: dict[int, int] = {}
    for position, item in enumerate(items):
        group = _group(item, markup, seen, matcher)
        raw = _read(group, markup, matcher, page_url=page_url, languages=languages)
        if raw is None:
            continue
        parent = parents[position]
        index_of[position] = len(comments)
        comments.append(
            dataclasses.replace(
                raw,
                parent_index=index_of.get(parent) if parent is not None else None,
                depth=depths[position],
            )
        )
    return comments, container if comments else None


def read_date(
    node: LexborNode | None, languages: Sequence[str] | None, *, month_first: bool = False
) -> datetime | None:
    """A date from a node's machine-readable attributes, else from its text."""
    if node is None:
        return None
    langs: Sequence[str] | None = ["en-US"] if month_first else languages
    parsed = _date_attribute(node, langs)
    if parsed is not None:
        return parsed
    # The first ``<time>``/``<abbr>`` inside; lexbor's query includes the node itself, which a
    # plain identity test cannot tell apart (each lookup makes a new Python object).
    for inner in node.css("time[datetime], abbr[title]")[:2]:
        if inner.mem_id == node.mem_id:
            continue
        parsed = _date_attribute(inner, langs) or parse_datetime(node_text(inner), languages=langs)
        if parsed is not None:
            return parsed
        break
    return parse_datetime(node_text(node), languages=langs)


def _date_attribute(node: LexborNode, languages: Sequence[str] | None) -> datetime | None:
    """A date from the node's machine-readable attributes (``datetime``, ``title``...)."""
    for attr in _DATE_ATTRS:
        value = node.attributes.get(attr)
        if value and any(c.isdigit() for c in value):
            if value.isdigit() and len(value) >= 10:  # epoch seconds or milliseconds
                parsed = from_epoch_ms(int(value) * (1000 if len(value) <= 10 else 1))
            else:
                parsed = parse_datetime(value, languages=languages)
            if parsed is not None:
                return parsed
    return None


def common_ancestor(nodes: list[LexborNode]) -> LexborNode | None:
    """The deepest node holding all ``nodes``."""
    if not nodes:
        return None
    chain: list[LexborNode] = []
    parent = nodes[0].parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    depth_of = {node.mem_id: i for i, node in enumerate(chain)}
    best = 0
    for node in nodes[1:]:
        parent = node.parent
        while parent is not None and parent.mem_id not in depth_of:
            parent = parent.parent
        if parent is None:
            return None
        best = max(best, depth_of[parent.mem_id])
    return chain[best] if chain else None


def _well_named(items: list[LexborNode], pattern: str) -> list[LexborNode]:
    """Items whose id has the row's shape, each comment once (``li#li-comment-5 > div#comment-5``
    is one comment: the outer node is kept, since replies nest inside it)."""
    shape = re.compile(pattern)
    kept: list[LexborNode] = []
    number_of: dict[int, str] = {}
    for item in items:
        ident = item.attributes.get("id")
        if ident is not None and not shape.match(ident):
            continue
        number = re.sub(r"\D", "", ident or "")
        ancestor = item.parent
        duplicate = False
        while ancestor is not None:
            if ancestor.mem_id in number_of:
                duplicate = bool(number) and number_of[ancestor.mem_id] == number
                break
            ancestor = ancestor.parent
        if duplicate:
            continue
        number_of[item.mem_id] = number
        kept.append(item)
    return kept


def _outermost(areas: list[LexborNode]) -> list[LexborNode]:
    ids = {area.mem_id for area in areas}
    kept: list[LexborNode] = []
    for area in areas:
        parent = area.parent
        nested = False
        while parent is not None:
            if parent.mem_id in ids:
                nested = True
                break
            parent = parent.parent
        if not nested:
            kept.append(area)
    return kept


def _inside(node: LexborNode, ids: Set[int], stop: LexborNode | None) -> bool:
    if not ids:
        return False
    parent = node.parent
    while parent is not None and (stop is None or parent.mem_id != stop.mem_id):
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _threads_by_nesting(
    items: list[LexborNode], markup: CommentMarkup, matcher: Matcher
) -> tuple[list[int], list[int | None]]:
    position_of = {item.mem_id: i for i, item in enumerate(items)}
    depths: list[int] = []
    parents: list[int | None] = []
    for item in items:
        parent_pos: int | None = None
        ancestor = item.parent
        while ancestor is not None:
            if ancestor.mem_id in position_of:
                parent_pos = position_of[ancestor.mem_id]
                break
            if markup.replies_sibling and matcher.matches(ancestor, markup.replies_sibling):
                parent_pos = _previous_item(ancestor, position_of)
                if parent_pos is not None:
                    break
            ancestor = ancestor.parent
        # Parents come first in document order, so their depth is already known.
        parents.append(parent_pos)
        depths.append(depths[parent_pos] + 1 if parent_pos is not None else 0)
    return depths, parents


def _previous_item(node: LexborNode, position_of: dict[int, int]) -> int | None:
    sibling = node.prev
    while sibling is not None:
        if sibling.mem_id in position_of:
            return position_of[sibling.mem_id]
        if sibling.is_element_node and sibling.tag not in {"a"}:
            found = sibling.css("*")
            for candidate in reversed(found):
                if candidate.mem_id in position_of:
                    return position_of[candidate.mem_id]
        sibling = sibling.prev
    return None


def _threads_by_indent(items: list[LexborNode]) -> tuple[list[int], list[int | None]]:
    levels: list[int | None] = []
    margins: list[int] = []
    for item in items:
        match = _INDENT_CLASS.search(item.attributes.get("class") or "")
        margin = _MARGIN.search(item.attributes.get("style") or "")
        if match:
            levels.append(max(int(match.group(1)) - 1, 0))
        elif margin:
            levels.append(None)
            margins.append(int(margin.group(1)))
        else:
            levels.append(0)
    step = min((m for m in margins if m > 0), default=0)
    depths: list[int] = []
    parents: list[int | None] = []
    last_at_depth: dict[int, int] = {}
    for i, item in enumerate(items):
        level = levels[i]
        if level is None:
            margin = _MARGIN.search(item.attributes.get("style") or "")
            px = int(margin.group(1)) if margin else 0
            level = round(px / step) if step else 0
        # A jump of several levels means a missing parent: attach to the closest shallower one.
        parent = None
        for d in range(level - 1, -1, -1):
            if d in last_at_depth:
                parent = last_at_depth[d]
                break
        depth = depths[parent] + 1 if parent is not None else 0
        depths.append(depth)
        parents.append(parent)
        last_at_depth[depth] = i
        for deeper in [d for d in last_at_depth if d > depth]:
            del last_at_depth[deeper]
    return depths, parents


def _group(
    item: LexborNode, markup: CommentMarkup, items: set[int], matcher: Matcher
) -> list[LexborNode]:
    if not markup.pair_with:
        return [item]
    group = [item]
    sibling = item.next
    while sibling is not None and sibling.mem_id not in items:
        if sibling.is_element_node:
            if not matcher.matches(sibling, markup.pair_with):
                break
            group.append(sibling)
        sibling = sibling.next
    return group


def _read(
    group: list[LexborNode],
    markup: CommentMarkup,
    matcher: Matcher,
    *,
    page_url: str,
    languages: Sequence[str] | None,
) -> RawComment | None:
    item = group[0]
    # Only a <dt>/<dd> group can be its own field; a single item is searched inside.
    own = matcher if markup.pair_with else None
    link_node = first_match(group, markup.permalink, own)
    permalink = resolve_url(page_url, link_node.attributes.get("href") if link_node else None)
    if permalink is None and link_node is not None:
        href = link_node.attributes.get("href") or ""
        permalink = href if href.startswith("#") else None

    author_node = first_match(group, markup.author, own)
    author_name, author_url = _author(author_node, markup, page_url)

    published = None
    if markup.epoch_ms_param and permalink:
        values = parse_qs(urlsplit(permalink).query).get(markup.epoch_ms_param)
        if not values:  # mirrors turn "?" into "%3F", hiding the query in the path
            match = re.search(rf"{markup.epoch_ms_param}=(\d{{10,14}})", permalink)
            values = [match.group(1)] if match else []
        published = from_epoch_ms(values[0]) if values else None
    if published is None:
        published = read_date(
            first_match(group, markup.date, own), languages, month_first=markup.numeric_month_first
        )

    content = first_match(group[1:] or group, markup.content, own) if markup.content else None
    fallback = content is None
    if fallback and markup.pair_with:
        return None
    text, html, title = _content(content or item, markup, fallback=fallback)

    kind: CommentKind = "comment"
    if markup.trackback and matcher.matches(item, markup.trackback):
        kind = "trackback"
    elif markup.pingback and matcher.matches(item, markup.pingback):
        kind = "pingback"
    else:
        kind = pingback_kind(text, author_url) or "comment"
    if kind != "comment" and not author_name:
        # WordPress prints a ping as "Pingback: <a href=URL>Title of the linking page</a>".
        link = item.css_first("a.url[href], a[href]")
        if link is not None:
            author_name = clean_author(link.text())
            author_url = resolve_url(page_url, link.attributes.get("href"))
    if not text and not author_name:
        return None
    return RawComment(
        platform_id=native_id(group, permalink),
        parent_index=None,
        depth=0,
        author_name=author_name,
        author_url=author_url,
        published_at=published,
        title=title,
        text=text,
        html=html,
        kind=kind,
        permalink=permalink,
    )


def _author(
    node: LexborNode | None, markup: CommentMarkup, page_url: str
) -> tuple[str | None, str | None]:
    if node is None:
        return None, None
    shown = _DATE_AFTER_NAME.sub("", node_text(_without_details(node)).replace("\n", " "))
    if markup.author_pattern:
        match = re.search(markup.author_pattern, shown, re.IGNORECASE)
        if match is None:
            return None, None
        shown = match.group(1)
    name = clean_author(shown)
    link: LexborNode | None = node if node.tag == "a" else None
    if link is None:
        for anchor in node.css("a[href]"):
            href = anchor.attributes.get("href") or ""
            if href.startswith("#") or "showComment" in href or _is_comment_link(href, page_url):
                continue
            anchor_text = clean_author(anchor.text())
            # In "Posted by: X | date" footers the first link may be the permalink.
            if not markup.author_pattern or (anchor_text and name and anchor_text in name):
                link = anchor
                break
    url = resolve_url(page_url, link.attributes.get("href")) if link is not None else None
    return name, url


# "Comment by Daniel — 17.07, 2011 @ 13:10": a date after a dash or a bar ends the name.
_DATE_AFTER_NAME = re.compile(r"\s+[—–|]\s+[^—–|]*\d[^—–|]*$")

# What themes print beside the name inside its element: the time, the permalink, "Reply".
_NOT_THE_NAME = (
    "time, .comment-reply-link, .reply, .comment-date, .comment-time, .comment__time, "
    ".comment__links, .comment-metadata, a[href^='#']"
)


def _without_details(node: LexborNode) -> LexborNode:
    """The author's element without the date, permalink and reply link a theme prints in it
    ("Julia on 11/08/2020 at 9:52 Antworten" read as the name)."""
    try:
        if node.css_first(_NOT_THE_NAME) is None:
            return node
        bare = node.clone() or node
        for detail in _outermost([n for n in bare.css(_NOT_THE_NAME) if n.mem_id != bare.mem_id]):
            detail.decompose()
    except Exception:  # a malformed page can make lexbor refuse a query
        return node
    return bare if bare.text(strip=True) else node


def _is_comment_link(href: str, page_url: str) -> bool:
    """A reply link ("?replytocom=114#respond") or a comment's own permalink on this page:
    never the commenter's site."""
    if "replytocom=" in href or href.endswith("#respond"):
        return True
    target = resolve_url(page_url, href)
    return target is not None and "#" in target and urldefrag(target)[0] == urldefrag(page_url)[0]


def _content(
    node: LexborNode, markup: CommentMarkup, *, fallback: bool, retry: bool = True
) -> tuple[str, str, str | None]:
    original = node
    selector = _REPLY_WRAPPERS
    if not markup.item_id_pattern:
        # With an id pattern an inner node may share the item selector (div#comment-5 inside
        # li#li-comment-5): replies are then found by their wrappers only.
        selector += ", " + markup.item
    if fallback and markup.strip:
        selector += ", " + ", ".join(markup.strip)
    try:
        unwanted = [n for n in node.css(selector) if n.mem_id != node.mem_id]
    except Exception:
        unwanted = []
    if unwanted:
        node = node.clone() or node
        # lexbor's queries include the node itself, which must stay; and only the outermost
        # matches go, since removing a parent frees its children with it.
        extras = [n for n in node.css(selector) if n.mem_id != node.mem_id]
        for extra in _outermost(extras):
            extra.decompose()
    text = node_text(node)
    if fallback and retry and not text and original is not node:
        # Some themes put the text inside .comment-author; strip only the obvious chrome.
        return _content(original, _LIGHT_STRIP, fallback=True, retry=False)
    title, text = split_title(node, text)
    return text, (node.inner_html or "").strip(), title
