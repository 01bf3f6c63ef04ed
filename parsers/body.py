"""The post body: clean text and HTML by trafilatura, and the body element for links.

The comment area is removed from the tree before trafilatura sees it, so comment text can never
leak into the body. trafilatura is given text, never bytes: given bytes it guesses the encoding
and ignores what the page declares.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode
from trafilatura import bare_extraction, extract_metadata
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from parsers.metadata import clean_author, squashed_text

# Where themes put a post's own content, most specific first.
BODY_SELECTORS = (
    ".entry-content",
    ".post-body",
    ".post-content",
    ".entry-body",
    ".asset-body",
    ".wp-block-post-content",
    '[itemprop="articleBody"]',
    ".e-content",
    ".field-name-body",
    ".node .content",
    ".article-content",
    ".storycontent",
    ".entrytext",
    ".post-entry",
    ".entry",
    ".post .content",
    "article .content",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Body:
    text: str
    html: str
    title: str | None
    author: str | None
    date: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]


def find_body_node(root: LexborHTMLParser | LexborNode) -> LexborNode | None:
    """The element that holds the post's own content, when the theme marks it."""
    for selector in BODY_SELECTORS:
        node = root.css_first(selector)
        if node is not None and node.text(strip=True):
            return node
    return None


def find_player_body(root: LexborHTMLParser | LexborNode) -> LexborNode | None:
    """The theme's body element of a post that is only an embedded player (a video, a
    recording) and no text, when no element holds text (``find_body_node`` found none)."""
    for selector in BODY_SELECTORS:
        node = root.css_first(selector)
        if node is not None and node.css_first(_PLAYERS) is not None:
            return node
    return None


# Players, and the social networks' embed codes whose script (gone before the body is read)
# draws the post: a Facebook video leaves only "Post by Ray Chen." (robshouse node/292).
_PLAYERS = (
    "iframe, object, embed, video, audio, .fb-post, .fb-video, blockquote.twitter-tweet, "
    "blockquote.twitter-video, blockquote.instagram-media, blockquote.tiktok-embed"
)
# Code and styles, which lexbor's text would give as words.
_CODE = "script, style, template"
# A line under a video ("http://www.drupal-dev-days.de/"), not a post's worth of text.
_PLAYER_CAPTION_MAX_CHARS = 200


def _is_player_post(node: LexborNode) -> bool:
    """The element holds an embedded player (or a script that draws one) and at most a line
    of text a reader sees."""
    if node.css_first(_PLAYERS + ", script") is None:
        return False
    if node.css_first("script") is None:
        return len(node.text(strip=True)) <= _PLAYER_CAPTION_MAX_CHARS
    shown = node.clone() or node
    # What a reader sees: no code, nor the text for readers without scripts.
    for hidden in shown.css(_CODE + ", noscript"):
        hidden.decompose()
    return len(shown.text(strip=True)) <= _PLAYER_CAPTION_MAX_CHARS


def _split_terms(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, str) and value.strip():
        return tuple(t.strip() for t in value.split(",") if t.strip())
    return ()


