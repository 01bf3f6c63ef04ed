"""The analysts' views: counts per post, threads, commenters, the link graph, crawl reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from corpus.db import open_corpus
from corpus.store import save_site, site_id_for
from corpus.views import VIEW_NAMES
from tests.test_exports import unicode_corpus

DOCS = Path(__file__).resolve().parent.parent / "README.md"
BLOG = site_id_for("https://blog.example/")
OTHER = site_id_for("https://other.example/")


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = tmp_path_factory.mktemp("views") / "c.duckdb"
    unicode_corpus(path)
    return open_corpus(path)


def test_post_overview_counts(conn: duckdb.DuckDBPyConnection) -> None:
    row = conn.execute(
        "SELECT comments, pingbacks, trackbacks, unapproved, commenters, replies, max_depth, "
        "body_links, body_links_external, comment_links, host FROM post_overview "
        "WHERE title LIKE 'Premier%'"
    ).fetchone()
    assert row == (3, 1, 0, 1, 2, 2, 2, 1, 1, 1, "blog.example")
    quiet = conn.execute(
        "SELECT comments, replies, max_depth, first_comment_at FROM post_overview "
        "WHERE host = 'other.example'"
    ).fetchone()
    assert quiet == (0, 0, 0, None)


def test_comment_threads_paths(conn: duckdb.DuckDBPyConnection) -> None:
    rows = conn.execute(
        "SELECT c.platform_id, t.depth, t.path, t.root_id = t.path[1], t.direct_replies "
        "FROM comment_threads t JOIN comments c USING (comment_id) ORDER BY c.platform_id"
    ).fetchall()
    ids = dict(conn.execute("SELECT platform_id, comment_id FROM comments").fetchall())
    assert rows == [
        ("0", 0, [ids["0"]], True, 1),
        ("1", 1, [ids["0"], ids["1"]], True, 1),
        ("2", 2, [ids["0"], ids["1"], ids["2"]], True, 0),
        ("3", 0, [ids["3"]], True, 0),
    ]


def test_comment_threads_survive_a_reply_cycle(tmp_path: Path) -> None:
    conn = open_corpus(tmp_path / "c.duckdb")
    conn.execute(
        "INSERT INTO comments (comment_id, post_id, parent_id) VALUES "
        "('a', 'p', NULL), ('b', 'p', 'c'), ('c', 'p', 'b'), ('d', 'p', 'd')"
    )
    rows = conn.execute("SELECT comment_id, depth FROM comment_threads ORDER BY 1").fetchall()
    # The cycle b <-> c has no root to hang from; a self-reply counts as a root.
    assert rows == [("a", 0), ("d", 0)]
    conn.close()


def test_commenters_across_posts_and_blogs(conn: duckdb.DuckDBPyConnection) -> None:
    rows = conn.execute(
        "SELECT name, blogs, blog_hosts, comments, pingbacks, replies_written, "
        "replies_received, also_post_author FROM commenters ORDER BY name"
    ).fetchall()
    assert rows == [
        ("Other » post", 1, ["blog.example"], 0, 1, 0, 0, False),
        ("Zoë Ørsted", 1, ["blog.example"], 1, 0, 1, 1, True),
        ("Ève", 1, ["blog.example"], 1, 0, 0, 1, False),
    ]


def test_link_graph_edges(conn: duckdb.DuckDBPyConnection) -> None:
    rows = conn.execute(
        "SELECT source_site_id, source_host, target_site_id, target_host, edge, via, links "
        "FROM link_graph ORDER BY ALL"
    ).fetchall()
    assert sorted(rows, key=str) == sorted(
        [
            # Blog cites the other blog in a post body: both are in the corpus.
            (BLOG, "blog.example", OTHER, "other.example", "site-site", "body", 1),
            # A commenter's own site.
            (BLOG, "blog.example", None, "eve.example", "site-host", "comment_author", 1),
            # The pingback points the other way: the other blog cited this one.
            (OTHER, "other.example", BLOG, "blog.example", "site-site", "pingback", 1),
        ],
        key=str,
    )


def test_crawl_report(tmp_path: Path) -> None:
    conn = open_corpus(tmp_path / "c.duckdb")
    started = datetime(2024, 1, 1, tzinfo=UTC)
    stats = {"stopped_early": False, "sites": [{"site": "https://a.example/", "coverage": 0.5}]}
    conn.execute(
        "INSERT INTO crawls VALUES ('k', ?, ?, ['https://a.example/'], '{}', ?)",
        [started, datetime(2024, 1, 1, 0, 0, 30, tzinfo=UTC), json.dumps(stats)],
    )
    conn.execute(
        "INSERT INTO fetch_log VALUES ('k', 'u1', ?, 200, NULL, 100, NULL, TRUE), "
        "('k', 'u2', ?, 404, NULL, 10, NULL, TRUE), ('k', 'u3', ?, 404, NULL, 0, NULL, FALSE), "
        "('k', 'u4', ?, NULL, 'timeout', 0, NULL, FALSE)",
        [started] * 4,
    )
    row = conn.execute(
        "SELECT seconds, requests, ok, client_errors, network_errors, changed, bytes, errors, "
        "stopped_early, coverage FROM crawl_report"
    ).fetchone()
    assert row == (30.0, 4, 1, 2, 1, 2, 110, "HTTP 404 ×2, timeout ×1", False, [0.5])
    conn.close()


def test_every_view_is_documented_with_its_columns(conn: duckdb.DuckDBPyConnection) -> None:
    text = DOCS.read_text("utf-8")
    for view in VIEW_NAMES:
        assert f"`{view}`" in text, view
        columns = [d[0] for d in conn.execute(f"SELECT * FROM {view} LIMIT 0").description]
        missing = [c for c in columns if f"`{c}`" not in text]
        assert not missing, (view, missing)


def test_a_blogs_pingbacks_to_itself_are_no_edge(tmp_path: Path) -> None:
    """WordPress pings its own posts when one links another: a link inside the blog, which
    the graph leaves out as it leaves out internal body links."""
    conn = open_corpus(tmp_path / "c.duckdb")
    site = site_id_for("https://solo.example/")
    save_site(conn, site_id=site, root_url="https://solo.example/")
    conn.execute(
        "INSERT INTO comments (comment_id, post_id, site_id, kind, author_url) VALUES "
        "('p1', 'x', ?, 'pingback', 'https://solo.example/2020/01/other-post/'), "
        "('p2', 'x', ?, 'pingback', 'https://elsewhere.example/a-post/')",
        [site, site],
    )
    rows = conn.execute("SELECT source_host, target_host, via FROM link_graph").fetchall()
    assert rows == [("elsewhere.example", "solo.example", "pingback")]
    conn.close()
