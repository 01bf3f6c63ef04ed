"""The three crawlers, each run as its own process against a blog served on 127.0.0.1.

blogcorpus, a Scrapy CrawlSpider limited to the host, and ``wget --mirror`` get no delay and
the same concurrency (wget cannot fetch in parallel: it always runs one request at a time,
which is said beside its figures). Requests are counted in the server's own log, not by the
crawlers. Recall is the share of the truth's posts a crawler got: for blogcorpus, posts stored
in the corpus; for Scrapy and wget, post URLs they fetched with status 200. The server log's
timestamps also give the time and the number of requests each crawler needed to reach its
final recall, which stays meaningful when a crawler is stopped by the time budget (the
generated blog has endless calendars that no crawler finishes).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb

from bench.common import BLOGCORPUS, REPO, TreeUsage, fresh_dir, run_measured
from bench.pages import normalize_path

CONCURRENCY = 4
SCRAPY_VENV = REPO / "bench" / ".venv-scrapy"
SCRAPY_PYTHON = SCRAPY_VENV / "bin" / "python"
SCRAPY_SPIDER = REPO / "bench" / "scrapy_spider.py"

LogEntry = tuple[float, str, int]  # (monotonic time, path with query, status)


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    """A blog being served: where to start, which posts exist, and what the server saw."""

    name: str
    seed: str
    posts: tuple[tuple[str, ...], ...]
    requests: Callable[[], list[LogEntry]]
    clear: Callable[[], None]


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """One crawler's run over one target."""

    crawler: str
    target: str
    wall: float
    requests: int
    posts_total: int
    posts_found: int
    cores_used: float
    peak_rss_mb: float
    concurrency: int
    command: str
    seconds_to_recall: float | None = None
    requests_to_recall: int | None = None
    stopped_by_budget: bool = False
    corpus_bytes: int | None = None
    comments: int | None = None
    error: str | None = None
    # (pages fetched so far, resident MB of the crawler's process tree)
    rss_by_pages: list[tuple[int, float]] = field(default_factory=list)
    # Where the requests went: the commonest URL shapes (digits and query values masked).
    request_shapes: list[tuple[str, int]] = field(default_factory=list)
    # CPU seconds by part of the crawler's process tree (see ``TreeUsage.cpu_split``).
    cpu_split: dict[str, float] = field(default_factory=dict)
    # Repeated crawls: the wall time of every run; this outcome is the run of the median.
    walls: list[float] = field(default_factory=list)
    # Where the wall time went: start to the first request, first request to the last, and
    # the last request to the exit (the server's log and the run share one clock).
    phases: tuple[float, float, float] | None = None

    @property
    def pages_per_second(self) -> float:
        return self.requests / self.wall if self.wall else 0.0

    @property
    def requests_per_post(self) -> float | None:
        """Requests spent until the final recall was reached, per post found.

        Per post found, not per post of the truth: a crawler stuck in a trap after finding
        one post must not look thrifty. None when it found nothing.
        """
        if not self.posts_found:
            return None
        spent = self.requests_to_recall if self.requests_to_recall else self.requests
        return spent / self.posts_found

    @property
    def recall(self) -> float:
        return self.posts_found / self.posts_total if self.posts_total else 0.0


def _post_index(posts: Sequence[tuple[str, ...]]) -> dict[str, int]:
    return {path: i for i, paths in enumerate(posts) for path in paths}


def _found(posts: Sequence[tuple[str, ...]], paths: set[str]) -> int:
    return sum(1 for post in posts if any(p in paths for p in post))


def _ok_paths(log: list[LogEntry]) -> set[str]:
    return {normalize_path(unquote(path)) for _t, path, status in log if status == 200}


