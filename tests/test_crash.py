"""Crashes: ``kill -9`` at random points, deterministic kills around a commit, SIGTERM, a full
disk and a corpus locked by another process.

Every crash is followed by the same command, and the corpus is judged against the generated
blog's truth (nothing missing, nothing stored twice) and the server's request log (how many
pages were fetched again). Random kill times come from a seed printed on failure; set
``BLOGCORPUS_CRASH_SEED`` to replay one.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sampleblog.generated import GeneratedBlog
from scraper.config import CrawlConfig
from tests.test_reliability_blog import (
    REPO,
    compare_with_truth,
    crawl_cli,
    crawl_command,
    refetches,
    sql_duplicates,
    summary_line,
)

CONCURRENCY = 4
# What one kill may cost in re-fetches: the pages being fetched, and those fetched whose commit
# was still pending (the writer commits them in groups).
LOST_PER_KILL = CONCURRENCY + CrawlConfig(seeds=()).write_behind
SEED = int(os.environ.get("BLOGCORPUS_CRASH_SEED", "20261126"))


@pytest.fixture
def small_blog() -> Iterator[GeneratedBlog]:
    blog = GeneratedBlog(posts=60, comments_per_post=2, seed=11, traps=False, post_feeds=False)
    blog.start()
    try:
        yield blog
    finally:
        blog.stop()


def kill_nine_run(
    blog: GeneratedBlog, db: Path, *, kills: int, seed: int, window: tuple[float, float]
) -> dict[str, int]:
    """Crawl with ``kills`` SIGKILLs at seeded random times, then once more to the end."""
    rng = random.Random(seed)
    done_kills = 0
    finished = False
    command = crawl_command(blog.base_url, db, "--concurrency", str(CONCURRENCY))
    for _ in range(kills):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            process.wait(timeout=rng.uniform(*window))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            if latest_crawl_finished(db):
                # Killed on its way out, after the crawl had ended: nothing was cut short, and
                # the command would now re-crawl instead of resuming.
                finished = True
                break
            done_kills += 1
        else:
            # The crawl finished before this kill: the rest would kill nothing, and running
            # the command again would be a re-crawl (listings asked again), not a resume.
            assert process.returncode == 0
            finished = True
            break
        finally:
            if process.stderr is not None:
                process.stderr.close()
    if not finished:
        final = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert final.returncode == 0, final.stderr[-3000:]
    return {"kills": done_kills, "refetches": refetches(blog), "requests": len(blog.requests)}


def latest_crawl_finished(db: Path) -> bool:
    """Whether the corpus records its latest crawl as ended."""
    if not db.exists():
        return False
    conn = duckdb.connect(str(db), read_only=True)
    try:
        row = conn.execute(
            "SELECT finished_at IS NOT NULL FROM crawls ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return bool(row and row[0])


def assert_survived(blog: GeneratedBlog, db: Path, figures: dict[str, int], seed: int) -> None:
    check = compare_with_truth(db, blog)
    line = summary_line(check, seed=seed, **figures)
    print(line, file=sys.stderr)
    assert check.missing_posts == 0, line
    assert check.missing_comments == 0, line
    assert check.duplicate_post_rows == 0 and check.duplicate_comment_rows == 0, line
    assert sql_duplicates(db) == (0, 0), line
    assert check.queued == 0, "nothing stuck in the frontier: " + line
    assert figures["refetches"] <= figures["kills"] * LOST_PER_KILL, line


def test_kill_nine_during_a_700_post_crawl(tmp_path: Path) -> None:
    """10 random ``kill -9`` in a 700-post crawl (the 2,000-post run is ``make soak``)."""
    blog = GeneratedBlog(
        posts=700, comments_per_post=2, seed=5, traps=False, post_feeds=False, per_page=50
    )
    blog.start()
    try:
        db = tmp_path / "corpus.duckdb"
        # Each run sends its first request about 0.5 s after it starts and then fetches some
        # 140 pages a second: kills between 0.8 and 1.4 s land mid-crawl, about 80 pages
        # apart, so ten of them fit in a 700-post crawl (some 940 requests).
        figures = kill_nine_run(blog, db, kills=10, seed=SEED, window=(0.8, 1.4))
        assert figures["kills"] >= 8, f"the crawl ended too early to be killed: {figures}"
        assert_survived(blog, db, figures, SEED)
    finally:
        blog.stop()


# -- deterministic kills around one commit ---------------------------------------------------

_KILL_AT_COMMIT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import duckdb

    where, target = sys.argv[3], int(sys.argv[4])
    real_execute = duckdb.DuckDBPyConnection.execute
    commits = [0]

    # Every commit of the crawl goes through ``execute("COMMIT")``: count them, and die just
    # before or just after the chosen one, as a power cut would.
    def execute(self, query, *args, **kwargs):
        if isinstance(query, str) and query.strip().upper() == "COMMIT":
            commits[0] += 1
            if commits[0] == target and where == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = real_execute(self, query, *args, **kwargs)
            if commits[0] == target and where == "after":
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return real_execute(self, query, *args, **kwargs)

    duckdb.DuckDBPyConnection.execute = execute
    from scraper.config import CrawlConfig
    from scraper.crawler import run_crawl

    run_crawl(CrawlConfig(seeds=(sys.argv[1],), db_path=Path(sys.argv[2]), delay=0,
                          concurrency=1, parse_workers=0, write_behind=0))
    """
)


