"""The results as a Markdown table: one row per metric, blogcorpus beside trafilatura."""

from __future__ import annotations

from collections.abc import Sequence

from eval.results import SetResult

__all__ = ["render"]


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render(results: Sequence[SetResult], wall_seconds: float, workers: int) -> str:
    """The table and notes, ready to print or to write to ``results.md``."""
    lines = [
        "| set | metric | blogcorpus | trafilatura | detail |",
        "|---|---|---:|---:|---|",
    ]
    for result in results:
        if result.status != "scored":
            lines.append(f"| {result.name} | ({result.status}: data absent) | | | |")
            continue
        for metric in result.metrics:
            lines.append(
                f"| {result.name} | {metric.name} | {_value(metric.ours)} | "
                f"{_value(metric.theirs)} | {metric.detail} |"
            )
    lines.append("")
    lines.append("Pages and extraction cost (CPU seconds, summed over the pages):")
    lines.append("")
    for result in results:
        if result.status == "scored":
            theirs = f", trafilatura {result.seconds_theirs:.1f} s" if result.seconds_theirs else ""
            lines.append(
                f"- {result.name}: {result.pages} pages; blogcorpus {result.seconds_ours:.1f} s"
                f"{theirs}"
            )
    notes = [(r.name, note) for r in results for note in r.notes]
    if notes:
        lines.append("")
        lines.append("Notes:")
        lines.append("")
        lines.extend(f"- {name}: {note}" for name, note in notes)
    lines.append("")
    lines.append(f"Total wall time: {wall_seconds:.0f} s with {workers} worker processes.")
    return "\n".join(lines) + "\n"
