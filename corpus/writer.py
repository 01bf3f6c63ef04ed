"""One writer thread for the corpus, committing pages in small groups.

A DuckDB commit costs 5-25 ms here (the WAL is synced), about as long as parsing a page. The
crawler hands each page's writes to this thread and waits for them; whatever is queued when a
transaction starts goes into that one transaction. Each page's raw body, records, new URLs and
done state still commit together or not at all, and since a worker waits for its own page to
commit before taking the next URL, at most ``concurrency`` fetched pages are ever uncommitted:
a ``kill -9`` costs at most that many re-fetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import duckdb

T = TypeVar("T")
Job = tuple[Callable[[duckdb.DuckDBPyConnection], Any], Future[Any]]
MAX_GROUP = 32


class CorpusWriter:
    """Serialises writes on its own connection (a cursor of the caller's database)."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        *,
        after_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> None:
        self._conn = conn.cursor()
        self._after_commit = after_commit
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="corpus-writer", daemon=True)
        self._thread.start()
        self.commits = 0

    async def write(self, job: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``job`` inside a writer transaction; returns once it is committed."""
        future: Future[T] = Future()
        self._queue.put((job, future))
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Finish the queued writes and stop the thread."""
        self._queue.put(None)
        self._thread.join()
        self._conn.close()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < MAX_GROUP:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                group.append(more)
            self._commit_group(group)

    def _commit_group(self, group: list[Job]) -> None:
        try:
            results = self._transaction([job for job, _ in group])
        except BaseException as exc:
            if len(group) == 1:
                group[0][1].set_exception(exc)
                return
            # One bad page must not take the others down: commit each on its own.
            for job in group:
                self._commit_group([job])
            return
        self.commits += 1
        for (_, future), result in zip(group, results, strict=True):
            future.set_result(result)
        if self._after_commit is not None:
            self._after_commit(self._conn)

    def _transaction(self, jobs: list[Callable[[duckdb.DuckDBPyConnection], Any]]) -> list[Any]:
        conn = self._conn
        conn.execute("BEGIN TRANSACTION")
        try:
            results = [job(conn) for job in jobs]
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                conn.execute("ROLLBACK")
            raise
        return results
