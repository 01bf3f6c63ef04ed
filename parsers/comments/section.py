"""What a page says about its comment area as a whole: count, open or closed, comment pages."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.comments.fields import node_text, node_text_tail

__all__ = ["comment_pages", "comments_open", "declared_count"]

_COUNT_PLACES = (
    "#comments-title, .comments-title, h2#comments, h3#comments, #comments h2, #comments h3, "
    "#comments h4, .comments h4, .comment-count, .comments-count, #comments-count, "
    ".wp-block-comments-title, .comments-header, #comments-block-title"
)
_NOUNS = (
    r"(?:comments?|responses?|replies|thoughts?|reactions?|commentaires?|réponses?|réactions?|"
    r"kommentare?|antworten|reaktionen|comentarios?|respuestas?|commenti|risposte|reacties|"
    r"comentários?|komentarze?|komentarzy)"
)
_COUNT = re.compile(rf"(\d[\d.,\u00a0 ]{{0,6}})\s*{_NOUNS}\b", re.IGNORECASE)
_ONE = re.compile(
    rf"\b(?:one|un|une|ein|eine|einen|uno|una|un|één|jeden)\s+{_NOUNS}\b", re.IGNORECASE
)
_NONE = re.compile(
    rf"\b(?:no|aucun|aucune|pas de|keine|sin|nessun|geen|brak)\s+{_NOUNS}\b", re.IGNORECASE
)
_CLOSED = re.compile(
    r"comments are closed|commenting is closed|comments closed|comments to this entry are closed|"
    r"les commentaires (?:pour ce billet )?sont fermés|commentaires fermés|"
    r"kommentare sind geschlossen|kommentarfunktion (?:ist )?geschlossen|"
    r"los comentarios están cerrados|comentarios cerrados|i commenti sono chiusi|"
    r"reacties zijn gesloten",
    re.IGNORECASE,
)
_CLOSED_PLACES = (
    ".comments-closed, .nocomments, p.no-comments, .no-comments, .comments-area, #comments, "
    "#respond, .comment-respond"
)
_FORM = (
    "form#commentform, form.comment-form, #respond form, form[action*='wp-comments-post'], "
    "form#comment-form, form[action*='comment'], iframe#comment-editor, "
    "a[href*='blogger.com/comment'], .comment-form, #comment-post-message"
)
_PAGE_NUMBER = re.compile(r"(?:/comment-page-|[?&]commentPage=|[?&]cpage=)(\d+)")
_OLDER = re.compile(r"older|previous|prev|«|‹|ancien|précédent|ältere|vorherige|anteriores", re.I)
_NEWER = re.compile(r"newer|next|»|›|récent|suivant|neuere|nächste|siguientes|recientes", re.I)


def declared_count(tree: LexborHTMLParser, container: LexborNode | None) -> int | None:
    """The number of comments the page announces ("7 Comments", "Un commentaire"), if any."""
    places = list(tree.css(_COUNT_PLACES))
    if container is not None:
        places += container.css("h1, h2, h3, h4, h5, .count")[:4]
    for place in places[:12]:
        text = node_text(place).replace("\n", " ")[:300]
        match = _COUNT.search(text)
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            if digits and len(digits) <= 6:
                return int(digits)
        if _ONE.search(text):
            return 1
        if _NONE.search(text):
            return 0
    return None


def comments_open(tree: LexborHTMLParser, container: LexborNode | None) -> bool | None:
    """False when the page says comments are closed, True when it offers a comment form."""
    places = list(tree.css(_CLOSED_PLACES))
    if container is not None:
        places.append(container)
    for place in places[:10]:
        if _CLOSED.search(node_text_tail(place, 2000)):
            return False
    if tree.css_first(_FORM) is not None:
        return True
    # Older themes print the notice in a bare paragraph ("<p>Comments are closed.</p>").
    for paragraph in tree.css("p"):
        text = paragraph.text(strip=True)
        if len(text) <= _NOTICE_MAX_CHARS and _CLOSED.search(text):
            return False
    return None


# A paragraph that is only the notice; a longer one mentions closed comments in passing.
_NOTICE_MAX_CHARS = 60


def comment_pages(tree: LexborHTMLParser, page_url: str) -> tuple[str | None, str | None]:
    """The (next, previous) comment pages: WordPress ``/comment-page-N/``, ``cpage``, Blogger."""
    current_match = _PAGE_NUMBER.search(page_url)
    current = int(current_match.group(1)) if current_match else None
    next_url: str | None = None
    prev_url: str | None = None
    for anchor in tree.css("a[href*='comment-page-'], a[href*='commentPage='], a[href*='cpage=']"):
        href = anchor.attributes.get("href") or ""
        match = _PAGE_NUMBER.search(href)
        if match is None:
            continue
        try:
            url = urljoin(page_url, href.split("#")[0])
        except ValueError:
            continue
        number = int(match.group(1))
        if current is not None:
            if number == current + 1 and next_url is None:
                next_url = url
            elif number == current - 1 and prev_url is None:
                prev_url = url
            continue
        # Without a page number in our own URL, trust the link's words and classes.
        label = " ".join(
            [anchor.text() or "", anchor.attributes.get("rel") or "",
             anchor.attributes.get("class") or "",
             (anchor.parent.attributes.get("class") or "") if anchor.parent else ""]
        )  # fmt: skip
        if _NEWER.search(label) and next_url is None:
            next_url = url
        elif _OLDER.search(label) and prev_url is None:
            prev_url = url
    return next_url, prev_url
