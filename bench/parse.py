"""Parse speed: blogcorpus's full parse against trafilatura alone, per core.

Both run in this one process, one page at a time, alternating rounds so that a noisy
neighbour slows both alike. trafilatura gets the page already decoded to text (its best case:
given bytes it guesses the encoding); blogcorpus starts from the raw bytes, decoding included.
The rate is pages per CPU second of this process, which is pages per second on one core.
"""

from __future__ import annotations

import statistics
import time
import warnings

import trafilatura

from bench.common import Figure
from bench.pages import RealPage, parse_pages
from parsers.decode import decode_document
from parsers.extract import parse_document

COMMAND = ".venv/bin/python -m bench.run --only parse"


def _time_trafilatura(texts: list[tuple[str, str]]) -> float:
    started = time.process_time()
    for url, text in texts:
        trafilatura.extract(
            text, url=url, include_comments=True, with_metadata=True, output_format="json"
        )
    return time.process_time() - started


def _time_blogcorpus(pages: list[RealPage]) -> tuple[float, int, int]:
    started = time.process_time()
    comments = links = 0
    for page in pages:
        parsed = parse_document(page.body, page.url, "text/html")
        comments += len(parsed.comments)
        links += len(parsed.links)
    return time.process_time() - started, comments, links


def run(quick: bool = False) -> tuple[list[Figure], dict[str, object]]:
    """Alternate full passes over the pages; report the median rate of each."""
    pages = parse_pages()
    texts = [(p.url, decode_document(p.body, "text/html").text) for p in pages]
    rounds = 2 if quick else 5
    ours: list[float] = []
    theirs: list[float] = []
    comments = links = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # One untimed pass each warms caches and lazy imports.
        _time_trafilatura(texts[:20])
        _time_blogcorpus(pages[:20])
        for _ in range(rounds):
            theirs.append(_time_trafilatura(texts))
            seconds, comments, links = _time_blogcorpus(pages)
            ours.append(seconds)
    our_rate = len(pages) / statistics.median(ours)
    their_rate = len(pages) / statistics.median(theirs)
    ratio = our_rate / their_rate
    figure = Figure(
        section="Parse",
        metric=f"pages/s per core, {len(pages)} real pages",
        ours=our_rate,
        unit="pages/s",
        alternative="trafilatura.extract(include_comments, with_metadata, json)",
        theirs=their_rate,
        goal=">= 0.9 x trafilatura alone",
        met=ratio >= 0.9,
        command=COMMAND,
        note=(
            f"blogcorpus also yields {comments} comments as records and {links} links; "
            f"median of {rounds} alternating rounds (CPU time)"
        ),
    )
    raw = {
        "pages": len(pages),
        "rounds": rounds,
        "blogcorpus_cpu_seconds": ours,
        "trafilatura_cpu_seconds": theirs,
        "comments": comments,
        "links": links,
    }
    return [figure], raw