def _recall_point(
    posts: Sequence[tuple[str, ...]], log: list[LogEntry], wanted: set[int], started: float
) -> tuple[float | None, int | None]:
    """When (seconds, requests) the last of the ``wanted`` posts was first fetched."""
    index = _post_index(posts)
    left = set(wanted)
    if not left:
        return None, None
    for count, (when, path, status) in enumerate(log, start=1):
        if status != 200:
            continue
        post = index.get(normalize_path(unquote(path)))
        if post is not None and post in left:
            left.discard(post)
            if not left:
                return when - started, count
    return None, None


def _shapes(log: list[LogEntry], top: int = 8) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for _t, path, _s in log:
        shape = re.sub(r"\d+", "N", path)
        shape = re.sub(r"=[^&/]*", "=…", shape)
        shape = re.sub(r"/[a-z0-9-]{12,}(?=/|$|\.)", "/slug", shape)
        counts[shape] += 1
    return counts.most_common(top)


def _rss_by_pages(usage: TreeUsage, log: list[LogEntry]) -> list[tuple[int, float]]:
    times = [t for t, _p, _s in log]
    series: list[tuple[int, float]] = []
    cursor = 0
    for when, _cpu, rss in usage.samples:
        while cursor < len(times) and times[cursor] <= when:
            cursor += 1
        series.append((cursor, rss / 2**20))
    return series


def _outcome(
    crawler: str,
    target: Target,
    usage: TreeUsage,
    found_posts: set[int],
    command: str,
    *,
    concurrency: int,
    **extra: object,
) -> Outcome:
    log = target.requests()
    seconds, count = _recall_point(target.posts, log, found_posts, usage.started)
    return Outcome(
        crawler=crawler,
        target=target.name,
        wall=usage.wall,
        requests=len(log),
        posts_total=len(target.posts),
        posts_found=len(found_posts),
        cores_used=usage.cores_used,
        peak_rss_mb=usage.peak_rss_tree / 2**20,
        concurrency=concurrency,
        command=command,
        seconds_to_recall=seconds,
        requests_to_recall=count,
        stopped_by_budget=usage.stopped_by_budget,
        rss_by_pages=_rss_by_pages(usage, log),
        request_shapes=_shapes(log),
        cpu_split=usage.cpu_split,
        phases=_phases(usage, log),
        **extra,  # type: ignore[arg-type]
    )


def _phases(usage: TreeUsage, log: list[LogEntry]) -> tuple[float, float, float] | None:
    if not log:
        return None
    first, last = min(t for t, _p, _s in log), max(t for t, _p, _s in log)
    ended = usage.started + usage.wall
    return (first - usage.started, last - first, ended - last)


def _posts_with(posts: Sequence[tuple[str, ...]], paths: set[str]) -> set[int]:
    return {i for i, post in enumerate(posts) if any(p in paths for p in post)}


def _error(usage: TreeUsage) -> str | None:
    if usage.returncode == 0 or usage.stopped_by_budget:
        return None
    tail = (usage.stderr.strip().splitlines() or ["no output"])[-1]
    return f"exit {usage.returncode}: {tail[:200]}"


