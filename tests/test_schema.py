"""Schema, migrations, ids and the author rules: the contract analysts rely on."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from corpus.db import CorpusLockedError, open_corpus
from corpus.migrations import MIGRATIONS, NewerCorpusError, applied_migrations, migrate
from corpus.store import (
    CommentWrite,
    FrontierEntry,
    PostWrite,
    author_id_for,
    enqueue,
    is_placeholder_author,
    save_comment_groups,
    save_comments,
    save_posts,
    site_id_for,
)
from parsers.records import Comment, CommentSource, Post, comment_id_for, post_id_for
from parsers.urls import BadURLError, canonicalize_url

CONTRACT = {
    "sites": "site_id root_url host platform title language",
    "pages": "url site_id final_url status content_type fetched_at kind error",
    "posts": "post_id site_id url canonical_url title author_id author_name published_at "
    "updated_at language text html categories tags comment_count_declared comments_open platform",
    "comments": "comment_id post_id parent_id position depth author_id author_name author_url "
    "published_at title text html kind source",
    "authors": "author_id site_id name url role",
    "links": "post_id comment_id context target_url target_host anchor_text rel is_internal",
    "crawls": "crawl_id started_at finished_at seeds config stats",
}


def test_contract_columns_exist(tmp_path: Path) -> None:
    conn = open_corpus(tmp_path / "c.duckdb")
    for table, names in CONTRACT.items():
        columns = {r[0] for r in conn.execute(f"DESCRIBE {table}").fetchall()}
        assert set(names.split()) <= columns, (table, set(names.split()) - columns)
    types = dict(
        conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'posts'"
        ).fetchall()
    )
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["categories"] == "VARCHAR[]"
    conn.close()


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    open_corpus(path).close()
    conn = duckdb.connect(str(path))
    assert applied_migrations(conn) == [m.name for m in MIGRATIONS]
    assert migrate(conn) == []  # a second run applies nothing
    assert applied_migrations(conn) == [m.name for m in MIGRATIONS]
    conn.close()


def test_a_newer_corpus_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    open_corpus(path).close()
    conn = duckdb.connect(str(path))
    conn.execute("INSERT INTO schema_migrations VALUES (999, '0999_from_the_future', now())")
    conn.close()
    with pytest.raises(NewerCorpusError, match="newer blogcorpus"):
        open_corpus(path)
    with pytest.raises(NewerCorpusError):
        open_corpus(path, read_only=True)


def test_a_failed_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "f.duckdb"))
    conn.execute("CREATE TABLE sites (x INTEGER)")  # collides with the first migration
    with pytest.raises(duckdb.Error):
        migrate(conn)
    assert applied_migrations(conn) == []
    assert conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'posts'"
    ).fetchone() == (0,)
    conn.close()


def test_a_locked_corpus_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    open_corpus(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); "
            "time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(CorpusLockedError, match=rf"PID {holder.pid}"):
            open_corpus(path)
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_ids_are_stable_and_ignore_position() -> None:
    post = post_id_for("http://blog.example/2006/06/08/post/")
    assert post == post_id_for("http://blog.example/2006/06/08/post/")
    assert comment_id_for(post, "12") == comment_id_for(post, "12")
    assert comment_id_for(post, "12") != comment_id_for(post, "13")
    when = datetime(2006, 6, 8, 11, 2, tzinfo=UTC)
    a = comment_id_for(post, None, "Marc", when, "Tout à fait  d'accord")
    assert a == comment_id_for(post, None, "Marc", when, "Tout à fait d'accord")
    assert a != comment_id_for(post, None, "Julie", when, "Tout à fait d'accord")


@pytest.mark.parametrize("name", ["", "  ", None, "Anonymous", "anonyme", "Anonym"])
def test_placeholder_authors_are_nobody(name: str | None) -> None:
    assert is_placeholder_author(name)
    assert author_id_for("s", name, None) is None


def test_one_author_per_person_per_site() -> None:
    site = site_id_for("http://blog.example/")
    marc = author_id_for(site, "Marc Delorme", "http://marc.example.net/")
    assert marc == author_id_for(site, "marc  delorme", "HTTP://Marc.example.net")
    assert marc != author_id_for(site, "Marc Delorme", None)
    assert marc != author_id_for(
        site_id_for("http://other.example/"), "Marc Delorme", "http://marc.example.net/"
    )


def test_saving_twice_duplicates_nothing(tmp_path: Path) -> None:
    conn = open_corpus(tmp_path / "twice.duckdb")
    post = post_id_for("http://blog.example/p/")
    comments = [
        Comment(
            comment_id=comment_id_for(post, str(i)),
            post_id=post,
            platform_id=str(i),
            parent_id=None,
            depth=0,
            position=i,
            author_name="Julie",
            author_url=None,
            published_at=None,
            title=None,
            text=f"texte {i} ' ; DROP TABLE posts; --",
            html="",
        )
        for i in range(3)
    ]
    for _ in range(2):
        save_comments(conn, comments, site_id="s", page_url="http://blog.example/p/")
    assert conn.execute("SELECT count(*), count(DISTINCT comment_id) FROM comments").fetchone() == (
        3,
        3,
    )
    assert conn.execute("SELECT count(*) FROM authors").fetchone() == (1,)
    assert conn.execute("SELECT text FROM comments ORDER BY position LIMIT 1").fetchone() == (
        "texte 0 ' ; DROP TABLE posts; --",
    )
    conn.close()


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "HTTP://Blog.Example:80/Post/?utm_source=x&b=2&a=1#c",
            "http://blog.example/Post/?a=1&b=2",
        ),
        ("http://blog.example/2006/06/index.html", "http://blog.example/2006/06/"),
        ("http://blog.example/p/?replytocom=12", "http://blog.example/p/"),
        ("http://blog.example/p;jsessionid=AB12?x=1", "http://blog.example/p?x=1"),
        (
            "http://m.example/index.php?2006/06/09/87-post",
            "http://m.example/index.php?2006/06/09/87-post",
        ),
        ("https://blog.example", "https://blog.example/"),
    ],
)
def test_canonical_urls(raw: str, canonical: str) -> None:
    assert canonicalize_url(raw) == canonical


@pytest.mark.parametrize(
    "raw", ["ftp://x.example/", "javascript:alert(1)", "http://[::1", "http://h:99999/", "x" * 3000]
)
def test_bad_urls_are_refused(raw: str) -> None:
    with pytest.raises(BadURLError):
        canonicalize_url(raw)


def _comment(post: str, platform_id: str, **fields: Any) -> Comment:
    """A top-level comment on ``post`` by Julie; ``fields`` replace any of its values."""
    plain = Comment(
        comment_id=comment_id_for(post, platform_id),
        post_id=post,
        platform_id=platform_id,
        parent_id=None,
        depth=0,
        position=0,
        author_name="Julie",
        author_url=None,
        published_at=None,
        title=None,
        text="",
        html="",
    )
    return dataclasses.replace(plain, **fields)


def test_the_html_copy_of_a_comment_keeps_the_page_it_was_shown_on(tmp_path: Path) -> None:
    """A crawl may store a post's comment feed before the comment page that shows the same
    comments; whichever comes first, the comment points at the HTML page."""
    conn = open_corpus(tmp_path / "merge.duckdb")
    post = post_id_for("http://blog.example/p/")

    def copy(source: CommentSource) -> Comment:
        return _comment(post, "7", text="Merci !", html="<p>Merci !</p>", source=source)

    html_page = "http://blog.example/p/comment-page-2/"
    save_comments(conn, [copy("feed")], site_id="s", page_url="http://blog.example/p/feed/")
    save_comments(conn, [copy("html")], site_id="s", page_url=html_page)
    save_comments(conn, [copy("feed")], site_id="s", page_url="http://blog.example/p/feed/")
    assert conn.execute("SELECT source, page_url FROM comments").fetchall() == [("html", html_page)]
    conn.close()


@pytest.mark.parametrize("feed_first", [True, False])
def test_copies_of_a_comment_committed_together_merge_as_if_apart(
    tmp_path: Path, feed_first: bool
) -> None:
    """A pingback's HTML copy carries no date; its feed copy does. Whether the two pages are
    committed in one transaction or apart, the comment keeps the HTML copy's page and kind
    and the feed's time."""
    conn = open_corpus(tmp_path / "together.duckdb")
    post = post_id_for("http://blog.example/p/")
    when = datetime(2009, 10, 27, 7, 30, tzinfo=UTC)

    def copy(source: CommentSource, published_at: datetime | None) -> Comment:
        return _comment(
            post,
            "24",
            author_name="Carnet de Léa",
            author_url="http://lea.example.org/",
            published_at=published_at,
            text="Adieu GeoCities",
            kind="pingback" if source == "html" else "comment",
            source=source,
        )

    html = CommentWrite(
        comments=[copy("html", None)], site_id="s", page_url="http://blog.example/p/"
    )
    feed = CommentWrite(
        comments=[copy("feed", when)], site_id="s", page_url="http://blog.example/p/feed/"
    )
    save_comment_groups(conn, [feed, html] if feed_first else [html, feed])
    assert conn.execute("SELECT source, kind, page_url, published_at FROM comments").fetchall() == [
        ("html", "pingback", "http://blog.example/p/", when)
    ]
    conn.close()