def _patchable() -> bool:
    """Whether DuckDB's connection class accepts a patched ``execute`` (C extension types may
    refuse it); the test then skips instead of proving nothing."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb; duckdb.DuckDBPyConnection.execute = lambda *a, **k: None",
        ],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.parametrize("where", ["before", "after"])
def test_kill_just_before_and_just_after_a_commit(
    small_blog: GeneratedBlog, tmp_path: Path, where: str
) -> None:
    if not _patchable():
        pytest.skip("cannot intercept DuckDB commits in this build")
    db = tmp_path / "corpus.duckdb"
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AT_COMMIT, small_blog.base_url, str(db), where, "25"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    before = len(small_blog.requests)
    final = crawl_cli(small_blog.base_url, db, "--concurrency", "1")
    assert final.returncode == 0, final.stderr[-2000:]
    check = compare_with_truth(db, small_blog)
    assert check.missing_posts == check.missing_comments == 0, check
    assert check.duplicate_post_rows == check.duplicate_comment_rows == 0, check
    # One request at a time: the page whose commit was cut is fetched again, exactly once;
    # a page whose commit went through never is.
    assert refetches(small_blog) == (1 if where == "before" else 0), before


# -- SIGTERM ----------------------------------------------------------------------------------


def test_sigterm_stops_cleanly_and_the_same_command_finishes(
    small_blog: GeneratedBlog, tmp_path: Path
) -> None:
    db = tmp_path / "corpus.duckdb"
    command = crawl_command(small_blog.base_url, db, "--json")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(small_blog.requests) < 25 and time.monotonic() < deadline:
        time.sleep(0.05)
    asked = time.monotonic()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    grace = time.monotonic() - asked
    assert process.returncode == 0, err[-2000:]
    assert '"stopped_early": true' in out
    assert grace < 15, f"took {grace:.1f} s to stop"
    print(f"SIGTERM: exit 0 after {grace:.2f} s", file=sys.stderr)
    assert sql_duplicates(db) == (0, 0)
    final = crawl_cli(small_blog.base_url, db)
    assert final.returncode == 0, final.stderr[-2000:]
    check = compare_with_truth(db, small_blog)
    assert check.missing_posts == check.missing_comments == check.queued == 0, check
    assert refetches(small_blog) <= CONCURRENCY


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_whole_process_group_stops_cleanly(
    small_blog: GeneratedBlog, tmp_path: Path, stop: signal.Signals
) -> None:
    """Ctrl-C in a terminal, ``timeout`` and service managers signal every process of the
    group, the parsing processes and their server included: the crawl still stops as it does
    for a signal to its own process, with one summary and no traceback."""
    db = tmp_path / "corpus.duckdb"
    command = crawl_command(small_blog.base_url, db, "--json", "--parse-workers", "2")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while len(small_blog.requests) < 25 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, stop)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err and "BrokenProcessPool" not in err, err[-3000:]
    assert '"stopped_early": true' in out
    final = crawl_cli(small_blog.base_url, db)
    assert final.returncode == 0, final.stderr[-2000:]
    check = compare_with_truth(db, small_blog)
    assert check.missing_posts == check.missing_comments == check.queued == 0, check


# -- a full disk and a locked corpus ---------------------------------------------------------


def _committed(db: Path) -> tuple[int, int]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM frontier "
            "WHERE state = 'done')"
        ).fetchone()
    finally:
        conn.close()
    assert row is not None
    return int(row[0]), int(row[1])


def test_full_disk_is_one_clear_line_and_committed_data_stays(
    small_blog: GeneratedBlog, tmp_path: Path
) -> None:
    db = tmp_path / "corpus.duckdb"
    first = crawl_cli(small_blog.base_url, db, "--max-pages", "15")
    assert first.returncode == 0, first.stderr[-2000:]
    posts_before, done_before = _committed(db)

    def small_files() -> None:
        # A file-size limit makes every write past 300 kB fail as on a full disk (EFBIG).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    full = subprocess.run(
        crawl_command(small_blog.base_url, db),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=small_files,
    )
    lines = [line for line in full.stderr.splitlines() if line.strip()]
    assert full.returncode == 1, full.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in full.stderr, full.stderr[-3000:]
    assert "too large" in lines[0].lower() or "space" in lines[0].lower(), lines[0]
    posts_after, done_after = _committed(db)
    assert posts_after >= posts_before and done_after >= done_before
    assert sql_duplicates(db) == (0, 0)


def test_locked_corpus_names_the_lock_holder(small_blog: GeneratedBlog, tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(120)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        locked = crawl_cli(small_blog.base_url, db, timeout=120)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    lines = [line for line in locked.stderr.splitlines() if line.strip()]
    assert locked.returncode == 1
    assert len(lines) == 1, locked.stderr[-2000:]
    assert "locked" in lines[0] and f"PID {holder.pid}" in lines[0], lines[0]
    assert not [r for r in small_blog.requests if r.path != "/robots.txt"], "nothing fetched"


def test_a_crawl_killed_while_finishing_is_finished_not_crawled_again(
    small_blog: GeneratedBlog, tmp_path: Path
) -> None:
    """Every page committed, then killed while building the search index: the same command
    only does the ending again; it must not take the corpus for a finished crawl and ask the
    blog for its pages once more."""
    db = tmp_path / "corpus.duckdb"
    first = crawl_cli(small_blog.base_url, db)
    assert first.returncode == 0, first.stderr[-2000:]
    # What a kill during the ending leaves: every page committed, the crawl not finished.
    conn = duckdb.connect(str(db))
    try:
        conn.execute("UPDATE crawls SET finished_at = NULL, stats = NULL")
    finally:
        conn.close()
    asked_before = len(small_blog.requests)
    again = crawl_cli(small_blog.base_url, db)
    assert again.returncode == 0, again.stderr[-2000:]
    assert len(small_blog.requests) == asked_before, "pages asked for again"
    conn = duckdb.connect(str(db), read_only=True)
    try:
        unfinished = conn.execute("SELECT count(*) FROM crawls WHERE finished_at IS NULL")
        assert unfinished.fetchone() == (1,)  # the killed one; the second run finished
    finally:
        conn.close()
    # The run after a finished crawl is a re-crawl again (conditional requests).
    third = crawl_cli(small_blog.base_url, db)
    assert third.returncode == 0, third.stderr[-2000:]
    assert len(small_blog.requests) > asked_before
