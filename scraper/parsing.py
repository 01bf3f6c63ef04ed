"""The processes that parse fetched pages beside the crawl, and how they are started.

The parsers (trafilatura above all) take about half a second to import. The crawler's own
process never needs them when a pool parses: it hands pages over by reference to
``parse_in_worker``, a function of this light module, so only the pool imports the parsers.
``start_parse_server`` lets that import run on another core while the crawler is still starting.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.records import ParsedPage

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
    multiprocessing.forkserver.ensure_running()


def parse_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` parsing processes, forked from the server as pages arrive."""
    start_parse_server()
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_exit_with_crawler,
        initargs=(os.getpid(),),
    )


def parse_in_worker(body: bytes, url: str, content_type: str | None) -> ParsedPage:
    """In a parsing process: ``parsers.extract.parse_document`` (already imported there)."""
    from parsers.extract import parse_document

    return parse_document(body, url, content_type)


def _exit_with_crawler(crawler_pid: int) -> None:
    """In a parsing process: leave as soon as the crawler is gone.

    A crawler killed with ``kill -9`` cannot stop its pool, and the workers, blocked on a queue
    whose other end they also hold, would otherwise wait forever.
    """

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
