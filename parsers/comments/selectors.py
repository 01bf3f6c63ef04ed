"""Comment markup of the blog platforms, kept as data: one row per platform or theme family.

Adding a platform is a new ``CommentMarkup`` row plus a saved test page, not a new code path.
Rows are tried in order and the first one that finds comments wins, so more specific markup
(Blogger's ``li.comment#c<id>``, WordPress block themes) comes before looser families.

Field selectors are CSS (selectolax/lexbor) evaluated inside one comment; each tuple is tried in
order and the first match is used. A row with ``pair_with`` describes a ``<dl>`` layout where one
comment is a ``<dt>`` followed by its ``<dd>`` siblings, and field selectors then look at every
node of that group.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BODY_SELECTOR", "MARKUPS", "CommentMarkup"]


@dataclass(frozen=True, kw_only=True, slots=True)
class CommentMarkup:
    """How one platform or theme family lays out its comments."""

    platform: str
    family: str
    container: str
    item: str
    author: tuple[str, ...] = ()
    author_url: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    # Removed from the comment before reading its text when ``content`` finds nothing and the
    # whole item stands for the content (old themes with no content wrapper).
    strip: tuple[str, ...] = ()
    permalink: tuple[str, ...] = ()
    # A wrapper of replies placed after the parent rather than inside it (Drupal's .indented).
    replies_sibling: str = ""
    # Nodes following a <dt> item that belong to it (dd layouts: old Blogger, Dotclear).
    pair_with: str = ""
    # Selectors the item itself matches when it is a pingback or a trackback.
    pingback: str = ""
    trackback: str = ""
    # When the author shares its node with other text ("Posted by: X | June 8, 2006").
    author_pattern: str = ""
    # Query parameter of the permalink holding epoch milliseconds (Blogger's showComment).
    epoch_ms_param: str = ""
    # Drupal prints m/d/Y by default, whatever the site's language.
    numeric_month_first: bool = False
    # Depth read from indentation (margin-left or a ``-N`` class) instead of nesting.
    depth_from_indent: bool = False
    # The row applies only to pages that also match this (a host or generator mark).
    requires: str = ""
    # An item with an id must have one of this shape ("comment-form" is no comment).
    item_id_pattern: str = ""
    # Family of another row whose comments this row's items complete (trackback lists).
    extends: str = ""


# Never a comment: the post body, whatever classes it uses inside.
BODY_SELECTOR = (
    ".entry-content, .post-body, .post-content, .entry-body, .article-body, .single-content, "
    "[itemprop='articleBody']"
)

_WP_STRIP = (
    ".comment-author",
    ".commentauthor",
    ".comment-meta",
    ".commentmeta",
    ".commentmetadata",
    ".comment-metadata",
    ".comment-header",
    ".comment-footer",
    ".comment-awaiting-moderation",
    ".reply",
    ".comment-reply-link",
    ".comment-edit-link",
    ".edit-link",
    ".avatar",
    "cite",
    "footer",
    "form",
    "script",
    "style",
    "noscript",
)

_WP_AUTHOR = (
    ".comment-author .fn",
    ".comment-author-name",
    ".comment__author-name",
    ".comment-author cite",
    ".comment-author strong",
    "cite a.url",
    ".comment-author",
    ".commentauthor",
    ".comment-meta cite",
    "cite",
    ".fn",
)
_WP_DATE = (
    ".comment-metadata time",
    ".comment-meta time",
    "time[datetime]",
    ".comment-metadata a",
    ".comment-meta a",
    ".commentmetadata",
    ".commentmeta",
    ".comment-date",
    ".comment-time",
    ".comment-meta",
    "cite",
)
_WP_CONTENT = (".comment-content", ".comment-text", ".commenttext", ".comment-entry")

# Twenty Ten and its many descendants put the id on an inner div (li#li-comment-N >
# div#comment-N); the outer li is kept so that replies nest under it.
_WP_ITEMS = (
    "li[id^='comment-'], li[id^='li-comment-'], article[id^='comment-'], div[id^='comment-']"
)
_WP_ITEM_ID = r"^(?:li-)?comment-\d+$"
# Replies to a comment: inside its item, or (themes that close the item early, or that put
# the id on an inner <article>) just after the element that holds it.
_WP_REPLIES = "ul.children, ol.children"

MARKUPS: tuple[CommentMarkup, ...] = (
    CommentMarkup(
        platform="blogger",
        family="blogger-threaded",
        container="#comments, .comments, .comment-thread",
        item="li.comment[id^='c']",
        item_id_pattern=r"^c\d+$",
        author=("cite.user", ".comment-header .user", ".comment-author"),
        date=(".datetime a", ".datetime", ".comment-timestamp"),
        content=(".comment-content",),
        permalink=(".datetime a", ".comment-timestamp a"),
        epoch_ms_param="showComment",
    ),
    CommentMarkup(
        platform="blogger",
        family="blogger-classic",
        container="#comments-block, dl.comments-block, .comments-block",
        item="dt.comment-author, dt[id^='c']",
        author=("dt",),
        author_pattern=(
            r"^(.+?)\s*(?:said|a dit|hat gesagt|dijo|ha detto|zei|disse|skrev|napisał)?"
            r"(?:\.\.\.|…)?\s*:?\s*$"
        ),
        date=(".comment-timestamp a", ".comment-timestamp", "dd.comment-footer"),
        content=("dd.comment-body", "dd"),
        permalink=(".comment-timestamp a", "dd.comment-footer a[href*='#c']"),
        pair_with="dd",
        epoch_ms_param="showComment",
    ),
    CommentMarkup(
        platform="hypotheses",
        family="hypotheses-wordpress",
        requires=(
            "link[href*='hypotheses.org'], meta[name='generator'][content*='ypotheses'], "
            "a[href*='hypotheses.org/wp-content']"
        ),
        container="#comments, .comments-area, ol.commentlist, ol.comment-list",
        item="li[id^='comment-'], article[id^='comment-']",
        author=_WP_AUTHOR,
        date=_WP_DATE,
        content=_WP_CONTENT,
        strip=_WP_STRIP,
        replies_sibling=_WP_REPLIES,
        permalink=(".comment-metadata a", ".comment-meta a", "a[href*='#comment-']"),
        pingback=".pingback",
        trackback=".trackback",
    ),
    CommentMarkup(
        platform="wordpress",
        family="wordpress-block",
        container=".wp-block-comments, .wp-block-comment-template",
        item="li[id^='comment-']",
        author=(".wp-block-comment-author-name",),
        date=(".wp-block-comment-date time", ".wp-block-comment-date"),
        content=(".wp-block-comment-content",),
        permalink=(".wp-block-comment-date a",),
        pingback=".pingback",
        trackback=".trackback",
    ),
    CommentMarkup(
        platform="wordpress",
        family="wordpress-classic",
        container=(
            "#comments, .comments-area, .entry-comments, #commentlist, ol.commentlist, "
            "ol.comment-list, ul.commentlist, ul.comment-list, .commentlist"
        ),
        item=_WP_ITEMS,
        item_id_pattern=_WP_ITEM_ID,
        author=_WP_AUTHOR,
        date=_WP_DATE,
        content=_WP_CONTENT,
        strip=_WP_STRIP,
        replies_sibling=_WP_REPLIES,
        permalink=(
            ".comment-metadata a",
            ".comment-meta a",
            ".commentmetadata a",
            ".commentmeta a",
            "a[href*='#comment-']",
        ),
        pingback=".pingback",
        trackback=".trackback",
    ),
    CommentMarkup(
        platform="wordpress",
        family="wordpress-any-container",
        # WordPress comment ids are distinctive enough to be found wherever a theme puts them.
        container="body",
        item=_WP_ITEMS,
        item_id_pattern=_WP_ITEM_ID,
        author=_WP_AUTHOR,
        date=_WP_DATE,
        content=_WP_CONTENT,
        strip=_WP_STRIP,
        replies_sibling=_WP_REPLIES,
        permalink=("a[href*='#comment-']",),
        pingback=".pingback",
        trackback=".trackback",
    ),
    CommentMarkup(
        platform="movabletype",
        family="movabletype-typepad",
        container="#comments, .comments, #comments-content, .comments-content",
        item="div.comment[id^='comment-'], div.comment[id^='c'], .comments-body",
        author=(".comment-footer", ".comments-post", ".comment-author", ".comment-header"),
        author_pattern=(
            r"(?:Posted|Written|Écrit|Publié|Geschrieben|Escrito)\s+(?:by|par|von|por)\s*:?\s*"
            r"(.+?)\s*(?:\||\s(?:at|on|le|am|um|à)\s|$)"
        ),
        date=(".comment-footer", ".comments-post", ".comment-date", "abbr[title]"),
        content=(".comment-content", ".comment-body"),
        strip=(".comment-footer", ".comments-post", "script", "style"),
        permalink=(".comment-footer a[href*='#']", ".comments-post a[href*='#']"),
    ),
    CommentMarkup(
        platform="movabletype",
        family="movabletype-trackbacks",
        container="#trackbacks, .trackbacks",
        item=".trackback, .trackbacks-body, div[id^='ping-'], div[id^='trackback-']",
        # A trackback's author is the linking post: its title and URL.
        author=(".trackback-footer a", ".trackbacks-post a", ".trackback-header a", "a"),
        date=(".trackback-footer", ".trackbacks-post"),
        content=(".trackback-content", ".trackback-body"),
        strip=(".trackback-footer", ".trackbacks-post"),
        trackback="*",
        extends="movabletype-typepad",
    ),
    CommentMarkup(
        platform="dotclear",
        family="dotclear-dl",
        container="#comments, #comments-list, .comments-list",
        item="dl > dt[id^='c'], dl > dt.comment-title, dl > dt",
        author=("dt",),
        author_pattern=r"(?:\bpar|\bby|\bvon|\bpor|\bdoor)\s+(.+?)\s*$",
        date=("dt",),
        content=("dd",),
        permalink=("a.comment-number", "dt a[href*='#c']"),
        pair_with="dd",
    ),
    CommentMarkup(
        platform="drupal",
        family="drupal",
        container="#comments, section.comments, .comment-wrapper, .field-name-comment-body",
        item="article.comment, div.comment, article.js-comment",
        author=(
            ".username",
            ".comment__author",
            ".comment-author",
            ".field--name-uid",
            ".submitted a",
            ".submitted",
        ),
        author_pattern=r"^(?:Submitted by|Soumis par|Eingereicht von|Posted by)?\s*(.+?)\s*(?:\bon\b.*|\ble\b.*|\bam\b.*)?$",  # noqa: E501
        date=(
            "time[datetime]",
            ".comment-time",
            ".comment__time",
            ".submitted",
            ".comment-date",
        ),
        content=(
            ".field-name-comment-body",
            ".field--name-comment-body",
            ".comment__content",
            ".content",
        ),
        strip=("h3", ".submitted", ".links", "ul.links", "script"),
        permalink=("a.permalink", "h3 a[href*='#comment-']", "a[href*='/comment/']"),
        replies_sibling="div.indented",
        numeric_month_first=True,
    ),
    CommentMarkup(
        platform="livejournal",
        family="livejournal-site",
        container="#comments, .b-tree, .comments-body",
        item=".b-tree-twig",
        author=(".b-leaf-username-name", ".b-leaf-username", ".ljuser"),
        date=(".b-leaf-createdtime", ".b-leaf-meta time"),
        content=(".b-leaf-article",),
        permalink=(".b-leaf-permalink", "a[href*='thread=']"),
        depth_from_indent=True,
    ),
    CommentMarkup(
        platform="livejournal",
        family="livejournal-s2",
        container="#comments, .comments-body, #ljcmt_body, body",
        item=".comment-wrap, div[id^='ljcmt']",
        author=(".comment-poster .ljuser", ".comment-poster", ".poster", ".ljuser"),
        date=(".datetime", ".comment-date", ".date"),
        content=(".comment-content", ".comment-body"),
        permalink=(".comment-permalink", "a[href*='thread=']"),
        depth_from_indent=True,
        requires="a[href*='livejournal.com'], link[href*='livejournal'], .ljuser",
    ),
)
