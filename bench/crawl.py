"""Crawl benchmark: the real site mirrors and a generated blog, three crawlers each.

Every target is crawled by blogcorpus, then Scrapy, then wget, each from a cold start, with the
same time budget; on the mirrors blogcorpus and Scrapy take turns ``MIRROR_ROUNDS`` times and
each is judged by its median run. Figures compare blogcorpus with Scrapy (speed, CPU) and with
both (requests per post, recall); the full per-crawler table goes to BENCHMARKS.md as well.

Scrapy and wget only fetch. On the site mirrors Scrapy also runs a second time doing the job
blogcorpus does, by the usual means: trafilatura on every page it fetches, results written to
JSON Lines. That is the cost of building the corpus without blogcorpus. (Not on the generated
blog, where Scrapy never gets past its traps within the time budget either way.)
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from bench.common import Figure, fresh_dir
from bench.crawlers import (
    CONCURRENCY,
    SCRAPY_EXTRACTING,
    Outcome,
    Target,
    crawl_blogcorpus,
    crawl_scrapy,
    crawl_wget,
    scrapy_available,
    wget_available,
)
from bench.pages import mirror_sites
from bench.servers import serve_generated, serve_mirror

COMMAND = ".venv/bin/python -m bench.run --only crawl"
# A mirror's crawl takes two to ten seconds, as long as the machine's noise: blogcorpus and
# Scrapy crawl it this many times, taking turns, and each is judged by its median run.
MIRROR_ROUNDS = 5
# 2,000 posts and about 20,000 comments: the generator draws 0..2c comments a post, plus 24 on
# one post in 97 (paged comments), so c = 9.75 gives 10 a post on average.
GENERATED_POSTS = 2000
COMMENTS_PER_POST = 9.75


def _crawl_all(
    target: Target,
    work_name: str,
    budget: float,
    *,
    inline_too: bool = False,
    extracting_too: bool = False,
    rounds: int = 1,
) -> list[Outcome]:
    work = fresh_dir(work_name)
    ours: list[Outcome] = []
    theirs: list[Outcome] = []
    for _ in range(rounds):
        ours.append(crawl_blogcorpus(target, work, budget=budget))
        if scrapy_available():
            theirs.append(crawl_scrapy(target, budget=budget))
    outcomes = [_median_run(ours)]
    if theirs:
        outcomes.append(_median_run(theirs))
    if inline_too:
        # The same crawl with parsing on the event loop's process: what the pool buys.
        outcomes.append(
            crawl_blogcorpus(
                target, work, budget=budget, parse_workers=0, label="blogcorpus, parsing inline"
            )
        )
    if scrapy_available() and extracting_too:
        outcomes.append(crawl_scrapy(target, budget=budget, extract_to=work))
    if wget_available():
        outcomes.append(crawl_wget(target, work, budget=budget))
    return outcomes


def _median_run(runs: list[Outcome]) -> Outcome:
    """The run of median wall time (the lower middle one of an even count), with every
    run's wall time noted."""
    ranked = sorted(runs, key=lambda o: o.wall)
    return replace(ranked[(len(ranked) - 1) // 2], walls=[o.wall for o in runs])


def run_crawls(quick: bool = False) -> list[Outcome]:
    """Crawl every target with every available crawler."""
    outcomes: list[Outcome] = []
    sites = mirror_sites()
    if quick:
        sites = [s for s in sites if "robshouse" in s.name]
    for site in sites:
        with serve_mirror(site) as target:
            outcomes += _crawl_all(
                target,
                "mirror-" + site.name.split()[0],
                budget=600,
                inline_too=not quick and "WordPress" in site.name,
                extracting_too=True,
                rounds=1 if quick else MIRROR_ROUNDS,
            )
    posts = 100 if quick else GENERATED_POSTS
    budget = 45 if quick else 300
    with serve_generated(posts, COMMENTS_PER_POST) as (target, _blog):
        outcomes += _crawl_all(target, "generated", budget=budget)
    return outcomes


def _pick(outcomes: list[Outcome], target: str, crawler: str) -> Outcome | None:
    return next((o for o in outcomes if o.target == target and o.crawler == crawler), None)


def _full_recall_seconds(outcome: Outcome) -> float | None:
    return outcome.seconds_to_recall if outcome.recall >= 1.0 else None


def _time_figure(section: str, ours: Outcome, scrapy: Outcome, budgeted: bool) -> Figure:
    """Whole-crawl time; on a trap-laden blog, the time until every post was found."""
    if not budgeted:
        ours_t: float | None = ours.wall
        theirs_t: float | None = scrapy.wall
        metric = "seconds for the whole crawl"
        met = ours.wall < scrapy.wall
    else:
        ours_t, theirs_t = _full_recall_seconds(ours), _full_recall_seconds(scrapy)
        metric = f"seconds until every post was found (budget {ours.wall:.0f} s, traps)"
        # Finding every post at all beats not finding them within the budget.
        met = ours_t is not None and (theirs_t is None or ours_t < theirs_t)
    return Figure(
        section=section,
        metric=metric,
        ours=ours_t,
        unit="s",
        alternative="Scrapy CrawlSpider",
        theirs=theirs_t,
        higher_is_better=False,
        goal="faster than Scrapy",
        met=met,
        command=COMMAND,
        note=_runs_note(ours, scrapy)
        + f"recall: ours {ours.recall:.3f}, Scrapy {scrapy.recall:.3f}"
        + ("; — means not every post within the budget" if budgeted else ""),
    )


def _runs_note(ours: Outcome, scrapy: Outcome) -> str:
    if len(ours.walls) < 2:
        return ""
    spread = "; ".join(
        f"{name} {min(o.walls):.2f} to {max(o.walls):.2f} s"
        for name, o in (("ours", ours), ("Scrapy", scrapy))
        if o.walls
    )
    return f"median of {len(ours.walls)} runs taking turns ({spread}); "


def figures(outcomes: list[Outcome]) -> list[Figure]:
    """Per target: time, pages/s, requests/post and recall against Scrapy and wget."""
    result: list[Figure] = []
    for target in dict.fromkeys(o.target for o in outcomes):
        ours = _pick(outcomes, target, "blogcorpus")
        scrapy = _pick(outcomes, target, "Scrapy CrawlSpider")
        wget = _pick(outcomes, target, "wget --mirror")
        if ours is None:
            continue
        section = f"Crawl: {target}"
        budgeted = any(o.stopped_by_budget for o in (ours, scrapy, wget) if o)
        if scrapy is not None:
            result.append(_time_figure(section, ours, scrapy, budgeted))
            result.append(
                Figure(
                    section=section,
                    metric="pages/s (server-side requests / wall time)",
                    ours=ours.pages_per_second,
                    unit="pages/s",
                    alternative="Scrapy CrawlSpider",
                    theirs=scrapy.pages_per_second,
                    goal="faster than Scrapy",
                    met=ours.pages_per_second > scrapy.pages_per_second,
                    command=COMMAND,
                    note=f"concurrency {CONCURRENCY} for both, delay 0",
                )
            )
            result.append(
                Figure(
                    section=section,
                    metric="CPU cores used during the crawl (of 2)",
                    ours=ours.cores_used,
                    unit="cores",
                    alternative="Scrapy CrawlSpider",
                    theirs=scrapy.cores_used,
                    command=COMMAND,
                    note="CPU seconds of the crawler's process tree / wall seconds",
                )
            )
        for other in (scrapy, wget):
            if other is None:
                continue
            fewer = (
                ours.requests_per_post is not None
                and (other.requests_per_post is None
                     or ours.requests_per_post < other.requests_per_post)
            )  # fmt: skip
            result.append(
                Figure(
                    section=section,
                    metric="requests per post found (until final recall)",
                    ours=ours.requests_per_post,
                    unit="req/post",
                    alternative=other.crawler,
                    theirs=other.requests_per_post,
                    higher_is_better=False,
                    goal="fewer than Scrapy and wget",
                    # Fewer requests only count at a recall at least as good, without errors.
                    met=ours.error is None and ours.recall >= other.recall and fewer,
                    command=COMMAND,
                    note=f"recall: ours {ours.recall:.3f}, theirs {other.recall:.3f}"
                    + (f"; blogcorpus failed: {ours.error}" if ours.error else ""),
                )
            )
        extracting = _pick(outcomes, target, SCRAPY_EXTRACTING)
        if extracting is not None:
            result.append(
                Figure(
                    section=section,
                    metric="seconds for the whole crawl, building the corpus",
                    ours=ours.wall,
                    unit="s",
                    alternative="Scrapy CrawlSpider + trafilatura.extract on every page",
                    theirs=extracting.wall,
                    higher_is_better=False,
                    command=COMMAND,
                    note="trafilatura(include_comments, with_metadata, json) on each HTML "
                    "page Scrapy fetched, written to JSON Lines; "
                    f"recall: ours {ours.recall:.3f}, theirs {extracting.recall:.3f}",
                )
            )
        inline = _pick(outcomes, target, "blogcorpus, parsing inline")
        if inline is not None:
            result.append(
                Figure(
                    section=section,
                    metric="wall seconds with the parsing pool (default) vs parsing inline",
                    ours=ours.wall,
                    unit="s",
                    alternative="blogcorpus --parse-workers 0",
                    theirs=inline.wall,
                    higher_is_better=False,
                    goal="parsing does not stall fetching",
                    met=ours.wall < inline.wall,
                    command=COMMAND,
                    note=f"cores used {ours.cores_used:.2f} with the pool, "
                    f"{inline.cores_used:.2f} inline",
                )
            )
        result.append(
            Figure(
                section=section,
                metric="recall of posts",
                ours=ours.recall,
                unit="",
                alternative="Scrapy / wget",
                theirs=max((o.recall for o in (scrapy, wget) if o), default=None),
                goal="1.0",
                met=ours.recall >= 1.0,
                command=COMMAND,
                note=", ".join(
                    f"{o.crawler} {o.recall:.3f}" for o in (scrapy, wget) if o is not None
                ),
            )
        )
    return result


def run(quick: bool = False) -> tuple[list[Figure], dict[str, Any], list[Outcome]]:
    outcomes = run_crawls(quick)
    raw = {"outcomes": [asdict(o) for o in outcomes]}
    return figures(outcomes), raw, outcomes
