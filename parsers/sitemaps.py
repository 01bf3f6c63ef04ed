"""Sitemaps as lists of page URLs: ``urlset``, ``sitemapindex``, gzip bodies and plain text.

A blog's sitemap is the cheapest complete list of its posts. WordPress serves ``wp-sitemap.xml``
(an index of per-type sitemaps), Yoast ``sitemap_index.xml``, Blogger ``sitemap.xml``; older
sites have plain-text lists, and search engines also accept an RSS or Atom feed in the place of
a sitemap. Whatever arrives, ``parse_sitemap`` returns what it could read and says what it could
not; it never raises on bad input and never inflates a compressed body past a fixed size.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsers.feeds import child_text, children, parse_date, parse_feed, qname, read_xml

__all__ = ["MAX_SITEMAP_BYTES", "MAX_SITEMAP_URLS", "Sitemap", "parse_sitemap"]

MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# The sitemap protocol allows 50,000 URLs a file; more is a broken or hostile file.
MAX_SITEMAP_URLS = 50_000
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_GARBAGE_EXAMPLES = 3


@dataclass(frozen=True, kw_only=True, slots=True)
class Sitemap:
    """Pages (``loc``, ``lastmod``) of a ``urlset``, or the child sitemaps of an index."""

    url: str
    pages: tuple[tuple[str, datetime | None], ...] = ()
    sitemaps: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def _gunzip(data: bytes, limit: int) -> tuple[bytes, list[str]]:
    """Inflate a gzip body, stopping at ``limit`` bytes so a gzip bomb stays small."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as exc:
        return b"", [f"corrupt gzip body: {exc}"]
    if inflater.unconsumed_tail:
        return out, [f"gzip body inflates past {limit} bytes: truncated"]
    if not inflater.eof:
        return out, ["gzip body is incomplete"]
    return out, []


def _is_http_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in text


def _plain_text(text: str, url: str, problems: list[str]) -> Sitemap:
    """A text sitemap: one absolute URL a line; anything else is reported, not guessed at."""
    pages: list[tuple[str, datetime | None]] = []
    garbage: list[str] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        if _is_http_url(line):
            if len(pages) < MAX_SITEMAP_URLS:
                pages.append((line, None))
        else:
            garbage.append(line)
    if len(pages) >= MAX_SITEMAP_URLS:
        problems.append(f"more than {MAX_SITEMAP_URLS} URLs: the rest were ignored")
    if garbage:
        shown = ", ".join(repr(g[:60]) for g in garbage[:_MAX_GARBAGE_EXAMPLES])
        problems.append(f"{len(garbage)} lines are not URLs (e.g. {shown})")
    if not pages:
        problems.append("not a sitemap: no XML and no URL lines")
    return Sitemap(url=url, pages=tuple(pages), problems=tuple(problems))


def parse_sitemap(data: bytes, url: str) -> Sitemap:
    """Read a sitemap or sitemap index fetched from ``url``."""
    problems: list[str] = []
    if data.startswith(_GZIP_MAGIC):
        data, gzip_problems = _gunzip(data, MAX_SITEMAP_BYTES)
        problems += gzip_problems
    elif len(data) > MAX_SITEMAP_BYTES:
        problems.append(f"sitemap larger than {MAX_SITEMAP_BYTES} bytes: truncated")
        data = data[:MAX_SITEMAP_BYTES]
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in head:
        problems.append("not a sitemap: binary body")
        return Sitemap(url=url, problems=tuple(problems))
    if not head.startswith(b"<"):
        return _plain_text(data.decode("utf-8", "replace"), url, problems)

    root, xml_problems = read_xml(data, max_bytes=MAX_SITEMAP_BYTES)
    problems += xml_problems
    if root is None:
        return Sitemap(url=url, problems=tuple(problems))
    _, local = qname(root)
    if local in {"rss", "feed", "RDF"}:
        # Search engines take a feed as a sitemap; so do we, newest date first.
        feed = parse_feed(data, url)
        listed = tuple((e.url, e.updated_at or e.published_at) for e in feed.entries)
        return Sitemap(url=url, pages=listed, problems=(*problems, *feed.problems))
    if local not in {"urlset", "sitemapindex"}:
        problems.append(f"not a sitemap: root element is <{local}>")
        return Sitemap(url=url, problems=tuple(problems))

    is_index = local == "sitemapindex"
    entries = list(children(root, "sitemap" if is_index else "url"))
    if len(entries) > MAX_SITEMAP_URLS:
        problems.append(f"{len(entries)} entries: only the first {MAX_SITEMAP_URLS} were read")
        entries = entries[:MAX_SITEMAP_URLS]
    pages: list[tuple[str, datetime | None]] = []
    sitemaps: list[str] = []
    missing_loc = bad_dates = relative = 0
    for entry in entries:
        loc = child_text(entry, "loc")
        if not loc:
            missing_loc += 1
            continue
        if not _is_http_url(loc):
            # The protocol demands absolute URLs; a relative one still names a page here.
            relative += 1
            loc = urljoin(url, loc)
        lastmod_text = child_text(entry, "lastmod")
        lastmod = parse_date(lastmod_text)
        if lastmod_text and lastmod is None:
            bad_dates += 1
        if is_index:
            sitemaps.append(loc)
        else:
            pages.append((loc, lastmod))
    if missing_loc:
        problems.append(f"{missing_loc} entries without <loc> skipped")
    if relative:
        problems.append(f"{relative} relative <loc> values resolved against the sitemap URL")
    if bad_dates:
        problems.append(f"{bad_dates} unreadable <lastmod> values")
    return Sitemap(url=url, pages=tuple(pages), sitemaps=tuple(sitemaps), problems=tuple(problems))
