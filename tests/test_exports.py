"""Exports: every format round-trips to the corpus (row counts, every field, Unicode intact).

``unicode_corpus`` builds a small corpus straight from records, with the text that breaks
exporters: accents, CJK, right-to-left, emoji, quotes, commas, newlines, empty and null fields.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from cli import app
from corpus.db import open_corpus
from corpus.export import atomic_output, iter_post_documents, write_json, write_jsonl
from corpus.exports import ExportFilter, safe_post_path, write_split, write_tables, write_warc
from corpus.exports.split import UnsafePathError
from corpus.exports.tables import EXPORT_TABLES
from corpus.formats import to_jsonable
from corpus.imports import import_warc
from corpus.store import save_comments, save_links, save_page, save_post, save_site, site_id_for
from parsers.records import Comment, Link, Page, Post, comment_id_for, post_id_for
from tests.test_import import sample_warc

TRICKY = 'Ça « marche » — naïve café, 東京, שלום, مرحبا, 🦉🏳️‍🌈, "quoted", a,b;c\nnew line\ttab'


def _post(site: str, slug: str, title: str, when: datetime | None, lang: str, text: str) -> Post:
    url = f"https://{site}/{slug}/"
    return Post(
        post_id=post_id_for(url),
        url=url,
        canonical_url=url,
        title=title,
        author_name="Zoë Ørsted",
        author_url=None,
        published_at=when,
        updated_at=None,
        language=lang,
        text=text,
        html=f"<p>{text}</p>",
        categories=("Catégorie ✓", "日記"),
        tags=("a,b", 'q"uote'),
        comment_count_declared=2,
        comments_open=True,
        platform="wordpress",
        word_count=len(text.split()),
    )


def _comment(post: Post, n: int, parent: str | None, depth: int, **kw: Any) -> Comment:
    return Comment(
        comment_id=comment_id_for(post.post_id, str(n)),
        post_id=post.post_id,
        platform_id=str(n),
        parent_id=comment_id_for(post.post_id, parent) if parent else None,
        depth=depth,
        position=n,
        author_name=kw.get("author", "Ève"),
        author_url=kw.get("url"),
        published_at=datetime(2020, 1, n + 1, 10, 0, tzinfo=UTC),
        title=None,
        text=kw.get("text", TRICKY),
        html=f"<p>{kw.get('text', TRICKY)}</p>",
        kind=kw.get("kind", "comment"),
        approved=kw.get("approved", True),
    )


def unicode_corpus(path: Path) -> None:
    """Two sites, three posts, threaded comments, a pingback, links and raw pages."""
    conn = open_corpus(path)
    try:
        first = _post(
            "blog.example",
            "un",
            "Premier « billet » 🦉",
            datetime(2020, 1, 1, 9, 30, tzinfo=UTC),
            "fr",
            TRICKY,
        )
        second = _post(
            "blog.example",
            "deux",
            "東京の日記",
            datetime(2021, 6, 1, tzinfo=UTC),
            "ja",
            "日本語の本文です。",
        )
        third = _post("other.example", "x", 'He said "hi", then left', None, "en", "")
        for post in (first, second, third):
            site = post.url.split("/")[2]
            site_id = site_id_for(f"https://{site}/")
            save_site(conn, site_id=site_id, root_url=f"https://{site}/", platform="wordpress")
            save_post(conn, post, site_id=site_id, found_via="link")
            save_page(
                conn,
                Page(
                    url=post.url,
                    final_url=post.url,
                    status=200,
                    content_type="text/html; charset=utf-8",
                    fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
                    body=f"<html><body>{post.html}</body></html>".encode(),
                ),
                site_id=site_id,
                kind="post",
                crawl_id=None,
                post_id=post.post_id,
            )
        site_id = site_id_for("https://blog.example/")
        comments = [
            _comment(first, 0, None, 0, url="https://eve.example/"),
            _comment(first, 1, "0", 1, author="Zoë Ørsted", text="Réponse 👍"),
            _comment(first, 2, "1", 2, author="Anonymous", text=""),
            _comment(first, 3, None, 0, kind="pingback", approved=False,
                     author="Other » post", url="https://other.example/x/", text="[…] cité […]"),
        ]  # fmt: skip
        save_comments(conn, comments, site_id=site_id, page_url=first.url)
        save_links(
            conn,
            first.post_id,
            [
                Link(
                    target_url="https://other.example/x/",
                    target_host="other.example",
                    anchor_text="là-bas ✈",
                    rel="",
                    context="body",
                    is_internal=False,
                ),
                Link(
                    target_url="https://eve.example/",
                    target_host="eve.example",
                    anchor_text="Ève",
                    rel="nofollow ugc",
                    context="comment_author",
                    is_internal=False,
                    comment_id=comments[0].comment_id,
                ),
            ],
            site_id=site_id,
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exports") / "c.duckdb"
    unicode_corpus(path)
    return path


@pytest.fixture
def conn(corpus_path: Path) -> Any:
    connection = open_corpus(corpus_path, read_only=True)
    yield connection
    connection.close()


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(sql).fetchall()]


def test_parquet_round_trips_every_table(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    counts = write_tables(conn, tmp_path, "parquet")
    for table in EXPORT_TABLES:
        columns = "* EXCLUDE (body)" if table == "pages" else "*"
        original = _rows(conn, f"SELECT {columns} FROM {table} ORDER BY ALL")
        back = _rows(conn, f"SELECT * FROM read_parquet('{tmp_path}/{table}.parquet') ORDER BY ALL")
        assert back == original, table
        assert counts[table] == len(original)
    assert counts["comments"] == 4 and counts["posts"] == 3
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["posts"]["rows"] == 3
    assert "0002_views" in manifest["schema"]
    # The file types stay typed: lists stay lists, times stay UTC times.
    typed = conn.execute(
        f"SELECT categories, published_at FROM read_parquet('{tmp_path}/posts.parquet') "
        "WHERE title LIKE 'Premier%'"
    ).fetchone()
    assert typed == (["Catégorie ✓", "日記"], datetime(2020, 1, 1, 9, 30, tzinfo=UTC))


def test_csv_round_trips_every_field(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    write_tables(conn, tmp_path, "csv")
    for table in EXPORT_TABLES:
        types = dict(
            conn.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?",
                [table],
            ).fetchall()
        )
        names = [n for n in types if not (table == "pages" and n == "body")]
        with (tmp_path / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            records = list(csv.DictReader(handle))
        assert list(records[0]) == names if records else True
        as_text = ", ".join(
            f'to_json("{n}")::VARCHAR' if types[n].endswith("[]") else f'"{n}"::VARCHAR'
            for n in names
        )
        original = sorted(
            tuple("" if v is None else v for v in row)
            for row in conn.execute(f"SELECT {as_text} FROM {table}").fetchall()
        )
        back = sorted(tuple(r[n] for n in names) for r in records)
        assert back == original, table
    # Lists are JSON arrays, readable without guessing.
    with (tmp_path / "posts.csv").open(encoding="utf-8", newline="") as handle:
        tags = {json.dumps(json.loads(r["tags"])) for r in csv.DictReader(handle)}
    assert tags == {json.dumps(["a,b", 'q"uote'])}


def _flatten(docs: list[dict[str, Any]]) -> tuple[list[Any], list[Any], list[Any]]:
    posts, comments, links = [], [], []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            node = dict(node)
            replies = node.pop("replies")
            links.extend(node.pop("links"))
            comments.append(node)
            walk(replies)

    for doc in docs:
        doc = dict(doc)
        links.extend(doc.pop("links"))
        walk(doc.pop("comments"))
        doc.pop("comment_count")
        posts.append(doc)
    return posts, comments, links


def _db_records(conn: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> list[Any]:
    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM {table}")
    return [
        {c: to_jsonable(v) for c, v in zip(columns, row, strict=True)} for row in cursor.fetchall()
    ]


def _key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_json_documents_round_trip(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    with atomic_output(target, io.StringIO()) as out:
        (write_jsonl if fmt == "jsonl" else write_json)(iter_post_documents(conn), out)
    text = target.read_text("utf-8")
    docs = [json.loads(x) for x in text.splitlines()] if fmt == "jsonl" else json.loads(text)
    assert "naïve café, 東京, שלום, مرحبا, 🦉" in text  # written as UTF-8, not \u escapes
    posts, comments, links = _flatten(docs)
    assert sorted(map(_key, posts)) == sorted(map(_key, _db_records(conn, "posts", list(posts[0]))))
    assert sorted(map(_key, comments)) == sorted(
        map(_key, _db_records(conn, "comments", list(comments[0])))
    )
    assert sorted(map(_key, links)) == sorted(map(_key, _db_records(conn, "links", list(links[0]))))
    # The thread is nested: the reply to the reply sits two levels down.
    first = next(d for d in docs if d["title"].startswith("Premier"))
    assert first["comment_count"] == 4
    assert first["comments"][0]["replies"][0]["replies"][0]["text"] == ""


def test_post_documents_match_the_shipped_schema(conn: duckdb.DuckDBPyConnection) -> None:
    schema_text = resources.files("corpus").joinpath("post.schema.json").read_text("utf-8")
    schema = json.loads(schema_text)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    docs = list(iter_post_documents(conn))
    assert len(docs) == 3
    for doc in docs:
        validator.validate(doc)
    # The schema is strict: an unknown or missing field is caught.
    broken = dict(docs[0], surprise=1)
    assert not validator.is_valid(broken)
    missing = {k: v for k, v in docs[0].items() if k != "comments"}
    assert not validator.is_valid(missing)


def test_filters_select_posts_and_their_rows(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    counts = write_tables(
        conn,
        tmp_path,
        "parquet",
        ExportFilter(site="blog.example", since=datetime(2021, 1, 1).date()),
    )
    assert counts["posts"] == 1 and counts["comments"] == 0 and counts["sites"] == 1
    docs = list(iter_post_documents(conn, site="other.example"))
    assert [d["title"] for d in docs] == ['He said "hi", then left']


def test_exports_are_deterministic(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        buf = io.StringIO()
        write_jsonl(iter_post_documents(conn), buf)
        warc = io.BytesIO()
        write_warc(conn, warc)
        write_tables(conn, tmp_path / name, "csv")
        outputs.append(
            (buf.getvalue(), warc.getvalue(), (tmp_path / name / "comments.csv").read_bytes())
        )
    assert outputs[0] == outputs[1]


def test_split_writes_one_file_per_post_inside_the_folder(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    root = tmp_path / "split"
    assert write_split(iter_post_documents(conn), root) == 3
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.json"))
    assert len(files) == 3
    assert all(f.startswith(("blog.example/", "other.example/")) for f in files)
    assert any(f.startswith("other.example/undated-he-said-hi-then-left-") for f in files)
    hostile = [
        {"url": "https://../../etc/", "title": "../../passwd", "post_id": "../x"},
        {"url": "https:///", "title": "", "post_id": ""},
        {"url": "https://a.example/", "title": "/" * 500 + "é" * 500, "post_id": "0" * 99},
        {"url": "https://a.example:8080/..", "title": "..", "published_at": "../../"},
    ]
    for doc in hostile:
        path = safe_post_path(root, doc)
        assert path.resolve().is_relative_to(root.resolve())
        assert len(path.name) < 200 and not path.name.startswith(".")
    # A symbolic link planted where a site folder goes is refused.
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "evil.example").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        write_split([{"url": "https://evil.example/p/", "title": "t", "post_id": "ab"}], root)
    assert list(outside.iterdir()) == []


def test_a_failed_export_leaves_the_previous_file_whole(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    target = tmp_path / "posts.jsonl"
    target.write_text("previous\n", "utf-8")

    def dying() -> Any:
        yield from iter_post_documents(conn)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), atomic_output(target, io.StringIO()) as out:
        write_jsonl(dying(), out)
    assert target.read_text("utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["posts.jsonl"]


def test_warc_round_trips_the_raw_pages_and_what_they_parse_to(tmp_path: Path) -> None:
    sample_warc(tmp_path / "in.warc.gz", limit=30)
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    conn = open_corpus(first)
    with (tmp_path / "in.warc.gz").open("rb") as handle:
        import_warc(conn, handle, source="in")
    out = tmp_path / "out.warc.gz"
    with out.open("wb") as handle:
        count = write_warc(conn, handle)
    with out.open("rb") as handle:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]
    assert [r[0] for r in records].count("response") == count
    assert [r[0] for r in records].count("request") == count
    bodies = dict(conn.execute("SELECT final_url, body FROM pages").fetchall())
    assert {uri: body for kind, uri, body in records if kind == "response"} == bodies
    other = open_corpus(second)
    with out.open("rb") as handle:
        import_warc(other, handle, source="out")
    for table, columns in [
        ("pages", "url, final_url, status, content_type, body, kind, post_id, etag"),
        ("posts", "* EXCLUDE (first_seen, last_seen)"),
        # Which page first showed a comment depends on the order pages are read in.
        ("comments", "* EXCLUDE (page_url, sort_key)"),
        ("links", "*"),
    ]:
        sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
        assert _rows(conn, sql) == _rows(other, sql), table
    # Authors that some record refers to (a feed read before its page leaves an extra,
    # unreferenced author row in whichever corpus read the feed first).
    sql = (
        "SELECT * FROM authors WHERE author_id IN (SELECT author_id FROM comments "
        "UNION SELECT author_id FROM posts) ORDER BY ALL"
    )
    assert _rows(conn, sql) == _rows(other, sql)
    conn.close()
    other.close()


def test_cli_export_formats(corpus_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(corpus_path)]
    result = runner.invoke(app, ["export", *db, "-f", "jsonl", "--site", "other.example"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["title"] == 'He said "hi", then left'
    for fmt in ("parquet", "csv"):
        result = runner.invoke(app, ["export", *db, "-f", fmt, "-o", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (tmp_path / fmt).iterdir()) == sorted(
            [f"{t}.{fmt}" for t in EXPORT_TABLES] + ["manifest.json"]
        )
    result = runner.invoke(app, ["export", *db, "-f", "json", "--split", str(tmp_path / "s")])
    assert result.exit_code == 0 and len(list((tmp_path / "s").rglob("*.json"))) == 3
    result = runner.invoke(app, ["export", *db, "-f", "warc", "-o", str(tmp_path / "p.warc.gz")])
    assert result.exit_code == 0 and os.path.getsize(tmp_path / "p.warc.gz") > 0
    refused = runner.invoke(app, ["export", *db, "-f", "csv"])
    assert refused.exit_code != 0


def test_an_export_file_gets_the_users_usual_permissions(tmp_path: Path) -> None:
    """Written through a private temporary file, the export still ends readable as any file
    the user writes (the umask decides), like the formats written in place."""
    target = tmp_path / "out.jsonl"
    previous = os.umask(0o022)
    try:
        with atomic_output(target, io.StringIO()) as out:
            out.write("{}\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
