"""Importing WordPress exports (WXR) and WARC archives into the corpus.

``sample_warc`` writes the bundled sample blog as a WARC, the way a crawler that saves WARC
would have fetched it; other test modules use it to get a realistic corpus without a server.
"""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cli import app
from corpus.db import CorpusError, open_corpus
from corpus.imports import import_warc, import_wxr, sniff_format
from parsers.extract import parse_document
from parsers.records import post_id_for
from sampleblog.paths import PLACEHOLDER_ORIGIN, SITE_DIR
from sampleblog.server import guess_type, load_truth, sample_content_type
from tests.conftest import shared_path

ORIGIN = "http://blog.example"
WXR_SMALL = Path(__file__).parent / "fixtures" / "feeds" / "wxr_small.xml"


def sample_pages(origin: str = ORIGIN) -> list[tuple[str, str, bytes]]:
    """(url, content type, body) of every file of the sample blog, served at ``origin``."""
    pages = []
    for file in sorted(p for p in SITE_DIR.rglob("*") if p.is_file()):
        rel = file.relative_to(SITE_DIR).as_posix()
        if file.name in ("index.html", "index.xml"):
            url_path = "/" + rel.rsplit("/", 1)[0] + "/" if "/" in rel else "/"
        else:
            url_path = "/" + rel
        content_type = sample_content_type(url_path) or guess_type(file)
        body = file.read_bytes().replace(PLACEHOLDER_ORIGIN.encode(), origin.encode())
        pages.append((origin + url_path, content_type, body))
    return pages


def sample_warc(path: Path, origin: str = ORIGIN, limit: int | None = None) -> int:
    """Write the sample blog (its first ``limit`` files) as a gzipped WARC of responses."""
    pages = sample_pages(origin)[:limit]
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type, body in pages:
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-03-01T12:00:00Z"},
            )
            writer.write_record(record)
    return len(pages)


@pytest.fixture(scope="module")
def warc_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warc")
    sample_warc(folder / "sample.warc.gz")
    db = folder / "corpus.duckdb"
    conn = open_corpus(db)
    try:
        with (folder / "sample.warc.gz").open("rb") as handle:
            import_warc(conn, handle, source="sample.warc.gz")
    finally:
        conn.close()
    return db


def test_sniff_format(tmp_path: Path) -> None:
    sample_warc(tmp_path / "a.warc.gz")
    assert sniff_format((tmp_path / "a.warc.gz").read_bytes()[:512]) == "warc"
    assert sniff_format(b"WARC/1.0\r\nWARC-Type: warcinfo") == "warc"
    assert sniff_format(WXR_SMALL.read_bytes()[:512]) == "wxr"
    assert sniff_format(b"\x1f\x8bnot really gzip") == "wxr"


def test_warc_pages_are_parsed_like_crawled_ones(warc_corpus: Path) -> None:
    truth = load_truth(ORIGIN)
    conn = open_corpus(warc_corpus, read_only=True)
    try:
        posts = dict(conn.execute("SELECT url, title FROM posts WHERE NOT is_page").fetchall())
        assert posts == {p["url"]: p["title"] for p in truth["posts"]}
        pages = conn.execute("SELECT url FROM posts WHERE is_page").fetchall()
        assert [r[0] for r in pages] == [p["url"] for p in truth["pages"]]
        # Every comment the parser finds on the pages, nothing else, under one site.
        expected: set[str] = set()
        for url, content_type, body in sample_pages():
            if "html" in content_type or "xml" in content_type:
                expected |= {c.comment_id for c in parse_document(body, url, content_type).comments}
        stored = {r[0] for r in conn.execute("SELECT comment_id FROM comments").fetchall()}
        assert stored == expected
        assert conn.execute("SELECT count(*) FROM comments").fetchone() == (
            truth["counts"]["comments"],
        )
        # Raw pages kept with their WARC date; the import is recorded like a crawl.
        row = conn.execute(
            "SELECT count(*), min(fetched_at), count(DISTINCT site_id) FROM pages"
        ).fetchone()
        assert row is not None
        assert row[0] == len([p for p in sample_pages() if not p[0].endswith(".css")])
        assert row[1] == datetime(2024, 3, 1, 12, tzinfo=UTC)
        assert row[2] == 1
        site = conn.execute("SELECT root_url, platform FROM sites").fetchall()
        assert site == [(ORIGIN + "/", "wordpress")]
        crawl = conn.execute("SELECT seeds, finished_at IS NOT NULL FROM crawls").fetchall()
        assert crawl == [(["sample.warc.gz"], True)]
    finally:
        conn.close()


def test_warc_import_is_idempotent(warc_corpus: Path, tmp_path: Path) -> None:
    sample_warc(tmp_path / "s.warc.gz")
    copy = tmp_path / "c.duckdb"
    shutil.copyfile(warc_corpus, copy)
    conn = open_corpus(copy)
    try:
        sql = (
            "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM comments), "
            "(SELECT count(*) FROM links), (SELECT count(*) FROM pages), "
            "(SELECT count(*) FROM authors)"
        )
        before = conn.execute(sql).fetchone()
        with (tmp_path / "s.warc.gz").open("rb") as handle:
            import_warc(conn, handle, source="s.warc.gz")
        assert conn.execute(sql).fetchone() == before
    finally:
        conn.close()