def extract_body(
    html: str,
    url: str,
    body_node: LexborNode | None,
    *,
    need_metadata: bool,
    need_date: bool,
    base_url: str | None = None,
    title: str | None = None,
) -> Body:
    """Run trafilatura on the page (comment area already removed).

    Links in the body's HTML are resolved against ``base_url`` (the page's ``<base href>``,
    else ``url``). ``title`` is the post's title from the page's markup, when it has one: a
    body read from the whole page that opens with it loses that line (see ``_drop_title``).

    ``body_node`` is the theme's body element, when it marks one; it also stands in for the
    body when trafilatura cannot read the page. Where that element holds a
    post's worth of text and nothing else is wanted of the page (``need_metadata`` and
    ``need_date`` false), trafilatura reads only that element: on the robshouse and lafuite
    mirrors that takes a quarter to a third off a post, and the evaluation's body scores stay
    level (see ``_read_body_element``). Otherwise it reads the whole page.

    ``need_metadata`` is false when the page's own markup gave the title, author and date:
    trafilatura's metadata (our fallback for those and for terms) is then not extracted,
    which takes about a quarter off the time of a post. ``need_date`` is false when the
    markup gave the date: trafilatura's search of the visible text is then skipped, since it
    hands free text to dateparser with every locale enabled (about 20 ms a page, and 1.2 s
    for the first page of a process).
    """
    base_url = base_url or url
    if body_node is not None and not need_metadata and not need_date:
        if _is_player_post(body_node):
            # A post that is a video or a player with at most a line of text: trafilatura,
            # finding no text worth the name in the page's body, would return the page's
            # menus and sidebars instead (5 of robshouse's 60 posts).
            return _element_only(body_node, base_url)
        body = _read_body_element(body_node, base_url)
        if body is not None:
            return body
    body = _trafilatura_body(
        html, url, base_url, title, need_metadata=need_metadata, need_date=need_date
    )
    return body if body is not None else _element_only(body_node, base_url)


# The theme's body element is trusted alone only when it holds at least this much text, and
# trafilatura kept at least this share of it. On trafilatura_eval, a shorter element is too
# often an excerpt or a lead beside the real body (1000 characters lost 6 of the gold's
# snippets, 600 lost 8, 300 lost 23); an extraction keeping less than half means trafilatura
# found the element mostly boilerplate, and the whole page is read instead.
_ELEMENT_MIN_CHARS = 1000
_ELEMENT_MIN_KEPT = 0.5


def _read_body_element(node: LexborNode, base_url: str) -> Body | None:
    """trafilatura on the theme's body element alone; None when the element is not enough."""
    node_chars = len(squashed_text(node))
    if node_chars < _ELEMENT_MIN_CHARS:
        return None
    # Inside an <article> trafilatura keeps the element's subheadings; as a bare <div> it
    # dropped them (zugreiseblog's h2s on trafilatura_eval).
    alone = f"<html><body><article>{_without_image_links(node)}</article></body></html>"
    body = _trafilatura_body(
        alone,
        base_url,
        base_url,
        None,
        need_metadata=False,
        need_date=False,
        source_text=squashed_text(node),
    )
    if body is None or len(body.text) < _ELEMENT_MIN_KEPT * node_chars:
        return None
    return body


def _without_image_links(node: LexborNode) -> str:
    """The element's HTML without links that hold only a picture.

    trafilatura keeps no pictures, and a link left without text took the text after it for
    its own: "<a href=photo.jpg><img></a>We left at dawn..." became a link whose anchor was
    the sentence, dropped from the text, and the paragraphs after it lost the space after
    their first italic words ("horaire</i> a été" read "horairea été"; lafuite: 9 of 51
    posts). The post's link records come from the page itself and keep these links.
    """
    if not any(_picture_only(anchor) for anchor in node.css("a")):
        return node.html or ""
    bare = node.clone() or node
    for anchor in bare.css("a"):
        if _picture_only(anchor):
            anchor.decompose()
    return bare.html or ""


def _picture_only(anchor: LexborNode) -> bool:
    return anchor.css_first("img") is not None and not anchor.text(strip=True)


def _element_only(node: LexborNode | None, base_url: str) -> Body:
    """The theme's body element as a reader sees it: when trafilatura could not read the page,
    or when the post is a player and a line (``_is_player_post``). Scripts and styles go:
    lexbor's text holds their source, and a player drawn by a script would otherwise give a
    post whose text is code and whose HTML runs it. (``<noscript>`` stays, as for the whole
    page: it can hold a post's only readable copy.)"""
    if node is not None:
        node = node.clone() or node
        for hidden in node.css(_CODE):
            hidden.decompose()
        for anchor in node.css("a[href]"):
            anchor.attrs["href"] = _resolved(anchor.attributes.get("href") or "", base_url)
    return Body(
        text=squashed_text(node),
        html=(node.html or "") if node is not None else "",
        title=None,
        author=None,
        date=None,
        categories=(),
        tags=(),
    )


