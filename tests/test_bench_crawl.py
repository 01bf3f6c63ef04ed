"""How the crawl benchmark reads repeated runs of one crawler."""

from __future__ import annotations

from bench.crawl import _median_run, _runs_note
from bench.crawlers import Outcome


def _run(wall: float, requests: int = 203) -> Outcome:
    return Outcome(
        crawler="blogcorpus", target="robshouse", wall=wall, requests=requests, posts_total=60,
        posts_found=60, cores_used=1.5, peak_rss_mb=200.0, concurrency=4, command="crawl",
    )  # fmt: skip


def test_the_median_run_stands_for_the_crawler_with_every_wall_time_noted() -> None:
    runs = [_run(2.6, 1), _run(2.2, 2), _run(2.4, 3), _run(3.9, 4), _run(2.3, 5)]
    median = _median_run(runs)
    assert (median.wall, median.requests) == (2.4, 3)  # all its figures from that one run
    assert median.walls == [2.6, 2.2, 2.4, 3.9, 2.3]
    assert runs[2].walls == []  # the runs themselves are left as they were


def test_an_even_count_takes_the_lower_middle_run() -> None:
    assert _median_run([_run(2.0), _run(1.0), _run(4.0), _run(3.0)]).wall == 2.0


def test_the_note_gives_each_crawlers_range() -> None:
    ours = _median_run([_run(2.4), _run(2.2), _run(2.5)])
    theirs = _median_run([_run(2.0), _run(1.9), _run(2.1)])
    assert _runs_note(ours, theirs) == (
        "median of 3 runs taking turns (ours 2.20 to 2.50 s; Scrapy 1.90 to 2.10 s); "
    )
    assert _runs_note(_run(2.4), _run(2.0)) == ""


def test_where_the_wall_time_went_is_listed_only_when_measured() -> None:
    from dataclasses import replace

    from bench.report import _phase_lines

    assert _phase_lines([_run(2.1)]) == []
    lines = _phase_lines([replace(_run(2.1), phases=(0.4, 1.5, 0.2))])
    assert lines[-1] == "- blogcorpus on robshouse: 0.40 + 1.50 + 0.20 s"
