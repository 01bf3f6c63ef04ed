"""A guard against absurdly deep markup, applied before the HTML parser sees a page.

lexbor's tree building slows down sharply with depth (100,000 nested ``<div>`` take close to a
minute), so a hostile or broken page could stall a crawl. A linear scan finds where nesting
passes a depth no real page reaches, and the page is cut there: what came before is parsed as
usual, and the cut is recorded.
"""

from __future__ import annotations

import re

MAX_DEPTH = 2_000
# Only pages with this many tags are scanned: ordinary pages cost nothing.
SCAN_ABOVE_TAGS = 20_000

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
# Elements that never nest, or that HTML closes implicitly, do not count towards depth:
# old pages leave thousands of <p> and <li> open without any harm.
_FLAT = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody",
        "thead", "tfoot", "colgroup",
    }
)  # fmt: skip


def cut_deep_nesting(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, bool]:
    """``html`` cut where its nesting first goes deeper than ``max_depth``, and whether it was."""
    if html.count("<") < SCAN_ABOVE_TAGS:
        return html, False
    depth = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _FLAT:
            continue
        depth += -1 if closing else 1
        depth = max(depth, 0)
        if depth > max_depth:
            return html[: match.start()], True
    return html, False
