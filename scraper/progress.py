"""A live progress line on stderr while a crawl runs, throttled to a few updates a second."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.text import Text

if TYPE_CHECKING:
    from scraper.crawler import Crawler


class CrawlProgress:
    """Shows pages fetched and queued, posts, comments, errors, rate and time left."""

    def __init__(self, console: Console | None = None, interval: float = 0.25) -> None:
        self.console = console or Console(stderr=True)
        self.interval = interval
        self._last = 0.0
        self._live = Live(Text(""), console=self.console, transient=False, refresh_per_second=4)

    def __enter__(self) -> CrawlProgress:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(None, None, None)

    def __call__(self, crawler: Crawler) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        row = crawler.conn.execute(
            "SELECT (SELECT count(*) FROM frontier WHERE state = 'queued'),"
            " (SELECT count(*) FROM posts), (SELECT count(*) FROM comments)"
        ).fetchone()
        queued, posts, comments = row if row is not None else (0, 0, 0)
        stats = crawler.stats
        elapsed = max(now - stats.started, 1e-6)
        rate = stats.fetched / elapsed
        errors = sum(stats.errors.values())
        left = f" · ~{queued / rate:.0f}s left" if rate > 0 and queued else ""
        self._live.update(
            Text(
                f"fetched {stats.fetched} · queued {queued} · posts {posts} · "
                f"comments {comments} · errors {errors} · {rate:.1f} pages/s{left}"
            )
        )
