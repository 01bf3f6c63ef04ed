"""Turn the content into the blog WordPress would serve: ids, URLs, dates, threads, pages.

Everything the renderers and the truth writer need is computed once here, so the HTML, the
feeds and ``truth.json`` cannot disagree about an id, a date or which comment page holds a
thread.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sampleblog.dates import parse_local
from sampleblog.markup import expand_placeholders, html_links, html_text, paragraph_html
from sampleblog.model import (
    BlogData,
    Category,
    CommentData,
    CommentKind,
    Language,
    PageData,
    PostData,
    Writer,
)
from sampleblog.paths import PLACEHOLDER_ORIGIN

ORIGIN = PLACEHOLDER_ORIGIN
ROOT = ORIGIN + "/"
# WordPress settings of the blog: "break comments into pages with 8 top level comments per
# page, first page displayed by default", five posts per listing page, ten items per feed.
COMMENT_THREADS_PER_PAGE = 8
POSTS_PER_PAGE = 5
FEED_ITEMS = 10
# Ids the blog would have given its first objects: the default "Hello world" post and its
# comment were deleted before the first real post, so numbering starts above them.
FIRST_PAGE_ID = 2
FIRST_POST_ID = 4
FIRST_COMMENT_ID = 3


@dataclass(frozen=True, kw_only=True, slots=True)
class Tag:
    """A tag with its archive slug."""

    slug: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Comment:
    """A comment placed in its post: WordPress id, parent, depth, comment page, clean text."""

    id: int
    parent_id: int | None
    depth: int
    page: int
    kind: CommentKind
    author: str | None
    author_url: str | None
    published: datetime
    title: str | None
    content_html: str
    text: str
    links: tuple[tuple[str, str], ...]
    feed_html: str
    by_post_author: bool
    writer_slug: str | None
    children: tuple[Comment, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Post:
    """A post with everything its pages and feeds show."""

    id: int
    url: str
    slug: str
    title: str
    writer: Writer
    language: Language
    published: datetime
    updated: datetime | None
    categories: tuple[Category, ...]
    tags: tuple[Tag, ...]
    paragraphs: tuple[str, ...]
    comments_open: bool
    threads: tuple[Comment, ...]
    comment_pages: int

    @property
    def body_html(self) -> str:
        """The post body as it appears inside ``.entry-content``."""
        return "\n".join(self.paragraphs)

    @property
    def comments(self) -> tuple[Comment, ...]:
        """Every comment in display order: threads in order, replies depth first."""
        return tuple(flatten(self.threads))

    def comment_page_url(self, page: int) -> str:
        """WordPress leaves the default first page out of comment URLs."""
        return self.url if page == 1 else f"{self.url}comment-page-{page}/"

    def comment_url(self, comment: Comment) -> str:
        """The permalink of one comment, on the comment page that shows it."""
        return f"{self.comment_page_url(comment.page)}#comment-{comment.id}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Page:
    """A static page."""

    id: int
    url: str
    slug: str
    title: str
    writer: Writer
    language: Language
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def body_html(self) -> str:
        """The page body as it appears inside ``.entry-content``."""
        return "\n".join(self.paragraphs)


@dataclass(frozen=True, kw_only=True, slots=True)
class Site:
    """The resolved blog."""

    title: str
    tagline: str
    writers: tuple[Writer, ...]
    categories: tuple[Category, ...]
    tags: tuple[Tag, ...]
    posts: tuple[Post, ...]
    pages: tuple[Page, ...]
    blogroll: tuple[tuple[str, str, str], ...]

    def all_comments(self) -> list[tuple[Post, Comment]]:
        """Every comment of the blog with its post, in post order then display order."""
        return [(post, comment) for post in self.posts for comment in post.comments]


def flatten(threads: tuple[Comment, ...]) -> list[Comment]:
    """Comments depth first, each followed by its replies."""
    out: list[Comment] = []
    for comment in threads:
        out.append(comment)
        out.extend(flatten(comment.children))
    return out


def slugify(name: str) -> str:
    """WordPress-like slug: accents folded, lower case, runs of other characters to ``-``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in folded.lower()).split()
    return "-".join(words)


def post_url(data: PostData) -> str:
    """Pretty permalink ``/YYYY/MM/DD/slug/``."""
    when = parse_local(data.when)
    return f"{ROOT}{when:%Y/%m/%d}/{data.slug}/"


def _resolver(blog: BlogData) -> dict[str, str]:
    urls = {f"post:{post.slug}": post_url(post) for post in blog.posts}
    urls["root"] = ROOT
    return urls


