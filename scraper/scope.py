"""Which URLs belong to a blog, and which are traps that would never end.

A blog is its seed's scheme-less origin plus path prefix (a Typepad blog lives under
``/blogname/``). Traps are cut by shape, before any request: calendars far outside the blog's
years, repeated path segments, endless query variants of one path, URLs too long or too deep,
and the platform endpoints that only duplicate posts (oEmbed, AMP, print, reply forms).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

from parsers.urls import MAX_URL_LENGTH

MAX_DEPTH = 50
MAX_REPEATED_SEGMENTS = 2
MAX_QUERY_VARIANTS_PER_PATH = 30
EARLIEST_BLOG_YEAR = 1995

_SKIP_EXTENSIONS = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|zip|gz|tgz|bz2|xz|7z|rar|tar|exe|dmg|msi|"
    r"apk|iso|mp[34]|m4[av]|mov|avi|wmv|flv|webm|ogg|ogv|wav|flac|aac|mid|swf|css|js|json|"
    r"woff2?|ttf|otf|eot|docx?|xlsx?|pptx?|odt|ods|epub|mobi|csv|ics|vcf)$",
    re.IGNORECASE,
)
# Endpoints that never hold a post of their own, or copy one endlessly.
_SKIP_PATHS = re.compile(
    r"/(wp-admin|wp-login\.php|wp-includes|wp-content/(plugins|themes|cache)|xmlrpc\.php|"
    r"wp-json(?!/wp/v2/posts)|wp-trackback\.php|wp-comments-post\.php|cgi-bin|trackback|embed|amp|print|"
    r"attachment|cdn-cgi|comments/feed|user/(login|register|password)|"
    r"mt-tb\.cgi|mt-comments\.cgi|mt-search\.cgi)(/|$)|/wp-content/uploads/",
    re.IGNORECASE,
)
_SKIP_QUERY_KEYS = frozenset(
    {"s", "q", "search", "share", "replytocom", "action", "print", "format", "amp", "preview",
     "attachment_id", "doing_wp_cron", "unapproved", "moderation-hash", "like_comment",
     "redirect_to", "login", "logout", "add-to-cart", "orderby", "order", "filter", "sort",
     "lang", "showComment", "widgetType", "widgetId", "destination", "nb"}
)  # fmt: skip
# Why "nb": Jetpack's share links are ``?share=twitter&nb=1``. Links reach this guard already
# canonicalised, which drops ``share`` (a tracking key) but keeps ``nb=1``, so every page came
# back once more as ``page/?nb=1``; the leftover key marks the share link.
_YEAR_IN_PATH = re.compile(r"/((?:19|20)\d\d)(?:/|_|$)")
_YEAR_IN_QUERY = re.compile(r"(?:^|&)(?:m|year|archive|updated-max|updated-min)=(\d{4})")


@dataclass(frozen=True, slots=True)
class BlogScope:
    """One blog: its origin and path prefix, with the user's include/exclude patterns."""

    scheme: str
    netloc: str
    path_prefix: str
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def from_seed(
        cls,
        seed: str,
        include: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
    ) -> BlogScope:
        parts = urlsplit(seed)
        prefix = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
        return cls(
            scheme=parts.scheme,
            netloc=parts.netloc,
            path_prefix=prefix or "/",
            include=tuple(re.compile(p) for p in include),
            exclude=tuple(re.compile(p) for p in exclude),
        )

    @property
    def root_url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.path_prefix}"

    def same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        # http and https copies of a blog are one blog.
        return parts.netloc == self.netloc and parts.scheme in ("http", "https")

    def contains(self, url: str) -> bool:
        """In the blog: same origin, under the prefix, kept by --include/--exclude."""
        if not self.same_origin(url):
            return False
        if not urlsplit(url).path.startswith(self.path_prefix):
            return False
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)


