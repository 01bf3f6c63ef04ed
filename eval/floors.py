"""Pinned floors: the lowest score each metric may reach before the evaluation fails.

``floors.json`` holds: ``minimum`` (``"set/metric"`` to the lowest accepted value of
blogcorpus's score), ``at_least_trafilatura`` (metrics where blogcorpus must not fall below
trafilatura alone, measured in the same run), the ``tolerance`` that comparison allows, and
``pending_at_least_trafilatura``: the same comparison for targets not met yet, printed on every
run but not failed, so the gap stays in sight until it closes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.results import SetResult

__all__ = ["Floors", "check", "load_floors", "pending"]


@dataclass(frozen=True, slots=True)
class Floors:
    """The pinned floors, as read from ``floors.json``."""

    minimum: dict[str, float]
    at_least_trafilatura: tuple[str, ...]
    tolerance: float
    # Targets not met yet: reported on every run, not failed, until they hold and move up.
    pending_at_least_trafilatura: tuple[str, ...] = ()


def load_floors(path: Path) -> Floors:
    """Read the floors file."""
    data = json.loads(path.read_text("utf-8"))
    return Floors(
        minimum={str(k): float(v) for k, v in data["minimum"].items()},
        at_least_trafilatura=tuple(str(k) for k in data.get("at_least_trafilatura", ())),
        tolerance=float(data.get("tolerance", 0.005)),
        pending_at_least_trafilatura=tuple(
            str(k) for k in data.get("pending_at_least_trafilatura", ())
        ),
    )


def _split(key: str) -> tuple[str, str]:
    set_name, _, metric = key.partition("/")
    return set_name, metric


def pending(results: Sequence[SetResult], floors: Floors) -> list[str]:
    """The pending targets, each with today's gap to trafilatura, one line each."""
    by_name = {r.name: r for r in results}
    lines: list[str] = []
    for key in floors.pending_at_least_trafilatura:
        set_name, metric_name = _split(key)
        scored = by_name.get(set_name)
        metric = scored.metric(metric_name) if scored is not None else None
        if metric is not None and metric.theirs is not None:
            state = "met" if metric.ours >= metric.theirs - floors.tolerance else "not met"
            lines.append(f"{key}: {metric.ours:.4f} vs trafilatura {metric.theirs:.4f} ({state})")
    return lines


def check(results: Sequence[SetResult], floors: Floors) -> list[str]:
    """Every breach, one line each naming the metric; empty when all floors hold.

    A set that was not scored because its data is absent is a breach only when it was marked
    ``missing`` (in CI); a ``skipped`` set is reported by the caller, not failed here.
    """
    by_name = {r.name: r for r in results}
    failures: list[str] = []
    for result in results:
        if result.status == "missing":
            failures.append(f"{result.name}: data set missing")
    for key, floor in floors.minimum.items():
        set_name, metric_name = _split(key)
        scored = by_name.get(set_name)
        if scored is None or scored.status != "scored":
            continue
        metric = scored.metric(metric_name)
        if metric is None:
            failures.append(f"{key}: not measured")
        elif metric.ours < floor:
            failures.append(f"{key}: {metric.ours:.4f} is below the floor {floor:.4f}")
    for key in floors.at_least_trafilatura:
        set_name, metric_name = _split(key)
        scored = by_name.get(set_name)
        if scored is None or scored.status != "scored":
            continue
        metric = scored.metric(metric_name)
        if metric is None or metric.theirs is None:
            failures.append(f"{key}: no trafilatura score to compare with")
        elif metric.ours < metric.theirs - floors.tolerance:
            failures.append(
                f"{key}: {metric.ours:.4f} is below trafilatura's {metric.theirs:.4f} "
                f"(tolerance {floors.tolerance})"
            )
    return failures
