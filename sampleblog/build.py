"""Generate the sample blog's files and its truth: ``python -m sampleblog.build``.

Writes ``sampleblog/site/`` (a static mirror: a directory URL ``/a/b/`` is ``a/b/index.html``,
a feed ``/a/feed/`` is ``a/feed/index.xml``) and ``sampleblog/truth.json``. Output is
byte-for-byte reproducible: no clock, no randomness, sorted everything. ``--out DIR`` builds
into ``DIR/site`` and ``DIR/truth.json`` instead, which the reproducibility test uses.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from sampleblog.content import BLOG
from sampleblog.feeds import post_comments_feed, posts_feed, robots_txt, site_comments_feed, sitemap
from sampleblog.listing import listings, render_listing
from sampleblog.paths import SITE_DIR, TRUTH_PATH
from sampleblog.resolve import ROOT, Site, resolve_blog
from sampleblog.single import render_page, render_post
from sampleblog.truth import build_truth

_STYLESHEET = """/* Twenty Eleven, reduced to what the sample pages need. */
body { font: 15px/1.625 "Helvetica Neue", Helvetica, Arial, sans-serif; color: #373737; }
#page { margin: 2em auto; max-width: 1000px; }
#primary { float: left; width: 70%; }
#secondary { float: right; width: 25%; }
.assistive-text { position: absolute !important; clip: rect(1px, 1px, 1px, 1px); }
.entry-meta, .comment-meta { color: #666; font-size: 12px; }
.commentlist, .commentlist .children { list-style: none; }
.commentlist .children { margin-left: 2em; }
.avatar { float: left; margin-right: 1em; }
.nocomments { font-style: italic; }
"""


def _file_for(url: str) -> str:
    """The mirror path of a directory URL under the blog's root."""
    path = url.removeprefix(ROOT)
    return f"{path}index.html"


def render_site(site: Site) -> dict[str, str]:
    """Every file of the mirror, by relative path."""
    files: dict[str, str] = {
        "robots.txt": robots_txt(),
        "sitemap.xml": sitemap(site),
        "feed/index.xml": posts_feed(site),
        "comments/feed/index.xml": site_comments_feed(site),
        "wp-content/themes/twentyeleven/style.css": _STYLESHEET,
    }
    for post in site.posts:
        for page in range(1, post.comment_pages + 1):
            files[_file_for(post.comment_page_url(page))] = render_post(site, post, page)
        files[_file_for(post.url).replace("index.html", "feed/index.xml")] = post_comments_feed(
            site, post
        )
    for static in site.pages:
        files[_file_for(static.url)] = render_page(site, static)
    for listing in listings(site):
        for number in range(1, listing.page_count + 1):
            files[_file_for(listing.page_url(number))] = render_listing(site, listing, number)
    return files


def truth_json(site: Site) -> str:
    """The truth document as stable, readable JSON."""
    return json.dumps(build_truth(site), ensure_ascii=False, indent=1) + "\n"


def build(site_dir: Path = SITE_DIR, truth_path: Path = TRUTH_PATH) -> int:
    """Regenerate the mirror into ``site_dir`` (replacing it) and the truth; returns file count."""
    site = resolve_blog(BLOG)
    files = render_site(site)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    for relative, text in sorted(files.items()):
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    truth_path.write_bytes(truth_json(site).encode("utf-8"))
    return len(files)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Generate the sample blog and its truth.")
    parser.add_argument("--out", type=Path, help="build into OUT/site and OUT/truth.json")
    args = parser.parse_args(argv)
    count = build(args.out / "site", args.out / "truth.json") if args.out else build()
    print(f"wrote {count} files")


if __name__ == "__main__":
    main()
