"""From the content's light markup to HTML, and from HTML back to plain text and links.

The truth file is computed from the same HTML the pages show, through ``html_text`` and
``html_links`` here, so a sentence or a link in the truth is exactly what a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`]+)`")
_PLACEHOLDER = re.compile(r"\{(post:[a-z0-9-]+|root)\}")


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space and trim."""
    return " ".join(text.split())


def expand_placeholders(text: str, resolve: Callable[[str], str]) -> str:
    """Replace ``{post:slug}`` and ``{root}`` with absolute URLs."""
    return _PLACEHOLDER.sub(lambda match: resolve(match.group(1)), text)


def paragraph_html(text: str, resolve: Callable[[str], str]) -> str:
    """One content paragraph as HTML: placeholders, links and code expanded, wrapped in ``p``."""
    expanded = expand_placeholders(text, resolve)
    expanded = _LINK.sub(r'<a href="\2">\1</a>', expanded)
    expanded = _CODE.sub(r"<code>\1</code>", expanded)
    return f"<p>{expanded}</p>"


class _TextAndLinks(HTMLParser):
    """Collects the character data of a fragment and every ``a[href]`` with its anchor text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._open_link: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href is not None:
            self._open_link = (href, len(self.chunks))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open_link is not None:
            href, start = self._open_link
            self.links.append((href, normalize("".join(self.chunks[start:]))))
            self._open_link = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def _parse(fragment: str) -> _TextAndLinks:
    parser = _TextAndLinks()
    parser.feed(fragment)
    parser.close()
    return parser


def html_text(fragment: str) -> str:
    """Whitespace-normalized plain text of an HTML fragment."""
    return normalize("".join(_parse(fragment).chunks))


def html_links(fragment: str) -> list[tuple[str, str]]:
    """Every ``(href, anchor text)`` of an HTML fragment, in document order."""
    return _parse(fragment).links
