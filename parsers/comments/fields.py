"""Reading one comment's fields out of its markup: text, author, native id, title, kind.

Shared by the table-driven extractor and the generic fallbacks, so every source of comments
cleans names and text the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from parsers.records import CommentKind

__all__ = [
    "Matcher",
    "RawComment",
    "clean_author",
    "first_match",
    "native_id",
    "node_text",
    "node_text_tail",
    "pingback_kind",
    "resolve_url",
    "split_title",
]

# Elements after which text continues on a new line.
_BLOCKS = frozenset(
    (
        "p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5",
        "h6", "tr", "table", "dd", "dt", "dl", "section", "article", "header", "footer", "hr",
        "figure", "figcaption", "address",
    )
)  # fmt: skip
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "-comment"})

# Native ids: WordPress comment-123 / div-comment-123, Blogger c123, Movable Type c000123,
# LiveJournal ljcmt123 / t123, Typepad's long hex ids comment-6a00d8....
_ID = re.compile(
    r"^(?:div-|li-)?(?:comment|comments|cmt|ljcmt|trackback|ping|c|t)[-_]?(\d+|6a0[0-9a-f]{16,})$",
    re.IGNORECASE,
)
_FRAGMENT_ID = re.compile(r"#(?:comment|cmt|c|t)[-_]?(\d+|6a0[0-9a-f]{16,})$", re.IGNORECASE)
_AUTHOR_NOISE = re.compile(
    r"^(?:posted by|written by|comment by|comment from|by|par|von|de|por|door|écrit par|"
    r"publié par|kommentar von)\s*:?\s+|"
    r"\s+(?:says|said|a dit|dit|sagt|schrieb|meint|dice|dijo|zegt|scrive|skrev|napisał|hat gesagt)"
    r"\s*(?:\.\.\.|…|:|,)?\s*$|\s*[:|,]\s*$",
    re.IGNORECASE,
)
_PING_PREFIX = re.compile(r"^\s*(pingback|trackback|rückverweis|rétrolien)\s*:", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True, slots=True)
class RawComment:
    """A comment as read from the page, before ids and positions are assigned."""

    platform_id: str | None
    parent_index: int | None
    depth: int
    author_name: str | None
    author_url: str | None
    published_at: datetime | None
    title: str | None
    text: str
    html: str
    kind: CommentKind = "comment"
    # Where the comment's own link (its date, its number) points: this page, or a copy of it.
    permalink: str | None = None


def node_text(node: LexborNode, skip: frozenset[int] = frozenset()) -> str:
    """Plain text with single spaces inside lines and one newline between blocks.

    ``skip`` holds ``mem_id`` values of subtrees to leave out (nested replies, reply links).
    """
    parts: list[str] = []
    stack: list[LexborNode] = [node]
    # An explicit stack instead of recursion: 100k nested divs must not blow the Python stack.
    while stack:
        current = stack.pop()
        tag = current.tag or ""
        if tag == "-text":
            parts.append(current.text_content or "")
            continue
        if tag in _SKIP or current.mem_id in skip:
            continue
        if tag in _BLOCKS:
            parts.append("\n")
        children: list[LexborNode] = []
        child = current.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def node_text_tail(node: LexborNode, limit: int) -> str:
    """The last ``limit`` characters of ``node_text(node)``, reading the tree from its end.

    What a comment area says last ("Comments are closed.") is found without walking every
    comment before it.
    """
    parts: list[str] = []
    seen = 0  # non-blank characters collected: a bound on the folded text's length
    stack: list[LexborNode | None] = [node]
    # Children are pushed in page order so the last one is read first; ``None`` marks where
    # a block began, which comes out after its children when reading backwards.
    while stack and seen < limit:
        current = stack.pop()
        if current is None:
            parts.append("\n")
            continue
        tag = current.tag or ""
        if tag == "-text":
            text = current.text_content or ""
            parts.append(text)
            seen += sum(map(len, text.split()))
            continue
        if tag in _SKIP:
            continue
        if tag in _BLOCKS:
            stack.append(None)
        child = current.child
        while child is not None:
            stack.append(child)
            child = child.next
    parts.reverse()
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)[-limit:]


class Matcher:
    """Whether a node itself matches a selector.

    lexbor's ``css_matches`` answers for the whole subtree and it has no ``:scope``, so the
    matches of each selector are listed once per page and looked up by node identity.
    """

    def __init__(self, root: LexborNode | None) -> None:
        self._root = root
        self._cache: dict[str, frozenset[int]] = {}

    def matches(self, node: LexborNode, selector: str) -> bool:
        """True when ``node`` itself is matched by ``selector``."""
        if not selector or self._root is None:
            return False
        found = self._cache.get(selector)
        if found is None:
            try:
                found = frozenset(n.mem_id for n in self._root.css(selector))
            except Exception:  # lexbor refuses some selectors on some trees
                found = frozenset()
            self._cache[selector] = found
        return node.mem_id in found


def first_match(
    nodes: Sequence[LexborNode], selectors: Iterable[str], matcher: Matcher | None = None
) -> LexborNode | None:
    """The first node, in selector order, matched by a selector inside one of ``nodes``.

    With a ``matcher``, the nodes themselves are candidates too (a ``<dt>``/``<dd>`` group).
    """
    for selector in selectors:
        for node in nodes:
            if matcher is not None and matcher.matches(node, selector):
                return node
            try:
                found = node.css_first(selector)
                if found is not None and found.mem_id == node.mem_id:
                    # lexbor's queries include the node itself; here only its inside counts.
                    inside = node.css(selector)
                    found = inside[1] if len(inside) > 1 else None
            except Exception:  # a malformed page can make lexbor refuse a query
                found = None
            if found is not None:
                return found
    return None


def clean_author(name: str | None) -> str | None:
    """The name as shown, without "said...", "Posted by:" and similar framing."""
    if not name:
        return None
    text = " ".join(name.split())
    for _ in range(3):
        cleaned = _AUTHOR_NOISE.sub("", text).strip()
        if cleaned == text:
            break
        text = cleaned
    text = text.strip(" \u00a0|:,-–")
    return text[:300] or None


def resolve_url(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL, or None for empty, script and mail links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return None
    return absolute if absolute.startswith(("http://", "https://")) else None


def native_id(nodes: Sequence[LexborNode], permalink: str | None) -> str | None:
    """The platform's own id without prefix: ``comment-123`` -> "123", ``c5301274`` -> "5301274".

    Looks at the item's id, an anchor just before it (Drupal 7, Movable Type), anchors inside
    it, then the permalink's fragment.
    """
    first = nodes[0]
    candidates: list[str | None] = [node.attributes.get("id") for node in nodes[:1]]
    previous = first.prev
    while previous is not None and previous.tag in {"-text", "-comment"}:
        previous = previous.prev
    if previous is not None and previous.tag == "a":
        candidates += [previous.attributes.get("id"), previous.attributes.get("name")]
    for anchor in first.css("a[name], a[id], [id^='div-comment-']")[:3]:
        candidates += [anchor.attributes.get("name"), anchor.attributes.get("id")]
    for candidate in candidates:
        if candidate:
            match = _ID.match(candidate.strip())
            if match:
                return match.group(1)
    if permalink:
        match = _FRAGMENT_ID.search(permalink)
        if match:
            return match.group(1)
    return None


def split_title(content: LexborNode, text: str) -> tuple[str | None, str]:
    """A bold first line used as the comment's title, and the text without it."""
    first = content.child
    while first is not None and (first.tag == "-text" and not (first.text_content or "").strip()):
        first = first.next
    if first is None:
        return None, text
    bold: LexborNode | None = None
    if first.tag in {"strong", "b"}:
        after = first.next
        while after is not None and after.tag == "-text" and not (after.text_content or "").strip():
            after = after.next
        if after is None or after.tag in {"br", "p", "div"}:
            bold = first
    elif first.tag == "p":
        inner = [
            child
            for child in _children(first)
            if not (child.tag == "-text" and not (child.text_content or "").strip())
        ]
        if inner and inner[0].tag in {"strong", "b"}:
            rest = inner[1:]
            if not rest or rest[0].tag == "br":
                bold = inner[0]
    if bold is None:
        return None, text
    title = " ".join((bold.text() or "").split())
    if not title or len(title) > 200:
        return None, text
    remainder = text[len(title) :].lstrip() if text.startswith(title) else text
    if not remainder:
        return None, text  # a comment that is only bold text has no title, only text
    return title, remainder


def pingback_kind(text: str, author_url: str | None) -> CommentKind | None:
    """Pingback or trackback from the text alone, for themes that mark neither.

    "Pingback:" prefixes are explicit; WordPress writes a pingback's body as an excerpt framed by
    "[...]" (or "[…]"), which readers almost never type at both ends of a comment.
    """
    match = _PING_PREFIX.match(text)
    if match:
        return "trackback" if match.group(1).lower() == "trackback" else "pingback"
    stripped = text.strip()
    framed = stripped.startswith(("[...]", "[…]", "[&#8230;]")) and stripped.endswith(
        ("[...]", "[…]")
    )
    if framed and author_url:
        return "pingback"
    return None


def _children(node: LexborNode) -> list[LexborNode]:
    out: list[LexborNode] = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out
