"""Memory: resident memory of the crawler's whole process tree as the crawl grows.

The frontier lives in the corpus on disk, so memory should stay flat however many pages a crawl
has seen. Each crawl's sampler gives resident memory over time and the server log gives pages
fetched over time; joined, they give memory against pages fetched, read at checkpoints. Scrapy
keeps its frontier in memory: its curve from the same generated blog is the comparison.
"""

from __future__ import annotations

from typing import Any

from bench.common import Figure
from bench.crawlers import Outcome

COMMAND = ".venv/bin/python -m bench.run --only crawl"
CHECKPOINTS = (500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000)


def rss_at(series: list[tuple[int, float]], pages: int) -> float | None:
    """Highest resident MB seen up to the moment ``pages`` pages had been fetched."""
    seen = [mb for count, mb in series if count <= pages]
    if not seen or series[-1][0] < pages:
        return None
    return max(seen)


def growth_per_1000(series: list[tuple[int, float]]) -> float | None:
    """MB per 1,000 pages over the last three quarters of the crawl: the least-squares slope
    of resident memory against pages fetched, from a quarter of the crawl to its last page.

    A slope, not the difference between two peaks: one transient spike (a checkpoint, the copy
    of a snapshot) reads as growth that way, in a crawl whose memory ended lower than it stood
    at a quarter. The ending (search index, exit) is left out.
    """
    if not series or series[-1][0] < 400:
        return None
    last = series[-1][0]
    points = [(count, mb) for count, mb in series if last // 4 <= count < last]
    if len({count for count, _ in points}) < 2:
        return None
    mean_pages = sum(count for count, _ in points) / len(points)
    mean_mb = sum(mb for _, mb in points) / len(points)
    spread = sum((count - mean_pages) ** 2 for count, _ in points)
    slope = sum((count - mean_pages) * (mb - mean_mb) for count, mb in points) / spread
    return slope * 1000


def peak_growth_per_1000(series: list[tuple[int, float]]) -> float | None:
    """MB gained per 1,000 pages from the highest point of the first quarter of the crawl to
    its highest point overall (the stricter, spike-sensitive reading, shown beside the slope)."""
    if not series or series[-1][0] < 400:
        return None
    last = series[-1][0]
    quarter = last // 4
    early = max((mb for count, mb in series if count <= quarter), default=None)
    if early is None or last == quarter:
        return None
    return (max(mb for _count, mb in series) - early) / (last - quarter) * 1000


def checkpoint_figure(
    ours: Outcome,
    scrapy: Outcome | None,
    pages: int,
    *,
    section: str,
    metric: str,
    command: str,
    note: str,
) -> Figure | None:
    """Peak memory of both crawlers once ``pages`` pages were fetched; None if ours never got
    there."""
    mine = rss_at(ours.rss_by_pages, pages)
    if mine is None:
        return None
    theirs = rss_at(scrapy.rss_by_pages, pages) if scrapy else None
    return Figure(
        section=section,
        metric=metric,
        ours=mine,
        unit="MB",
        alternative="Scrapy CrawlSpider" if theirs is not None else "",
        theirs=theirs,
        higher_is_better=False,
        command=command,
        note=note,
    )


def growth_figure(
    ours: Outcome, scrapy: Outcome | None, *, section: str, metric: str, command: str
) -> Figure:
    """Memory growth per 1,000 pages of both crawlers, against the flat-memory goal."""
    slope = growth_per_1000(ours.rss_by_pages)
    theirs = growth_per_1000(scrapy.rss_by_pages) if scrapy else None
    peaks = peak_growth_per_1000(ours.rss_by_pages)
    return Figure(
        section=section,
        metric=metric,
        note="least-squares slope of the samples"
        + ("" if peaks is None else f"; peak to peak {peaks:.2f} MB"),
        ours=slope,
        unit="MB",
        alternative="Scrapy CrawlSpider" if theirs is not None else "",
        theirs=theirs,
        higher_is_better=False,
        goal="flat (< 5 MB per 1,000 pages)",
        met=None if slope is None else slope < 5,
        command=command,
    )


def figures(outcomes: list[Outcome]) -> tuple[list[Figure], dict[str, Any]]:
    """Memory checkpoints for blogcorpus on the largest crawl, beside Scrapy's."""
    ours = [o for o in outcomes if o.crawler == "blogcorpus" and o.rss_by_pages]
    if not ours:
        return [], {}
    largest = max(ours, key=lambda o: o.requests)
    scrapy = next(
        (o for o in outcomes if o.target == largest.target and o.crawler == "Scrapy CrawlSpider"),
        None,
    )
    result: list[Figure] = []
    raw: dict[str, Any] = {"target": largest.target, "checkpoints": {}}
    for pages in CHECKPOINTS:
        figure = checkpoint_figure(
            largest,
            scrapy,
            pages,
            section="Memory",
            metric=f"peak RSS of the process tree after {pages:,} pages ({largest.target})",
            command=COMMAND,
            note="main process and parsing workers together",
        )
        if figure is None:
            raw["checkpoints"][pages] = "not reached"
            continue
        raw["checkpoints"][pages] = {"blogcorpus_mb": figure.ours, "scrapy_mb": figure.theirs}
        result.append(figure)
    growth = growth_figure(
        largest,
        scrapy,
        section="Memory",
        metric=f"RSS trend per 1,000 pages, last three quarters of the crawl "
        f"({largest.requests:,} pages)",
        command=COMMAND,
    )
    raw["growth_mb_per_1000_pages"] = {"blogcorpus": growth.ours, "scrapy": growth.theirs}
    result.append(growth)
    return result, raw