def _comment_ids(blog: BlogData) -> dict[int, int]:
    """WordPress numbers comments in the order they arrive, across the whole blog."""
    everything: list[CommentData] = []

    def walk(items: tuple[CommentData, ...]) -> None:
        for item in items:
            everything.append(item)
            walk(item.replies)

    for post in blog.posts:
        walk(post.comments)
    arrival = sorted(everything, key=lambda item: parse_local(item.when))
    # Every seventh id went to spam that was deleted: real blogs have gaps in their ids.
    return {id(item): FIRST_COMMENT_ID + index + index // 6 for index, item in enumerate(arrival)}


def _label(kind: CommentKind, language: Language) -> str:
    """The word before a pingback's link, as the theme's translation prints it."""
    word = "Pingback" if kind == "pingback" else "Trackback"
    return f"{word} :" if language == "fr" else f"{word}:"


def _comment(
    data: CommentData,
    *,
    ids: dict[int, int],
    urls: dict[str, str],
    parent_id: int | None,
    depth: int,
    page: int,
    post: PostData,
    writers: dict[str, Writer],
) -> Comment:
    def resolve(key: str) -> str:
        return urls[key]

    body = expand_placeholders(data.html, resolve)
    author_url = expand_placeholders(data.author.url, resolve) if data.author.url else None
    if data.title and data.title_style == "line":
        content = f"<p><strong>{escape(data.title)}</strong><br />\n{body}</p>"
    elif data.title:
        content = f"<p><strong>{escape(data.title)}</strong></p>\n{body}"
    else:
        content = body
    if data.kind == "comment":
        text = html_text(body)
        links = tuple(html_links(body))
        feed_html = content
    else:
        # Themes print a pingback as its label and one link; the excerpt shows only in feeds.
        name = data.author.name or ""
        content = (
            f"{_label(data.kind, post.language)} <a href='{escape(author_url or '')}' "
            f"rel='external nofollow ugc' class='url'>{escape(name)}</a>"
        )
        text = html_text(content)
        links = ((author_url or "", normalize_name(name)),)
        feed_html = body
    writer_slug = next(
        (slug for slug, writer in writers.items() if writer.name == data.author.name), None
    )
    me = ids[id(data)]
    children = tuple(
        _comment(
            reply,
            ids=ids,
            urls=urls,
            parent_id=me,
            depth=depth + 1,
            page=page,
            post=post,
            writers=writers,
        )
        for reply in data.replies
    )
    return Comment(
        id=me,
        parent_id=parent_id,
        depth=depth,
        page=page,
        kind=data.kind,
        author=data.author.name,
        author_url=author_url,
        published=parse_local(data.when),
        title=data.title,
        content_html=content,
        text=text,
        links=links,
        feed_html=feed_html,
        by_post_author=data.by_post_author,
        writer_slug=writer_slug,
        children=children,
    )


def escape(text: str) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#039;")
    )


def normalize_name(name: str) -> str:
    """A name as plain text with whitespace collapsed."""
    return " ".join(name.split())


def resolve_blog(blog: BlogData) -> Site:
    """Compute ids, URLs, dates, comment threads and comment pages for the whole blog."""
    urls = _resolver(blog)
    ids = _comment_ids(blog)
    writers = {writer.slug: writer for writer in blog.writers}
    categories = {category.slug: category for category in blog.categories}

    def resolve(key: str) -> str:
        return urls[key]

    tags: dict[str, Tag] = {}
    posts: list[Post] = []
    for index, data in enumerate(sorted(blog.posts, key=lambda p: parse_local(p.when))):
        threads = tuple(
            _comment(
                item,
                ids=ids,
                urls=urls,
                parent_id=None,
                depth=0,
                page=position // COMMENT_THREADS_PER_PAGE + 1,
                post=data,
                writers=writers,
            )
            for position, item in enumerate(data.comments)
        )
        post_tags = tuple(
            tags.setdefault(slugify(name), Tag(slug=slugify(name), name=name)) for name in data.tags
        )
        posts.append(
            Post(
                id=FIRST_POST_ID + 3 * index,
                url=post_url(data),
                slug=data.slug,
                title=data.title,
                writer=writers[data.writer],
                language=data.language,
                published=parse_local(data.when),
                updated=parse_local(data.updated) if data.updated else None,
                categories=tuple(categories[slug] for slug in data.categories),
                tags=post_tags,
                paragraphs=tuple(paragraph_html(p, resolve) for p in data.paragraphs),
                comments_open=data.comments_open,
                threads=threads,
                comment_pages=max(1, -(-len(threads) // COMMENT_THREADS_PER_PAGE)),
            )
        )
    pages = tuple(_page(data, index, writers, resolve) for index, data in enumerate(blog.pages))
    return Site(
        title=blog.title,
        tagline=blog.tagline,
        writers=blog.writers,
        categories=blog.categories,
        tags=tuple(sorted(tags.values(), key=lambda tag: tag.slug)),
        posts=tuple(posts),
        pages=pages,
        blogroll=tuple((link.url, link.name, link.description) for link in blog.blogroll),
    )


def _page(
    data: PageData, index: int, writers: dict[str, Writer], resolve: Callable[[str], str]
) -> Page:
    return Page(
        id=FIRST_PAGE_ID + index,
        url=f"{ROOT}{data.slug}/",
        slug=data.slug,
        title=data.title,
        writer=writers[data.writer],
        language=data.language,
        published=parse_local(data.when),
        paragraphs=tuple(paragraph_html(p, resolve) for p in data.paragraphs),
    )
