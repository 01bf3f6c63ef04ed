"""``truth.json``: what a perfect crawl of the sample blog must find, record by record.

Computed from the resolved blog and the very HTML fragments the pages print, so the truth and
the pages cannot disagree. Definitions the counts follow:

- a post's ``links`` are every ``a[href]`` inside ``.entry-content``, in order;
- a comment's ``links`` are the ``a[href]`` inside its text; a pingback's or trackback's text
  is its label and one link (``Pingback : <a>title</a>``), and that link counts;
- ``comment_author_links`` counts comments (pingbacks included) that carry an author URL;
- ``links`` = ``body_links`` + ``comment_links`` + ``comment_author_links``;
- ``authors`` counts distinct (name, url) pairs over post authors (url: their author archive)
  and every comment with a name, pingbacks and trackbacks included; a writer commenting under
  their account uses the same archive URL, so counts once;
- a pingback's ``published_at`` is only in the comment feed (the theme prints no date for it),
  which lists a post's ``FEED_ITEMS`` newest comments: an older pingback has no knowable date,
  and its ``published_at`` is null;
- ``depth`` starts at 0 for top-level comments (WordPress's ``depth-1`` class).
"""

from __future__ import annotations

from typing import Any

from sampleblog.dates import iso
from sampleblog.markup import html_links, html_text
from sampleblog.model import CommentKind
from sampleblog.resolve import FEED_ITEMS, ROOT, Post, Site
from sampleblog.strings import ANONYMOUS

SNIPPET_WORDS = 10


def _snippets(post: Post) -> list[str]:
    """The first words of each paragraph: each is a substring of the body's plain text."""
    return [" ".join(html_text(paragraph).split()[:SNIPPET_WORDS]) for paragraph in post.paragraphs]


def _post_record(post: Post) -> dict[str, Any]:
    return {
        "url": post.url,
        "title": post.title,
        "author": post.writer.name,
        "published_at": iso(post.published),
        "updated_at": iso(post.updated) if post.updated else None,
        "language": post.language,
        "categories": [category.name for category in post.categories],
        "tags": [tag.name for tag in post.tags],
        "comments_open": post.comments_open,
        "comment_count": len(post.comments),
        "body_snippets": _snippets(post),
        "links": [{"url": url, "anchor": anchor} for url, anchor in html_links(post.body_html)],
    }


def build_truth(site: Site) -> dict[str, Any]:
    """The whole truth document for the resolved blog."""
    posts: list[dict[str, Any]] = [_post_record(post) for post in site.posts]
    comments: list[dict[str, Any]] = []
    for post, comment in site.all_comments():
        in_feed = (
            comment in sorted(post.comments, key=lambda c: c.published, reverse=True)[:FEED_ITEMS]
        )
        knowable = comment.kind == "comment" or in_feed
        comments.append(
            {
                "post_url": post.url,
                "platform_id": str(comment.id),
                "parent_platform_id": (
                    str(comment.parent_id) if comment.parent_id is not None else None
                ),
                "depth": comment.depth,
                "author": comment.author,
                "author_url": comment.author_url,
                "published_at": iso(comment.published) if knowable else None,
                "title": comment.title,
                "text": comment.text,
                "kind": comment.kind,
                "links": [{"url": url, "anchor": anchor} for url, anchor in comment.links],
            }
        )
    by_kind: dict[CommentKind, int] = {"comment": 0, "pingback": 0, "trackback": 0}
    for record in comments:
        by_kind[record["kind"]] += 1
    people = {(writer.name, f"{ROOT}author/{writer.slug}/") for writer in site.writers}
    people |= {
        (record["author"], record["author_url"])
        for record in comments
        if record["author"] and record["author"] != ANONYMOUS
    }
    body_links = sum(len(post["links"]) for post in posts)
    comment_links = sum(len(record["links"]) for record in comments)
    author_links = sum(1 for record in comments if record["author_url"])
    return {
        "site": {"title": site.title, "root_url": ROOT, "platform": "wordpress"},
        "posts": posts,
        "pages": [{"url": page.url, "title": page.title} for page in site.pages],
        "comments": comments,
        "counts": {
            "posts": len(posts),
            "comments": len(comments),
            "comments_by_kind": dict(by_kind),
            "authors": len(people),
            "links": body_links + comment_links + author_links,
            "body_links": body_links,
            "comment_links": comment_links,
            "comment_author_links": author_links,
        },
    }
