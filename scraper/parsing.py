"""The processes that parse fetched pages beside the crawl, and how they are started.

The parsers (trafilatura above all) take about half a second to import. The crawler's own
process never needs them when a pool parses: it hands pages over by reference to
``parse_in_worker``, a function of this light module, so only the pool imports the parsers.
``start_parse_server`` lets that import run on another core while the crawler is still starting.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.records import ParsedPage

# What a terminal's Ctrl-C, ``timeout`` or a service manager send to a whole process group.
_GROUP_STOPS = (signal.SIGINT, signal.SIGTERM)

# Imported once by the server the parsing processes are forked from, so each starts ready.
PRELOADED = ["parsers.extract"]


def start_parse_server() -> None:
    """Start the parsing processes' server now, importing the parsers in the background.

    Parsing processes are started from a clean server process, not forked from the crawler: the
    crawler runs threads (the corpus writer, the event loop's), and forking a threaded process
    can copy a lock held mid-operation into the child. Starting that server is what costs time
    (a fresh interpreter importing the parsers); calling this early overlaps it with the
    crawler's own start-up instead of making the first pages wait. Safe to call again.
    """
    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOADED)
    if threading.current_thread() is not threading.main_thread():
        multiprocessing.forkserver.ensure_running()
        return
    # The server and its workers must outlive a Ctrl-C or SIGTERM sent to the whole process
    # group (the crawler stops them itself): the pool learns through the server how each
    # worker ended, and loses them all if it dies; a worker killed as it starts breaks the
    # pool too. An ignored signal stays ignored across exec and fork, so the server is
    # started ignoring both, and so is every worker it forks, from its first instruction.
    # They leave when the crawler's process is gone, as always.
    previous = {stop: signal.signal(stop, signal.SIG_IGN) for stop in _GROUP_STOPS}
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def parse_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` parsing processes, forked from the server as pages arrive."""
    start_parse_server()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_exit_with_crawler,
        initargs=(os.getpid(),),
    )
    # Start the first process now, beside the crawl's first fetches, and from a thread: a
    # fork waits until the server has its parsers loaded, and the fetches need not wait.
    threading.Thread(target=_start_a_process, args=(pool,), name="parse-pool-start").start()
    return pool


def _start_a_process(pool: ProcessPoolExecutor) -> None:
    # A crawl that ended (or broke its pool) first has nothing left to start.
    with contextlib.suppress(RuntimeError):
        pool.submit(os.getpid)


def parse_in_worker(body: bytes, url: str, content_type: str | None) -> ParsedPage:
    """In a parsing process: ``parsers.extract.parse_document`` (already imported there)."""
    from parsers.extract import parse_document

    return parse_document(body, url, content_type)


def _exit_with_crawler(crawler_pid: int) -> None:
    """In a parsing process: leave with the crawler, and only with it.

    Ctrl-C in a terminal (or ``timeout``, or a service manager) signals the whole process
    group. The crawler answers by finishing its pages and stopping its pool; a worker that
    died of the same signal would have broken the pool under it, with a traceback from every
    process. So workers ignore those signals. A crawler killed with ``kill -9`` cannot stop
    its pool, and the workers, blocked on a queue whose other end they also hold, would
    otherwise wait forever: they watch for it to be gone.
    """
    for stop in _GROUP_STOPS:  # in case the server was started elsewhere (a test, a library)
        signal.signal(stop, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(crawler_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                os._exit(0)  # the PID now belongs to another user's process: ours is gone

    threading.Thread(target=watch, name="exit-with-crawler", daemon=True).start()
