"""What kind of page is this: a single post, a listing, a static page, a feed, or other?

Only single-post pages yield posts; listings only feed discovery. Every signal a page gives is
weighed: platform body classes, Open Graph and JSON-LD types, microformats, how many article
blocks the page holds, and the URL's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.body import find_body_node
from parsers.metadata import POST_LD_TYPES, json_ld_objects
from parsers.records import PageKind

# Body classes themes print (WordPress, Drupal, Blogger templates): the strongest signal.
# Matched against whole class tokens, so Drupal's "not-front" is not "front".
_POST_BODY = re.compile(r"single-post|single-format-\w+|node-type-(blog|article|story)|postid-\d+")
_PAGE_BODY = re.compile(r"page-template(-\S*)?|page-id-\d+|node-type-page")
_LISTING_BODY = re.compile(
    r"home|blog|archive|category|tag|date|author|search|paged|page-taxonomy|page-blog|front"
)
_ERROR_BODY = re.compile(r"error404")

_URL_POST = re.compile(
    r"/(19|20)\d\d/[01]\d/([0-3]\d/)?[^/]+(\.html?|/)?$|/\?p=\d+$|/node/\d+(\.html)?$"
    r"|/(19|20)\d\d-[01]\d-[0-3]\d/[^/]+/?(index\.html?)?$"
    r"|/(post|posts|blog|article|archives)/[^/]+/?$"
)
_URL_LISTING = re.compile(
    r"/(page/\d+|category|categorie|tag|label|author|search|feed|archive)(/|$)"
    r"|/(19|20)\d\d/?([01]\d/?)?$|_archive\.html$|[?&](paged|m|cat|tag|s|updated-max|page)="
)
_URL_STATIC = re.compile(r"/p/[^/]+\.html$")
_ARTICLE_BLOCKS = "article, .hentry, .h-entry, div.post, div.blog-post, .post-outer, div.node"
# One text: a page whose paragraphs largely sit in one element, and are long enough to be
# read, is an article even when nothing else says so (news sites, hand-made blogs). A listing
# spreads its excerpts over one element per post. Where the page has several article blocks,
# the text must dominate more clearly before the page counts as one article.
MAIN_TEXT_MIN_CHARS = 250
MAIN_TEXT_MIN_SHARE = 0.3
MAIN_TEXT_MIN_SHARE_AMONG_BLOCKS = 0.35
_MIN_PARAGRAPH = 20
_TEXT_BLOCKS = "div, td, section, article, blockquote"
# Only a single post offers a comment form or a comment list of its own.
_COMMENT_SIGNALS = (
    "#respond, #commentform, form.comment-form, #comments-block, ol.commentlist, "
    "ol.comment-list, #comment-form, .comment-form-comment, ol#commentlist"
)


@dataclass(frozen=True, slots=True)
class Classification:
    kind: PageKind
    reason: str


def _ld_types(tree: LexborHTMLParser) -> set[str]:
    types: set[str] = set()
    for obj in json_ld_objects(tree):
        kind = obj.get("@type")
        values = kind if isinstance(kind, list) else [kind]
        types.update(k.lower() for k in values if isinstance(k, str))
    return types


def _outermost_count(nodes: list[LexborNode]) -> int:
    """How many of the nodes are not inside another one (Blogger nests .post in .post-outer)."""
    ids = {node.mem_id for node in nodes}
    count = 0
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        count += parent is None
    return count


def main_text_share(tree: LexborHTMLParser) -> tuple[int, float]:
    """The running text held by the one element that holds the most, and its share of all.

    A paragraph counts for the element around it; text written straight into a block between
    ``<br>`` tags (old themes, Blogger) counts for that block. Paragraphs that are mostly link
    text (teasers, menus) and very short ones are not counted.
    """
    by_holder: dict[int, int] = {}
    total = 0

    def credit(holder: LexborNode | None, size: int) -> None:
        nonlocal total
        total += size
        if holder is not None:
            by_holder[holder.mem_id] = by_holder.get(holder.mem_id, 0) + size

    for paragraph in tree.css("p"):
        size = len(paragraph.text(strip=True))
        if size < _MIN_PARAGRAPH:
            continue
        linked = sum(len(a.text(strip=True)) for a in paragraph.css("a"))
        if linked * 2 <= size:
            credit(paragraph.parent, size)
    for block in tree.css(_TEXT_BLOCKS):
        size = len(block.text(deep=False, strip=True))
        if size >= _MIN_PARAGRAPH:
            credit(block, size)
    best = max(by_holder.values(), default=0)
    return best, (best / total if total else 0.0)


def _one_main_text(tree: LexborHTMLParser, min_share: float = MAIN_TEXT_MIN_SHARE) -> bool:
    best, share = main_text_share(tree)
    return best >= MAIN_TEXT_MIN_CHARS and share >= min_share


def classify_html(tree: LexborHTMLParser, url: str) -> Classification:
    """Decide the kind of an HTML page from its markup and URL."""
    body = tree.body
    tokens = ((body.attributes.get("class") or "") if body is not None else "").split()

    def has(pattern: re.Pattern[str]) -> bool:
        return any(pattern.fullmatch(token) for token in tokens)

    path = urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
    if has(_ERROR_BODY):
        return Classification("other", "body class error404")
    if has(_POST_BODY) or ("single" in tokens and not has(_PAGE_BODY)):
        return Classification("post", "body class")
    if has(_PAGE_BODY):
        return Classification("page", "body class")
    if has(_LISTING_BODY):
        return Classification("listing", "body class")

    og_type = tree.css_first('meta[property="og:type"]')
    og = (og_type.attributes.get("content") or "").lower() if og_type else ""
    published = tree.css_first('meta[property="article:published_time"]')
    blocks = _outermost_count(tree.css(_ARTICLE_BLOCKS))
    ld = _ld_types(tree)
    has_article_metadata = og == "article" or published is not None or ld & POST_LD_TYPES
    if has_article_metadata and (blocks <= 2 or _URL_POST.search(path)):
        return Classification("post", "article metadata")
    if _URL_STATIC.search(path):
        return Classification("page", "url shape")
    if _URL_LISTING.search(path):
        return Classification("listing", "url shape")
    if _URL_POST.search(path) and blocks <= 2:
        return Classification("post", "url shape")
    if blocks >= 3:
        # Related-story teasers in <article> tags do not make an article page a listing.
        if has_article_metadata and _one_main_text(tree, MAIN_TEXT_MIN_SHARE_AMONG_BLOCKS):
            return Classification("post", "article metadata, one main text")
        return Classification("listing", f"{blocks} article blocks")
    if blocks <= 2 and tree.css_first(_COMMENT_SIGNALS) is not None:
        return Classification("post", "comment form or list")
    if blocks == 1 and find_body_node(tree) is not None:
        return Classification("post", "one article block")
    if urlsplit(url).path in {"", "/"}:
        return Classification("listing", "site root")
    if blocks <= 2 and _one_main_text(tree):
        return Classification("post", "one main text")
    return Classification("other", "no post signal")
