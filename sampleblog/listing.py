"""Listing pages: the paginated home and the monthly, category, tag and author archives.

Each listing shows five posts with their first paragraph and a "continue reading" link (no
entry footer, to keep the mirror small), and
chains to the next page by ``.nav-previous a`` ("older posts") and ``<link rel="next">``, as
Twenty Eleven does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sampleblog.dates import month_label
from sampleblog.layout import Head, document
from sampleblog.resolve import POSTS_PER_PAGE, ROOT, Post, Site, escape
from sampleblog.single import entry_meta, post_classes
from sampleblog.strings import SITE_LANGUAGE, UI


@dataclass(frozen=True, kw_only=True, slots=True)
class Listing:
    """One archive: its base URL, heading, body class and posts (newest first)."""

    base_url: str
    title: str | None
    body_class: str
    page_title: str
    posts: tuple[Post, ...]

    def page_url(self, number: int) -> str:
        """``base/`` for the first page, ``base/page/N/`` after."""
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def page_count(self) -> int:
        """How many pages the archive spans."""
        return max(1, -(-len(self.posts) // POSTS_PER_PAGE))


def _excerpt(post: Post) -> str:
    ui = UI[SITE_LANGUAGE]
    count = len(post.comments)
    if count == 0:
        label = ui["no_comments_link"]
    elif count == 1:
        label = ui["one_comment_link"]
    else:
        label = ui["many_comments_link"].format(count=count)
    return f"""<article id="post-{post.id}" class="{post_classes(post)}">
<header class="entry-header">
<h1 class="entry-title"><a href="{post.url}" \
title="{escape(ui["permalink_to"].format(title=post.title))}" rel="bookmark">\
{escape(post.title)}</a></h1>
{entry_meta(post, SITE_LANGUAGE)}
<div class="comments-link"><a href="{post.url}#comments" \
title="{escape(ui["comment_on"].format(title=post.title))}">{label}</a></div>
</header><!-- .entry-header -->
<div class="entry-content">
{post.paragraphs[0]}
<p><a href="{post.url}#more-{post.id}" class="more-link">{ui["continue"]} \
<span class="meta-nav">→</span></a></p>
</div><!-- .entry-content -->
</article><!-- #post-{post.id} -->"""


def render_listing(site: Site, listing: Listing, number: int) -> str:
    """Page ``number`` of a listing."""
    ui = UI[SITE_LANGUAGE]
    start = (number - 1) * POSTS_PER_PAGE
    shown = listing.posts[start : start + POSTS_PER_PAGE]
    older = listing.page_url(number + 1) if number < listing.page_count else None
    newer = listing.page_url(number - 1) if number > 1 else None
    page_suffix = f" | {ui['page_n'].format(n=number)}" if number > 1 else ""
    head = Head(
        title=f"{listing.page_title}{page_suffix}",
        language=SITE_LANGUAGE,
        body_class=listing.body_class + (f" paged paged-{number}" if number > 1 else ""),
        prev_url=newer,
        next_url=older,
    )
    parts = []
    if listing.title:
        parts.append(
            f'<header class="page-header">\n<h1 class="page-title">{listing.title}</h1>\n</header>'
        )
    parts += [_excerpt(post) for post in shown]
    if older or newer:
        previous = (
            f'<a href="{older}"><span class="meta-nav">←</span> {ui["older_posts"]}</a>'
            if older
            else ""
        )
        following = (
            f'<a href="{newer}">{ui["newer_posts"]} <span class="meta-nav">→</span></a>'
            if newer
            else ""
        )
        parts.append(
            f'<nav id="nav-below">\n<h3 class="assistive-text">{ui["post_nav"]}</h3>\n'
            f'<div class="nav-previous">{previous}</div>\n'
            f'<div class="nav-next">{following}</div>\n</nav><!-- #nav-below -->'
        )
    return document(site, head, "\n".join(parts))


def listings(site: Site) -> Iterator[Listing]:
    """Every listing of the blog: home, months, categories, tags, authors."""
    ui = UI[SITE_LANGUAGE]
    newest = tuple(sorted(site.posts, key=lambda post: post.published, reverse=True))
    yield Listing(
        base_url=ROOT,
        title=None,
        body_class="home blog two-column right-sidebar",
        page_title=f"{site.title} | {site.tagline}",
        posts=newest,
    )
    for year, month in sorted({(p.published.year, p.published.month) for p in newest}):
        label = month_label(year, month, SITE_LANGUAGE)
        yield Listing(
            base_url=f"{ROOT}{year}/{month:02d}/",
            title=ui["monthly"].format(label=f"<span>{label}</span>"),
            body_class="archive date two-column right-sidebar",
            page_title=f"{label} | {site.title}",
            posts=tuple(p for p in newest if p.published.timetuple()[:2] == (year, month)),
        )
    for category in site.categories:
        yield Listing(
            base_url=f"{ROOT}category/{category.slug}/",
            title=ui["category_archive"].format(label=f"<span>{escape(category.name)}</span>"),
            body_class=f"archive category category-{category.slug} two-column right-sidebar",
            page_title=f"{category.name} | {site.title}",
            posts=tuple(p for p in newest if category in p.categories),
        )
    for tag in site.tags:
        yield Listing(
            base_url=f"{ROOT}tag/{tag.slug}/",
            title=ui["tag_archive"].format(label=f"<span>{escape(tag.name)}</span>"),
            body_class=f"archive tag tag-{tag.slug} two-column right-sidebar",
            page_title=f"{tag.name} | {site.title}",
            posts=tuple(p for p in newest if tag in p.tags),
        )
    for writer in site.writers:
        yield Listing(
            base_url=f"{ROOT}author/{writer.slug}/",
            title=ui["author_archive"].format(
                label=f'<span class="vcard"><a class="url fn n" href="{ROOT}author/{writer.slug}/" '
                f'title="{escape(writer.name)}" rel="me">{escape(writer.name)}</a></span>'
            ),
            body_class=f"archive author author-{writer.slug} two-column right-sidebar",
            page_title=f"{writer.name} | {site.title}",
            posts=tuple(p for p in newest if p.writer == writer),
        )
