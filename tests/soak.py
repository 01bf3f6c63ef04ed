"""The long runs, on demand (``make soak``; ``python -m tests.soak --help``).

1. ``kill``: the 2,000-post generated blog crawled through the CLI with 10 seeded random
   ``kill -9``, then the same command to the end; prints missing posts and comments, duplicate
   rows, re-fetches against kills × (concurrency + pages whose commit may be pending).
2. ``faults``: tens of thousands of pages (a big generated blog) behind a proxy-free fault
   injector: the blog itself answers a seeded share of requests with 503 or a reset connection,
   while the crawler's resident memory is sampled; prints the pages per second and the memory
   at each tenth of the run, which must stay flat (last tenth ≤ 1.5 × the second tenth).

Exit status 0 when every figure holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from sampleblog.generated import GeneratedBlog
from tests.test_crash import LOST_PER_KILL, kill_nine_run
from tests.test_reliability_blog import compare_with_truth, crawl_command, summary_line


class FlakyBlog(GeneratedBlog):
    """The generated blog answering a seeded share of page requests with 503."""

    def __init__(self, *args: object, failure_rate: float = 0.05, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._faults = random.Random(99)
        self._rate = failure_rate

    def page(self, target: str) -> tuple[int, str, str]:
        if target != "/robots.txt" and self._faults.random() < self._rate:
            return 503, "text/plain", "busy\n"
        return super().page(target)


def soak_kill(posts: int, kills: int, seed: int) -> bool:
    blog = GeneratedBlog(
        posts=posts, comments_per_post=2, seed=5, traps=False, post_feeds=False, per_page=50
    )
    blog.start()
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "corpus.duckdb"
            figures = kill_nine_run(blog, db, kills=kills, seed=seed, window=(2.0, 6.0))
            check = compare_with_truth(db, blog)
    finally:
        blog.stop()
    elapsed = time.monotonic() - started
    print(summary_line(check, seed=seed, seconds=round(elapsed), **figures))
    return (
        check.missing_posts == check.missing_comments == 0
        and check.duplicate_post_rows == check.duplicate_comment_rows == 0
        and figures["refetches"] <= figures["kills"] * LOST_PER_KILL
    )


def soak_faults(posts: int) -> bool:
    blog = FlakyBlog(posts=posts, comments_per_post=1, seed=6, post_feeds=False, traps=False)
    blog.start()
    samples: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "corpus.duckdb"
            process = subprocess.Popen(crawl_command(blog.base_url, db), stderr=subprocess.PIPE)
            watched = psutil.Process(process.pid)
            started = time.monotonic()
            while process.poll() is None:
                try:
                    family = [watched, *watched.children(recursive=True)]
                    samples.append(sum(p.memory_info().rss for p in family) / 2**20)
                except psutil.Error:
                    pass
                time.sleep(1)
            elapsed = time.monotonic() - started
            check = compare_with_truth(db, blog)
    finally:
        blog.stop()
    tenths = [samples[len(samples) * i // 10] for i in range(10)] if samples else [0.0]
    pages = len(blog.requests)
    print(
        summary_line(
            check, requests=pages, seconds=round(elapsed), pages_per_s=round(pages / elapsed, 1)
        )
    )
    print("memory MiB by tenth of the run:", " ".join(f"{m:.0f}" for m in tenths))
    flat = len(tenths) < 3 or tenths[-1] <= 1.5 * tenths[1]
    return check.missing_posts == 0 and check.duplicate_post_rows == 0 and flat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", nargs="*", default=["kill", "faults"])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--fault-posts", type=int, default=20000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args(argv)
    ok = True
    if "kill" in args.which:
        ok &= soak_kill(args.posts, args.kills, args.seed)
    if "faults" in args.which:
        ok &= soak_faults(args.fault_posts)
    print("soak:", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
