"""The crawl loop: pick the next URL, fetch it politely, parse it, commit it, repeat.

The frontier lives in the corpus, so memory stays flat and a killed crawl resumes where it
stopped: each page's raw body, parsed records, newly found URLs and done state are committed in
one transaction. Parsing runs in a process pool when asked, beside the fetching on another core.
A worker does not wait for its page's commit unless ``write_behind`` pages already wait for
theirs: the writer thread then commits whole groups of pages at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time
import uuid
from bisect import bisect_right
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import duckdb

from corpus.db import CorpusError, open_corpus, sql_literal
from corpus.search import ensure_index
from corpus.snapshot import discard_snapshot, maybe_publish_snapshot
from corpus.store import (
    FrontierEntry,
    PageWrite,
    ParsedWrite,
    UrlMark,
    enqueue,
    fill_site_languages,
    prune_orphan_authors,
    save_site,
    site_id_for,
    transaction,
)
from corpus.writer import CorpusWriter, WriteBatch
from parsers.decode import decode_document, looks_binary
from parsers.records import Page, ParsedPage
from parsers.urls import canonicalize_url, try_canonicalize
from scraper.addresses import AddressPolicy, Resolver
from scraper.config import CrawlConfig
from scraper.fetch import Fetcher, FetchResult, FetchSettings
from scraper.parsing import parse_in_worker, parse_pool
from scraper.politeness import Politeness
from scraper.robots import RobotsRules, rules_from_response
from scraper.scope import BlogScope, TrapGuard, guess_priority

# Errors worth another try: the server or the network may do better next time.
TRANSIENT_ERRORS = frozenset(
    {"timeout", "deadline", "connect", "reset", "protocol", "network", "closed", "truncated"}
)
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
PARSED_TYPES = ("html", "xml", "rss", "atom", "text/plain", "json")
# Pages guessed at, since blogs commonly have them and robots.txt may not say.
WELL_KNOWN = ("sitemap.xml", "wp-sitemap.xml", "sitemap_index.xml", "feed/", "feeds/posts/default")
# How many queued URLs the scheduler holds in memory to pick from (ordered by priority), and
# how long that window may be used before it is read again from the frontier.
SCHEDULER_WINDOW = 256
WINDOW_TTL = 0.5
WINDOW_MIN_AGE = 0.05
# How many URLs handed to the frontier this run are remembered (with the priority they were
# given), so that the links every page repeats (sidebars, archives, categories) are not
# checked and written again on every page. Bounded, so memory stays flat.
REMEMBERED_URLS = 50_000


@dataclass(slots=True)
class Site:
    seed: str
    scope: BlogScope
    site_id: str
    declared: dict[str, int] = field(default_factory=dict)
    # The addresses this run's sitemaps listed: the yardstick of the crawl's coverage.
    sitemap_urls: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class WorkItem:
    url: str
    site_id: str
    priority: int
    depth: int
    found_via: str
    attempts: int


@dataclass(slots=True)
class CrawlStats:
    fetched: int = 0
    changed: int = 0
    not_modified: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    started: float = field(default_factory=time.monotonic)


ProgressCallback = Callable[["Crawler"], None]


class Crawler:
    """Crawls the configured blogs into the corpus; one instance per run."""

    def __init__(
        self,
        config: CrawlConfig,
        *,
        resolver: Resolver | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.config = config
        self.resolver = resolver
        self.progress = progress
        self.crawl_id = uuid.uuid4().hex[:16]
        self.stats = CrawlStats()
        self.sites: dict[str, Site] = {}
        self.robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.politeness = Politeness(
            delay=config.delay,
            max_crawl_delay=config.max_crawl_delay,
            max_retry_after=config.max_retry_after,
            parallel_when_no_delay=max(1, config.concurrency),
        )
        self.traps = TrapGuard(since=config.since, until=config.until)
        self._inflight: set[str] = set()
        # Pages fetched whose commit is pending (URL -> the task committing it).
        self._unsaved: dict[str, asyncio.Task[None]] = {}
        self._write_failure: BaseException | None = None
        # The scheduler's window of the frontier, and the URLs taken from it since it was read.
        self._window: list[tuple[Any, ...]] = []
        self._window_read_at = float("-inf")
        self._window_cost = 0.0  # seconds the last read took
        self._window_behind = False  # URLs better than the window's were queued since
        self._taken: set[str] = set()
        self._handed: OrderedDict[str, int] = OrderedDict()  # URL -> best priority handed over
        # Whether every URL of the frontier was put there by this run, and ``_handed`` still
        # remembers them all: a URL it has not seen is then surely new to the frontier.
        self._frontier_fresh = False
        self._forgot_handed = False
        self._last_commit_at = 0.0
        self._stopping = False
        self._page_limit_reached = False
        self._wake = asyncio.Event()
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._executor: Executor | None = None
        self._writer: CorpusWriter | None = None
        self._revisiting = False

    # -- public -----------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop scheduling; pages being fetched finish (or are abandoned after a grace period)."""
        self._stopping = True
        self._wake.set()

    @property
    def conn(self) -> duckdb.DuckDBPyConnection:
        assert self._conn is not None, "crawl not started"
        return self._conn

    async def run(self) -> dict[str, Any]:
        """Crawl until the frontier is empty, ``--max-pages`` is reached, or ``stop()``."""
        self._conn = open_corpus(self.config.db_path, memory_limit=self.config.memory_limit)
        try:
            # The writer's statements are small: with DuckDB's default of a thread per core, each
            # wakes a second thread that fights the parsing processes for the cores, and a
            # page's writes took 1.7 times as long. The ending (search index) gets them back.
            self._conn.execute("SET threads = 1")
            self._start()
            if self.config.parse_workers > 0:
                self._executor = parse_pool(self.config.parse_workers)
            fetcher = Fetcher(
                FetchSettings(
                    user_agent=self.config.user_agent,
                    connect_timeout=self.config.connect_timeout,
                    read_timeout=self.config.read_timeout,
                    deadline=self.config.deadline,
                    max_bytes=self.config.max_bytes,
                ),
                AddressPolicy.for_seeds(self.config.seeds, allow_private=self.config.allow_private),
                resolver=self.resolver,
            )
            self._writer = CorpusWriter(
                self.conn, known_new=not self._revisiting, after_commit=self._after_commit
            )
            try:
                workers = [
                    asyncio.create_task(self._worker(fetcher))
                    for _ in range(max(1, self.config.concurrency))
                ]
                try:
                    await asyncio.gather(*workers)
                    # Stopped early (or --max-pages): the last pages' commits may be pending.
                    await asyncio.gather(*self._unsaved.values())
                    self._raise_write_failure()
                except BaseException:
                    # One worker failed (the disk is full): stop the others' fetches before
                    # closing the client under them, or their half-open connects leak.
                    pending = [*workers, *self._unsaved.values()]
                    for task in pending:
                        task.cancel()
                    await asyncio.gather(*pending, return_exceptions=True)
                    raise
            finally:
                await fetcher.aclose()
                if self._executor is not None:
                    self._executor.shutdown(wait=False, cancel_futures=True)
                self._writer.close()
                self._writer = None
            return self._finish()
        finally:
            self._conn.close()
            self._conn = None
            discard_snapshot(self.config.db_path)

    # -- set-up -----------------------------------------------------------------------------

    def _start(self) -> None:
        conn = self.conn
        held = conn.execute("SELECT count(*) FROM frontier").fetchone()
        self._frontier_fresh = held is not None and held[0] == 0
        for raw_seed in self.config.seeds:
            seed = canonicalize_url(raw_seed)
            scope = BlogScope.from_seed(seed, self.config.include, self.config.exclude)
            site = Site(seed=seed, scope=scope, site_id=site_id_for(scope.root_url))
            self.sites[site.site_id] = site
            save_site(conn, site_id=site.site_id, root_url=scope.root_url)
        conn.execute(
            "INSERT INTO crawls VALUES (?, ?, NULL, ?, ?, NULL)",
            [self.crawl_id, datetime.now(UTC), list(self.config.seeds), self.config.to_json()],
        )
        for site in self.sites.values():
            pending = conn.execute(
                "SELECT count(*) FROM frontier WHERE site_id = ? AND state = 'queued'",
                [site.site_id],
            ).fetchone()
            done = conn.execute(
                "SELECT count(*) FROM frontier WHERE site_id = ? AND state <> 'queued'",
                [site.site_id],
            ).fetchone()
            if pending and pending[0]:
                continue  # an interrupted crawl: resume it as it stood
            if done and done[0] and self._ended_unfinished(site):
                # Killed after its last page was committed (building the search index):
                # nothing is left to fetch, only the ending to do again.
                continue
            if done and done[0]:
                self._revisiting = True
                self._plan_revisit(site)
            self._seed(site)

    def _ended_unfinished(self, site: Site) -> bool:
        """Whether the last earlier crawl of this site's seed never reached its end."""
        earlier = self.conn.execute(
            "SELECT seeds, finished_at IS NULL FROM crawls WHERE crawl_id <> ?"
            " ORDER BY started_at DESC",
            [self.crawl_id],
        ).fetchall()
        for seeds, unfinished in earlier:
            if any(try_canonicalize(s) == site.seed for s in seeds or ()):
                return bool(unfinished)
        return False

    def _seed(self, site: Site) -> None:
        entries = [
            FrontierEntry(
                url=site.seed, site_id=site.site_id, priority=5, depth=0, found_via="seed"
            )
        ]
        if self.config.guess_well_known:
            for path in WELL_KNOWN:
                url = try_canonicalize(site.scope.root_url + path)
                if url and site.scope.contains(url):
                    entries.append(
                        FrontierEntry(
                            url=url,
                            site_id=site.site_id,
                            priority=1,
                            depth=1,
                            found_via="well-known",
                        )
                    )
        with transaction(self.conn):
            enqueue(self.conn, entries)
            self.conn.execute(
                "UPDATE frontier SET state = 'queued', attempts = 0 WHERE url = ?", [site.seed]
            )
        for entry in entries:
            self._remember(entry.url, entry.priority)

    def _plan_revisit(self, site: Site) -> None:
        """A re-crawl: ask again for listings, feeds, pages that failed and posts still open to
        comments; conditional requests make unchanged pages cheap. Addresses the blog answered
        "not found" or "gone" are left as they are (danvk: 58 dead links asked again on every
        re-crawl); errors that may pass (timeouts, 5xx) are tried again."""
        with transaction(self.conn):
            self.conn.execute(
                """
                UPDATE frontier SET state = 'queued', attempts = 0, reason = NULL
                WHERE site_id = ? AND (
                    (state = 'failed' AND coalesce(reason, '') NOT IN ('HTTP 404', 'HTTP 410'))
                    OR url IN (SELECT url FROM pages WHERE site_id = ?
                               AND kind IN ('listing', 'feed', 'other')
                               AND status NOT IN (404, 410))
                    OR url IN (SELECT p.url FROM pages p JOIN posts USING (post_id)
                               WHERE p.site_id = ? AND coalesce(posts.comments_open, TRUE))
                )
                """,
                [site.site_id, site.site_id, site.site_id],
            )

    # -- scheduling -------------------------------------------------------------------------

    def _read_window(self) -> None:
        """Re-read the best queued URLs from the frontier (committed state only)."""
        started = time.monotonic()
        self._window = self.conn.execute(
            "SELECT url, site_id, priority, depth, found_via, attempts, not_before "
            "FROM frontier WHERE state = 'queued' "
            "ORDER BY priority, discovered_at, url LIMIT ?",
            [SCHEDULER_WINDOW + len(self._inflight) + len(self._unsaved)],
        ).fetchall()
        self._window_read_at = time.monotonic()
        self._window_cost = self._window_read_at - started
        self._window_behind = False
        # A URL in flight or fetched but not yet committed is in this window as still
        # queued: it must not be picked again.
        self._taken = self._inflight | self._unsaved.keys()

    async def _next_item(self) -> WorkItem | None:
        """The next URL to fetch: the best queued one whose host may be asked now.

        The candidates come from a window of the frontier kept in memory, re-read every
        ``WINDOW_TTL`` seconds, when nothing in it can go, or soon after better URLs were
        queued: sorting a 100,000-URL frontier takes tens of milliseconds, too much to pay
        on every pick. A URL picked from
        a window is never picked from it again, so a stale window cannot fetch a page twice.
        """
        while not self._stopping:
            self._raise_write_failure()
            if self.config.max_pages is not None and (
                self.stats.fetched + len(self._inflight) >= self.config.max_pages
            ):
                self._page_limit_reached = True
                return None
            age = time.monotonic() - self._window_read_at
            # A better URL just queued (a post found on a listing) should go next, not after
            # the window's worse ones; reads stay below a tenth of the scheduler's time.
            soon = max(WINDOW_MIN_AGE, 10 * self._window_cost)
            if age > WINDOW_TTL or (self._window_behind and age > soon):
                self._read_window()
            item, earliest, candidates = self._pick_from_window()
            if item is None and not candidates and self._window_read_at < self._last_commit_at:
                # Everything in the window is taken: the frontier may hold more by now.
                self._read_window()
                item, earliest, candidates = self._pick_from_window()
            if item is not None:
                return item
            if not self._window and not self._inflight and not self._unsaved:
                self._read_window()
                if not self._window:
                    return None
                continue
            self._wake.clear()
            timeout = 1.0 if earliest is None else max(0.0, min(1.0, earliest - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
        return None

    def _schedule_early(self, entries: list[FrontierEntry], first_seen: set[str]) -> None:
        """Put URLs a page just revealed into the window before the page's commit.

        Waiting for the commit (and for the next read of the frontier) cost each step along a
        chain of listing pages about a tenth of a second, while the fetchers idled: on the
        Blogger mirror, whose older posts are reached one "older posts" page at a time, that
        was a third of the crawl. Safe because the writer commits in order: the page's writes,
        which queue these URLs in the frontier, were queued before any of them can be fetched,
        so their own writes (which mark them done) come later. URLs the frontier already holds
        are left to it: done ones must not be fetched again. ``first_seen`` holds the URLs this
        run had not handed to the frontier before: on a first crawl into a fresh corpus those
        are surely new, and the frontier is not asked (a query a page cost the scheduler about
        5 of the 60 seconds of the 2,000-post benchmark crawl).
        """
        if self._frontier_fresh and not self._forgot_handed:
            known = {entry.url for entry in entries if entry.url not in first_seen}
        else:
            known = self._in_frontier([entry.url for entry in entries])
        for entry in entries:
            if entry.url in known or entry.url in self._taken:
                continue
            row = (entry.url, entry.site_id, entry.priority, entry.depth, entry.found_via, 0, None)
            # After the window's URLs of the same priority, as the frontier would order it.
            self._window.insert(bisect_right(self._window, entry.priority, key=_priority), row)
        self._wake.set()

    def _in_frontier(self, urls: list[str]) -> set[str]:
        """Which of ``urls`` the frontier holds (committed), in any state."""
        # Literals, not a bound list: DuckDB then looks each up in the primary key's index. A
        # URL that cannot be a literal counts as held (it is then left to the frontier).
        known = {url for url in urls if "\x00" in url}
        plain = [url for url in urls if "\x00" not in url]
        for start in range(0, len(plain), 1000):  # a sitemap may list 50,000
            literals = ", ".join(sql_literal(url) for url in plain[start : start + 1000])
            query = f"SELECT url FROM frontier WHERE url IN ({literals})"
            known.update(url for (url,) in self.conn.execute(query).fetchall())
        return known

    def _note_queued(self, entries: list[FrontierEntry]) -> None:
        """Mark the window behind when committed new URLs may outrank what it holds."""
        if not entries or self._window_behind:
            return
        if len(self._window) < SCHEDULER_WINDOW:
            self._window_behind = True  # the window held every queued URL: these are missing
            return
        worst = self._window[-1][2]
        self._window_behind = min(e.priority for e in entries) < worst

    def _pick_from_window(self) -> tuple[WorkItem | None, float | None, int]:
        """The first URL of the window that may go now; else when one may, and how many wait."""
        now = time.monotonic()
        earliest: float | None = None
        wall = datetime.now(UTC)
        candidates = 0
        for url, site_id, priority, depth, via, attempts, not_before in self._window:
            if url in self._inflight or url in self._taken:
                continue
            candidates += 1
            if not_before is not None and not_before > wall:
                wait = (not_before - wall).total_seconds()
                earliest = now + wait if earliest is None else min(earliest, now + wait)
                continue
            host = urlsplit(url).netloc
            ready = self.politeness.ready_at(host)
            if ready is None:
                continue
            if ready > now:
                earliest = ready if earliest is None else min(earliest, ready)
                continue
            self.politeness.acquire(host)
            self._inflight.add(url)
            self._taken.add(url)
            item = WorkItem(url, site_id, priority, depth, via or "link", attempts)
            return item, None, candidates
        return None, earliest, candidates

    async def _worker(self, fetcher: Fetcher) -> None:
        while True:
            item = await self._next_item()
            if item is None:
                self._wake.set()  # let the other workers see the end too
                return
            host = urlsplit(item.url).netloc
            retry_after: float | None = None
            try:
                retry_after = await self._process(fetcher, item)
            finally:
                self._inflight.discard(item.url)
                self.politeness.release(host, retry_after)
                self._wake.set()
            if self.progress is not None:
                self.progress(self)

    # -- one URL ----------------------------------------------------------------------------

    async def _write(self, fill: Callable[[WriteBatch], None]) -> WriteBatch:
        """Hand writes to the writer thread and wait until they are committed."""
        return await self._committed(self._submit(fill))

    def _submit(self, fill: Callable[[WriteBatch], None]) -> Future[WriteBatch]:
        assert self._writer is not None, "crawl not running"
        return self._writer.submit(fill)

    async def _committed(self, queued: Future[WriteBatch]) -> WriteBatch:
        written = await asyncio.wrap_future(queued)
        # Noted here, on the event loop, before the worker asks for its next URL.
        self._last_commit_at = time.monotonic()
        return written

    async def _write_behind(
        self,
        url: str,
        fill: Callable[[WriteBatch], None],
        then: Callable[[WriteBatch], None],
        *,
        found: tuple[list[FrontierEntry], set[str]] | None = None,
    ) -> None:
        """Queue a page's writes and go on fetching; wait only when too many are pending.

        Until its commit, the URL stays queued in the frontier (a ``kill -9`` re-fetches it)
        and taken in the scheduler (it is not fetched twice meanwhile). The new URLs the page
        ``found`` may be fetched at once, before that commit (see ``_schedule_early``).
        """
        queued = self._submit(fill)

        async def commit() -> None:
            try:
                then(await self._committed(queued))
            finally:
                self._unsaved.pop(url, None)
                self._wake.set()

        if found is not None and found[0]:
            self._schedule_early(*found)
        task = asyncio.create_task(commit())
        self._unsaved[url] = task
        task.add_done_callback(self._note_write_failure)
        if len(self._unsaved) > self.config.write_behind:
            await asyncio.shield(task)

    def _note_write_failure(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None and self._write_failure is None:
            self._write_failure = task.exception()
            self._wake.set()

    def _raise_write_failure(self) -> None:
        """A commit nobody waited for failed (the disk is full): the crawl stops with it."""
        if self._write_failure is not None:
            raise self._write_failure

    def _after_commit(self, conn: duckdb.DuckDBPyConnection) -> None:
        # Readers (query, search, export) get a consistent copy while the crawl holds the file.
        maybe_publish_snapshot(conn, self.config.db_path)

    async def _robots_for(self, fetcher: Fetcher, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self.robots.get(origin)
            if rules is not None and rules.state != "unavailable":
                return rules
            if rules is not None and rules.failures >= self.config.robots_max_failures:
                return rules
            result = await fetcher.fetch(origin + "/robots.txt")
            self.stats.fetched += 1
            await self._write(lambda batch: batch.fetch_logs.append(self._log_row(result)))
            fresh = rules_from_response(result.status, result.body, result.error)
            fresh.failures = (
                (rules.failures + 1)
                if rules is not None
                else (1 if fresh.state == "unavailable" else 0)
            )
            self.robots[origin] = fresh
            self.politeness.set_crawl_delay(parts.netloc, fresh.crawl_delay(self.config.user_agent))
            if fresh.sitemaps:
                await self._enqueue_sitemaps(url, fresh.sitemaps)
            return fresh

    async def _enqueue_sitemaps(self, url: str, sitemaps: tuple[str, ...]) -> None:
        site = self._site_for_url(url)
        if site is None:
            return
        entries = []
        for raw in sitemaps:
            sitemap = try_canonicalize(raw)
            if sitemap and site.scope.same_origin(sitemap):
                entries.append(
                    FrontierEntry(
                        url=sitemap, site_id=site.site_id, priority=0, depth=1, found_via="robots"
                    )
                )
        for entry in entries:
            self._remember(entry.url, entry.priority)
        await self._write(lambda batch: batch.entries.extend(entries))
        self._note_queued(entries)

    def _site_for_url(self, url: str) -> Site | None:
        for site in self.sites.values():
            if site.scope.same_origin(url):
                return site
        return None

    def _log_row(self, result: FetchResult) -> list[object]:
        """A fetch_log row for a fetch that stored no page (robots.txt, a failure)."""
        return [
            self.crawl_id,
            result.url,
            datetime.now(UTC),
            result.status,
            result.error,
            len(result.body),
            result.elapsed,
            None,
        ]

    async def _process(self, fetcher: Fetcher, item: WorkItem) -> float | None:
        """Fetch, parse and commit one URL; returns a Retry-After to honour, if any."""
        rules = await self._robots_for(fetcher, item.url)
        if rules.state == "unavailable":
            await self._robots_unavailable(item, rules)
            return None
        if not rules.allows(item.url, self.config.user_agent):
            await self._finish_item(item, "skipped", "disallowed by robots.txt")
            return None

        headers = self._conditional_headers(item.url)
        site = self.sites.get(item.site_id)

        async def allow_redirect(target: str) -> bool:
            if site is None or not _same_blog(site.scope, target):
                return False
            hop_rules = await self._robots_for(fetcher, target)
            return hop_rules.allows(target, self.config.user_agent)

        result = await fetcher.fetch(item.url, headers=headers, allow_redirect=allow_redirect)
        self.stats.fetched += 1
        if result.error is not None or result.status in TRANSIENT_STATUS:
            return await self._failed_fetch(item, result)
        await self._store(item, result)
        return None

    def _conditional_headers(self, url: str) -> dict[str, str]:
        if not self._revisiting:
            return {}  # a first crawl has nothing stored to compare with
        row = self.conn.execute(
            # A page revalidated before (304) still holds its 200's body and validators.
            "SELECT etag, last_modified FROM pages WHERE url = ? AND status IN (200, 304)",
            [url],
        ).fetchone()
        headers: dict[str, str] = {}
        if row is not None:
            if row[0]:
                headers["If-None-Match"] = row[0]
            if row[1]:
                headers["If-Modified-Since"] = row[1]
        return headers

    async def _robots_unavailable(self, item: WorkItem, rules: RobotsRules) -> None:
        if rules.failures >= self.config.robots_max_failures:
            reason = "robots.txt unavailable: " + "; ".join(rules.notes)
            await self._finish_item(item, "failed", reason)
            return
        later = datetime.now(UTC) + timedelta(seconds=self.config.robots_retry_after)
        wait = UrlMark(
            url=item.url,
            state="queued",
            reason="robots.txt unavailable",
            count_attempt=False,
            not_before=later,
        )
        await self._write(lambda batch: batch.marks.append(wait))

    async def _failed_fetch(self, item: WorkItem, result: FetchResult) -> float | None:
        reason = result.error or f"HTTP {result.status}"
        transient = result.error in TRANSIENT_ERRORS or result.status in TRANSIENT_STATUS
        if transient and item.attempts < self.config.retries:
            self.stats.retries += 1
            wait = self.config.backoff * (2**item.attempts)
            if result.retry_after is not None:
                wait = max(wait, min(result.retry_after, self.config.max_retry_after))
            later = datetime.now(UTC) + timedelta(seconds=wait)

            def retry_later(batch: WriteBatch) -> None:
                batch.fetch_logs.append(self._log_row(result))
                batch.marks.append(
                    UrlMark(url=item.url, state="queued", reason=reason, not_before=later)
                )

            await self._write(retry_later)
            return result.retry_after
        state = "skipped" if (result.error or "").startswith("blocked") else "failed"
        self.stats.errors[reason] += 1
        detail = f"{reason}: {result.error_detail or ''}".strip(": ")
        page = _page_from(result, item) if result.status is not None or result.body else None

        def give_up(batch: WriteBatch) -> None:
            if page is not None:
                batch.pages.append(
                    PageWrite(page=page, site_id=item.site_id, kind="other", crawl_id=self.crawl_id)
                )
            else:
                batch.fetch_logs.append(self._log_row(result))
            batch.marks.append(
                UrlMark(url=item.url, state=state, reason=detail if page is None else reason)
            )

        await self._write(give_up)
        return result.retry_after

    async def _finish_item(self, item: WorkItem, state: str, reason: str) -> None:
        if state == "skipped":
            self.stats.skipped[reason] += 1
        elif state == "failed":
            self.stats.errors[reason] += 1
        mark = UrlMark(url=item.url, state=state, reason=reason)
        await self._write(lambda batch: batch.marks.append(mark))

    async def _parse(self, result: FetchResult) -> ParsedPage:
        url = try_canonicalize(result.final_url) or result.url
        if self._executor is None:
            from parsers.extract import parse_document  # the parsers load only where they run

            return parse_document(result.body, url, result.content_type)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, parse_in_worker, result.body, url, result.content_type
        )

    async def _store(self, item: WorkItem, result: FetchResult) -> None:
        page = _page_from(result, item)
        parsed: ParsedPage | None = None
        content_type = (result.content_type or "").lower()
        parseable = result.status == 200 and (
            not content_type or any(t in content_type for t in PARSED_TYPES)
        )
        if parseable:
            parsed = await self._parse(result)
        if result.status == 304:
            self.stats.not_modified += 1
        first_seen: set[str] = set()
        entries = self._new_entries(item, parsed, first_seen) if parsed is not None else []
        final = try_canonicalize(result.final_url)
        if final and final != item.url:
            self._remember(final, item.priority)
        status = "done" if result.status in (200, 304) else "failed"
        if status == "failed" and item.found_via == "well-known" and result.status in (404, 410):
            status = "skipped"  # a guessed address the blog does not have: no error
        kind = parsed.kind if parsed else ("other" if result.status != 304 else None)

        def save(batch: WriteBatch) -> None:
            batch.pages.append(
                PageWrite(
                    page=page,
                    site_id=item.site_id,
                    kind=kind,
                    crawl_id=self.crawl_id,
                    parse_note="; ".join(parsed.notes) if parsed and parsed.notes else None,
                    post_id=parsed.post.post_id if parsed and parsed.post else None,
                )
            )
            if parsed is not None:
                write = ParsedWrite(parsed=parsed, site_id=item.site_id, found_via=item.found_via)
                batch.parsed.append((item.url, write))
                self._note_site(batch, item.site_id, parsed)
            batch.entries.extend(entries)
            if final and final != item.url:
                # The redirect target is fetched now: never ask for it again on its own.
                batch.entries.append(
                    FrontierEntry(
                        url=final,
                        site_id=item.site_id,
                        priority=item.priority,
                        depth=item.depth,
                        found_via="redirect",
                        referrer=item.url,
                    )
                )
                batch.marks.append(
                    UrlMark(url=final, state="done", reason=f"fetched as {item.url}")
                )
            reason = {"done": None, "skipped": "guessed address not present"}.get(
                status, f"HTTP {result.status}"
            )
            batch.marks.append(UrlMark(url=item.url, state=status, reason=reason))

        def committed(written: WriteBatch) -> None:
            self._note_queued(entries)
            if written.changed.get(item.url):
                self.stats.changed += 1
            if status == "failed":
                self.stats.errors[f"HTTP {result.status}"] += 1

        await self._write_behind(item.url, save, committed, found=(entries, first_seen))

    def _note_site(self, batch: WriteBatch, site_id: str, parsed: ParsedPage) -> None:
        site = self.sites.get(site_id)
        if site is None:
            return
        if parsed.declared_post_count is not None and parsed.kind == "feed":
            key = "sitemap" if parsed.title is None else "feed"
            site.declared[key] = max(site.declared.get(key, 0), parsed.declared_post_count)
            if key == "sitemap":
                site.sitemap_urls.update(u for u in parsed.discovered if site.scope.contains(u))
        if parsed.url == site.seed or parsed.url == site.scope.root_url:
            batch.sites.append(
                {
                    "site_id": site_id,
                    "root_url": site.scope.root_url,
                    "platform": parsed.platform,
                    "title": parsed.title,
                    "language": parsed.language,
                }
            )

    def _new_entries(
        self, item: WorkItem, parsed: ParsedPage, first_seen: set[str] | None = None
    ) -> list[FrontierEntry]:
        """The URLs ``parsed`` reveals that the frontier should get (new, or better ranked);
        those this run had never handed over go into ``first_seen`` too."""
        site = self.sites.get(item.site_id)
        if site is None:
            return []
        via_for_discovered = {"feed": "feed"}.get(parsed.kind, "link")
        if parsed.kind == "feed" and parsed.title is None:
            via_for_discovered = "sitemap"
        candidates: list[tuple[str, str]] = [(u, "next") for u in parsed.next_urls]
        candidates += [(u, "entry") for u in parsed.entry_urls]
        if not _section_listing(parsed, site):
            candidates += [(u, "feed") for u in parsed.feed_urls]
        if parsed.comment_feed_url:
            candidates.append((parsed.comment_feed_url, "comment-feed"))
        candidates += [(u, via_for_discovered) for u in parsed.discovered]
        entries: list[FrontierEntry] = []
        seen: set[str] = set()
        for url, via in candidates:
            if url in seen:
                continue
            seen.add(url)
            handed = self._handed.get(url)
            if handed is None and not site.scope.contains(url):
                continue
            priority = guess_priority(url, via)
            if handed is not None and handed <= priority:
                self._handed.move_to_end(url)
                continue  # already in the frontier (or on its way), as good or better
            reason = self.traps.reason_to_skip(url, item.depth + 1)
            if reason is not None:
                self.stats.skipped[reason] += 1
                continue
            entries.append(
                FrontierEntry(
                    url=url,
                    site_id=site.site_id,
                    priority=priority,
                    depth=item.depth + 1,
                    found_via=via,
                    referrer=item.url,
                )
            )
            if handed is None and first_seen is not None:
                first_seen.add(url)
            self._remember(url, priority)
        return entries

    def _remember(self, url: str, priority: int) -> None:
        """Note that ``url`` was handed to the frontier (with the best priority so far)."""
        held = self._handed.get(url)
        if held is None or priority < held:
            self._handed[url] = priority
        self._handed.move_to_end(url)
        if len(self._handed) > REMEMBERED_URLS:
            self._handed.popitem(last=False)
            self._forgot_handed = True

    # -- the end ----------------------------------------------------------------------------

    def _finish(self) -> dict[str, Any]:
        self.conn.execute("RESET threads")
        with transaction(self.conn):
            prune_orphan_authors(self.conn)
            fill_site_languages(self.conn)
        if self.config.build_search_index and not self._stopping:
            # Searching right after a crawl should not wait for an index build.
            ensure_index(self.conn)
        summary = self.summary()
        self.conn.execute(
            "UPDATE crawls SET finished_at = ?, stats = ? WHERE crawl_id = ?",
            [datetime.now(UTC), json.dumps(summary, default=str), self.crawl_id],
        )
        return summary

    def _sitemap_coverage(self, site: Site) -> float | None:
        """The share of the sitemaps' posts and pages that the corpus holds.

        Sitemaps list more than posts: a Drupal sitemap lists every tag page and every page of
        every listing (on the robshouse mirror, 60 posts among 199 addresses, which read as a
        coverage of 33%). So the addresses fetched and found to be something else (listings,
        feeds, other files) leave the count; one not fetched, or that failed, counts as missed.
        """
        if not site.sitemap_urls:
            return None
        row = self.conn.execute(
            """
            SELECT
              count(*) FILTER (WHERE kind IN ('post', 'page')),
              count(*) FILTER (WHERE kind IN ('listing', 'feed', 'other')
                               AND status IN (200, 304))
            FROM pages WHERE site_id = $s AND url IN (SELECT unnest($urls))
            """,
            {"s": site.site_id, "urls": sorted(site.sitemap_urls)},
        ).fetchone()
        assert row is not None
        content, elsewhere = int(row[0]), int(row[1])
        listed = len(site.sitemap_urls) - elsewhere
        return round(min(content / listed, 1.0), 3) if listed > 0 else None

    def summary(self) -> dict[str, Any]:
        """Counts for this run and the corpus's totals per site."""
        elapsed = time.monotonic() - self.stats.started
        sites = []
        for site in self.sites.values():
            row = self.conn.execute(
                """
                SELECT
                  (SELECT count(*) FROM posts WHERE site_id = $s AND NOT is_page),
                  (SELECT count(*) FROM posts WHERE site_id = $s),
                  (SELECT count(*) FROM comments WHERE site_id = $s),
                  (SELECT count(*) FROM authors WHERE site_id = $s),
                  (SELECT count(*) FROM links WHERE site_id = $s),
                  (SELECT count(*) FROM frontier WHERE site_id = $s AND state = 'queued'),
                  (SELECT count(*) FROM fetch_log
                     WHERE crawl_id = $c AND starts_with(url, $origin))
                """,
                {
                    "s": site.site_id,
                    "c": self.crawl_id,
                    "origin": f"{site.scope.scheme}://{site.scope.netloc}/",
                },
            ).fetchone()
            assert row is not None
            posts, posts_and_pages = int(row[0]), int(row[1])
            found_via = dict(
                self.conn.execute(
                    "SELECT coalesce(found_via, '?'), count(*) FROM posts "
                    "WHERE site_id = ? AND NOT is_page GROUP BY 1",
                    [site.site_id],
                ).fetchall()
            )
            declared = site.declared.get("feed", 0)
            coverage = self._sitemap_coverage(site)
            if coverage is None and declared:
                # A feed that states the blog's total of posts (Blogger's totalResults).
                coverage = round(min(posts_and_pages / declared, 1.0), 3)
            sites.append(
                {
                    "site": site.scope.root_url,
                    "posts": posts,
                    "comments": int(row[2]),
                    "authors": int(row[3]),
                    "links": int(row[4]),
                    "queued": int(row[5]),
                    "requests_this_run": int(row[6]),
                    "posts_found_via": found_via,
                    "declared": site.declared,
                    "coverage": coverage,
                }
            )
        return {
            "crawl_id": self.crawl_id,
            "fetched": self.stats.fetched,
            "changed": self.stats.changed,
            "not_modified": self.stats.not_modified,
            "retries": self.stats.retries,
            "errors": dict(self.stats.errors),
            "skipped": dict(self.stats.skipped),
            "seconds": round(elapsed, 2),
            "pages_per_second": round(self.stats.fetched / elapsed, 2) if elapsed else None,
            # Stopped with URLs left: by a signal, or by --max-pages before the blog's end.
            "stopped_early": self._stopping
            or (self._page_limit_reached and any(site["queued"] for site in sites)),
            "stop_reason": "signal"
            if self._stopping
            else "max_pages"
            if self._page_limit_reached
            else None,
            "sites": sites,
        }


def _section_listing(parsed: ParsedPage, site: Site) -> bool:
    """A listing of one part of the blog (a tag, a category, an author) that lists its posts.

    The feeds such a page advertises are the section's own, which list the newest of the posts
    the page and its next pages give anyway (and the blog's main feed, which its home page
    gives): fetching them asks the blog again for nothing new, once per tag (robshouse: 18
    of 227 requests, and 8 more for the feeds' links to addresses the mirror lacks). A listing
    that lists no posts of its own (drawn by a script) keeps its feeds, as do the home page
    and the seed.
    """
    return (
        parsed.kind == "listing"
        and bool(parsed.entry_urls)
        and parsed.url not in (site.seed, site.scope.root_url)
    )


def _priority(window_row: tuple[Any, ...]) -> int:
    priority: int = window_row[2]
    return priority


def _same_blog(scope: BlogScope, url: str) -> bool:
    """Redirects may switch scheme or add/drop ``www.``, but not leave the blog."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (
        parts.netloc.removeprefix("www.") == scope.netloc.removeprefix("www.")
    )


def _encoding_of(result: FetchResult) -> str | None:
    """The codec the parsers decode this body with, so the corpus records it.

    The parsed records do not carry it (``ParsedPage`` has no such field), and without this
    ``pages.encoding`` stayed empty for every page; decoding twice costs well under a
    millisecond for a blog page.
    """
    if not result.body or looks_binary(result.body, result.content_type):
        return None
    return decode_document(result.body, result.content_type).encoding


def _page_from(result: FetchResult, item: WorkItem) -> Page:
    headers = result.headers
    return Page(
        encoding=_encoding_of(result),
        url=item.url,
        final_url=result.final_url,
        status=result.status,
        content_type=result.content_type,
        fetched_at=datetime.now(UTC),
        body=result.body,
        error=result.error,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        found_via=item.found_via,
    )


def run_crawl(
    config: CrawlConfig,
    *,
    resolver: Resolver | None = None,
    progress: ProgressCallback | None = None,
    handle_signals: bool = False,
) -> dict[str, Any]:
    """Run a crawl to its end; with ``handle_signals``, SIGINT/SIGTERM stop it cleanly."""
    crawler = Crawler(config, resolver=resolver, progress=progress)

    async def main() -> dict[str, Any]:
        if handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, crawler.stop)
        return await crawler.run()

    try:
        return asyncio.run(main())
    except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException) as exc:
        # A full disk (or a file-size limit) fails a commit or a checkpoint deep in the writer
        # (DuckDB then calls the open database invalidated): say so in one line instead of a
        # traceback. Every page committed before it stays in the corpus, in its file or log.
        first = " ".join(str(exc).split())
        raise CorpusError(f"cannot write {config.db_path}: {first}") from exc
