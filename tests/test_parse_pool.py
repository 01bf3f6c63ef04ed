"""The parsing processes of a crawl never outlive it, even after ``kill -9``."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from sampleblog.generated import GeneratedBlog


def test_parse_workers_exit_when_the_crawler_is_killed(tmp_path: Path) -> None:
    blog = GeneratedBlog(posts=300, comments_per_post=2, seed=3, traps=False, post_feeds=False)
    base = blog.start()
    crawler = subprocess.Popen(
        [sys.executable, "-c", "import cli; cli.main()", "crawl", base,
         "--db", str(tmp_path / "c.duckdb"), "--delay", "0", "--quiet", "--parse-workers", "2"],
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        children: list[psutil.Process] = []
        while time.monotonic() < deadline and len(children) < 3:
            time.sleep(0.5)
            children = psutil.Process(crawler.pid).children(recursive=True)
        assert len(children) >= 3, "the fork server and two parsing processes started"
        crawler.send_signal(signal.SIGKILL)
        crawler.wait()
        _gone, alive = psutil.wait_procs(children, timeout=10)
        assert alive == [], f"left running after kill -9: {alive}"
    finally:
        if crawler.poll() is None:
            crawler.kill()
            crawler.wait()
        blog.stop()
