"""Outgoing links: every ``<a href>`` of a body or a comment, as ``Link`` records."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from parsers.records import Link, LinkContext
from parsers.urls import host_of, try_canonicalize

_ORIGIN = re.compile(r"https?://[^/?#\s\\]+")
# Bounds a page with a million links: past this many a node's links are not recorded.
MAX_LINKS_PER_NODE = 5000


def same_site(host_a: str, host_b: str) -> bool:
    """Hosts that differ only by a leading ``www.`` are one site."""
    return host_a.removeprefix("www.") == host_b.removeprefix("www.")


def absolute_url(href: str | None, base_url: str) -> str | None:
    """Resolve an href against the page and canonicalize it; None for non-http(s) or junk."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    if href.startswith(("http://", "https://")):
        # An absolute http(s) href needs no joining; canonicalizing normalizes it alike.
        return try_canonicalize(href)
    if _plain_root_path(href):
        # "/2006/06/post/": the base's origin plus the path is what joining would give.
        origin = _ORIGIN.match(base_url)
        if origin is not None:
            return try_canonicalize(origin.group(0) + href)
    try:
        joined = urljoin(base_url, href)
    except ValueError:
        return None
    return try_canonicalize(joined)


def _plain_root_path(href: str) -> bool:
    """A root-relative href that joining would leave as it is: no "//", no "." or ".."
    segment, no white space, backslash or ";" parameters (which ``urljoin`` rewrites)."""
    if not href.startswith("/") or href.startswith("//"):
        return False
    if "\\" in href or " " in href or ";" in href or not href.isprintable():
        return False
    path = href.split("?", 1)[0].split("#", 1)[0]
    if "//" in path:
        return False
    segments = path.split("/")
    return "." not in segments and ".." not in segments


def extract_links(
    node: LexborNode | None,
    *,
    base_url: str,
    page_host: str,
    context: LinkContext,
    comment_id: str | None = None,
) -> list[Link]:
    """Links found under ``node``, in document order."""
    if node is None:
        return []
    links: list[Link] = []
    for anchor in node.css("a[href]"):
        target = absolute_url(anchor.attributes.get("href"), base_url)
        if target is None:
            continue
        host = host_of(target)
        links.append(
            Link(
                target_url=target,
                target_host=host,
                anchor_text=" ".join(anchor.text(separator=" ").split()),
                rel=" ".join((anchor.attributes.get("rel") or "").split()),
                context=context,
                is_internal=same_site(host, page_host),
                comment_id=comment_id,
            )
        )
        if len(links) >= MAX_LINKS_PER_NODE:
            break
    return links


def author_link(
    url: str | None, *, page_host: str, comment_id: str, anchor_text: str, rel: str = ""
) -> Link | None:
    """The link a comment's author name points to (their blog, usually)."""
    target = try_canonicalize(url) if url else None
    if target is None:
        return None
    host = host_of(target)
    return Link(
        target_url=target,
        target_host=host,
        anchor_text=anchor_text,
        rel=rel,
        context="comment_author",
        is_internal=same_site(host, page_host),
        comment_id=comment_id,
    )