def crawl_blogcorpus(
    target: Target,
    work: Path,
    *,
    concurrency: int = CONCURRENCY,
    parse_workers: int | None = None,
    budget: float = 1800.0,
    max_pages: int | None = None,
    label: str = "blogcorpus",
) -> Outcome:
    """``blogcorpus crawl`` as a user runs it; recall from the posts stored in the corpus."""
    db = work / "corpus.duckdb"
    for stale in work.glob("corpus.duckdb*"):
        stale.unlink()
    args = [
        str(BLOGCORPUS), "crawl", target.seed, "--db", str(db), "--delay", "0",
        "--concurrency", str(concurrency), "--quiet", "--json",
    ]  # fmt: skip
    if parse_workers is not None:
        args += ["--parse-workers", str(parse_workers)]
    if max_pages is not None:
        args += ["--max-pages", str(max_pages)]
    target.clear()
    usage = run_measured(args, cwd=REPO, budget=budget)
    shown = " ".join(["blogcorpus", *args[1:]]).replace(target.seed, "URL").replace(str(db), "DB")
    found: set[int] = set()
    comments = 0
    error = _error(usage)
    if db.exists():
        conn = duckdb.connect(str(db), read_only=True)
        try:
            urls = conn.execute(
                "SELECT url FROM posts WHERE NOT is_page UNION SELECT canonical_url FROM posts"
                " WHERE NOT is_page"
            ).fetchall()
            row = conn.execute("SELECT count(*) FROM comments").fetchone()
            comments = int(row[0]) if row else 0
        finally:
            conn.close()
        paths = {normalize_path(unquote(urlsplit(u).path)) for (u,) in urls if u}
        found = _posts_with(target.posts, paths)
    size = sum(f.stat().st_size for f in work.glob("corpus.duckdb*") if "snapshot" not in f.name)
    return _outcome(
        label,
        target,
        usage,
        found,
        shown,
        concurrency=concurrency,
        corpus_bytes=size,
        comments=comments,
        error=error,
    )


def scrapy_available() -> bool:
    return SCRAPY_PYTHON.exists()


SCRAPY_EXTRACTING = "Scrapy CrawlSpider + trafilatura"


def crawl_scrapy(
    target: Target,
    *,
    concurrency: int = CONCURRENCY,
    budget: float = 1800.0,
    max_pages: int | None = None,
    extract_to: Path | None = None,
) -> Outcome:
    """A host-limited CrawlSpider; recall from the post URLs it fetched.

    With ``extract_to`` (a work folder) the spider also runs trafilatura on every HTML page and
    writes the results there as JSON Lines: a corpus built by hand with the usual tools.
    """
    target.clear()
    out = None if extract_to is None else extract_to / "scrapy-trafilatura.jsonl"
    if out is not None:
        out.unlink(missing_ok=True)
    limit = [] if max_pages is None and out is None else [str(max_pages or 0)]
    usage = run_measured(
        [SCRAPY_PYTHON, SCRAPY_SPIDER, target.seed, str(concurrency), *limit,
         *([out] if out is not None else [])],
        cwd=REPO / "bench",
        budget=budget,
    )  # fmt: skip
    shown = " ".join(
        ["bench/.venv-scrapy/bin/python bench/scrapy_spider.py URL", str(concurrency), *limit,
         *(["OUT.jsonl"] if out is not None else [])]
    )  # fmt: skip
    found = _posts_with(target.posts, _ok_paths(target.requests()))
    size = out.stat().st_size if out is not None and out.exists() else None
    return _outcome(
        "Scrapy CrawlSpider" if out is None else SCRAPY_EXTRACTING,
        target,
        usage,
        found,
        shown,
        concurrency=concurrency,
        corpus_bytes=size,
        error=_error(usage),
    )


def wget_available() -> bool:
    return shutil.which("wget") is not None


def crawl_wget(target: Target, work: Path, *, budget: float = 1800.0) -> Outcome:
    """``wget --mirror --no-parent``: one request at a time, robots.txt obeyed by default."""
    out = fresh_dir(f"{work.name}-wget")
    target.clear()
    usage = run_measured(
        ["wget", "--mirror", "--no-parent", "--quiet", "--directory-prefix", str(out), target.seed],
        budget=budget,
    )
    shown = "wget --mirror --no-parent --quiet --directory-prefix DIR URL"
    found = _posts_with(target.posts, _ok_paths(target.requests()))
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    shutil.rmtree(out, ignore_errors=True)
    # wget exits 8 when any page answered an error (the mirrors have real 404s): not a failure.
    error = None if usage.returncode in (0, 8) or usage.stopped_by_budget else _error(usage)
    return _outcome(
        "wget --mirror",
        target,
        usage,
        found,
        shown,
        concurrency=1,
        corpus_bytes=size,
        error=error,
    )