def test_wxr_small_fixture_imports_threads_and_moderation(tmp_path: Path) -> None:
    conn = open_corpus(tmp_path / "c.duckdb")
    try:
        import_wxr(conn, WXR_SMALL.read_bytes(), source="wxr_small.xml")
        posts = conn.execute("SELECT title, status, is_page FROM posts ORDER BY title").fetchall()
        assert posts == [
            ("Brouillon", "draft", False),
            ("Escale à Sein", "publish", False),
            ("À propos", "publish", True),
        ]
        threads = conn.execute(
            "SELECT c.platform_id, t.depth, len(t.path) FROM comment_threads t "
            "JOIN comments c USING (comment_id) ORDER BY c.platform_id"
        ).fetchall()
        assert threads == [("5", 0, 1), ("6", 1, 2), ("7", 2, 3), ("8", 0, 1)]
        ping = conn.execute(
            "SELECT kind, approved FROM comments WHERE platform_id = '8'"
        ).fetchone()
        assert ping == ("pingback", False)
        # The import is a row of crawls and crawl_report, its problems kept in its stats.
        (seeds, stats, finished) = conn.execute(
            "SELECT seeds, stats, finished_at IS NOT NULL FROM crawls"
        ).fetchone() or (None, None, None)
        assert seeds == ["wxr_small.xml"] and finished
        recorded = json.loads(stats)
        assert recorded["import"] == "wxr" and recorded["posts"] == 2
        assert recorded["problems"] and all(isinstance(p, str) for p in recorded["problems"])
        assert conn.execute("SELECT count(*) FROM crawl_report").fetchone() == (1,)
    finally:
        conn.close()


def test_a_file_that_is_no_export_is_refused_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "notes.py"
    other.write_text("print('not a blog')\n")
    result = CliRunner().invoke(app, ["import", str(other), "--db", str(tmp_path / "c.duckdb")])
    assert result.exit_code != 0
    conn = open_corpus(tmp_path / "c.duckdb")
    try:
        with pytest.raises(CorpusError, match="neither a WARC file nor a WordPress export"):
            import_wxr(conn, other.read_bytes(), source=str(other))
        assert conn.execute("SELECT count(*) FROM crawls").fetchone() == (0,)
    finally:
        conn.close()


@pytest.mark.shared
def test_timothyfitz_export_imports_to_the_gold(tmp_path: Path) -> None:
    data = shared_path("wxr_timothyfitz", "wordpress.xml").read_bytes()
    conn = open_corpus(tmp_path / "c.duckdb")
    try:
        import_wxr(conn, data, source="wordpress.xml")
        statuses = Counter(
            dict(
                conn.execute(
                    "SELECT status, count(*) FROM posts WHERE NOT is_page GROUP BY 1"
                ).fetchall()
            )
        )
        assert statuses == {"publish": 11, "pending": 1}
        assert conn.execute("SELECT count(*) FROM posts WHERE is_page").fetchone() == (1,)
        on_published = (
            "FROM comments c JOIN posts p USING (post_id) "
            "WHERE p.status = 'publish' AND NOT p.is_page"
        )
        kinds = dict(conn.execute(f"SELECT c.kind, count(*) {on_published} GROUP BY 1").fetchall())
        assert kinds == {"comment": 206, "pingback": 172, "trackback": 1}
        unapproved = conn.execute(
            f"SELECT c.kind, count(*) {on_published} AND NOT c.approved GROUP BY 1"
        ).fetchall()
        assert unapproved == [("pingback", 24)]
        # The pending post is kept, flagged by its status, with no comments of its own.
        pending = conn.execute(
            "SELECT count(*) FROM comments WHERE post_id IN "
            "(SELECT post_id FROM posts WHERE status = 'pending')"
        ).fetchone()
        assert pending == (0,)
        replies = conn.execute(
            "SELECT t.depth, t.path[1] = p.comment_id, len(t.path) "
            "FROM comment_threads t JOIN comments p ON p.comment_id = t.parent_id"
        ).fetchall()
        assert replies == [(1, True, 2)] * 4
        page_comments = conn.execute(
            "SELECT kind FROM comments WHERE post_id IN (SELECT post_id FROM posts WHERE is_page)"
        ).fetchall()
        assert page_comments == [("pingback",), ("pingback",)]
        first = conn.execute(
            "SELECT post_id, author_name, categories FROM posts WHERE title = 'Blood Pact Blogging'"
        ).fetchone()
        assert first is not None
        url = conn.execute(
            "SELECT canonical_url FROM posts WHERE post_id = ?", [first[0]]
        ).fetchone()
        assert url is not None and first[0] == post_id_for(url[0])
        assert first[1:] == ("timothyfitz", ["Uncategorized"])
    finally:
        conn.close()


def test_cli_imports_both_kinds_and_builds_the_index(tmp_path: Path) -> None:
    sample_warc(tmp_path / "s.warc.gz", limit=6)
    db = tmp_path / "c.duckdb"
    result = CliRunner().invoke(
        app, ["import", str(WXR_SMALL), str(tmp_path / "s.warc.gz"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "wxr_small.xml: 2 posts, 1 pages, 4 comments" in result.output
    assert "search index:" in result.output
    conn = duckdb.connect(str(db), read_only=True)
    try:
        sites = conn.execute("SELECT root_url FROM sites ORDER BY 1").fetchall()
        assert sites == [("http://blog.example/",), ("https://bord.example/",)]
        state = conn.execute("SELECT docs FROM search_index_state").fetchone()
        total = conn.execute(
            "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM comments)"
        ).fetchone()
        assert state == total
    finally:
        conn.close()
