"""RSS 2.0, RSS 1.0 and Atom feeds as records: the posts a feed lists, or the comments it carries.

Blogs publish two kinds of feed. A *posts* feed lists entries (URL, dates, author, categories,
declared comment count and the entry's own comment feed). A *comments* feed (WordPress per-post
``/feed/``, WordPress site-wide ``/comments/feed/``, Blogger ``feeds/<postId>/comments/default``)
carries the comments themselves, which become ``Comment`` records with ``source="feed"``: the same
comment read from the post page and from its feed gets the same ``comment_id``, because both use
the platform's own id (``123`` from ``#comment-123``, ``5301274`` from ``#c5301274``).

Parsing is pure and never raises on bad input: whatever could be read is returned, with a line in
``problems`` for each thing that went wrong. XML is parsed with entity expansion, DTD loading and
network access off, so XXE and entity-expansion bombs are inert.

The XML, date and HTML-to-text helpers here are shared with ``parsers.sitemaps`` and
``parsers.wxr``.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from parsers.records import Comment, comment_id_for, post_id_for
from parsers.urls import try_canonicalize

__all__ = [
    "MAX_FEED_BYTES",
    "MAX_FEED_ITEMS",
    "Feed",
    "FeedEntry",
    "child",
    "child_text",
    "children",
    "feed_page_urls",
    "html_to_text",
    "looks_like_feed",
    "parse_date",
    "parse_feed",
    "qname",
    "read_xml",
    "text_of",
]

MAX_FEED_BYTES = 50 * 1024 * 1024
MAX_FEED_ITEMS = 50_000
# A feed URL list longer than this is a bogus ``totalResults``, not a blog.
_MAX_PAGES = 10_000
_MAX_PROBLEMS = 50

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
SLASH = "http://purl.org/rss/1.0/modules/slash/"
WFW = "http://wellformedweb.org/CommentAPI/"
THR = "http://purl.org/syndication/thread/1.0"
OPENSEARCH = ("http://a9.com/-/spec/opensearchrss/1.0/", "http://a9.com/-/spec/opensearch/1.1/")

# Prefixes real feeds use without declaring them (WordPress.com writes ``atom:link`` with no
# ``xmlns:atom``). In recovery mode lxml keeps such tags as plain ``prefix:name`` strings; this
# table lets the lookups below treat them as the namespaced element they were meant to be.
_KNOWN_PREFIXES = {
    "atom": ATOM,
    "dc": DC,
    "content": CONTENT,
    "slash": SLASH,
    "wfw": WFW,
    "thr": THR,
    "openSearch": OPENSEARCH[0],
    "opensearch": OPENSEARCH[1],
    "rdf": RDF,
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
}

FeedKind = Literal["posts", "comments"]


# --------------------------------------------------------------------------------------------
# Shared helpers: safe XML, element lookups, dates, HTML to text
# --------------------------------------------------------------------------------------------


def _xml_parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers keep an error log and are not thread-safe.
    return etree.XMLParser(
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf",)


def read_xml(
    data: bytes | str, *, max_bytes: int = MAX_FEED_BYTES
) -> tuple[etree._Element | None, list[str]]:
    """Parse XML leniently and safely; return the root (or None) and what went wrong.

    Text before the XML declaration (blank lines printed by a PHP plugin, a static-site
    generator's front matter) is cut off, as feed readers do, and reported.
    """
    problems: list[str] = []
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if isinstance(data, str):
        # The text is already decoded: a declared encoding would now be a lie.
        raw = _XML_DECL.sub(b"", raw, count=1)
    if len(raw) > max_bytes:
        problems.append(f"document larger than {max_bytes} bytes: truncated")
        raw = raw[:max_bytes]
    for bom in _BOMS:
        if raw.startswith(bom):
            raw = raw[len(bom) :]
    stripped = raw.lstrip()
    decl_at = stripped.find(b"<?xml", 0, 4096)
    if decl_at > 0:
        problems.append("text before the XML declaration was ignored")
        stripped = stripped[decl_at:]
    if not stripped:
        return None, ["empty document"]
    parser = _xml_parser()
    try:
        root = etree.fromstring(stripped, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return None, [*problems, f"not parsable as XML: {exc}"]
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if errors:
        problems.append(f"{len(errors)} XML errors recovered (first: {errors[0].message})")
    if root is None:
        problems.append("no XML element found")
    return root, problems


def qname(el: etree._Element) -> tuple[str, str]:
    """``(namespace, local name)`` of an element, resolving undeclared well-known prefixes."""
    tag = el.tag
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    prefix, sep, local = tag.partition(":")
    if sep:
        return _KNOWN_PREFIXES.get(prefix, prefix), local
    return "", tag


def _ns_matches(ns: str, wanted: str | tuple[str, ...] | None) -> bool:
    if wanted is None:
        return True
    if isinstance(wanted, tuple):
        return ns in wanted
    return ns == wanted


def children(
    el: etree._Element, local: str, ns: str | tuple[str, ...] | None = None
) -> Iterator[etree._Element]:
    """Child elements named ``local`` in namespace ``ns`` (any namespace when None)."""
    for child in el:
        child_ns, child_local = qname(child)
        if child_local == local and _ns_matches(child_ns, ns):
            yield child


def child(
    el: etree._Element, local: str, ns: str | tuple[str, ...] | None = None
) -> etree._Element | None:
    """The first child element named ``local`` in ``ns``, or None."""
    return next(children(el, local, ns), None)


def text_of(el: etree._Element | None) -> str | None:
    """The element's text content, stripped; None when absent or empty."""
    if el is None:
        return None
    # itertext skips entity-reference nodes left unexpanded on purpose.
    value = "".join(t for t in el.itertext() if isinstance(t, str)).strip()
    return value or None


def child_text(
    el: etree._Element, local: str, ns: str | tuple[str, ...] | None = None
) -> str | None:
    """Stripped text of the first child named ``local``, or None."""
    return text_of(child(el, local, ns))


def parse_date(value: str | None) -> datetime | None:
    """Parse an RFC 822 or ISO 8601 / W3C date into an aware datetime (UTC when no zone)."""
    if not value:
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        # Feeds without a zone (RFC 822 "-0000", bare W3C dates) are UTC by every spec concerned.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_ANY_SPACE = re.compile(r"\s+")


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: one line per block, runs of spaces collapsed."""
    if not html or not html.strip():
        return ""
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(f"<html><body><div>{html}</div></body></html>", parser)
    except (etree.XMLSyntaxError, ValueError):
        return " ".join(html.split())
    if root is None:
        return " ".join(html.split())
    parts: list[str] = []
    skipping = 0
    in_pre = 0

    def add(text: str | None) -> None:
        # Source newlines are plain spaces in HTML, except inside <pre>.
        if text:
            parts.append(text if in_pre else _ANY_SPACE.sub(" ", text))

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIPPED_TAGS:
                skipping += 1
            if skipping:
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            in_pre += tag == "pre"
            if tag:
                add(el.text)
            continue
        if tag in _SKIPPED_TAGS:
            skipping -= 1
        elif not skipping and tag in _BLOCK_TAGS:
            in_pre -= tag == "pre"
            parts.append("\n")
        if not skipping:
            add(el.tail)
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class FeedEntry:
    """One post listed by a posts feed."""

    url: str
    title: str | None
    published_at: datetime | None
    updated_at: datetime | None
    author: str | None
    comment_count: int | None
    comment_feed_url: str | None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Feed:
    """What one feed document yields: post entries, or comments, plus paging hints."""

    url: str
    kind: FeedKind
    title: str | None
    entries: tuple[FeedEntry, ...] = ()
    comments: tuple[Comment, ...] = ()
    next_url: str | None = None
    total_results: int | None = None
    problems: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Detection and paging
# --------------------------------------------------------------------------------------------

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_ROOT = re.compile(rb"<(?:rss[\s>]|feed[\s>]|(?:[\w-]+:)?RDF[\s>])")
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    """True when the body is an RSS or Atom feed, judged by type and by the first bytes.

    The body is sniffed whatever the type says, because mirrors and misconfigured servers send
    feeds as ``text/html`` (a feed saved as ``feed/index.html``).
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    head = data[:4096]
    feed_at = _FEED_ROOT.search(head)
    html_at = _HTML_ROOT.search(head)
    if feed_at and (html_at is None or feed_at.start() < html_at.start()):
        return True
    return mime in _FEED_TYPES and html_at is None and b"<" in head


def _is_blogger_feed(parts: tuple[str, str, str, str, str]) -> bool:
    host, path = parts[1].lower(), parts[2]
    return "/feeds/" in path and (
        host.endswith((".blogspot.com", "blogger.com"))
        or path.rstrip("/").endswith(("/default", "/summary", "/full"))
    )


def feed_page_urls(feed_url: str, total: int | None, page_size: int) -> list[str]:
    """URLs of every page of a feed holding ``total`` items, ``page_size`` a page.

    Blogger pages with ``start-index`` (1-based) and ``max-results``; WordPress with ``paged=N``
    (page 1 is the feed URL itself). With ``total`` unknown only the first page is listed: follow
    ``Feed.next_url`` from there.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    parts = urlsplit(feed_url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in {"start-index", "max-results", "paged"}
    ]
    count = 1 if total is None else max(1, math.ceil(total / page_size))
    count = min(count, _MAX_PAGES)
    urls: list[str] = []
    blogger = _is_blogger_feed(parts)
    for page in range(count):
        if blogger:
            extra = [("start-index", str(1 + page * page_size)), ("max-results", str(page_size))]
        elif page == 0:
            urls.append(feed_url)
            continue
        else:
            extra = [("paged", str(page + 1))]
        urls.append(urlunsplit(parts._replace(query=urlencode([*query, *extra]))))
    return urls


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

# The native comment id in a comment permalink: WordPress ``#comment-123``, Blogger ``#c123``.
_WP_COMMENT_FRAGMENT = re.compile(r"^comment-(\d+)$")
_BLOGGER_COMMENT_FRAGMENT = re.compile(r"^c(\d+)$")
# WordPress puts comments on ``/comment-page-N/`` copies of the post; the post is the prefix.
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")
# Titles WordPress makes up for comment items: "By: Name", "Par : Name", "Von: Name".
_BY_TITLE = re.compile(r"^\s*(?:By|Par|Von|Door|Por|Di|Av|Przez|Od)\s?:\s*(.+)$", re.IGNORECASE)
_ON_BY_TITLE = re.compile(r"^\s*Comment on .+ by (.+)$", re.IGNORECASE)
# Blogger names a reply's parent with a ``related`` link to ``.../comments/default/<id>``.
_BLOGGER_COMMENT_HREF = re.compile(r"/comments/default/(\d+)(?:[?#].*)?$")
_BLOGGER_COMMENT_REF = re.compile(r"\.post-(\d+)$")


class _Problems:
    """Collects problems, keeping the list short on pathological input."""

    def __init__(self, initial: list[str]) -> None:
        self.items = list(initial)
        self.dropped = 0

    def add(self, message: str) -> None:
        if len(self.items) < _MAX_PROBLEMS:
            self.items.append(message)
        else:
            self.dropped += 1

    def result(self) -> tuple[str, ...]:
        if self.dropped:
            return (*self.items, f"{self.dropped} more problems not listed")
        return tuple(self.items)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Item:
    """One ``item``/``entry`` read into plain values, before deciding what the feed is."""

    link: str | None
    title: str | None
    published: datetime | None
    updated: datetime | None
    author: str | None
    author_url: str | None
    html: str
    categories: tuple[str, ...]
    comment_count: int | None
    comment_feed_url: str | None
    in_reply_to_href: str | None
    in_reply_to_ref: str | None
    related_href: str | None


def parse_feed(data: bytes | str, url: str) -> Feed:
    """Read an RSS 2.0, RSS 1.0 or Atom document fetched from ``url``."""
    root, initial = read_xml(data)
    problems = _Problems(initial)
    if root is None:
        return Feed(url=url, kind="posts", title=None, problems=problems.result())
    ns, local = qname(root)
    if local == "rss":
        channel = child(root, "channel")
        if channel is None:
            problems.add("RSS document without a channel")
            return Feed(url=url, kind="posts", title=None, problems=problems.result())
        container, item_parent, item_name = channel, channel, "item"
    elif local == "RDF":
        channel = child(root, "channel", (RSS1, ""))
        container = channel if channel is not None else root
        item_parent, item_name = root, "item"
    elif local == "feed":
        container, item_parent, item_name = root, root, "entry"
    else:
        problems.add(f"not a feed: root element is <{local}>")
        return Feed(url=url, kind="posts", title=None, problems=problems.result())
    if local == "feed" and ns not in (ATOM, ""):
        problems.add(f"unexpected Atom namespace {ns!r}")

    raw_items = list(children(item_parent, item_name))
    if len(raw_items) > MAX_FEED_ITEMS:
        problems.add(f"{len(raw_items)} items: only the first {MAX_FEED_ITEMS} were read")
        raw_items = raw_items[:MAX_FEED_ITEMS]
    items = [_read_item(el, url, atom=local == "feed", problems=problems) for el in raw_items]

    title = _title_text(child(container, "title"))
    total = _int_or_none(child_text(container, "totalResults", OPENSEARCH))
    next_url = _next_url(container, url, total)
    feed_link = _alternate_link(container, url, atom=local == "feed")

    hints = (title, child_text(container, "id", (ATOM, "")), _self_link(container, url), url)
    if _is_comment_feed(items, hints):
        comments = _comments_from(items, feed_link, problems, url)
        return Feed(
            url=url,
            kind="comments",
            title=title,
            comments=comments,
            next_url=next_url,
            total_results=total,
            problems=problems.result(),
        )
    entries: list[FeedEntry] = []
    for item in items:
        if not item.link:
            problems.add(f"entry without a link skipped: {item.title!r}")
            continue
        if "{{" in item.link or "{%" in item.link:
            # A site generator's feed template saved unrendered: its one "entry" is a loop body.
            problems.add(f"unrendered template placeholder in entry link skipped: {item.link!r}")
            continue
        entries.append(
            FeedEntry(
                url=item.link,
                title=item.title,
                published_at=item.published,
                updated_at=item.updated,
                author=item.author,
                comment_count=item.comment_count,
                comment_feed_url=item.comment_feed_url,
                categories=item.categories,
            )
        )
    return Feed(
        url=url,
        kind="posts",
        title=title,
        entries=tuple(entries),
        next_url=next_url,
        total_results=total,
        problems=problems.result(),
    )


def _int_or_none(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _title_text(el: etree._Element | None) -> str | None:
    """A title as plain text; Atom ``type="html"`` titles carry markup to strip."""
    if el is None:
        return None
    value = text_of(el)
    if value and (el.get("type") == "html" or "<" in value):
        value = html_to_text(value).replace("\n", " ") or None
    return value


def _link_href(el: etree._Element, base: str) -> str | None:
    href = (el.get("href") or "").strip()
    return urljoin(base, href) if href else None


def _alternate_link(container: etree._Element, base: str, *, atom: bool) -> str | None:
    """The HTML page a feed or entry stands for."""
    for link in children(container, "link", (ATOM, "") if atom else ATOM):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return _link_href(link, base)
    if not atom:
        for link in children(container, "link", (RSS1, "")):
            value = text_of(link)
            if value:
                return urljoin(base, value)
    return None


def _self_link(container: etree._Element, base: str) -> str | None:
    for link in children(container, "link", (ATOM, "")):
        if link.get("rel") == "self" and link.get("href"):
            return _link_href(link, base)
    return None


def _next_url(container: etree._Element, url: str, total: int | None) -> str | None:
    """The next page: ``rel=next``, or computed from Blogger's OpenSearch counters.

    Blogger's ``rel=next`` points at www.blogger.com even when the feed was fetched from the
    blog's own host; the OpenSearch counters let us stay on the host the caller used.
    """
    explicit = None
    for link in children(container, "link", (ATOM, "")):
        if link.get("rel") == "next":
            explicit = _link_href(link, url)
            break
    start = _int_or_none(child_text(container, "startIndex", OPENSEARCH))
    per_page = _int_or_none(child_text(container, "itemsPerPage", OPENSEARCH))
    computed = None
    if total is not None and start is not None and per_page:
        following = start + per_page
        if following <= total:
            parts = urlsplit(url)
            query = [
                (k, v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if k not in {"start-index", "max-results"}
            ]
            query += [("start-index", str(following)), ("max-results", str(per_page))]
            computed = urlunsplit(parts._replace(query=urlencode(query)))
    if explicit and (computed is None or urlsplit(explicit).netloc == urlsplit(url).netloc):
        return explicit
    return computed or explicit


def _read_item(el: etree._Element, base: str, *, atom: bool, problems: _Problems) -> _Item:
    if atom:
        link = _alternate_link(el, base, atom=True)
        published_raw = child_text(el, "published", (ATOM, "")) or child_text(el, "issued")
        updated_raw = child_text(el, "updated", (ATOM, "")) or child_text(el, "modified")
        author_el = child(el, "author", (ATOM, ""))
        author = child_text(author_el, "name") if author_el is not None else None
        author_url = child_text(author_el, "uri") if author_el is not None else None
        content_el = child(el, "content", (ATOM, ""))
        if content_el is None:
            content_el = child(el, "summary", (ATOM, ""))
        html = _atom_content_html(content_el)
        categories = tuple(
            term
            for c in children(el, "category", (ATOM, ""))
            if (term := (c.get("term") or c.get("label") or "").strip())
        )
        comment_feed = None
        comment_count = _int_or_none(child_text(el, "total", THR))
        for rel_link in children(el, "link", (ATOM, "")):
            if rel_link.get("rel") == "replies":
                href = _link_href(rel_link, base)
                if "html" in (rel_link.get("type") or ""):
                    continue
                comment_feed = comment_feed or href
                if comment_count is None:
                    comment_count = _int_or_none(rel_link.get(f"{{{THR}}}count"))
    else:
        link_text = child_text(el, "link", (RSS1, "")) or el.get(f"{{{RDF}}}about")
        if not link_text:
            guid = child(el, "guid")
            if guid is not None and guid.get("isPermaLink", "true") == "true":
                link_text = text_of(guid)
        link = urljoin(base, link_text) if link_text else None
        published_raw = child_text(el, "pubDate") or child_text(el, "date", DC)
        updated_raw = child_text(el, "updated", ATOM) or child_text(el, "modified", DC)
        author = child_text(el, "creator", DC) or _rss_author(child_text(el, "author"))
        if author and "&" in author:
            # WordPress escapes names twice in feeds ("danvk.org &#187; Post"): undo the second.
            author = html_lib.unescape(author)
        author_url = None
        html = child_text(el, "encoded", CONTENT) or child_text(el, "description") or ""
        categories = tuple(
            value
            for c in [*children(el, "category", ""), *children(el, "subject", DC)]
            if (value := text_of(c))
        )
        comment_feed = child_text(el, "commentRss", WFW) or child_text(el, "commentRSS", WFW)
        comment_feed = urljoin(base, comment_feed) if comment_feed else None
        comment_count = _int_or_none(child_text(el, "comments", SLASH))
        if comment_count is None:
            comment_count = _int_or_none(child_text(el, "total", THR))
    reply = child(el, "in-reply-to", THR)
    related = None
    for rel_link in children(el, "link", (ATOM, "")):
        if rel_link.get("rel") == "related":
            related = _link_href(rel_link, base)
    published = parse_date(published_raw)
    updated = parse_date(updated_raw)
    for raw, parsed in ((published_raw, published), (updated_raw, updated)):
        if raw and parsed is None:
            problems.add(f"unreadable date {raw[:60]!r}")
    return _Item(
        link=link,
        title=_title_text(child(el, "title")),
        published=published,
        updated=updated,
        author=author,
        author_url=author_url,
        html=html,
        categories=categories,
        comment_count=comment_count,
        comment_feed_url=comment_feed,
        in_reply_to_href=_link_href(reply, base) if reply is not None else None,
        in_reply_to_ref=(reply.get("ref") or None) if reply is not None else None,
        related_href=related,
    )


def _rss_author(value: str | None) -> str | None:
    """RSS ``author`` is ``email (Name)``; keep the name when there is one."""
    if not value:
        return None
    match = re.search(r"\(([^)]+)\)\s*$", value)
    return match.group(1).strip() if match else value


def _atom_content_html(el: etree._Element | None) -> str:
    """Atom content as HTML: escaped for ``type="html"``, inline markup for ``xhtml``."""
    if el is None:
        return ""
    kind = el.get("type", "text")
    if kind == "xhtml":
        div = next((c for c in el if isinstance(c.tag, str)), None)
        if div is None:
            return text_of(el) or ""
        inner = [div.text or ""] + [
            etree.tostring(c, encoding="unicode", with_tail=True) for c in div
        ]
        # Serialized children carry the XHTML namespace declaration; HTML needs none.
        return re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", "".join(inner)).strip()
    value = text_of(el) or ""
    if kind == "text":
        return _escape_text(value)
    return value


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fragment_id(url: str | None) -> str | None:
    """The platform's comment id named by a permalink's fragment, without its prefix."""
    if not url:
        return None
    fragment = urlsplit(url).fragment
    match = _WP_COMMENT_FRAGMENT.match(fragment) or _BLOGGER_COMMENT_FRAGMENT.match(fragment)
    return match.group(1) if match else None


def _is_comment_feed(items: list[_Item], hints: tuple[str | None, ...]) -> bool:
    """A feed is a comment feed when its items are comment permalinks or replies.

    An empty feed has no items to judge by, so its title, id and URLs decide: Blogger names
    comment feeds ``.../comments/default`` with an id ending ``comments``, WordPress titles
    them "Comments on: ..." and serves the site-wide one at ``/comments/feed/``.
    """
    if not items:
        for hint in hints:
            lowered = (hint or "").lower()
            if lowered.startswith(("comments on", "comments for", "commentaires", "kommentare")):
                return True
            if "/comments/" in lowered or lowered.endswith(".comments"):
                return True
        return False
    marked = sum(
        1
        for item in items
        if _fragment_id(item.link) is not None
        or (item.in_reply_to_href is not None and item.comment_feed_url is None)
    )
    return marked * 2 > len(items)


def _post_url_of(comment_url: str | None) -> str | None:
    """The post a comment permalink belongs to: no fragment, no comment page, no showComment."""
    if not comment_url:
        return None
    parts = urlsplit(comment_url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in {"showComment", "cpage"}
    ]
    path = _COMMENT_PAGE.sub("/", parts.path)
    return urlunsplit(parts._replace(path=path, query=urlencode(query), fragment=""))


def _parent_platform_id(item: _Item, own_id: str | None) -> str | None:
    """The native id of the comment this one answers, when the feed says so."""
    candidates: list[str | None] = []
    if item.related_href:
        match = _BLOGGER_COMMENT_HREF.search(item.related_href)
        candidates.append(match.group(1) if match else None)
    candidates.append(_fragment_id(item.in_reply_to_href))
    for candidate in candidates:
        if candidate and candidate != own_id:
            return candidate
    return None


def _author_from_title(title: str | None) -> str | None:
    if not title:
        return None
    match = _BY_TITLE.match(title) or _ON_BY_TITLE.match(title)
    return match.group(1).strip() if match else None


def _comments_from(
    items: list[_Item], feed_link: str | None, problems: _Problems, feed_url: str
) -> tuple[Comment, ...]:
    """Turn comment items into ``Comment`` records, threaded where the feed allows it.

    A comment feed speaks of its own blog: when its links name another host (a blog moved to
    a new domain, served on both www and bare host, or mirrored), the post is taken to be the
    same path on the host the feed came from, so the comments join the post that was crawled.
    """
    feed_origin = urlsplit(feed_url)
    prepared: list[tuple[int, _Item, str, str | None, str | None]] = []
    for index, item in enumerate(items):
        own_id = _fragment_id(item.link)
        post_url = (
            (
                _post_url_of(item.in_reply_to_href)
                if item.in_reply_to_href and _fragment_id(item.in_reply_to_href) is None
                else None
            )
            or _post_url_of(item.link)
            or feed_link
        )
        canonical = try_canonicalize(post_url) if post_url else None
        if canonical is None:
            problems.add(f"comment without a usable post URL skipped: {item.link!r}")
            continue
        parts = urlsplit(canonical)
        if feed_origin.netloc and parts.netloc != feed_origin.netloc:
            rebased = parts._replace(scheme=feed_origin.scheme, netloc=feed_origin.netloc)
            canonical = try_canonicalize(urlunsplit(rebased)) or canonical
        parent = _parent_platform_id(item, own_id)
        prepared.append((index, item, post_id_for(canonical), own_id, parent))

    # Feeds list newest first; a post's conversation reads oldest first.
    def order(entry: tuple[int, _Item, str, str | None, str | None]) -> tuple[str, float, int]:
        index, item, post_id = entry[0], entry[1], entry[2]
        stamp = item.published.timestamp() if item.published else math.inf
        return post_id, stamp, index

    prepared.sort(key=order)
    depths: dict[str, int] = {}
    positions: dict[str, int] = {}
    comments: list[Comment] = []
    for _, item, post_id, own_id, parent in prepared:
        text = html_to_text(item.html)
        author = item.author or _author_from_title(item.title)
        cid = comment_id_for(post_id, own_id, author, item.published, text)
        # A named parent is recorded even when it is not in this feed (feeds are paged and
        # capped): its id follows from the post and its native id alone.
        parent_id = comment_id_for(post_id, parent) if parent else None
        depth = 0 if parent_id is None else depths.get(parent_id, 0) + 1
        depths[cid] = depth
        position = positions.get(post_id, 0)
        positions[post_id] = position + 1
        comments.append(
            Comment(
                comment_id=cid,
                post_id=post_id,
                platform_id=own_id,
                parent_id=parent_id,
                depth=depth,
                position=position,
                author_name=author,
                author_url=item.author_url,
                published_at=item.published,
                # Feed titles of comments are made up ("By: Name", the first words of the
                # text), never the commenter's own: keep none.
                title=None,
                text=text,
                html=item.html,
                kind="comment",
                source="feed",
            )
        )
    return tuple(comments)