def _trafilatura_body(
    html: str,
    url: str,
    base_url: str,
    title: str | None,
    *,
    need_metadata: bool,
    need_date: bool,
    source_text: str | None = None,
) -> Body | None:
    """trafilatura's body and metadata of ``html``; None when it cannot read it.

    ``source_text`` is the text trafilatura read (the theme's body element's), to put back
    the spaces it drops after inline elements (see ``_restore_spaces_after_inline``).

    The body is extracted without the page's address, and its links are resolved here: given
    the address, trafilatura joins every link of the page to the site's root (scheme and
    host), which is both wrong for a relative link ("../2013/a-post/", "index.html") and,
    with about a hundred links on a page, a fifth of the time of a whole-page extraction.
    The metadata, which does need the address (a date in the URL), is extracted apart.
    """
    metadata = None
    try:
        page = load_html(html) if need_metadata else html
        if page is None:
            return None
        if need_metadata and not isinstance(page, str):
            _drop_namespace_declarations(page)
            metadata = extract_metadata(
                page, url, date_config=set_date_params(extensive=need_date), extensive=False
            )
        document = bare_extraction(
            page,
            include_comments=False,
            include_links=True,
            include_formatting=True,
            include_tables=True,
        )
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        document = None
    body_element = getattr(document, "body", None)
    # Without ``as_dict`` trafilatura returns its Document; a dict would mean another API.
    if document is None or isinstance(document, dict) or body_element is None:
        return None
    _drop_title(body_element, title or (metadata.title if metadata else None))
    if source_text:
        _restore_spaces_after_inline(body_element, source_text)
    for ref in body_element.iter("ref"):
        target = ref.get("target")
        if target:
            ref.set("target", _resolved(target, base_url))
    html_tree = convert_to_html(copy.deepcopy(body_element))
    inner = html_tree.find("body")
    body_html = "".join(
        etree.tostring(child, encoding="unicode", method="html")
        for child in (inner if inner is not None else html_tree)
    )
    return Body(
        text=_plain_text(body_element),
        html=unicodedata.normalize("NFC", body_html.strip()),
        title=metadata.title if metadata else None,
        author=clean_author(metadata.author) if metadata else None,
        date=_day_not_just_year(metadata.date) if metadata else None,
        categories=_split_terms(metadata.categories) if metadata else (),
        tags=_split_terms(metadata.tags) if metadata else (),
    )


def _drop_namespace_declarations(page: etree._Element) -> None:
    """Remove ``xmlns:*`` attributes, whose addresses are read as dates otherwise: Drupal's
    ``xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"`` made posts of 2000-01-01."""
    for element in page.iter():
        for name in [name for name in element.attrib if str(name).startswith("xmlns")]:
            del element.attrib[name]


def _day_not_just_year(found: str | None) -> str | None:
    """trafilatura's date unless it is only a year (it then says January 1st): a year in a
    sidebar link ("barcelona2015") or a copyright line is not a day of publication."""
    if found and found.endswith("-01-01"):
        return None
    return found


# The lines a theme may put above the title inside the post's box: a date stamp ("02.22.13"),
# a category label. Longer text before the title is the post's own.
_ABOVE_TITLE_MAX_CHARS = 40


def _drop_title(body: etree._Element, title: str | None) -> None:
    """Remove the post's title, and the short lines above it, from the top of the body.

    Read from the whole page, a body starts with whatever the theme prints in the post's box
    before the text: danvk's theme prints the date stamp, then the title. Read from the theme's
    body element it starts with the text. The title is a field of its own, so the body drops
    it: bodies then read alike whichever way they were read, and a post's word count is its
    text's. Only a title among the first three blocks counts, and only when text follows.
    """
    wanted = _comparable(title or "")
    if not wanted:
        return
    blocks = list(body)
    for position, block in enumerate(blocks[:3]):
        text = _comparable("".join(block.itertext()))
        if text != wanted:
            if len(text) > _ABOVE_TITLE_MAX_CHARS or (block.tail or "").strip():
                return
            continue
        if position + 1 == len(blocks) or (block.tail or "").strip():
            return
        for above in blocks[: position + 1]:
            body.remove(above)
        return


