"""The one crawl configuration: built once from the command line, passed down, stored with the
crawl for provenance."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

VERSION = "0.1.0"


@dataclass(frozen=True, kw_only=True, slots=True)
class CrawlConfig:
    seeds: tuple[str, ...]
    db_path: Path = Path("corpus.duckdb")
    delay: float = 1.0
    concurrency: int = 4
    max_pages: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    allow_private: bool = False
    contact: str | None = None
    max_crawl_delay: float = 30.0
    max_retry_after: float = 120.0
    retries: int = 2
    backoff: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 10_000_000
    robots_retry_after: float = 30.0
    robots_max_failures: int = 3
    # Processes parsing pages (0: parse in the crawling process). They start from a fresh
    # interpreter, so a script calling run_crawl with workers needs the usual
    # ``if __name__ == "__main__":`` guard.
    parse_workers: int = 0
    guess_well_known: bool = True
    build_search_index: bool = True
    # DuckDB's cache of database pages; the frontier and pages live on disk, so a crawl's
    # memory stays flat however large the blog.
    memory_limit: str = "256MB"
    # Pages whose commit may still be pending while the workers fetch on. The writer then
    # commits many pages per transaction (DuckDB spends milliseconds per statement whatever
    # its rows), and a ``kill -9`` costs at most this many re-fetches more than
    # ``concurrency``. 0: every page is committed before its worker fetches another.
    write_behind: int = 32

    @property
    def user_agent(self) -> str:
        contact = f"; +{self.contact}" if self.contact else ""
        return f"blogcorpus/{VERSION} (research crawler{contact})"

    def to_json(self) -> str:
        def plain(value: Any) -> Any:
            if isinstance(value, Path | date):
                return str(value)
            if isinstance(value, tuple):
                return list(value)
            return value

        fields = {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return json.dumps(fields, sort_keys=True)