@dataclass(slots=True)
class TrapGuard:
    """Refuses URLs by shape. Stateful only in counting query variants per path."""

    since: date | None = None
    until: date | None = None
    latest_year: int = field(default_factory=lambda: date.today().year + 1)
    _variants: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def reason_to_skip(self, url: str, depth: int) -> str | None:
        """Why ``url`` should not be fetched, or None when it may be."""
        if len(url) > MAX_URL_LENGTH:
            return "url too long"
        if depth > MAX_DEPTH:
            return "too deep"
        parts = urlsplit(url)
        path = parts.path
        if _SKIP_EXTENSIONS.search(path):
            return "not a page (file extension)"
        if _SKIP_PATHS.search(path):
            return "platform endpoint"
        segments = [s for s in path.split("/") if s]
        if segments and max(segments.count(s) for s in set(segments)) > MAX_REPEATED_SEGMENTS:
            return "repeated path segments"
        query = parse_qs(parts.query, keep_blank_values=True)
        if _SKIP_QUERY_KEYS & set(query):
            return "query trap"
        year = _first_year(path, parts.query)
        if year is not None and not EARLIEST_BLOG_YEAR <= year <= self.latest_year:
            return "calendar outside the blog's years"
        if not self._in_date_range(path):
            return "outside --since/--until"
        if parts.query and not _is_id_query(query) and not _is_api_listing(path, query):
            variants = self._variants[path]
            if parts.query not in variants and len(variants) >= MAX_QUERY_VARIANTS_PER_PATH:
                return "too many query variants of one path"
            variants.add(parts.query)
        return None

    def _in_date_range(self, path: str) -> bool:
        if self.since is None and self.until is None:
            return True
        match = _YEAR_IN_PATH.search(path)
        if not match:
            return True
        full = re.search(r"/((?:19|20)\d\d)/(\d\d)(?:/(\d\d))?", path)
        year = int(match.group(1))
        month = int(full.group(2)) if full and 1 <= int(full.group(2)) <= 12 else None
        day = int(full.group(3)) if full and full.group(3) and month else None
        # Compare at the URL's own precision: /2006/ is in range if any day of 2006 is.
        low = date(year, month or 1, day or 1)
        high = date(year, month or 12, day or (28 if month == 2 else 30 if month else 31))
        if self.since is not None and high < self.since:
            return False
        return not (self.until is not None and low > self.until)


# Parameters whose numeric values name distinct pages. Not ``m`` (WordPress's calendar).
_ID_KEYS = frozenset({"p", "page_id", "cpage", "paged", "page", "cat", "author", "id", "postid",
                      "post", "nid", "entry", "item"})  # fmt: skip


def _is_api_listing(path: str, query: dict[str, list[str]]) -> bool:
    """WordPress's REST post listing pages (``page=1, 2, ...``) name distinct pages."""
    return path.rstrip("/").endswith("/wp/v2/posts") or any(
        "/wp/v2/posts" in v for v in query.get("rest_route", [])
    )


def _is_id_query(query: dict[str, list[str]]) -> bool:
    """``?p=123``, ``?page_id=7&cpage=2``: numeric ids name distinct pages (WordPress's plain
    permalinks put every post on the path ``/``), so they are not variants of one page."""
    return (
        0 < len(query) <= 2
        and set(query) <= _ID_KEYS
        and all(v.isdigit() for vs in query.values() for v in vs)
    )


def _first_year(path: str, query: str) -> int | None:
    match = _YEAR_IN_PATH.search(path) or _YEAR_IN_QUERY.search(query)
    return int(match.group(1)) if match else None


_POST_SHAPE = re.compile(
    r"/(19|20)\d\d/[01]\d/([0-3]\d/)?[^/]+(\.html?|/)?$|[?&]p=\d+|/node/\d+|/\d{4}/\d{2}/[^/]+\.html$"
    r"|/(post|posts|archives|article)/[^/]+"
)
_LISTING_SHAPE = re.compile(
    r"/page/\d+/?$|[?&](paged|page|start-index|updated-max)=|/(category|tag|label|author)/"
    r"|/(19|20)\d\d/([01]\d/)?$|_archive\.html$"
)


def guess_priority(url: str, found_via: str) -> int:
    """Lower comes first: posts before comment pages before feeds before more listings."""
    if found_via in ("robots", "sitemap-index"):
        return 0
    if (found_via == "entry" or _POST_SHAPE.search(url)) and "/comment-page-" not in url:
        return 10
    if "/comment-page-" in url or "cpage=" in url or "/comments/" in url:
        return 15
    if found_via in ("feed", "sitemap") or url.endswith(("/feed/", ".xml", "/default")):
        return 20
    if found_via == "next":
        return 30
    if _LISTING_SHAPE.search(url):
        return 40
    return 50