def test_a_post_and_its_comment_page_committed_together_merge_as_if_apart(tmp_path: Path) -> None:
    """The post's own page declares 7 comments; its second comment page carries the same post
    without the count. Committed in one group, the count stays, as it does when apart."""
    conn = open_corpus(tmp_path / "post.duckdb")
    url = "http://blog.example/2006/06/p/"

    def copy(declared: int | None) -> Post:
        return Post(
            post_id=post_id_for(url),
            url=url,
            canonical_url=url,
            title="P",
            author_name=None,
            author_url=None,
            published_at=None,
            updated_at=None,
            language="fr",
            text="texte",
            html="<p>texte</p>",
            comment_count_declared=declared,
        )

    save_posts(
        conn,
        [
            PostWrite(post=copy(7), site_id="s", found_via="sitemap"),
            PostWrite(post=copy(None), site_id="s", found_via="next"),
        ],
    )
    assert conn.execute("SELECT comment_count_declared, found_via FROM posts").fetchall() == [
        (7, "sitemap")
    ]
    conn.close()


def test_a_batch_of_new_and_stored_rows_keeps_the_upsert_rules(tmp_path: Path) -> None:
    # New keys go in with a plain INSERT and stored ones through the upsert; the stored keys
    # are looked up as SQL literals, so a quote in a URL must still find its own row.
    conn = open_corpus(tmp_path / "split.duckdb")
    quoted = "http://blog.example/o'brien/"
    other = "http://blog.example/obrien/"

    def entry(url: str, priority: int) -> FrontierEntry:
        return FrontierEntry(url=url, site_id="s", priority=priority, depth=1, found_via="link")

    enqueue(conn, [entry(quoted, 50)])
    enqueue(conn, [entry(quoted, 10), entry(other, 20)])  # one stored, one new
    enqueue(conn, [entry(quoted, 40), entry(other, 30)])  # both stored: the best priority stays
    rows = dict(conn.execute("SELECT url, priority FROM frontier").fetchall())
    assert rows == {quoted: 10, other: 20}
    conn.close()
