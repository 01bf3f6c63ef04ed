"""Opening a corpus file: migrations on write, clear errors for locks and newer versions."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import duckdb

if importlib.util.find_spec("pandas") is None:
    # DuckDB looks for pandas on every parameter it binds; without pandas installed each look
    # searches sys.path again, which doubled the cost of a small statement. Record the absence
    # once (only when pandas really is absent, so nobody's pandas is hidden).
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]

from corpus.migrations import check_version, migrate


class CorpusError(RuntimeError):
    """A corpus cannot be opened or used; the message is one line for the user."""


class CorpusLockedError(CorpusError):
    """Another process holds the corpus file open for writing."""


class CorpusMissingError(CorpusError):
    """A read-only command was pointed at a corpus that does not exist."""


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def sql_literal(text: str) -> str:
    """``text`` as a SQL string literal, for the few places a value cannot be bound as a
    parameter (a file path in ATTACH, LOAD or COPY; keys DuckDB should find by index)."""
    return "'" + text.replace("'", "''") + "'"


def _explain_io_error(path: Path, exc: duckdb.Error) -> CorpusError:
    message = str(exc)
    holder = _LOCK_HOLDER.search(message)
    if holder:
        return CorpusLockedError(
            f"{path} is locked by another process (PID {holder.group(2)}, {holder.group(1)}); "
            "wait for it to finish, or query the published snapshot"
        )
    first_line = message.splitlines()[0] if message else type(exc).__name__
    return CorpusError(f"cannot open {path}: {first_line}")


def open_corpus(
    path: str | Path, *, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating when writable) the corpus at ``path``.

    Times are stored as TIMESTAMPTZ and shown in UTC, whatever the machine's zone.
    ``memory_limit`` (e.g. ``"256MB"``) caps DuckDB's buffer cache, which otherwise keeps up
    to 80% of the machine's memory of database pages: a long crawl would grow without end.
    """
    if memory_limit is not None and not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit):
        raise ValueError(f"not a memory size: {memory_limit!r}")
    path = Path(path)
    if read_only and not path.exists():
        raise CorpusMissingError(f"no corpus at {path}; crawl or import first (see --db)")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise _explain_io_error(path, exc) from exc
    conn.execute("SET TimeZone = 'UTC'")
    if memory_limit is not None:
        conn.execute(f"SET memory_limit = '{memory_limit}'")
    try:
        if read_only:
            check_version(conn)
        else:
            migrate(conn)
    except Exception:
        conn.close()
        raise
    return conn
