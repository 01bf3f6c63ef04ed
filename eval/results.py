"""What a scored data set reports: named metrics, ours beside trafilatura's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Metric", "SetResult", "SetStatus"]

SetStatus = Literal["scored", "skipped", "missing"]


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure, higher is better. ``theirs`` is trafilatura alone; None where it cannot say
    (it has no per-comment author, date or parent, and reads no WordPress export)."""

    name: str
    ours: float
    theirs: float | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SetResult:
    """One data set's scores, or why it has none."""

    name: str
    status: SetStatus
    pages: int = 0
    metrics: tuple[Metric, ...] = ()
    notes: tuple[str, ...] = field(default=())
    seconds_ours: float = 0.0
    seconds_theirs: float = 0.0

    def metric(self, name: str) -> Metric | None:
        """The metric of that name, if this set has it."""
        return next((m for m in self.metrics if m.name == name), None)
