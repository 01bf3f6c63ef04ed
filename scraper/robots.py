"""robots.txt as RFC 9309 says: fetched once per origin, cached, obeyed.

A 4xx answer means no rules (allow everything); a 5xx answer, a timeout or a network error means
"disallow for now": the host's URLs wait and robots.txt is asked again later. A byte-order mark
is stripped (a naive parser would read the first line as garbage and ignore every rule), and the
file is capped at 512 KiB, since a 5 MB robots.txt takes seconds to parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from protego import Protego

MAX_ROBOTS_BYTES = 512 * 1024

RobotsState = Literal["rules", "allow_all", "unavailable"]


@dataclass(slots=True)
class RobotsRules:
    """What one origin's robots.txt says, or that it could not be read yet."""

    state: RobotsState
    parser: Protego | None = None
    sitemaps: tuple[str, ...] = ()
    failures: int = 0
    notes: list[str] = field(default_factory=list)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.state == "allow_all":
            return True
        if self.state == "unavailable" or self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def rules_from_response(status: int | None, body: bytes, error: str | None) -> RobotsRules:
    """Turn a robots.txt fetch outcome into rules, per RFC 9309 section 2.3.1."""
    if error is not None or status is None or status >= 500 or status == 429:
        return RobotsRules(state="unavailable", notes=[error or f"HTTP {status}"])
    if 400 <= status < 500:
        return RobotsRules(state="allow_all", notes=[f"HTTP {status}: no rules"])
    if status >= 300:
        return RobotsRules(state="unavailable", notes=[f"unfollowed redirect HTTP {status}"])
    text = body[:MAX_ROBOTS_BYTES].decode("utf-8-sig", errors="replace")
    if len(body) > MAX_ROBOTS_BYTES:
        # Cut at the last full line so a half rule is not read as a different rule.
        text = text.rsplit("\n", 1)[0]
    parser = Protego.parse(text)
    return RobotsRules(
        state="rules",
        parser=parser,
        sitemaps=tuple(parser.sitemaps),
        notes=["truncated at 512 KiB"] if len(body) > MAX_ROBOTS_BYTES else [],
    )
