"""One writer thread for the corpus, committing pages in groups.

A DuckDB statement costs milliseconds however few its rows, and a page's writes are about a
dozen statements: written one page at a time, they took longer than fetching and parsing the
page. So the crawler describes each page's writes as a ``WriteBatch`` filler and hands it to
this thread; whatever is queued when a transaction starts goes into that one transaction, one
statement per table. Each page's raw body, records, new URLs and done state still commit
together or not at all. How many fetched pages may wait for their commit (what a ``kill -9``
can cost in re-fetches) is the crawler's to bound (``CrawlConfig.write_behind``).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import duckdb

from corpus.store import (
    FrontierEntry,
    PageWrite,
    ParsedWrite,
    UrlMark,
    enqueue,
    mark_urls,
    save_pages,
    save_parsed_pages,
    save_site,
)

MAX_GROUP = 32


@dataclass(slots=True)
class WriteBatch:
    """Writes gathered from one or more pages, flushed with one statement per table."""

    known_new: bool = False
    pages: list[PageWrite] = field(default_factory=list)
    parsed: list[tuple[str, ParsedWrite]] = field(default_factory=list)
    entries: list[FrontierEntry] = field(default_factory=list)
    marks: list[UrlMark] = field(default_factory=list)
    fetch_logs: list[list[object]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[str, bool] = field(default_factory=dict)

    def flush(self, conn: duckdb.DuckDBPyConnection, platforms_noted: set[str]) -> None:
        self.changed = save_pages(
            conn, self.pages, known_new=self.known_new, other_fetches=self.fetch_logs
        )
        # Parsed records of an unchanged page are already stored: skip the work.
        save_parsed_pages(
            conn,
            [w for url, w in self.parsed if self.changed.get(url, True)],
            platforms_noted=platforms_noted,
        )
        for site in self.sites:
            save_site(conn, **site)
        enqueue(conn, self.entries)
        mark_urls(conn, self.marks)


Filler = Callable[[WriteBatch], None]
Job = tuple[Filler, Future[WriteBatch]]


class CorpusWriter:
    """Serialises writes on its own connection (a cursor of the caller's database)."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        *,
        known_new: bool = False,
        after_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> None:
        self._conn = conn.cursor()
        self._known_new = known_new
        self._after_commit = after_commit
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="corpus-writer", daemon=True)
        self.commits = 0
        # Sites whose platform this writer has filled in (in committed transactions).
        self._platforms_noted: set[str] = set()
        self._thread.start()

    def submit(self, fill: Filler) -> Future[WriteBatch]:
        """Queue what ``fill`` adds to a batch; the future gives the flushed batch (see
        ``changed``) once it is committed.

        Writes commit in the order they were queued, in the same or in later transactions.
        """
        future: Future[WriteBatch] = Future()
        self._queue.put((fill, future))
        return future

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
            # A job whose page was abandoned (its worker cancelled as a failing crawl stops)
            # is dropped; the others can no longer be cancelled, so their futures take a result.
            group = [job for job in group if job[1].set_running_or_notify_cancel()]
            if group:
                self._commit_group(group)

    def _commit_group(self, group: list[Job]) -> None:
        batch = WriteBatch(known_new=self._known_new)
        try:
            for fill, _ in group:
                fill(batch)
            self._transaction(batch)
        except BaseException as exc:
            if len(group) == 1:
                group[0][1].set_exception(exc)
                return
            # One bad page must not take the others down: commit each on its own.
            for job in group:
                self._commit_group([job])
            return
        self.commits += 1
        for _, future in group:
            future.set_result(batch)
        if self._after_commit is not None:
            self._after_commit(self._conn)

    def _transaction(self, batch: WriteBatch) -> None:
        conn = self._conn
        noted = set(self._platforms_noted)
        conn.execute("BEGIN TRANSACTION")
        try:
            batch.flush(conn, noted)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                conn.execute("ROLLBACK")
            raise
        self._platforms_noted = noted