def _restore_spaces_after_inline(body: etree._Element, source: str) -> None:
    """Put back the space trafilatura drops after a link or an italic that opens one of its
    paragraphs ("<a>Bali, Singapour et Bangkok</a> avec eux" read "Bangkokavec"), where the
    source shows the words apart and never together."""
    for element in body.iter("ref", "hi"):
        tail = element.tail or ""
        words = "".join(element.itertext()).strip()
        start = _FIRST_WORD.match(tail)
        if not words or start is None:
            continue
        joined, apart = words + start.group(0), f"{words} {start.group(0)}"
        if apart in source and joined not in source:
            element.tail = " " + tail


_FIRST_WORD = re.compile(r"\w+")


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _resolved(href: str, base_url: str) -> str:
    """``href`` made absolute against the page, or kept as written when it cannot be."""
    try:
        return urljoin(base_url, href.strip())
    except ValueError:
        return href


_BLOCK_TAGS = {"p", "head", "list", "item", "quote", "code", "table", "row", "lb", "div"}
# Joiners shape how Indic and Persian words and emoji sequences are written: they stay.
_KEPT_FORMAT_CHARS = {"\u200c", "\u200d"}


def _visible(text: str) -> str:
    """Text as a reader sees and searches it: canonically composed (NFC), so "ü" typed as
    "u" plus a combining diaeresis matches "ü", and without invisible characters (soft hyphens,
    zero-width spaces, byte-order marks, stray control codes) that would split words."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        return text
    return "".join(c for c in text if c.isprintable() or c.isspace() or c in _KEPT_FORMAT_CHARS)


def _plain_text(element: etree._Element) -> str:
    """Paragraphs separated by blank lines, runs of white space folded inside each."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join(_visible("".join(current)).split())
        if text:
            blocks.append(text)
        current.clear()

    def walk(node: etree._Element) -> None:
        is_block = node.tag in _BLOCK_TAGS
        if is_block:
            flush()
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if is_block:
            flush()
        elif node.tag == "cell":
            # trafilatura trims a cell's text, so cells of one row would run together into
            # one word ("1Kyle Busch5040"): a space keeps each value a word of its own.
            current.append(" ")

    children = list(element)
    # A paragraph that is nothing but one link, opening or closing the body, is the page's
    # navigation ("back to the list", "to the top", "join the discussion") that trafilatura
    # keeps as an orphan link when links are included; the post's text never starts or ends
    # with a bare link. The HTML keeps it, with its address.
    # Empty paragraphs (a lone line break, a stripped image) are passed over on the way in, so
    # they neither hide a navigation link behind them nor count as the post's text.
    start, end = 0, len(children)
    while start < end and (_link_only(children[start]) or _empty(children[start])):
        start += 1
    while end > start and (_link_only(children[end - 1]) or _empty(children[end - 1])):
        end -= 1
    if start == end:
        # Nothing but links (a link post): there is no text to set the navigation apart from.
        start, end = 0, len(children)
    if element.text:
        current.append(element.text)
    for position, child in enumerate(children):
        if start <= position < end:
            walk(child)
        if child.tail:
            current.append(child.tail)
    flush()
    return "\n\n".join(blocks)


def _link_only(node: etree._Element) -> bool:
    """A paragraph holding one link and no text of its own."""
    if node.tag != "p" or len(node) != 1 or (node.text or "").strip():
        return False
    child = node[0]
    return child.tag == "ref" and not (child.tail or "").strip()


def _empty(node: etree._Element) -> bool:
    """An element without any text, its own or its children's."""
    return not "".join(node.itertext()).strip()
