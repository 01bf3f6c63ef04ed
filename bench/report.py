"""BENCHMARKS.md: the figures as tables, the per-crawler details, and the goals not met."""

from __future__ import annotations

import platform
import shutil
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import version

from bench.common import REPO, Figure
from bench.crawlers import SCRAPY_PYTHON, Outcome

# Why a goal is missed and what would close it, from profiles of this code (py-spy, cProfile).
# Shown only for the goals that the run found unmet.
EXPLANATIONS: dict[str, str] = {
    "faster than Scrapy": (
        "The whole crawl is faster than Scrapy's on danvk and lafuite, not on robshouse. Pages "
        "per second are below Scrapy's on the three mirrors: on danvk and lafuite because "
        "blogcorpus asks fewer times for the same posts (danvk 611 requests against 1,036, "
        "lafuite 221 against 371); on robshouse, where both ask 203 times, because its crawl "
        "takes longer. Scrapy extracts links and stores nothing; the same spider building a "
        'corpus (trafilatura on every page it fetches, the rows "Scrapy CrawlSpider + '
        "trafilatura\") takes three to six times blogcorpus's time. On robshouse blogcorpus "
        "has every post before Scrapy does (1.37 s against 1.45 s in the median runs); what "
        'it loses comes after. Where the time goes ("Where the wall time went" below): '
        "blogcorpus sends its first request sooner than Scrapy (0.34 s against 0.45 s), makes "
        "the same 203 requests in 1.47 s against 1.20 s, and needs 0.27 s after the last one "
        "against 0.14 s (the search index, about 80 ms, and the checkpoint that leaves the "
        "corpus one file, about 80 ms; one-off timings). Between the first request and the "
        "last the crawl waits for parsing: its child processes (the parsers) use 1.6 CPU "
        "seconds, its other threads (chiefly the writer) 0.7 and its main thread 0.8, about "
        '3.1 CPU seconds for 2 cores in 2.1 s ("Where blogcorpus\'s CPU went" below). What '
        "narrowed the gap this session (1.24 to 1.16; the earlier run took single crawls, "
        "these take the median of five): the first parsing process is started from "
        "a thread, so the first requests no longer wait for the parsing server to load the "
        "parsers (first request 0.54 to 0.47 s after start, one-off), and typer is held at "
        "0.28, since "
        "0.29 reads every option through pydantic (60 ms before any command starts). Measured "
        "and dropped (one-off): a writer waiting 10 or 30 ms for bigger groups (2.12 and "
        "2.16 s against 2.13 s); the parsing processes or the writer thread at a lower "
        "priority (2.27 s against 2.16 s; 2.08 s against 2.10 s); three parsing processes "
        "instead of two (2.25 s against 2.25 s); justext's stop lists (0.09 CPU seconds, "
        "built by each parsing process on the first page trafilatura rescues with justext) "
        "built once in the parsing server, which then forks its processes later (2.34 s "
        "against 2.24 s); a 1 ms switch interval for Python's lock (2.30 s against 2.32 s). "
        "An earlier trace that found no request in flight for 0.83 s of 1.48 s, and blamed "
        "the chain of listing pages, was taken with a probe that loaded the crawler's modules "
        "in the parsing server too and delayed it; without it the fetchers wait on the "
        "parsing of posts, not on listings. What would close robshouse is a cheaper parse of "
        "a post (trafilatura's extraction is 80% of it) or a shorter ending (building the "
        "search index while the last listing pages are fetched). Earlier steps: a post page "
        "that holds all its comments no longer hands over the comments' permalinks (Blogger's "
        "showComment: 180 of lafuite's 401 requests); a tag's or category's listing that "
        "lists its posts no longer hands over the section's own feed (robshouse 227 to 203 "
        "requests, danvk 635 to 611); the URLs a page reveals are fetched before its commit "
        "(lafuite 3.05 to 2.77 s, robshouse 2.75 to 2.51 s); trafilatura's metadata only "
        "where the page's markup misses the title, author or date; the theme's body element "
        "read alone where it holds a post's worth of text; small writer statements bound as "
        "parameters instead of an Arrow table; the heap frozen before the interpreter's exit "
        "sweeps it. Measured and dropped earlier: every listing fetched before the posts "
        "(2.64 s against 2.37 s); trafilatura's fast mode (body recall on trafilatura_eval "
        "0.942 to 0.931); a plain cleaner of the theme's body element instead of trafilatura "
        "(body F1 0.966 to 0.955 on scrapinghub_aeb); reading a short post's box instead of "
        "the whole page (a third off robshouse's posts, but trafilatura_eval recall 0.942 to "
        "0.939 and the box's byline kept as text on short posts)."
    ),
    "fewer than Scrapy and wget": (
        "blogcorpus also fetches what Scrapy and wget never ask for: robots.txt, the guessed "
        "sitemaps and feeds, every post's comment feed and paged comments (which hold "
        "comments the alternatives do not parse anyway). On the generated blog the traps "
        "(calendars, day archives) cost requests before the scope rules learn them. Posts "
        "whose addresses look like nothing in particular are found first as a listing's "
        "entries (the links under its headings); a listing that marks its entries in no "
        "heading leaves them to wait among the plain links."
    ),
    "1.0": (
        "Posts missing from the corpus are listed in bench/work/results.json per target; on "
        "a crawl stopped by the time budget the crawler had not yet reached them."
    ),
    ">= 0.9 x trafilatura alone": (
        "Where the parse's CPU goes (cProfile over the 300 pages): trafilatura's "
        "`bare_extraction` for the body and its metadata, 80%; comments 7%; discovering URLs "
        "3%; our metadata 2%; the lexbor parse 2%. Dates written in words are read by a "
        "month-name table for seven languages before dateparser, which gets the page's "
        "language, not a detection over all of its languages. Below 0.9 in a run, look for "
        "a page whose comment dates went back to dateparser."
    ),
    "parsing does not stall fetching": (
        "The pool pays when the crawl is bound by CPU; a crawl bound by the blog's delay "
        "gains nothing from it. Compare the cores used with the pool and inline."
    ),
    "flat (< 5 MB per 1,000 pages)": (
        "The trend is the least-squares slope of the memory samples against pages fetched, "
        "from a quarter of the crawl to its last page; the difference between the first "
        "quarter's peak and the overall peak is given beside it. That peak-to-peak reading "
        "counts a transient spike as growth: in the 2,000-post crawl of this run one spike "
        "of about 60 MB (page 7,120, gone four samples later) made 6.83 MB per 1,000 pages "
        "of a curve that ended lower than it stood at a quarter. A 2,000-post crawl is short "
        "for the plateau: the tree grows while DuckDB's page cache fills up to the crawl's "
        "256 MB cap and the parse workers warm up. On the 100,000-post generated blog "
        "(`make bench-scale`, Memory at scale above, read peak to peak before the slope "
        "replaced it: 100,000 pages in 57 minutes) the last three quarters grew 0.67 MB per "
        "1,000 pages. Sampled per process during a 3,000-page crawl: the main process rose "
        "from 239 MB to about 370 MB within the first 1,500 pages and then stayed there, the "
        "two parse workers stayed at 110 MB each, the forkserver at 45 MB. The gap to "
        "Scrapy's 100 MB is those parse workers and DuckDB's cache."
    ),
}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("", "cores") or abs(value) < 10:
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _ratio(figure: Figure) -> str:
    ratio = figure.ratio
    if ratio is None:
        return "—"
    # Always say it as "x times better/worse" so the reader need not know the direction.
    better = ratio if figure.higher_is_better else (1 / ratio if ratio else float("inf"))
    return f"{ratio:.2f} ({'better' if better >= 1 else 'worse'})"


