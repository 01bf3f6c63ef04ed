"""Full-text search: stemming per language, BM25 order, filters, snippets, index freshness."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli import app
from corpus.db import open_corpus
from corpus.search import (
    SearchFilters,
    StaleIndexError,
    build_index,
    ensure_index,
    index_is_current,
    load_fts,
    make_snippet,
    search,
)
from corpus.snapshot import publish_snapshot
from corpus.store import save_comments, save_post, save_site, site_id_for
from parsers.records import Comment, Post, comment_id_for, post_id_for

DOCS = [
    ("fr", "connecteurs", "Les connecteurs chantaient dans la bibliothèque numérique.", 2010),
    ("fr", "archives", "Nous avons archivé les commentaires des lecteurs.", 2011),
    ("fr", "repetition", "Archiver, archiver, archiver : archiver encore.", 2012),
    ("en", "libraries", "The libraries were archiving websites for years.", 2013),
    ("de", "haeuser", "Die Häuser der Bibliotheken wurden archiviert.", 2014),
    ("es", "bibliotecas", "Las bibliotecas guardan los comentarios de los lectores.", 2015),
]


def _post(site: str, lang: str, slug: str, text: str, year: int) -> Post:
    url = f"https://{site}/{slug}/"
    return Post(
        post_id=post_id_for(url), url=url, canonical_url=url, title=slug.title(),
        author_name="Hélène", author_url=None,
        published_at=datetime(year, 1, 1, tzinfo=UTC), updated_at=None, language=lang,
        text=text, html=f"<p>{text}</p>",
    )  # fmt: skip


def build(path: Path) -> None:
    conn = open_corpus(path)
    try:
        for site in ("un.example", "deux.example"):
            site_id = site_id_for(f"https://{site}/")
            save_site(conn, site_id=site_id, root_url=f"https://{site}/")
            for lang, slug, text, year in DOCS if site == "un.example" else DOCS[:1]:
                save_post(conn, _post(site, lang, slug, text, year), site_id=site_id)
        post = _post("un.example", *DOCS[0][:3], DOCS[0][3])
        save_comments(
            conn,
            [
                Comment(
                    comment_id=comment_id_for(post.post_id, "1"),
                    post_id=post.post_id,
                    platform_id="1",
                    parent_id=None,
                    depth=0,
                    position=0,
                    author_name="Marc",
                    author_url=None,
                    published_at=datetime(2010, 2, 1, tzinfo=UTC),
                    title=None,
                    text="Quel connecteur chantait le mieux ?",
                    html="",
                )
            ],
            site_id=site_id_for("https://un.example/"),
            page_url=post.url,
        )
    finally:
        conn.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "c.duckdb"
    build(path)
    return path


@pytest.fixture
def conn(corpus: Path) -> duckdb.DuckDBPyConnection:
    connection = open_corpus(corpus)
    ensure_index(connection)
    return connection


def test_french_words_are_found_by_their_stem(conn: duckdb.DuckDBPyConnection) -> None:
    hits = search(conn, "connecteur chanter")
    kinds = {(h.kind, h.host) for h in hits}
    assert kinds == {("post", "un.example"), ("post", "deux.example"), ("comment", "un.example")}
    # "archivé" and "archiver" share the French stem; accents do not matter.
    slugs = {h.title for h in search(conn, "archivé") if h.kind == "post"}
    assert {"Archives", "Repetition"} <= slugs
    assert any("**connecteurs** **chantaient**" in h.snippet for h in hits)


def test_each_language_is_stemmed_in_its_own_way(conn: duckdb.DuckDBPyConnection) -> None:
    assert {h.title for h in search(conn, "library")} == {"Libraries"}
    assert {h.title for h in search(conn, "Haus")} == {"Haeuser"}
    assert {h.title for h in search(conn, "biblioteca")} == {"Bibliotecas"}
    tables = conn.execute("SELECT languages FROM search_index_state").fetchone()
    assert tables == (["english", "french", "german", "spanish"],)


def test_ranking_is_bm25(conn: duckdb.DuckDBPyConnection) -> None:
    hits = search(conn, "archiver", filters=SearchFilters(kinds=("post",)))
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].title == "Repetition"  # four occurrences in a short text
    expected = conn.execute(
        "SELECT score FROM (SELECT fts_main_search_docs_french.match_bm25(doc_id, 'archiver') "
        "AS score, kind FROM search_docs_french) WHERE score IS NOT NULL AND kind = 'post' "
        "ORDER BY score DESC"
    ).fetchall()
    assert [round(h.score, 9) for h in hits if h.language == "fr"] == [
        round(r[0], 9) for r in expected
    ]


def test_filters(conn: duckdb.DuckDBPyConnection) -> None:
    def titles(**kw: object) -> list[tuple[str, str | None]]:
        hits = search(conn, "connecteur", filters=SearchFilters(**kw))  # type: ignore[arg-type]
        return sorted((h.kind, h.host) for h in hits)

    assert titles(site="deux.example") == [("post", "deux.example")]
    assert titles(kinds=("comment",)) == [("comment", "un.example")]
    assert titles(author="marc") == [("comment", "un.example")]
    assert titles(since=date(2010, 1, 15)) == [("comment", "un.example")]
    assert titles(until=date(2010, 1, 1)) == [("post", "deux.example"), ("post", "un.example")]
    assert search(conn, "connecteur bibliothèque", all_terms=True)[0].kind == "post"
    assert len(search(conn, "connecteur bibliothèque", all_terms=True)) == 2


def test_a_stale_index_is_never_used(corpus: Path) -> None:
    conn = open_corpus(corpus)
    ensure_index(conn)
    assert index_is_current(conn)
    conn.execute("UPDATE comments SET text = 'tout autre chose'")
    assert not index_is_current(conn)
    with pytest.raises(StaleIndexError):
        search(conn, "connecteur")
    assert ensure_index(conn) is not None
    assert {h.kind for h in search(conn, "connecteur")} == {"post"}
    conn.close()
    # Read-only copies (snapshots) get a temporary index in memory, never a stale one.
    writer = open_corpus(corpus)
    writer.execute("UPDATE posts SET text = 'rien' WHERE title = 'Connecteurs'")
    publish_snapshot(writer, corpus)
    notes: list[str] = []
    held = writer  # still open: readers must use the snapshot
    reader, source = open_searchable_in_child(corpus, notes)
    assert source
    held.close()
    assert reader == []


def open_searchable_in_child(corpus: Path, notes: list[str]) -> tuple[list[str], bool]:
    """Search from another process while this one holds the corpus (DuckDB locks per process)."""
    import subprocess
    import sys

    code = (
        "import json, sys; from corpus.search import open_searchable, search\n"
        f"conn, src = open_searchable({str(corpus)!r}, note=lambda m: print(m, file=sys.stderr))\n"
        "print(json.dumps([h.host for h in search(conn, 'chanter') if h.kind == 'post'"
        " and h.host == 'un.example'] + [src.is_snapshot]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    notes.append(done.stderr)
    result = json.loads(done.stdout)
    assert "temporary one" in done.stderr and "snapshot" in done.stderr
    return result[:-1], bool(result[-1])


def test_snippet_marks_stemmed_matches() -> None:
    text = "Début. " + "x " * 100 + "Les connecteurs chantaient fort. " + "y " * 200
    snippet = make_snippet(text, ("connecteur", "chant"), ("[", "]"))
    assert "[connecteurs] [chantaient]" in snippet
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 260
    assert make_snippet("court", ("zzz",), ("[", "]")) == "court"


def test_build_index_in_memory_from_a_read_only_source(corpus: Path) -> None:
    memory = duckdb.connect()
    load_fts(memory)
    memory.execute(f"ATTACH '{corpus}' AS src (READ_ONLY)")
    info = build_index(memory, source="src")
    assert info.docs == 8 and info.languages == ("english", "french", "german", "spanish")


def test_cli_search_json(corpus: Path) -> None:
    result = CliRunner().invoke(
        app, ["search", "connecteur", "--db", str(corpus), "-f", "json", "--in", "comments"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["author_name"] for r in rows] == ["Marc"]
    assert rows[0]["post_title"] == "Connecteurs" and "**connecteur**" in rows[0]["snippet"]


def test_a_post_of_unknown_language_is_stemmed_in_its_blogs(tmp_path: Path) -> None:
    """A post too short or too full of code for a language guess takes its blog's language
    (declared, or most of its posts'): "anneal" still finds "Simulated Annealing"."""
    path = tmp_path / "c.duckdb"
    conn = open_corpus(path)
    site_id = site_id_for("https://blog.example/")
    save_site(conn, site_id=site_id, root_url="https://blog.example/", language="en")
    post = _post("blog.example", "", "boggle", "Boggle scores with simulated annealing.", 2009)
    save_post(conn, replace(post, language=None), site_id=site_id)
    ensure_index(conn)
    assert {h.title for h in search(conn, "anneal")} == {"Boggle"}
    # English stop words are dropped there too.
    assert search(conn, "with") == []
    conn.close()
