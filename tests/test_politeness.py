"""Politeness, measured where it matters: on the server, from its request log.

Per-host delay (and that the same check fails with no delay), robots.txt disallow (also behind
a redirect), RFC 9309's reading of robots.txt failures, a byte-order mark, a 5 MB robots.txt,
Crawl-delay honoured and capped, Retry-After in seconds and as a date.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sampleblog.generated import GeneratedBlog
from scraper.config import CrawlConfig
from scraper.crawler import run_crawl
from tests.servers import hostile
from tests.servers.hostile import HostileServer

hostile_server = hostile.hostile_server
DELAY = 0.2


def worst_mean_gap(times: Sequence[float], window: int = 10) -> float:
    """The smallest mean gap over any ``window`` consecutive gaps between requests."""
    assert len(times) > window, f"only {len(times)} requests"
    ordered = sorted(times)
    return min((ordered[i + window] - ordered[i]) / window for i in range(len(ordered) - window))


def crawl(url: str, tmp_path: Path, **options: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "seeds": (url,),
        "db_path": tmp_path / "corpus.duckdb",
        "delay": 0,
        "concurrency": 4,
        "parse_workers": 0,
        "guess_well_known": False,
        **options,
    }
    return run_crawl(CrawlConfig(**settings))


@pytest.fixture
def blog() -> Iterator[GeneratedBlog]:
    served = GeneratedBlog(posts=40, comments_per_post=1, seed=3, post_feeds=False)
    served.start()
    try:
        yield served
    finally:
        served.stop()


@pytest.mark.parametrize("delay", [DELAY, 0.0])
def test_per_host_delay_measured_by_the_server(
    blog: GeneratedBlog, tmp_path: Path, delay: float
) -> None:
    crawl(blog.base_url, tmp_path, delay=delay, max_pages=30)
    gap = worst_mean_gap([r.time for r in blog.requests])
    print(f"delay {delay}: worst mean gap over 10 requests {gap:.3f} s", file=sys.stderr)
    passes = gap >= 0.9 * DELAY
    # The check has teeth: it holds with the delay and fails without it.
    assert passes is (delay > 0), gap


def _links_page(server: HostileServer, *targets: str) -> str:
    links = "".join(f'<p><a href="{t}">link {i}</a></p>' for i, t in enumerate(targets))
    server.add("/", f"<html><head><title>home</title></head><body>{links}</body></html>".encode())
    return server.url("/")


def test_disallow_reached_through_a_redirect(hostile_server: HostileServer, tmp_path: Path) -> None:
    seed = _links_page(
        hostile_server, "/redirect/to?location=/private/secret", "/private/direct", "/page/ok"
    )
    crawl(seed, tmp_path)
    paths = hostile_server.paths()
    assert "/page/ok" in paths and "/redirect/to" in paths
    assert not [p for p in paths if p.startswith("/private/")], paths


@pytest.mark.parametrize(
    ("mode", "private_fetched"),
    [("bom", False), ("normal", False), ("missing", True)],
)
def test_robots_rules_bom_and_missing(
    hostile_server: HostileServer, tmp_path: Path, mode: str, private_fetched: bool
) -> None:
    """A BOM must not hide the rules; a 404 robots.txt means no rules (RFC 9309)."""
    hostile_server.robots_mode = mode
    seed = _links_page(hostile_server, "/private/a", "/page/b")
    crawl(seed, tmp_path, max_crawl_delay=0.05)
    paths = hostile_server.paths()
    assert "/page/b" in paths
    assert ("/private/a" in paths) is private_fetched, paths


def test_robots_server_error_means_disallow_for_now(
    hostile_server: HostileServer, tmp_path: Path
) -> None:
    hostile_server.robots_mode = "error"
    seed = _links_page(hostile_server, "/page/b")
    summary = crawl(seed, tmp_path, robots_retry_after=0.1, robots_max_failures=3)
    assert set(hostile_server.paths()) == {"/robots.txt"}, hostile_server.paths()
    assert hostile_server.paths().count("/robots.txt") == 3
    assert any("robots.txt unavailable" in reason for reason in summary["errors"]), summary


def test_five_megabyte_robots_is_capped(hostile_server: HostileServer, tmp_path: Path) -> None:
    hostile_server.robots_mode = "big"
    seed = _links_page(hostile_server, "/page/b")
    started = time.monotonic()
    crawl(seed, tmp_path)
    elapsed = time.monotonic() - started
    assert "/page/b" in hostile_server.paths()
    assert elapsed < 5, f"a 5 MB robots.txt cost {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("declared", "cap", "low", "high"), [(1, 30.0, 0.9, 30.0), (3600, 0.4, 0.36, 3.0)]
)
def test_crawl_delay_is_honoured_up_to_its_cap(
    hostile_server: HostileServer,
    tmp_path: Path,
    declared: float,
    cap: float,
    low: float,
    high: float,
) -> None:
    robots = f"User-agent: *\nCrawl-delay: {declared:g}\n".encode()
    hostile_server.add("/robots.txt", robots, headers={"Content-Type": "text/plain"})
    seed = _links_page(hostile_server, *(f"/page/{i}" for i in range(4)))
    crawl(seed, tmp_path, max_crawl_delay=cap)
    times = sorted(r.at for r in hostile_server.requests)
    # robots.txt and the first page go out together; the delay applies between pages.
    gaps = [b - a for a, b in itertools.pairwise(times[1:])]
    assert len(gaps) >= 4
    assert min(gaps) >= low and max(gaps) <= high, gaps


@pytest.mark.parametrize("form", ["seconds", "date"])
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_delays_the_next_request_to_the_host(
    hostile_server: HostileServer, tmp_path: Path, form: str, status: int
) -> None:
    seed = _links_page(hostile_server, f"/retry-after/{form}?status={status}&value=2", "/page/x")
    crawl(seed, tmp_path, concurrency=1, backoff=0.05, retries=1, max_retry_after=10)
    log = hostile_server.requests
    slow = [i for i, r in enumerate(log) if r.path.startswith("/retry-after/")]
    assert slow, [r.path for r in log]
    for index in slow:
        if index + 1 < len(log):
            wait = log[index + 1].at - log[index].at
            # An HTTP date has one-second resolution: it may mean a little under 2 s.
            assert wait >= (1.9 if form == "seconds" else 0.95), (form, wait)
