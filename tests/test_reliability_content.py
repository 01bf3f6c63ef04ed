"""Faults of the network and of content, through a whole crawl: every bad URL becomes a recorded
outcome with a reason and the crawl goes on; bombs stop at the cap in bounded memory; the
encodings matrix comes out clean with the encoding recorded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sampleblog.generated import GeneratedBlog
from scraper.config import CrawlConfig
from scraper.crawler import run_crawl
from tests.servers import hostile
from tests.servers.hostile import ENCODING_PAGES, HostileServer
from tests.test_reliability_blog import REPO

hostile_server = hostile.hostile_server
MIB = 1 << 20

FAULTS = {
    "/reset": "reset",
    "/reset-mid-body": "reset",
    "/close": "closed",
    "/silence": "timeout",
    "/drip?interval=0.5&size=1000": "deadline",
    "/lying-length/short": "truncated",
    "/chunked/broken": "protocol",
    "/chunked/truncated": "truncated",
    "/status/500": "HTTP 500",
    "/bomb/gzip": "too_large",
    "/endless": "too_large",
}


def _frontier(db: Path) -> dict[str, tuple[str, str | None, int]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute("SELECT url, state, reason, attempts FROM frontier").fetchall()
    finally:
        conn.close()
    return {url: (state, reason, attempts) for url, state, reason, attempts in rows}


def test_network_faults_are_recorded_and_the_crawl_goes_on(
    hostile_server: HostileServer, tmp_path: Path
) -> None:
    hostile_server.robots_mode = "missing"
    hostile.bomb("gzip")  # built once up front, so its first serving is not slowed
    links = [*FAULTS, "/flap", "/fail-then-ok?fail=2", "/page/after"]
    body = "".join(f'<a href="{link}">x</a> ' for link in links)
    hostile_server.add("/", f"<html><body>{body}</body></html>".encode())
    db = tmp_path / "corpus.duckdb"
    run_crawl(
        CrawlConfig(
            seeds=(hostile_server.url("/"),),
            db_path=db,
            delay=0,
            concurrency=4,
            parse_workers=0,
            guess_well_known=False,
            read_timeout=1.0,
            deadline=3.0,
            max_bytes=2 * MIB,
            backoff=0.05,
            retries=2,
        )
    )
    frontier = _frontier(db)
    base = hostile_server.url("")
    for link, reason in FAULTS.items():
        state, recorded, _ = frontier[base + link]
        assert state == "failed", (link, state, recorded)
        assert recorded and reason in recorded, (link, recorded)
    # Bounded retries: transient failures are tried three times in all, never more.
    asked = hostile_server.paths()
    assert asked.count("/reset") == 3 and asked.count("/silence") == 3
    assert asked.count("/bomb/gzip") == 1, "a too-large body is not worth retrying"
    # Flapping and recovering servers end with the page stored.
    assert frontier[base + "/flap"][0] == "done"
    assert frontier[base + "/fail-then-ok?fail=2"][0] == "done"
    assert frontier[base + "/page/after"][0] == "done"


def test_slow_drip_is_cut_at_the_deadline_plus_one_second(
    hostile_server: HostileServer, tmp_path: Path
) -> None:
    from scraper.addresses import AddressPolicy
    from scraper.fetch import Fetcher, FetchSettings

    async def fetch() -> Any:
        fetcher = Fetcher(
            FetchSettings(user_agent="t", read_timeout=5, deadline=2.0),
            AddressPolicy.for_seeds([hostile_server.url("/")]),
        )
        try:
            return await fetcher.fetch(hostile_server.url("/drip?interval=0.2&size=100000"))
        finally:
            await fetcher.aclose()

    import asyncio

    result = asyncio.run(fetch())
    print(f"slow drip: aborted after {result.elapsed:.2f} s (deadline 2 s)", file=sys.stderr)
    assert result.error == "deadline"
    assert result.elapsed <= 2.0 + 1.0


_BOMB_PROBE = textwrap.dedent(
    """
    import asyncio, json, sys
    from scraper.addresses import AddressPolicy
    from scraper.fetch import Fetcher, FetchSettings

    async def main():
        url, cap = sys.argv[1], int(sys.argv[2])
        fetcher = Fetcher(FetchSettings(user_agent="t", max_bytes=cap, deadline=60),
                          AddressPolicy.for_seeds([url]))
        try:
            result = await fetcher.fetch(url)
        finally:
            await fetcher.aclose()
        # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across execve, so a child of a big
        # pytest process would report its parent's size.
        with open("/proc/self/status") as status:
            line = next(l for l in status if l.startswith("VmHWM:"))
        peak = int(line.split()[1]) * 1024
        print(json.dumps({"error": result.error, "body": len(result.body),
                          "decoded": result.decoded_bytes, "peak": peak}))

    asyncio.run(main())
    """
)


@pytest.mark.parametrize("kind", ["gzip", "deflate", "deflate-raw", "br", "gzip-br"])
def test_bombs_stop_at_the_cap_in_bounded_memory(hostile_server: HostileServer, kind: str) -> None:
    """Each bomb decodes to 1 GiB; the fetch runs in its own process so its peak RSS is its own."""
    cap = 10_000_000
    probe = subprocess.run(
        [sys.executable, "-c", _BOMB_PROBE, hostile_server.url(f"/bomb/{kind}"), str(cap)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    figures = json.loads(probe.stdout)
    overshoot = figures["decoded"] - cap
    print(
        f"bomb {kind}: overshoot {overshoot / 1024:.0f} KiB, peak {figures['peak'] / MIB:.0f} MiB",
        file=sys.stderr,
    )
    assert figures["error"] == "too_large" and figures["body"] == cap
    assert overshoot <= 64 * 1024
    assert figures["peak"] <= 256 * MIB


def _is_c1(ch: str) -> bool:
    return 0x80 <= ord(ch) <= 0x9F


def test_encodings_matrix_through_the_crawl(tmp_path: Path) -> None:
    """Each case of the matrix served as a blog post: text clean, encoding recorded."""
    blog = GeneratedBlog(posts=2, comments_per_post=0, seed=1, traps=False, post_feeds=False)
    template = blog.page(blog.truth.posts[1].url.split("example", 1)[1])[2]
    server = HostileServer().start()
    server.robots_mode = "missing"
    expected: dict[str, tuple[str, str]] = {}
    try:
        for name, case in ENCODING_PAGES.items():
            if case.content_type.startswith("application/"):
                continue  # the feed case: its text is checked by the feed tests
            marker = f'<h1 class="entry-title">{blog.post(1).title}</h1>'
            html = template.replace(marker, f'<h1 class="entry-title">{case.text}</h1>')
            html = html.replace('<meta charset="UTF-8" />', _meta_of(case.body))
            try:
                body = html.encode(case.encoding)
            except UnicodeEncodeError:
                body = unicodedata.normalize("NFC", html).encode(case.encoding, "xmlcharrefreplace")
            if case.body.startswith((b"\xef\xbb\xbf", b"\xff\xfe")):
                body = case.body[: 2 if case.body[1] == 0xFE else 3] + body
            path = f"/2006/01/0{len(expected) % 9 + 1}/{name}/"
            server.add(path, body, headers={"Content-Type": case.content_type})
            expected[path] = (case.text, case.encoding)
        links = "".join(f'<a href="{p}">{i}</a> ' for i, p in enumerate(expected))
        server.add("/", f"<html><body>{links}</body></html>".encode())
        db = tmp_path / "corpus.duckdb"
        run_crawl(
            CrawlConfig(
                seeds=(server.url("/"),),
                db_path=db,
                delay=0,
                parse_workers=0,
                guess_well_known=False,
            )
        )
    finally:
        server.stop()
    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute(
            "SELECT p.url, p.encoding, posts.title, posts.text FROM pages p "
            "LEFT JOIN posts USING (post_id) WHERE p.url LIKE '%/2006/%'"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) == len(expected) >= 11
    for url, encoding, title, text in rows:
        want, codec = expected[url.split(str(server.port), 1)[1]]
        assert title == want, (url, title)
        assert "\ufffd" not in (title + (text or "")), url
        assert not any(_is_c1(ch) for ch in title + (text or "")), url
        assert encoding, f"encoding not recorded for {url}"
        assert _same_codec(encoding, codec), (url, encoding, codec)


def _meta_of(body: bytes) -> str:
    """The case's own meta tag (the matrix labels some pages only there)."""
    head = body[:300].decode("latin-1")
    start = head.find("<meta")
    return head[start : head.find(">", start) + 1] if start >= 0 else ""


def _same_codec(a: str, b: str) -> bool:
    import codecs

    def norm(name: str) -> str:
        return codecs.lookup(name).name

    family = {"cp932": "shift_jis", "cp949": "euc_kr", "gb18030": "gb2312", "utf-16-le": "utf-16"}
    return norm(a) == norm(b) or {norm(a), norm(b)} <= {norm(b), norm(family.get(b, b))}
