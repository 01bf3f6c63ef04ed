"""The real pages and site truths the benchmarks read from ``../shared/data``.

The 300 parse pages are fixed by rule, not by hand: the trafilatura evaluation pages that have
comments (blogs, mostly), then every post of the Blogger and Drupal mirrors, then WordPress
posts in path order until 300. The site truths list each mirror's posts from its own tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import DATA

PARSE_PAGES = 300


@dataclass(frozen=True, kw_only=True, slots=True)
class RealPage:
    url: str
    body: bytes


def _eval_comment_pages() -> list[RealPage]:
    root = DATA / "trafilatura_eval" / "tests"
    gold = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in sorted(gold.items()):
        if not entry.get("comments"):
            continue
        for folder in ("cache", "eval"):
            path = root / folder / entry["file"]
            if path.is_file():
                pages.append(RealPage(url=url, body=path.read_bytes()))
                break
    return pages


def parse_pages(limit: int = PARSE_PAGES) -> list[RealPage]:
    """The fixed set of real blog pages for the parse benchmark."""
    pages = _eval_comment_pages()
    lafuite = DATA / "site_lafuite_blogger"
    for path in sorted(lafuite.glob("20*/*/*.html")):
        if path.name != "index.html":
            rel = path.relative_to(lafuite).as_posix()
            pages.append(
                RealPage(url=f"https://lafuite.blogspot.com/{rel}", body=path.read_bytes())
            )
    robshouse = DATA / "site_robshouse_drupal"
    for post in sorted(drupal_posts(), key=lambda p: p.key):
        node = next(u for u in post.paths if u.startswith("/node/"))
        pages.append(
            RealPage(url=f"https://robshouse.net{node}", body=(robshouse / node[1:]).read_bytes())
        )
    danvk = DATA / "site_danvk_wordpress"
    for path in sorted(danvk.glob("wp/*/*/index.html")):
        if _DANVK_POST.fullmatch(path.parent.relative_to(danvk).as_posix()):
            rel = path.parent.relative_to(danvk).as_posix()
            pages.append(RealPage(url=f"https://www.danvk.org/{rel}/", body=path.read_bytes()))
    return pages[:limit]


# -- site truths --------------------------------------------------------------------------------

_DANVK_POST = re.compile(r"wp/\d{4}-\d{2}-\d{2}/[^/]+")
_SHORTLINK = re.compile(rb'<link rel="shortlink" href="[./]*(?:node/)?(\d+)\.html"')


@dataclass(frozen=True, kw_only=True, slots=True)
class TruthPost:
    """One post of a mirror: any of its URL paths counts as finding it."""

    key: str
    paths: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class MirrorSite:
    name: str
    root: Path
    seed_path: str
    posts: tuple[TruthPost, ...]


def normalize_path(path: str) -> str:
    """A URL path as the truth spells it: ``index.html`` and query dropped."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def danvk_posts() -> list[TruthPost]:
    root = DATA / "site_danvk_wordpress"
    posts = []
    for path in sorted(root.glob("wp/*/*/index.html")):
        rel = path.parent.relative_to(root).as_posix()
        if _DANVK_POST.fullmatch(rel):
            posts.append(TruthPost(key=rel, paths=(f"/{rel}/",)))
    return posts


def lafuite_posts() -> list[TruthPost]:
    root = DATA / "site_lafuite_blogger"
    return [
        TruthPost(key=rel, paths=(f"/{rel}",))
        for rel in (p.relative_to(root).as_posix() for p in sorted(root.glob("20*/*/*.html")))
        if not rel.endswith("index.html")
    ]


def drupal_posts() -> list[TruthPost]:
    """Blog nodes (body class ``node-type-blog``), each under its node path and its alias."""
    root = DATA / "site_robshouse_drupal"
    by_node: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.html")):
        body = path.read_bytes()
        if b"node-type-blog" not in body:
            continue
        match = _SHORTLINK.search(body)
        if match is None:
            continue
        by_node.setdefault(match.group(1).decode(), []).append(
            "/" + path.relative_to(root).as_posix()
        )
    return [TruthPost(key=n, paths=tuple(paths)) for n, paths in sorted(by_node.items())]


def mirror_sites() -> list[MirrorSite]:
    """The three mirrors in ``../shared/data`` with their post lists."""
    return [
        MirrorSite(
            name="danvk (WordPress)",
            root=DATA / "site_danvk_wordpress",
            seed_path="/wp/",
            posts=tuple(danvk_posts()),
        ),
        MirrorSite(
            name="lafuite (Blogger)",
            root=DATA / "site_lafuite_blogger",
            seed_path="/",
            posts=tuple(lafuite_posts()),
        ),
        MirrorSite(
            name="robshouse (Drupal)",
            root=DATA / "site_robshouse_drupal",
            seed_path="/",
            posts=tuple(drupal_posts()),
        ),
    ]


def content_type_for(site: str) -> Callable[[str], str | None]:
    """What the real platform would send where the mirror's file names lose it."""

    def blogger(url_path: str) -> str | None:
        # Extension-less files under feeds/ are Blogger's Atom feeds.
        if url_path.startswith("/feeds/") and "." not in url_path.rsplit("/", 1)[-1]:
            return "application/atom+xml; charset=UTF-8"
        return None

    def wordpress(url_path: str) -> str | None:
        # The mirror saved WordPress feeds as feed/index.html; WordPress sends them as RSS.
        trimmed = url_path.removesuffix("index.html").rstrip("/")
        if trimmed.endswith("/feed"):
            return "application/rss+xml; charset=UTF-8"
        return None

    def drupal(url_path: str) -> str | None:
        # Drupal's feeds: rss.xml and the like, and extension-less .../feed (a term's, a
        # blog's), which the mirror saved without a name the server could type.
        is_feed = url_path.endswith(".xml") or url_path.rstrip("/").endswith("/feed")
        return "application/rss+xml; charset=utf-8" if is_feed else None

    return {"danvk (WordPress)": wordpress, "lafuite (Blogger)": blogger}.get(site, drupal)
