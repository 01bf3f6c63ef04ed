"""Platform APIs as discovery sources: WordPress's REST listing of posts.

WordPress announces its API on every page (``<link rel="https://api.w.org/">``). Its post
listing enumerates every published post a hundred at a time, whatever the theme's navigation
shows, so a crawl reaches posts that no archive page links to, and can tell how many there are.
Only post URLs are taken from it: the posts themselves are read from their pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PER_PAGE = 100
_FIELDS = "id,link,date_gmt,modified_gmt"


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiListing:
    post_urls: tuple[str, ...]
    next_url: str | None
    problems: tuple[str, ...] = ()


def wordpress_posts_url(api_root: str) -> str:
    """The first listing page under an API root (``/wp-json/`` or ``?rest_route=/``)."""
    parts = urlsplit(api_root)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    params = {"per_page": str(PER_PAGE), "_fields": _FIELDS, "page": "1"}
    if "rest_route" in query:
        # Plain permalinks: the route travels in the query.
        params["rest_route"] = query["rest_route"].rstrip("/") + "/wp/v2/posts"
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))
    path = parts.path.rstrip("/") + "/wp/v2/posts"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(params), ""))


def is_wordpress_listing(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.path.rstrip("/").endswith("/wp/v2/posts")
        or "wp%2Fv2%2Fposts" in parts.query
        or ("/wp/v2/posts" in dict(parse_qsl(parts.query)).get("rest_route", ""))
    )


def parse_wordpress_listing(data: bytes, url: str) -> ApiListing:
    """Post URLs from one listing page, and the next page when this one was full."""
    try:
        items = json.loads(data[:20_000_000].decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return ApiListing(post_urls=(), next_url=None, problems=("not JSON",))
    if not isinstance(items, list):
        return ApiListing(post_urls=(), next_url=None, problems=("not a list of posts",))
    links = tuple(
        item["link"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("link"), str)
    )
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    per_page = int(query.get("per_page", "10")) if query.get("per_page", "").isdigit() else 10
    next_url = None
    if len(items) >= per_page > 0:
        page = int(query.get("page", "1")) if query.get("page", "").isdigit() else 1
        query["page"] = str(page + 1)
        next_url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return ApiListing(post_urls=links, next_url=next_url)
