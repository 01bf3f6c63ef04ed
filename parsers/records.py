"""Typed records that flow between the stages: parsers produce them, the corpus stores them.

Every record is a frozen, keyword-only dataclass, so ``dataclasses.asdict`` is already close to
the JSON an archivist exports. Identifiers are computed here from stable inputs (canonical URLs,
the platform's own comment ids), so parsing the same page twice yields the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PageKind = Literal["post", "listing", "page", "feed", "other"]
CommentKind = Literal["comment", "pingback", "trackback"]
CommentSource = Literal["html", "feed", "api", "import"]
LinkContext = Literal["body", "comment", "comment_author"]


def stable_id(*parts: str | None) -> str:
    """A short, stable identifier: the first 16 hex digits of SHA-1 over the parts."""
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]  # noqa: S324


def post_id_for(canonical_url: str) -> str:
    """A post is identified by its canonical URL."""
    return stable_id("post", canonical_url)


def comment_id_for(
    post_id: str,
    platform_id: str | None,
    author_name: str | None = None,
    published: datetime | None = None,
    text: str = "",
) -> str:
    """A comment is identified by its post and the platform's own id.

    When the page gives no id, the author, date and text stand in: never the position, which
    shifts when an earlier comment is deleted.
    """
    if platform_id:
        return stable_id("comment", post_id, platform_id)
    when = published.isoformat() if published else ""
    return stable_id("comment", post_id, author_name, when, " ".join(text.split())[:500])


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    """One outgoing link from a post body, a comment, or a comment's author URL."""

    target_url: str
    target_host: str
    anchor_text: str
    rel: str
    context: LinkContext
    is_internal: bool
    comment_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Comment:
    """One reader comment, pingback or trackback under a post."""

    comment_id: str
    post_id: str
    platform_id: str | None
    parent_id: str | None
    depth: int
    position: int
    author_name: str | None
    author_url: str | None
    published_at: datetime | None
    title: str | None
    text: str
    html: str
    kind: CommentKind = "comment"
    source: CommentSource = "html"
    approved: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Post:
    """One blog post (or, with ``is_page``, a static page) with its metadata and clean body."""

    post_id: str
    url: str
    canonical_url: str
    title: str | None
    author_name: str | None
    author_url: str | None
    published_at: datetime | None
    updated_at: datetime | None
    language: str | None
    text: str
    html: str
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    comment_count_declared: int | None = None
    comments_open: bool | None = None
    platform: str | None = None
    word_count: int = 0
    status: str = "publish"


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedPage:
    """Everything one fetched document yields.

    ``post`` is set only for single-post pages (and comment pages of a post, which carry the
    post's own canonical URL). ``discovered`` lists absolute URLs worth following, in page order;
    ``next_urls`` the ones the page names as its continuation (``rel=next``, "Older posts",
    comment pages), which the crawler fetches first among listings; ``entry_urls``, on a
    listing, the links of its entries' headings (or marked ``rel=bookmark``): the posts it lists,
    whatever their addresses look like.
    """

    url: str
    kind: PageKind
    platform: str | None = None
    title: str | None = None
    language: str | None = None
    post: Post | None = None
    comments: tuple[Comment, ...] = ()
    links: tuple[Link, ...] = ()
    discovered: tuple[str, ...] = ()
    next_urls: tuple[str, ...] = ()
    entry_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    comment_feed_url: str | None = None
    declared_post_count: int | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, kw_only=True, slots=True)
class Page:
    """One fetched document as the crawler got it: kept raw so parsing can be re-run offline."""

    url: str
    final_url: str
    status: int | None
    content_type: str | None
    fetched_at: datetime
    body: bytes = b""
    encoding: str | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    found_via: str | None = None
