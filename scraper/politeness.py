"""Per-host politeness: one request at a time with a jittered delay, Crawl-delay, Retry-After.

The clock is injectable so tests measure the schedule without sleeping through real delays.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class HostState:
    busy: int = 0
    not_before: float = 0.0
    crawl_delay: float | None = None


@dataclass(slots=True)
class Politeness:
    """Decides when each host may be asked again.

    With a delay above zero a host gets one request at a time and waits ``delay`` (jittered
    upwards by up to a quarter, never below) after each answer. With delay 0 (a local test
    server, say) up to ``parallel_when_no_delay`` requests run at once.
    """

    delay: float
    max_crawl_delay: float
    max_retry_after: float
    parallel_when_no_delay: int = 4
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    hosts: dict[str, HostState] = field(default_factory=dict)

    def _state(self, host: str) -> HostState:
        return self.hosts.setdefault(host, HostState())

    def host_delay(self, host: str) -> float:
        state = self._state(host)
        crawl_delay = min(state.crawl_delay or 0.0, self.max_crawl_delay)
        return max(self.delay, crawl_delay)

    def slots(self, host: str) -> int:
        return 1 if self.host_delay(host) > 0 else self.parallel_when_no_delay

    def ready_at(self, host: str) -> float | None:
        """When the host may be asked next; None while all its slots are taken."""
        state = self._state(host)
        if state.busy >= self.slots(host):
            return None
        return state.not_before

    def acquire(self, host: str) -> None:
        self._state(host).busy += 1

    def release(self, host: str, retry_after: float | None = None) -> None:
        state = self._state(host)
        state.busy = max(0, state.busy - 1)
        delay = self.host_delay(host)
        wait = delay * (1.0 + 0.25 * self.rng.random()) if delay > 0 else 0.0
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_retry_after))
        state.not_before = max(state.not_before, self.clock() + wait)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        self._state(host).crawl_delay = seconds
