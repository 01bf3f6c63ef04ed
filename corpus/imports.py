"""Bringing export files into the corpus: WordPress WXR, parsed into the same records."""

from __future__ import annotations

from collections import defaultdict

import duckdb

from corpus.store import save_comments, save_links, save_post, save_site, site_id_for, transaction
from parsers.extract import links_for_records
from parsers.records import Comment
from parsers.urls import try_canonicalize
from parsers.wxr import parse_wxr


def import_wxr(conn: duckdb.DuckDBPyConnection, data: bytes, *, source: str) -> dict[str, int]:
    """Import one WXR file in one transaction; returns counts of what was stored."""
    result = parse_wxr(data)
    root = try_canonicalize(result.site.link or result.site.base_site_url or "")
    if root is None:
        first = next(iter(result.posts + result.pages), None)
        root = try_canonicalize(first.url.rsplit("/", 2)[0] + "/") if first else None
    if root is None:
        root = f"http://imported.invalid/{source.strip('/').replace('/', '_')}/"
    site_id = site_id_for(root)
    by_post: defaultdict[str, list[Comment]] = defaultdict(list)
    for comment in result.comments:
        by_post[comment.post_id].append(comment)
    with transaction(conn):
        save_site(
            conn,
            site_id=site_id,
            root_url=root,
            platform="wordpress",
            title=result.site.title,
            language=result.site.language,
        )
        for post, is_page in [(p, False) for p in result.posts] + [(p, True) for p in result.pages]:
            save_post(conn, post, site_id=site_id, is_page=is_page, found_via="import")
            comments = tuple(by_post.pop(post.post_id, []))
            save_comments(conn, comments, site_id=site_id, page_url=None)
            save_links(
                conn,
                post.post_id,
                links_for_records(post, comments, post.url),
                site_id=site_id,
                comment_ids=[c.comment_id for c in comments],
            )
        orphans = [c for group in by_post.values() for c in group]
        save_comments(conn, orphans, site_id=site_id, page_url=None)
    return {
        "posts": len(result.posts),
        "pages": len(result.pages),
        "comments": len(result.comments),
        "problems": len(result.problems),
    }
