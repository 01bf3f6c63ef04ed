"""Querying during a crawl: a real crawl process writes, readers get consistent answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.db import CorpusLockedError, open_corpus
from corpus.snapshot import (
    maybe_publish_snapshot,
    open_for_reading,
    publish_snapshot,
    snapshot_path,
)
from sampleblog.server import serve_sample_blog

ROOT = Path(__file__).resolve().parent.parent
# Each answer is read in one go from one database state; these hold in every committed state
# because the crawler stores a page, what it parsed and its frontier state in one transaction.
CONSISTENCY_SQL = """
SELECT
  (SELECT count(*) FROM posts),
  (SELECT count(*) FROM posts WHERE post_id NOT IN
      (SELECT post_id FROM pages WHERE post_id IS NOT NULL)),
  (SELECT count(*) FROM pages p JOIN frontier f USING (url) WHERE f.state = 'queued'),
  (SELECT count(*) FROM pages) <= (SELECT count(*) FROM fetch_log),
  (SELECT count(*) FROM post_overview) = (SELECT count(*) FROM posts),
  (SELECT count(*) FROM comments)
"""


def _hold_open(db: Path) -> subprocess.Popen[str]:
    """Another process holding the corpus for writing until its stdin closes."""
    code = (
        "import sys; from corpus.db import open_corpus\n"
        f"c = open_corpus({str(db)!r}); print('ready', flush=True); sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_readers_use_the_snapshot_only_while_a_writer_holds_the_corpus(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    conn = open_corpus(db)
    conn.execute("INSERT INTO sites VALUES ('s1', 'https://a.example/', 'a.example', NULL, "
                 "NULL, NULL, NULL)")  # fmt: skip
    assert maybe_publish_snapshot(conn, db) is True
    assert maybe_publish_snapshot(conn, db) is False  # too soon for another copy
    conn.close()
    reader, source = open_for_reading(db, note=None)
    assert not source.is_snapshot
    reader.close()
    holder = _hold_open(db)
    try:
        notes: list[str] = []
        reader, source = open_for_reading(db, note=notes.append, wait=5)
        assert source.is_snapshot and source.path == snapshot_path(db)
        assert reader.execute("SELECT host FROM sites").fetchall() == [("a.example",)]
        reader.close()
        assert len(notes) == 1 and "snapshot of" in notes[0] and " ago" in notes[0]
        snapshot_path(db).unlink()
        started = time.monotonic()
        with pytest.raises(CorpusLockedError):
            open_for_reading(db, note=None, wait=0.5)
        assert time.monotonic() - started < 5
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_snapshots_take_at_most_a_tenth_of_the_writers_time(tmp_path: Path) -> None:
    """The interval follows what copying really costs, not only the size-based guess."""
    db = tmp_path / "c.duckdb"
    conn = open_corpus(db)
    started = time.monotonic()
    assert maybe_publish_snapshot(conn, db, every=0) is True
    copy_seconds = time.monotonic() - started
    # Even with no minimum interval, a second copy right away would exceed the share.
    assert maybe_publish_snapshot(conn, db, every=0) is False
    time.sleep(copy_seconds * 10 + 0.05)
    assert maybe_publish_snapshot(conn, db, every=0) is True
    conn.close()


def test_a_failed_snapshot_does_not_stop_the_writer(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    conn = open_corpus(db)
    snapshot_path(db).mkdir()  # a folder where the file should go: the rename fails
    assert maybe_publish_snapshot(conn, db, every=0) is False
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    conn.execute("SELECT 1")
    conn.close()


def test_snapshot_is_a_full_consistent_copy(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    conn = open_corpus(db)
    conn.execute("INSERT INTO sites VALUES ('s1', 'https://a.example/', 'a.example', NULL, "
                 "NULL, NULL, NULL)")  # fmt: skip
    path = publish_snapshot(conn, db)
    conn.close()
    snap = open_corpus(path, read_only=True)
    rows = snap.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    views = {r[0] for r in rows}
    assert {"post_overview", "comment_threads", "commenters", "link_graph"} <= views
    snap.close()


def test_queries_during_a_real_crawl_are_consistent(tmp_path: Path) -> None:
    db = tmp_path / "crawl.duckdb"
    server = serve_sample_blog()
    base = server.start()
    crawl = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "crawl", base, "--db", str(db),
         "--delay", "0.05", "--quiet", "--parse-workers", "0"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    answers: list[tuple[bool, tuple[object, ...]]] = []
    cli_runs: list[subprocess.CompletedProcess[str]] = []
    try:
        while not db.exists() and crawl.poll() is None:
            time.sleep(0.05)
        while crawl.poll() is None:
            conn, source = open_for_reading(db, note=None, wait=30)
            try:
                row = conn.execute(CONSISTENCY_SQL).fetchone()
            finally:
                conn.close()
            assert row is not None
            answers.append((source.is_snapshot, tuple(row)))
            if len(cli_runs) < 2 and source.is_snapshot:
                command = [sys.executable, str(ROOT / "cli.py"), "query"]
                command += ["SELECT count(*) AS n FROM comments", "--db", str(db), "-f", "json"]
                cli_runs.append(
                    subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
                )
            time.sleep(0.1)
        _, crawl_err = crawl.communicate(timeout=120)
    finally:
        if crawl.poll() is None:
            crawl.kill()
        server.stop()
    assert crawl.returncode == 0, crawl_err
    snapshots = [row for is_snapshot, row in answers if is_snapshot]
    assert len(snapshots) >= 3, answers
    for row in (r for _, r in answers):
        _posts, orphan_posts, queued_pages, logged, overview, _comments = row
        assert (orphan_posts, queued_pages, logged, overview) == (0, 0, True, True), row
    # Snapshots only move forward, and the crawl kept going: later ones hold more.
    post_counts = [row[0] for row in snapshots]
    assert post_counts == sorted(post_counts)
    assert len(set(post_counts)) > 1
    final = open_corpus(db, read_only=True)
    try:
        final_row = final.execute(CONSISTENCY_SQL).fetchone()
    finally:
        final.close()
    assert final_row is not None and final_row[0] >= post_counts[-1] and final_row[0] > 0
    # Once the crawl has let go of the corpus, its last snapshot (stale, a full copy) is gone.
    assert not snapshot_path(db).exists()
    for run in cli_runs:
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)[0]["n"] <= final_row[5]
    if os.environ.get("BLOGCORPUS_TEST_VERBOSE"):
        print(len(answers), "answers,", len(snapshots), "from snapshots")


def test_a_corpus_bigger_than_the_memory_limit_is_snapshotted(tmp_path: Path) -> None:
    """A crawl caps DuckDB's memory; its snapshots must not need the corpus to fit in it.

    Copying through DuckDB failed here with an out-of-memory error, and left the writer's
    connection in an aborted transaction that stopped the crawl at its next commit.
    """
    db = tmp_path / "c.duckdb"
    conn = open_corpus(db, memory_limit="32MB")
    body = os.urandom(200_000)
    for batch in range(30):
        conn.execute(
            "INSERT INTO pages (url, site_id, body) "
            "SELECT 'https://a.example/' || ? || '/' || i, 's1', ? FROM range(10) t(i)",
            [batch, body],
        )
    assert maybe_publish_snapshot(conn, db, every=0) is True
    conn.execute("BEGIN TRANSACTION")  # the writer's next transaction starts normally
    conn.execute("INSERT INTO sites (site_id, root_url, host) VALUES ('s1', 'https://a/', 'a')")
    conn.execute("COMMIT")
    conn.close()
    copy = open_corpus(snapshot_path(db), read_only=True)
    try:
        row = copy.execute("SELECT count(*), sum(octet_length(body)) FROM pages").fetchone()
        assert row == (300, 300 * 200_000)
        assert copy.execute("SELECT count(*) FROM sites").fetchone() == (0,)
    finally:
        copy.close()
