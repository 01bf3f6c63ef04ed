"""``blogcorpus parse``: the parsers run again over the raw pages a corpus keeps, so that an
improvement reaches a corpus without crawling the blog again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cli import app
from corpus.db import open_corpus
from corpus.store import PageWrite, save_pages, save_site, site_id_for
from parsers.records import Page
from tests.conftest import shared_path

BASE = "http://127.0.0.1:8000/"
POSTS = ("2013/04/le-premier-chapitre-est-acheve.html", "2011/12/joyeux-noel-et-bonne-annee.html")


def _store_raw(conn: Any, site_id: str, bodies: dict[str, bytes], status: int = 200) -> None:
    save_pages(
        conn,
        [
            PageWrite(
                page=Page(
                    url=url,
                    final_url=url,
                    status=status,
                    content_type="text/html; charset=UTF-8",
                    fetched_at=datetime(2024, 1, status // 100, tzinfo=UTC),
                    body=body,
                ),
                site_id=site_id,
                kind=None,
                crawl_id=None,
            )
            for url, body in bodies.items()
        ],
    )


def _corpus_of_raw_posts(db: Path, *, revalidated: bool = False) -> list[tuple[int]]:
    """A corpus holding lafuite's raw post pages only, as a crawl with older parsers (or an
    interrupted one) left them; ``revalidated``: then answered 304 by a re-crawl. Returns the
    pages' stored statuses."""
    root = shared_path("site_lafuite_blogger")
    conn = open_corpus(db)
    try:
        site_id = site_id_for(BASE)
        save_site(conn, site_id=site_id, root_url=BASE)
        _store_raw(conn, site_id, {BASE + path: (root / path).read_bytes() for path in POSTS})
        if revalidated:
            _store_raw(conn, site_id, {BASE + path: b"" for path in POSTS}, status=304)
        return conn.execute("SELECT DISTINCT status FROM pages").fetchall()
    finally:
        conn.close()


def test_parse_rebuilds_posts_comments_links_and_the_blog_language(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    _corpus_of_raw_posts(db)

    result = CliRunner().invoke(app, ["parse", "--db", str(db)])
    assert result.exit_code == 0, result.output

    conn = open_corpus(db, read_only=True)
    try:
        posts = conn.execute("SELECT url, language FROM posts ORDER BY url").fetchall()
        assert posts == sorted((BASE + path, "fr") for path in POSTS)
        assert conn.execute("SELECT count(*) FROM comments").fetchone() == (5 + 16,)
        # Relative links in the body, resolved against the post's own address.
        assert conn.execute(
            "SELECT count(*) FROM links WHERE target_url = ? AND context = 'body'",
            [BASE + "2011/09/le-temps.html"],
        ).fetchone() == (1,)
        assert conn.execute("SELECT language FROM sites").fetchall() == [("fr",)]
        kinds = conn.execute("SELECT DISTINCT kind FROM pages").fetchall()
        assert kinds == [("post",)]
    finally:
        conn.close()


def test_parse_reads_pages_a_later_crawl_revalidated(tmp_path: Path) -> None:
    """A re-crawl answered 304 keeps each page's body (status 304): parse reads them too."""
    db = tmp_path / "c.duckdb"
    assert _corpus_of_raw_posts(db, revalidated=True) == [(304,)]

    result = CliRunner().invoke(app, ["parse", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "re-parsed 2 pages" in result.output
    conn = open_corpus(db, read_only=True)
    try:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (2,)
    finally:
        conn.close()
