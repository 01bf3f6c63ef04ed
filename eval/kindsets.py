"""Page kinds on the two mirrored blogs: posts must be read as posts, listings never.

The body scores reward reading more pages as articles; this set is the counterweight. A
listing (home page, archive, category or label page) read as a post would put a junk post in
every crawled corpus. The gold comes from the trees themselves: WordPress's
``wp/<YYYY-MM-DD>/<slug>/index.html`` and Blogger's ``<YYYY>/<MM>/<slug>.html`` are posts;
home, ``page/N``, category, date and label pages are listings.
"""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from eval.results import Metric, SetResult
from parsers.classify import classify_html
from parsers.decode import decode_document

__all__ = ["score_page_kinds"]

_DANVK_POST = re.compile(r"^\d{4}-\d\d-\d\d/[^/]+/index\.html$")
_DANVK_LISTING = re.compile(
    r"^(index\.html|page/\d+/index\.html|category/.*index\.html"
    r"|\d{4}/(\d\d/)?(page/\d+/)?index\.html)$"
)
_LAFUITE_POST = re.compile(r"^\d{4}/\d\d/(?!index)[^/]+\.html$")
_LAFUITE_LISTING = re.compile(r"^(index\.html|\d{4}/(\d\d/)?index\.html|search/label/[^/]+)$")


def _gold(data: Path) -> list[tuple[Path, str, bool]]:
    """(file, URL, is a post) for every post and listing page of both mirrors."""
    pages: list[tuple[Path, str, bool]] = []
    wp = data / "site_danvk_wordpress" / "wp"
    for path in sorted(wp.rglob("index.html")):
        rel = path.relative_to(wp).as_posix()
        url = "http://www.danvk.org/wp/" + rel.removesuffix("index.html")
        if _DANVK_POST.match(rel):
            pages.append((path, url, True))
        elif _DANVK_LISTING.match(rel):
            pages.append((path, url, False))
    blogger = data / "site_lafuite_blogger"
    for path in sorted(p for p in blogger.rglob("*") if p.is_file()):
        rel = path.relative_to(blogger).as_posix()
        # The mirror saved each folder URL (a month's archive) as the folder's index.html.
        url = "http://www.lafuiteautourdumonde.com/" + rel.removesuffix("index.html")
        if _LAFUITE_POST.match(rel):
            pages.append((path, url, True))
        elif _LAFUITE_LISTING.match(rel):
            pages.append((path, url, False))
    return pages


def score_page_kinds(wordpress: Path) -> SetResult:
    """Share of posts classified as posts, and of listings classified as neither post nor page.

    ``wordpress`` is the danvk mirror's folder; the Blogger mirror sits beside it."""
    posts = posts_right = listings = listings_right = 0
    wrong: list[str] = []
    for path, url, is_post in _gold(wordpress.parent):
        tree = LexborHTMLParser(decode_document(path.read_bytes(), "text/html").text)
        kind = classify_html(tree, url).kind
        if is_post:
            posts += 1
            posts_right += kind == "post"
        else:
            listings += 1
            listings_right += kind not in ("post", "page")
        if (kind == "post") != is_post and len(wrong) < 8:
            wrong.append(f"{url} ({kind})")
    metrics = (
        Metric(
            "posts_as_posts", posts_right / posts if posts else 0.0, None, f"{posts_right}/{posts}"
        ),
        Metric(
            "listings_not_posts",
            listings_right / listings if listings else 0.0,
            None,
            f"{listings_right}/{listings}",
        ),
    )
    notes: tuple[str, ...] = (
        "gold from the mirrors' trees (danvk WordPress and lafuite Blogger); "
        "trafilatura does not classify pages",
    )
    if wrong:
        notes += ("misread: " + ", ".join(wrong),)
    return SetResult("page_kinds", "scored", posts + listings, metrics, notes)
