"""The shapes of the sample blog's content: people, posts, comments, the static page.

The content module fills these in; the renderers and the truth writer only read them. Dates are
local wall-clock times in the blog's time zone (Europe/Paris), written ``YYYY-MM-DD HH:MM``, the
way WordPress stores ``post_date``; the offset is added when rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["fr", "en"]
CommentKind = Literal["comment", "pingback", "trackback"]
TitleStyle = Literal["paragraph", "line"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Person:
    """Someone who writes posts or comments; ``name`` None is an anonymous commenter."""

    name: str | None
    url: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Writer:
    """A post author: a WordPress user with an author archive at ``/author/<slug>/``."""

    slug: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Category:
    """A post category with its archive slug."""

    slug: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class CommentData:
    """One comment, pingback or trackback with its replies nested below it.

    ``html`` is the comment body without the title line. ``title`` is rendered as a bold first
    line, either as its own paragraph (``paragraph``) or followed by a line break inside the
    first paragraph (``line``), the two ways old comment forms produced it. For pingbacks and
    trackbacks ``author`` is the linking post (title and URL) and ``html`` is the excerpt that
    only the comment feed shows, as WordPress themes print the link alone.
    """

    author: Person
    when: str
    html: str
    title: str | None = None
    title_style: TitleStyle = "paragraph"
    kind: CommentKind = "comment"
    by_post_author: bool = False
    replies: tuple[CommentData, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class PostData:
    """One blog post. ``paragraphs`` are HTML; ``{post:slug}`` stands for a post's URL."""

    slug: str
    title: str
    writer: str
    when: str
    language: Language
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    comments: tuple[CommentData, ...] = ()
    comments_open: bool = False
    updated: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PageData:
    """A static page (not a post): no date in the URL, no comments."""

    slug: str
    title: str
    writer: str
    when: str
    language: Language
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class BlogLink:
    """One blogroll entry in the sidebar."""

    url: str
    name: str
    description: str


@dataclass(frozen=True, kw_only=True, slots=True)
class BlogData:
    """The whole blog as data."""

    title: str
    tagline: str
    writers: tuple[Writer, ...]
    categories: tuple[Category, ...]
    posts: tuple[PostData, ...]
    pages: tuple[PageData, ...]
    blogroll: tuple[BlogLink, ...]
