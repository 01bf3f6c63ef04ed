"""Memory at scale: crawls of 20,000 and 100,000 generated pages, beside Scrapy on the same blog.

``python -m bench.scale [--pages N ...] [--budget SECONDS]`` (``make bench-scale``). Each size
serves a generated blog with that many posts (one reader comment each on average, traps
included) and lets each crawler fetch that many pages (``--max-pages`` for blogcorpus, Scrapy's
``CLOSESPIDER_PAGECOUNT``). The resident memory of each crawler's whole process tree is
sampled against the pages it had fetched, as in the crawl benchmark.

These crawls take far longer than the rest of ``make bench`` (100,000 pages is hours at the
measured rate), so they run on their own and save their figures to ``bench/scale-results.json``
(kept in the repository); ``make bench`` shows the last saved run in BENCHMARKS.md, with its
date and commit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from bench.common import REPO, Figure, fresh_dir
from bench.crawlers import Outcome, crawl_blogcorpus, crawl_scrapy, scrapy_available
from bench.memory import checkpoint_figure, growth_figure
from bench.servers import serve_generated

SAVED = REPO / "bench" / "scale-results.json"
COMMAND = ".venv/bin/python -m bench.scale"
SIZES = (20_000, 100_000)
COMMENTS_PER_POST = 1.0
# Where each crawl's memory curve is read (those it reached within its time budget).
CHECKPOINTS = (2_000, 5_000, 20_000, 50_000, 100_000)


def run_size(pages: int, budget: float, scrapy_budget: float) -> list[Outcome]:
    """Crawl one generated blog of ``pages`` posts with blogcorpus, then with Scrapy."""
    outcomes = []
    with serve_generated(pages, COMMENTS_PER_POST) as (target, _blog):
        work = fresh_dir(f"scale-{pages}")
        print(f"bench.scale: blogcorpus, {pages:,} pages ...", file=sys.stderr, flush=True)
        outcomes.append(crawl_blogcorpus(target, work, max_pages=pages, budget=budget))
        if scrapy_available():
            print(f"bench.scale: Scrapy, {pages:,} pages ...", file=sys.stderr, flush=True)
            outcomes.append(crawl_scrapy(target, budget=scrapy_budget, max_pages=pages))
    return outcomes


def figures(outcomes: list[Outcome]) -> list[Figure]:
    """Peak memory at checkpoints of each size and the growth over the crawl."""
    result: list[Figure] = []
    for ours in (o for o in outcomes if o.crawler == "blogcorpus"):
        scrapy = next(
            (o for o in outcomes if o.target == ours.target and o.crawler != "blogcorpus"), None
        )
        size = ours.posts_total
        command = f"{COMMAND} --pages {size}"
        reached = f"{ours.requests:,} pages in {ours.wall / 60:.0f} min" + (
            ", stopped by the time budget" if ours.stopped_by_budget else ""
        )
        for pages in CHECKPOINTS:
            figure = checkpoint_figure(
                ours,
                scrapy,
                pages,
                section="Memory at scale",
                metric=f"peak RSS of the process tree after {pages:,} pages "
                f"(crawl of {size:,} generated pages)",
                command=command,
                note=f"blogcorpus fetched {reached}",
            )
            if figure is not None:
                result.append(figure)
        result.append(
            growth_figure(
                ours,
                scrapy,
                section="Memory at scale",
                metric=f"RSS trend per 1,000 pages over the last three quarters "
                f"(crawl of {size:,} generated pages: {reached})",
                command=command,
            )
        )
    return result


def load_saved() -> tuple[list[Figure], dict[str, Any]] | None:
    """The figures of the last saved run, and when and at which commit it ran."""
    if not SAVED.exists():
        return None
    saved = json.loads(SAVED.read_text(encoding="utf-8"))
    run = saved["run"]
    section = (
        f"Memory at scale (`make bench-scale`, run {run['when']} at commit {run['commit']}, "
        f"{run['minutes']:.0f} minutes)"
    )
    return [replace(Figure(**f), section=section) for f in saved["figures"]], run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--pages", type=int, action="append", help="crawl size (repeatable)")
    parser.add_argument(
        "--budget", type=float, default=4 * 3600.0, help="seconds blogcorpus's crawl may take"
    )
    parser.add_argument(
        "--scrapy-budget", type=float, default=None, help="seconds Scrapy's may take (--budget)"
    )
    args = parser.parse_args(argv)
    sizes = args.pages or list(SIZES)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    started = time.monotonic()
    outcomes: list[Outcome] = []
    for size in sizes:
        outcomes += run_size(size, args.budget, args.scrapy_budget or args.budget)
    found = figures(outcomes)
    run = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "sizes": sizes,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "outcomes": [
            {k: v for k, v in asdict(o).items() if k not in ("rss_by_pages", "request_shapes")}
            for o in outcomes
        ],
    }
    SAVED.write_text(
        json.dumps({"run": run, "figures": [asdict(f) for f in found]}, indent=2, default=str),
        encoding="utf-8",
    )
    for figure in found:
        print(f"{figure.metric}: {figure.ours} MB (Scrapy {figure.theirs})")
    print(f"bench.scale: saved {SAVED} in {run['minutes']} minutes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
