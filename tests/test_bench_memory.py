"""How the benchmark reads memory growth off a crawl's samples."""

from __future__ import annotations

import pytest

from bench.memory import growth_per_1000, peak_growth_per_1000


def test_a_transient_spike_is_not_growth() -> None:
    # Flat at 500 MB over 8,000 pages, but one 60 MB spike late (a checkpoint), then the
    # ending (index, exit) at the last page's count.
    series = [(pages, 500.0) for pages in range(0, 8000, 20)]
    series[350] = (7000, 560.0)
    series += [(8000, 520.0), (8000, 0.0)]
    assert growth_per_1000(series) == pytest.approx(0.0, abs=0.5)
    assert peak_growth_per_1000(series) == pytest.approx(10.0, abs=0.1)


def test_steady_growth_is_read_as_its_slope() -> None:
    series = [(pages, 300.0 + pages * 0.004) for pages in range(0, 10_000, 50)]
    assert growth_per_1000(series) == pytest.approx(4.0, rel=0.01)


def test_too_short_a_crawl_gives_no_reading() -> None:
    assert growth_per_1000([(0, 100.0), (300, 120.0)]) is None
