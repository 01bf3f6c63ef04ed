"""Reading a corpus while a crawl writes it: snapshots the writer publishes, and the read path.

DuckDB lets no other process open a file that a writer holds, not even read-only. So the
writer (the crawler, an import) publishes a copy of the whole corpus, ``<db>.snapshot``, now and
then, between two of its transactions, which makes every snapshot a committed, consistent state.
The copy is written to a temporary file and renamed over the previous snapshot: a reader that
has the old snapshot open keeps reading it (the rename leaves its file in place), a new reader
gets the new one, and nobody ever sees a half-written file.

Readers call ``open_for_reading``: the corpus itself, read-only, when nobody writes it; the
latest snapshot, with a one-line note saying how old it is, when a writer holds it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from corpus.db import CorpusLockedError, open_corpus
from corpus.migrations import check_version

__all__ = [
    "DEFAULT_EVERY_SECONDS",
    "ReadSource",
    "SnapshotSkipped",
    "discard_snapshot",
    "maybe_publish_snapshot",
    "open_for_reading",
    "publish_snapshot",
    "snapshot_path",
]

# A snapshot costs a full copy of the corpus, about 1 s per 150 MB here (see the docs): at most
# one every 2 s keeps a small crawl's overhead low while readers see fresh data.
DEFAULT_EVERY_SECONDS = 2.0
# Copying is never allowed to take more than this share of the writer's time.
MAX_OVERHEAD = 0.1
# Measured copy speed, used to stretch the interval for big corpora (bytes per second).
_COPY_BYTES_PER_SECOND = 150e6
# How long a reader waits for the first snapshot of a writer that just started.
DEFAULT_WAIT_SECONDS = 15.0
# What the last copy of each snapshot cost this process, in seconds. The size-based guess
# above is a machine's best case: on a busy machine a copy took twice as long (and 15% of a
# crawl's time), so the interval also follows the copy time actually measured.
_last_copy_seconds: dict[Path, float] = {}

Note = Callable[[str], None]


def snapshot_path(db_path: str | Path) -> Path:
    """Where the snapshot of the corpus at ``db_path`` lives: ``<db>.snapshot`` beside it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".snapshot")


def discard_snapshot(db_path: str | Path) -> None:
    """Remove the snapshot once its writer has closed the corpus.

    It is stale from then on, and a full copy of the corpus taken mid-write. Readers are not
    hurt: with no writer they open the corpus itself, and one that still has the snapshot open
    keeps reading its file.
    """
    snapshot_path(db_path).unlink(missing_ok=True)


class SnapshotSkipped(RuntimeError):
    """The corpus could not be brought to one self-contained file just now; try again later."""


def publish_snapshot(conn: duckdb.DuckDBPyConnection, db_path: str | Path) -> Path:
    """Copy the corpus open on ``conn`` to ``<db>.snapshot``, atomically; return its path.

    Call it between transactions (never inside one), from the only thread that writes: a
    checkpoint moves every committed transaction from the write-ahead log into the database
    file, and a byte copy of that file is then exactly the committed state, views, indexes and
    full-text index tables included. (Copying through DuckDB, ``COPY FROM DATABASE``, rebuilt
    every table in memory and failed once the corpus outgrew the memory limit: a 470 MB
    corpus under the crawl's 256 MB cap.) Raises ``SnapshotSkipped`` when the checkpoint
    could not empty the log.
    """
    db_path = Path(db_path)
    target = snapshot_path(db_path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    conn.execute("CHECKPOINT")
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise SnapshotSkipped(f"{wal.name} still holds transactions after the checkpoint")
    try:
        # Copied by a child process: a file this process opened and closed itself would drop
        # the lock DuckDB holds on the corpus (POSIX locks belong to the process and go with
        # the first close of any descriptor of that file), letting other processes in.
        subprocess.run(["cp", str(db_path), str(tmp)], check=True, capture_output=True)
        with open(tmp, "rb+") as handle:  # noqa: PTH123 - only to fsync before the rename
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def maybe_publish_snapshot(
    conn: duckdb.DuckDBPyConnection,
    db_path: str | Path,
    *,
    every: float = DEFAULT_EVERY_SECONDS,
) -> bool:
    """Publish a snapshot when the last one is older than ``every`` seconds; True if it did.

    Stateless on purpose (the age is the snapshot file's own), so a writer calls this one line
    after each committed transaction. The interval stretches so that copying takes at most a
    tenth of the writer's time: by the snapshot's size, and by what the last copy really
    took. A failed copy is not an error for the writer.
    """
    target = snapshot_path(db_path)
    try:
        stat = target.stat()
    except FileNotFoundError:
        pass
    else:
        interval = max(
            every,
            stat.st_size / _COPY_BYTES_PER_SECOND / MAX_OVERHEAD,
            _last_copy_seconds.get(target, 0.0) / MAX_OVERHEAD,
        )
        if time.time() - stat.st_mtime < interval:
            return False
    started = time.monotonic()
    try:
        publish_snapshot(conn, db_path)
    except (OSError, subprocess.CalledProcessError, duckdb.Error, SnapshotSkipped):
        # A full disk, a read-only folder or a failed checkpoint must not stop the writer:
        # readers then wait for it to finish (or read an older snapshot), and the next call
        # tries again. A failed statement can leave the connection's transaction aborted,
        # which would fail the writer's next BEGIN: end it.
        with contextlib.suppress(duckdb.Error):
            conn.execute("ROLLBACK")
        return False
    _last_copy_seconds[target] = time.monotonic() - started
    return True


@dataclass(frozen=True, slots=True)
class ReadSource:
    """What a reader opened: the corpus itself, or a snapshot of a given age."""

    path: Path
    is_snapshot: bool
    age_seconds: float = 0.0


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def open_for_reading(
    db_path: str | Path,
    *,
    note: Note | None = _stderr,
    wait: float = DEFAULT_WAIT_SECONDS,
) -> tuple[duckdb.DuckDBPyConnection, ReadSource]:
    """Open the corpus read-only, or its latest snapshot when a writer holds it.

    When a writer holds the corpus and has not published a snapshot yet (it just started),
    wait up to ``wait`` seconds for one or for the writer to finish; then give up with the
    lock error. ``note`` receives the one-line "reading a snapshot" message.
    """
    db_path = Path(db_path)
    deadline = time.monotonic() + wait
    while True:
        try:
            return open_corpus(db_path, read_only=True), ReadSource(db_path, is_snapshot=False)
        except CorpusLockedError:
            opened = _open_snapshot(db_path)
            if opened is None and time.monotonic() >= deadline:
                raise
        if opened is not None:
            conn, source = opened
            if note is not None:
                note(
                    f"note: {db_path} is being written; reading its snapshot of "
                    f"{_describe_age(source.age_seconds)} ago"
                )
            return conn, source
        time.sleep(0.1)


def _open_snapshot(db_path: Path) -> tuple[duckdb.DuckDBPyConnection, ReadSource] | None:
    target = snapshot_path(db_path)
    try:
        mtime = target.stat().st_mtime
        conn = duckdb.connect(str(target), read_only=True)
    except (FileNotFoundError, duckdb.IOException):
        # Not published yet, or replaced between the stat and the open: the caller retries.
        return None
    conn.execute("SET TimeZone = 'UTC'")
    try:
        check_version(conn)
    except Exception:
        conn.close()
        raise
    age = max(0.0, datetime.now(UTC).timestamp() - mtime)
    return conn, ReadSource(target, is_snapshot=True, age_seconds=age)


def _describe_age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
