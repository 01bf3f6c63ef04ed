"""Blog comments as structured records: one ``Comment`` per reader comment, pingback, trackback.

``extract_comments`` tries the platform rows of ``selectors.MARKUPS`` in order (WordPress,
Blogger, Movable Type/Typepad, Dotclear, Drupal, LiveJournal, Hypotheses), then the standard
vocabularies and a structural guess (``generic``). Comments never come from the post body. The
returned ``CommentSection`` also says how many comments the page announces, whether comments
are open, where the next and previous comment pages are, and which node holds the comment area
so the body extractor can leave it out.

Bad input (truncated HTML, absurd nesting, binary junk) yields an empty section, never an
exception: one broken page must not stop a crawl.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.comments.fields import RawComment
from parsers.comments.generic import extract_generic
from parsers.comments.section import comment_pages, comments_open, declared_count
from parsers.comments.selectors import MARKUPS, CommentMarkup
from parsers.comments.table import PageNodes, extract_with
from parsers.records import Comment, CommentSource, comment_id_for

__all__ = ["MARKUPS", "CommentMarkup", "CommentSection", "extract_comments", "page_languages"]

Node = LexborNode
_log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class CommentSection:
    """The comment area of one page: its comments in page order and what the page says of it."""

    comments: tuple[Comment, ...] = ()
    platform: str | None = None
    comments_open: bool | None = None
    declared_count: int | None = None
    container: Node | None = None
    next_page_url: str | None = None
    prev_page_url: str | None = None
    # The comments' own links (as written, resolved against the page), in page order.
    permalinks: tuple[str, ...] = ()


def extract_comments(
    tree: LexborHTMLParser,
    *,
    page_url: str,
    post_id: str,
    source: CommentSource = "html",
    page_offset: int = 0,
) -> CommentSection:
    """Every comment on a parsed page, as records tied to ``post_id``.

    ``page_offset`` is the number of comments on earlier comment pages, so positions continue
    across ``/comment-page-N/``.
    """
    try:
        return _extract(tree, page_url, post_id, source, page_offset)
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError, IndexError) as exc:
        # A parser bug on one hostile page is recorded, never raised into the crawl.
        _log.warning("comment extraction failed on %s: %s", page_url, exc)
        return CommentSection()


def page_languages(tree: LexborHTMLParser) -> list[str] | None:
    """The page's declared language (``<html lang>``, Content-Language), for reading dates."""
    root = tree.css_first("html")
    lang = root.attributes.get("lang") if root is not None else None
    if not lang:
        meta = tree.css_first("meta[http-equiv='Content-Language' i], meta[property='og:locale']")
        lang = meta.attributes.get("content") if meta is not None else None
    if not lang:
        return None
    code = lang.strip().replace("_", "-")
    return [code] if code else None


def _extract(
    tree: LexborHTMLParser, page_url: str, post_id: str, source: CommentSource, offset: int
) -> CommentSection:
    if tree.root is None:
        return CommentSection()
    languages = page_languages(tree)
    raw: list[RawComment] = []
    container: LexborNode | None = None
    platform: str | None = None
    nodes = PageNodes(tree)
    for markup in MARKUPS:
        if markup.extends:
            continue
        raw, container = extract_with(
            tree, markup, page_url=page_url, languages=languages, nodes=nodes
        )
        if raw:
            platform = markup.platform
            for companion in MARKUPS:
                if companion.extends == markup.family:
                    more, _ = extract_with(
                        tree, companion, page_url=page_url, languages=languages, nodes=nodes
                    )
                    raw = raw + [_shifted(c, len(raw)) for c in more]
            break
    if not raw:
        raw, container, platform = extract_generic(
            tree, page_url=page_url, languages=languages, nodes=nodes
        )
        if not raw:
            platform = None
    next_url, prev_url = comment_pages(tree, page_url)
    return CommentSection(
        comments=tuple(_records(raw, post_id, source, offset)),
        platform=platform,
        comments_open=comments_open(tree, container),
        declared_count=declared_count(tree, container),
        container=container,
        next_page_url=next_url,
        prev_page_url=prev_url,
        permalinks=tuple(c.permalink for c in raw if c.permalink),
    )


def _shifted(comment: RawComment, offset: int) -> RawComment:
    """A companion row's comment, its parent index moved past the comments before it."""
    if comment.parent_index is None:
        return comment
    return dataclasses.replace(comment, parent_index=comment.parent_index + offset)


def _records(
    raw: Sequence[RawComment], post_id: str, source: CommentSource, offset: int
) -> list[Comment]:
    records: list[Comment] = []
    for index, item in enumerate(raw):
        parent_id = (
            records[item.parent_index].comment_id
            if item.parent_index is not None and item.parent_index < len(records)
            else None
        )
        records.append(
            Comment(
                comment_id=comment_id_for(
                    post_id, item.platform_id, item.author_name, item.published_at, item.text
                ),
                post_id=post_id,
                platform_id=item.platform_id,
                parent_id=parent_id,
                depth=item.depth,
                position=offset + index,
                author_name=item.author_name,
                author_url=item.author_url,
                published_at=item.published_at,
                title=item.title,
                text=item.text,
                html=item.html,
                kind=item.kind,
                source=source,
            )
        )
    return records
