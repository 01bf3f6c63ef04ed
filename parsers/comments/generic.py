"""Comments on pages no platform row recognises.

Three standard vocabularies first: schema.org ``Comment`` as microdata and as JSON-LD, and
microformats (``p-comment h-cite``). Then a structural guess: an element whose id or class says
comment (commentaire, Kommentar, comentario, reactie...) holding several blocks of one shape.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence, Set
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.comments.fields import RawComment, clean_author, resolve_url
from parsers.comments.selectors import CommentMarkup
from parsers.comments.table import PageNodes, extract_with
from parsers.dates import parse_datetime

__all__ = ["MICRODATA", "MICROFORMATS", "extract_generic", "extract_json_ld"]

MICRODATA = CommentMarkup(
    platform="schema.org",
    family="schema.org-microdata",
    container="body",
    item="[itemtype*='schema.org/Comment'], [itemtype*='schema.org/comment']",
    author=(
        "[itemprop='author'] [itemprop='name']",
        "[itemprop='author']",
        "[itemprop='creator'] [itemprop='name']",
    ),
    author_url=("[itemprop='author'] [itemprop='url']",),
    date=("[itemprop='dateCreated']", "[itemprop='datePublished']", "time[datetime]"),
    content=("[itemprop='text']", "[itemprop='commentText']", "[itemprop='description']"),
    permalink=("[itemprop='url']", "a[href*='#comment']"),
)

MICROFORMATS = CommentMarkup(
    platform="microformats",
    family="microformats2",
    container="body",
    item=".p-comment.h-cite, .p-comment.h-entry, .u-comment.h-cite, .h-cite.u-comment",
    author=(".p-author .p-name", ".h-card .p-name", ".p-author", ".h-card"),
    date=(".dt-published", "time[datetime]"),
    content=(".e-content", ".p-content", ".p-summary"),
    permalink=(".u-url", ".u-uid"),
)

_AREA_WORDS = re.compile(
    r"comment|kommentar|commentaire|comentario|reactie|reaktion|reaction|discussion|responses",
    re.IGNORECASE,
)
_NOT_AREA = re.compile(
    r"form|respond|reply-title|count|link|button|meta|author|date|avatar|notes|policy|rss|feed|"
    r"widget|recent|popular|latest|share|login|disqus|facebook",
    re.IGNORECASE,
)
_GUESS_AUTHOR = (
    "[class*='author'] [class*='name']",
    "[class*='author']",
    "[class*='user'] [class*='name']",
    "[class*='username']",
    "[class*='name']",
    "cite",
)
_GUESS_DATE = (
    "time[datetime]",
    "[class*='date']",
    "[class*='datum']",
    "[class*='fecha']",
    "[class*='time']",
    "[class*='meta']",
)
_GUESS_CONTENT = (
    "[class*='content']",
    "[class*='text']",
    "[class*='body']",
    "[class*='message']",
)
_MIN_TEXT = 15
_FORM_PART = re.compile(r"form|respond|reply-title|comment-notes|logged-in", re.I)
_FORM_FIELDS = "input, textarea, select, button"
_NOTICE = re.compile(r"^(no-?comments?|comments?-closed|closed|must-log-in|logged-in-as)$", re.I)


def extract_generic(
    tree: LexborHTMLParser,
    *,
    page_url: str,
    languages: Sequence[str] | None,
    nodes: PageNodes | None = None,
) -> tuple[list[RawComment], LexborNode | None, str]:
    """Comments from the standard vocabularies or the structural guess, with their platform."""
    nodes = nodes or PageNodes(tree)
    for markup in (MICRODATA, MICROFORMATS):
        comments, container = extract_with(
            tree, markup, page_url=page_url, languages=languages, nodes=nodes
        )
        if comments:
            return comments, container, markup.platform
    comments = extract_json_ld(tree, page_url=page_url, languages=languages)
    if comments:
        return comments, None, "schema.org"
    return _guess(tree, page_url=page_url, languages=languages, nodes=nodes)


def extract_json_ld(
    tree: LexborHTMLParser, *, page_url: str, languages: Sequence[str] | None
) -> list[RawComment]:
    """Comments listed in JSON-LD: ``comment`` arrays of a posting, replies nested alike."""
    out: list[RawComment] = []
    for script in tree.css("script[type='application/ld+json']")[:20]:
        try:
            data = json.loads(script.text() or "")
        except (ValueError, RecursionError):
            continue
        for node in _objects(data, 0):
            comments = node.get("comment")
            if isinstance(node.get("@type"), str) and node["@type"] == "Comment":
                continue  # handled as a reply of its parent
            for entry in _as_list(comments):
                _add_json_comment(entry, out, page_url, languages, parent=None, depth=0)
        if out:
            break
    return out


def _objects(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
            yield from _objects(data.get(key), depth + 1)
    elif isinstance(data, list):
        for element in data[:200]:
            yield from _objects(element, depth + 1)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value[:5000]
    return [value] if isinstance(value, dict) else []


def _add_json_comment(
    entry: Any,
    out: list[RawComment],
    page_url: str,
    languages: Sequence[str] | None,
    *,
    parent: int | None,
    depth: int,
) -> None:
    if not isinstance(entry, dict) or depth > 50 or len(out) >= 5000:
        return
    author = entry.get("author") or entry.get("creator")
    if isinstance(author, list):
        author = author[0] if author else None
    name = author.get("name") if isinstance(author, dict) else author
    url = author.get("url") if isinstance(author, dict) else None
    text = entry.get("text") or entry.get("commentText") or entry.get("description") or ""
    text = " ".join(str(text).split())
    if not text and not name:
        return
    date = entry.get("dateCreated") or entry.get("datePublished")
    permalink = entry.get("url") or entry.get("@id")
    match = re.search(r"#(?:comment|c)[-_]?(\d+)$", str(permalink or ""))
    out.append(
        RawComment(
            platform_id=match.group(1) if match else None,
            parent_index=parent,
            depth=depth,
            author_name=clean_author(str(name)) if name else None,
            author_url=resolve_url(page_url, str(url)) if url else None,
            published_at=parse_datetime(str(date), languages=languages) if date else None,
            title=None,
            text=text,
            html=html_lib.escape(text),
        )
    )
    me = len(out) - 1
    for reply in _as_list(entry.get("comment")):
        _add_json_comment(reply, out, page_url, languages, parent=me, depth=depth + 1)


def _guess(
    tree: LexborHTMLParser, *, page_url: str, languages: Sequence[str] | None, nodes: PageNodes
) -> tuple[list[RawComment], LexborNode | None, str]:
    for area in _candidate_areas(tree, nodes.body):
        signature = _repeated_signature(area)
        if signature is None:
            continue
        markup = CommentMarkup(
            platform="generic",
            family="generic-repeated",
            container="",
            item=signature,
            author=_GUESS_AUTHOR,
            date=_GUESS_DATE,
            content=_GUESS_CONTENT,
            strip=("[class*='author']", "[class*='meta']", "[class*='date']", "form", "script"),
            permalink=("a[href*='#comment']", "a[href*='#c']", "[class*='permalink']"),
        )
        comments, container = extract_with(
            tree, markup, page_url=page_url, languages=languages, areas=[area], nodes=nodes
        )
        # A guessed block with neither an author nor a date is a form, a notice or a widget
        # ("Publier un commentaire"), not a comment.
        comments = [
            c
            for c in comments
            if (c.author_name or c.published_at) and (len(c.text) >= _MIN_TEXT or c.author_name)
        ]
        if comments:
            return comments, container, "generic"
    return [], None, "generic"


def _candidate_areas(tree: LexborHTMLParser, body_ids: Set[int]) -> list[LexborNode]:
    found: list[LexborNode] = []
    selector = (
        "[id*='omment'], [class*='omment'], [id*='ommentaire'], [id*='ommentar'], "
        "[class*='ommentar'], [id*='omentario'], [class*='omentario'], [id*='eactie'], "
        "[class*='eactie'], [id*='eaction'], [class*='eaction'], [id*='iscussion']"
    )
    for node in tree.css(selector)[:300]:
        words = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        if not _AREA_WORDS.search(words) or _NOT_AREA.search(words):
            continue
        if node.tag in {"form", "a", "span", "input", "textarea", "button", "script"}:
            continue
        if node.tag in {"html", "body", "main"}:
            continue  # a page-wide class ("single-livecomment") names the page, not an area
        if any(parent.mem_id in body_ids for parent in _ancestors(node)):
            continue
        found.append(node)
    # Outermost areas first: a wrapper beats the inner list it holds.
    ids = {node.mem_id for node in found}
    return [n for n in found if not any(p.mem_id in ids for p in _ancestors(n))][:10]


def _ancestors(node: LexborNode) -> Iterator[LexborNode]:
    parent = node.parent
    steps = 0
    while parent is not None and steps < 200:
        yield parent
        parent = parent.parent
        steps += 1


def _repeated_signature(area: LexborNode) -> str | None:
    """A selector for the blocks repeated under ``area``: the comments, if any."""
    layers = [area]
    for _ in range(3):
        next_layer: list[LexborNode] = []
        for node in layers:
            child = node.child
            while child is not None:
                if child.is_element_node:
                    next_layer.append(child)
                child = child.next
        shapes: Counter[tuple[str, str]] = Counter()
        for node in next_layer:
            if node.tag in {"script", "style", "form", "h1", "h2", "h3", "h4", "br", "a"}:
                continue
            if len(" ".join((node.text() or "").split())) < _MIN_TEXT:
                continue
            classes = (node.attributes.get("class") or "").split()
            if any(_NOTICE.search(c) for c in classes):
                continue  # "Comments are closed." and its kin are notices, not comments
            if any(_FORM_PART.search(c) for c in classes) or node.css_first(_FORM_FIELDS):
                continue  # the comment form's fields ("Name *", "Email *") are not comments
            shapes[(node.tag or "", classes[0] if classes else "")] += 1
        if shapes:
            (tag, klass), count = shapes.most_common(1)[0]
            if count >= 2 or (count == 1 and _AREA_WORDS.search(klass)):
                return f"{tag}.{_css_escape(klass)}" if klass else tag
        layers = next_layer[:500]
    return None


def _css_escape(klass: str) -> str:
    return re.sub(r"([^\w-])", r"\\\1", klass)