def _goal(figure: Figure) -> str:
    if not figure.goal:
        return ""
    mark = {True: "met", False: "**not met**", None: "not measured"}[figure.met]
    return f"{figure.goal}: {mark}"


def figures_table(figures: Sequence[Figure]) -> list[str]:
    lines = []
    section = None
    for figure in figures:
        if figure.section != section:
            section = figure.section
            lines += ["", f"### {section}", ""]
            lines.append("| metric | blogcorpus | alternative | theirs | ratio | goal |")
            lines.append("|---|---:|---|---:|---:|---|")
        unit = f" {figure.unit}" if figure.unit else ""
        ours = _fmt(figure.ours, figure.unit) + (unit if figure.ours is not None else "")
        theirs = _fmt(figure.theirs, figure.unit) + (unit if figure.theirs is not None else "")
        metric = figure.metric + (f" — {figure.note}" if figure.note else "")
        lines.append(
            f"| {metric} | {ours} | {figure.alternative or '—'} | {theirs} | "
            f"{_ratio(figure)} | {_goal(figure)} |"
        )
    return lines


def crawl_table(outcomes: Sequence[Outcome]) -> list[str]:
    lines = [
        "| target | crawler | conc. | wall s | requests | pages/s | recall | s to recall "
        "| req to recall | req/post | cores | peak RSS MB | stored MB | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for o in outcomes:
        note = "stopped by the time budget" if o.stopped_by_budget else ""
        if o.error:
            note = (note + "; " if note else "") + o.error.replace("|", "/")
        stored = f"{o.corpus_bytes / 2**20:,.1f}" if o.corpus_bytes else "—"
        to_recall = f"{o.seconds_to_recall:,.1f}" if o.seconds_to_recall is not None else "—"
        lines.append(
            f"| {o.target} | {o.crawler} | {o.concurrency} | {o.wall:,.1f} | {o.requests:,} | "
            f"{o.pages_per_second:,.1f} | {o.recall:.3f} ({o.posts_found}/{o.posts_total}) | "
            f"{to_recall} | {o.requests_to_recall or '—'} | {_fmt(o.requests_per_post, '')} | "
            f"{o.cores_used:.2f} | {o.peak_rss_mb:,.0f} | {stored} | {note} |"
        )
    return lines


def _tool_versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    for package in ("trafilatura", "duckdb", "httpx", "selectolax"):
        parts.append(f"{package} {version(package)}")
    if SCRAPY_PYTHON.exists():
        out = subprocess.run(
            [str(SCRAPY_PYTHON), "-c", "import scrapy; print(scrapy.__version__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        parts.append(f"Scrapy {out.stdout.strip() or '?'}")
    wget = shutil.which("wget")
    if wget:
        first = subprocess.run([wget, "--version"], capture_output=True, text=True, check=False)
        parts.append(first.stdout.split("\n", 1)[0].split(" built")[0])
    return ", ".join(parts)


def _phase_lines(outcomes: list[Outcome]) -> list[str]:
    timed = [o for o in outcomes if o.phases and o.crawler in ("blogcorpus", "Scrapy CrawlSpider")]
    if not timed:
        return []
    return [
        "",
        "Where the wall time went (seconds from the start to the first request, from the first "
        "request to the last, and from the last request to the exit; the median runs):",
        "",
        *[
            f"- {o.crawler} on {o.target}: {o.phases[0]:.2f} + {o.phases[1]:.2f} + "
            f"{o.phases[2]:.2f} s"
            for o in timed
            if o.phases
        ],
    ]


def render(
    figures: Sequence[Figure],
    outcomes: Sequence[Outcome],
    *,
    quick: bool,
    seconds: float,
    skipped: Sequence[str],
    commit: str = "",
    finished: datetime | None = None,
) -> str:
    """The whole BENCHMARKS.md text; ``finished`` is when the run ended (now by default)."""
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`.venv/bin/python -m bench.run`"
        + (" --quick" if quick else "")
        + "); do not edit by hand. "
        "Each figure is blogcorpus beside the tool a user would otherwise pick, measured in "
        "the same run on the same machine. These machines are shared and noisy: read the "
        "ratios, not the absolute numbers.",
        "",
        f"Run: {finished or datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        + (f" at commit {commit}" if commit else "")
        + f", {'quick' if quick else 'full'} mode, "
        f"{seconds / 60:.1f} minutes; {cpu}, {_cpu_count()} cores; {_tool_versions()}.",
        "",
        "Servers run on 127.0.0.1 inside the benchmark process (the site mirrors from "
        "`../shared/data` and the generated blog); requests are counted in their logs. "
        "Nagle's algorithm is switched off on both test servers: they send headers and body "
        "in two writes, and with it on every keep-alive response waits about 40 ms for a "
        "delayed ACK (see `bench/servers.py`).",
        "",
        "## Figures",
        *figures_table(figures),
    ]
    if outcomes:
        lines += [
            "",
            "## Crawls in detail",
            "",
            "Requests per post count the requests made until the crawler's final recall was "
            "reached, over the posts it found. wget cannot fetch in parallel (concurrency 1). "
            "Scrapy runs with its defaults (depth-first order), as a user's CrawlSpider would. "
            "Scrapy and wget are timed fetching only, without parsing anything; blogcorpus "
            "parses every page and commits it to the corpus as it goes. On the site mirrors, "
            '"Scrapy CrawlSpider + trafilatura" is the same spider doing blogcorpus\'s job '
            "by the usual means: `trafilatura.extract(include_comments=True, "
            'with_metadata=True, output_format="json")` on every HTML page it fetches (a '
            "generic spider cannot tell posts from listings), written to JSON Lines by "
            "Scrapy's feed exporter; its stored MB are that file's.",
            "",
            *crawl_table(outcomes),
            "",
            "Where blogcorpus's CPU went (CPU seconds; the main thread runs the event loop: "
            "fetching, scheduling, handing pages over; the other threads are chiefly the "
            "corpus writer's DuckDB commits; the child processes parse):",
            "",
            *[
                f"- {o.crawler} on {o.target}: "
                + ", ".join(f"{part} {cpu:,.1f} s" for part, cpu in o.cpu_split.items())
                + f" (wall {o.wall:,.1f} s)"
                for o in outcomes
                if o.crawler.startswith("blogcorpus") and o.cpu_split
            ],
            *_phase_lines(outcomes),
            "",
            "Where the requests went on crawls stopped by the time budget (URL shapes, digits "
            "as N):",
            "",
            *[
                f"- {o.crawler} on {o.target}: "
                + ", ".join(
                    f"`{shape if len(shape) < 48 else shape[:45] + '...'}` ×{count:,}"
                    for shape, count in o.request_shapes[:4]
                )
                for o in outcomes
                if o.stopped_by_budget
            ],
            "",
            "Commands (URL is the served blog's address, DB a fresh corpus file):",
            "",
        ]
        for command in dict.fromkeys(o.command for o in outcomes):
            lines.append(f"    {command}")
    missed = [f for f in figures if f.goal and f.met is False]
    lines += ["", "## Goals not met", ""]
    if not missed:
        lines.append("None in this run.")
    for goal in dict.fromkeys(f.goal for f in missed):
        which = "; ".join(f"{f.section}: {f.metric}" for f in missed if f.goal == goal)
        lines.append(f"- **{goal}** ({which}). {EXPLANATIONS.get(goal, '')}")
    if skipped:
        lines += ["", "## Not run", ""]
        lines += [f"- {reason}" for reason in skipped]
    lines += [
        "",
        "## Reproduce",
        "",
        "    make bench                          # the full run, about 16 minutes",
        "    .venv/bin/python -m bench.run --quick   # about 5 minutes, smaller inputs",
        "    .venv/bin/python -m bench.run --only parse   # one of parse, load, crawl, query",
        "    make bench-scale                    # memory of 20,000 / 100,000-page crawls, hours",
        "",
        "Raw numbers of the last run: `bench/work/results.json`.",
        "",
    ]
    return "\n".join(lines)


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1


def write(text: str) -> None:
    (REPO / "BENCHMARKS.md").write_text(text, encoding="utf-8")
