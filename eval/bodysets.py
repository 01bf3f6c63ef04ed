"""Body and metadata scores on the three article sets: trafilatura's evaluation pages, the
Scrapinghub article-extraction benchmark and Readability's test pages.

Each set has two halves: ``*_jobs`` lists the pages to run both extractors on, ``score_*``
turns their extractions into metrics against the gold.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from eval.extractors import Extraction, PageJob, read_page
from eval.results import Metric, SetResult
from eval.scoring import (
    Counts,
    contains,
    mean,
    same_author,
    same_day,
    same_terms,
    same_title,
    snippet_counts,
    squash,
    token_f1,
)
from parsers.comments.fields import node_text

__all__ = [
    "Pair",
    "aeb_jobs",
    "readability_jobs",
    "score_aeb",
    "score_readability",
    "score_trafilatura_eval",
    "trafilatura_eval_jobs",
]

Pair = tuple[Extraction, Extraction | None]
# Only these kinds yield a post with a body; a listing or an unknown page yields none.
SINGLE_KINDS = ("post", "page")
# Readability's own test harness gives every page this URL.
READABILITY_URL = "http://fakehost/test/page.html"


def _seconds(pairs: Mapping[str, Pair]) -> tuple[float, float]:
    ours = sum(p[0].seconds for p in pairs.values())
    theirs = sum(p[1].seconds for p in pairs.values() if p[1] is not None)
    return ours, theirs


def _theirs(pair: Pair) -> Extraction:
    assert pair[1] is not None, "every article page is run through trafilatura too"
    return pair[1]


def _accuracy(
    name: str,
    pairs: Mapping[str, Pair],
    gold: Mapping[str, Any],
    same: Callable[[Extraction, Any], bool],
) -> Metric | None:
    """Share of the pages with a gold value where the extraction matches it."""
    keys = [k for k in pairs if gold.get(k)]
    if not keys:
        return None
    ours = sum(same(pairs[k][0], gold[k]) for k in keys)
    theirs = sum(same(_theirs(pairs[k]), gold[k]) for k in keys)
    return Metric(name, ours / len(keys), theirs / len(keys), f"{ours}/{len(keys)}")


def _metadata_metrics(
    pairs: Mapping[str, Pair], gold: Mapping[str, Mapping[str, Any]]
) -> list[Metric]:
    fields: tuple[tuple[str, str, Callable[[Extraction, Any], bool]], ...] = (
        ("title", "title", lambda e, g: same_title(e.title, g)),
        ("author", "author", lambda e, g: same_author(e.author, g)),
        ("date", "date", lambda e, g: same_day(e.date, g)),
        ("categories", "categories", lambda e, g: same_terms(e.categories, g)),
        ("tags", "tags", lambda e, g: same_terms(e.tags, g)),
    )
    metrics: list[Metric] = []
    for name, key, same in fields:
        values = {k: g.get(key) for k, g in gold.items() if k in pairs}
        metric = _accuracy(name, pairs, values, same)
        if metric is not None:
            metrics.append(metric)
    return metrics


# --- trafilatura's evaluation pages ----------------------------------------------------------


def _trafilatura_gold(root: Path) -> dict[str, dict[str, Any]]:
    gold: dict[str, dict[str, Any]] = json.loads((root / "evaldata.json").read_text("utf-8"))
    return gold


def _trafilatura_file(root: Path, name: str) -> Path:
    cached = root / "cache" / name
    return cached if cached.exists() else root / "eval" / name


def trafilatura_eval_jobs(root: Path) -> list[PageJob]:
    """One job per annotated page (``root`` is the set's ``tests`` folder)."""
    return [
        PageJob(key=url, path=str(_trafilatura_file(root, entry["file"])), url=url, as_post=True)
        for url, entry in _trafilatura_gold(root).items()
    ]


def _static_text(path: Path) -> str:
    tree = LexborHTMLParser(read_page(str(path)).decode("utf-8", "replace"))
    return squash(node_text(tree.body)) if tree.body is not None else ""


def score_trafilatura_eval(root: Path, pairs: Mapping[str, Pair]) -> SetResult:
    """Snippet body score, comment snippets, and metadata accuracy."""
    gold = _trafilatura_gold(root)
    ours_counts, theirs_counts = Counts(), Counts()
    ours_single, theirs_single = Counts(), Counts()
    singles = 0
    for url, entry in gold.items():
        mine, theirs = pairs[url][0], _theirs(pairs[url])
        ours_page = snippet_counts(mine.body, entry["with"], entry["without"])
        theirs_page = snippet_counts(theirs.body, entry["with"], entry["without"])
        ours_counts += ours_page
        theirs_counts += theirs_page
        if mine.kind in SINGLE_KINDS:
            singles += 1
            ours_single += ours_page
            theirs_single += theirs_page
    metrics = [
        Metric("body_f1", ours_counts.f1, theirs_counts.f1),
        Metric("body_precision", ours_counts.precision, theirs_counts.precision),
        Metric("body_recall", ours_counts.recall, theirs_counts.recall),
        Metric(
            "body_f1_single_pages",
            ours_single.f1,
            theirs_single.f1,
            f"the {singles} pages blogcorpus reads as a post or page",
        ),
    ]

    # Comment snippets: only those present in the static HTML can be found by any parser.
    absent: list[str] = []
    present = found_ours = found_theirs = leaked_ours = leaked_theirs = 0
    for url, entry in sorted(gold.items()):
        snippets = [squash(s) for s in entry.get("comments") or [] if squash(s)]
        if not snippets:
            continue
        page_text = _static_text(_trafilatura_file(root, entry["file"]))
        here = [s for s in snippets if s in page_text]
        if not here:
            absent.append(entry["file"])
            continue
        mine, theirs = pairs[url][0], _theirs(pairs[url])
        present += len(here)
        found_ours += sum(contains(mine.comments_text, s) for s in here)
        found_theirs += sum(contains(theirs.comments_text, s) for s in here)
        leaked_ours += sum(contains(squash(mine.body), s) for s in here)
        leaked_theirs += sum(contains(squash(theirs.body), s) for s in here)
    if present:
        metrics.append(
            Metric(
                "comments_found",
                found_ours / present,
                found_theirs / present,
                f"{found_ours}/{present} snippets",
            )
        )
        metrics.append(
            Metric(
                "comments_kept_out_of_body",
                1 - leaked_ours / present,
                1 - leaked_theirs / present,
                f"{leaked_ours} leaked (trafilatura {leaked_theirs})",
            )
        )
    metrics += _metadata_metrics(pairs, gold)
    kinds = Counter(p[0].kind for p in pairs.values())
    notes = [
        "page kinds (blogcorpus): " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()),
        f"comment snippets: {len(absent)} pages have none in the static HTML (JavaScript or "
        f"annotation noise), scored apart: {' '.join(absent)}",
    ]
    notes.append(_title_note(pairs, gold))
    ours_s, theirs_s = _seconds(pairs)
    return SetResult(
        "trafilatura_eval", "scored", len(gold), tuple(metrics), tuple(notes), ours_s, theirs_s
    )


def _title_note(pairs: Mapping[str, Pair], gold: Mapping[str, Mapping[str, Any]]) -> str:
    """How often the gold takes a page's title (as blogcorpus read it) for body text."""
    as_body = as_boilerplate = 0
    for url, entry in gold.items():
        title = squash(pairs[url][0].title or "")
        if title:
            as_body += any(squash(s) == title for s in entry["with"])
            as_boilerplate += any(squash(s) == title for s in entry["without"])
    return (
        f"titles: the gold counts the page's title as body text on {as_body} pages and as "
        f"boilerplate on {as_boilerplate}; blogcorpus keeps a post's title in its own field "
        "and out of the body, so the first are each a snippet missed, the second one not leaked"
    )


# --- token-F1 sets -----------------------------------------------------------------------------


def _token_metrics(pairs: Mapping[str, Pair], gold_text: Mapping[str, str]) -> list[Metric]:
    ours = [token_f1(pairs[k][0].body, gold_text[k]) for k in gold_text]
    theirs = [token_f1(_theirs(pairs[k]).body, gold_text[k]) for k in gold_text]
    single = [i for i, k in enumerate(gold_text) if pairs[k][0].kind in SINGLE_KINDS]
    return [
        Metric(
            "body_f1",
            mean([c.f1 for c in ours]),
            mean([c.f1 for c in theirs]),
            "mean of per-page token F1",
        ),
        Metric(
            "body_precision", mean([c.precision for c in ours]), mean([c.precision for c in theirs])
        ),
        Metric("body_recall", mean([c.recall for c in ours]), mean([c.recall for c in theirs])),
        Metric(
            "body_f1_single_pages",
            mean([ours[i].f1 for i in single]),
            mean([theirs[i].f1 for i in single]),
            f"the {len(single)} pages blogcorpus reads as a post or page",
        ),
    ]


def _aeb_gold(root: Path) -> dict[str, dict[str, str]]:
    gold: dict[str, dict[str, str]] = json.loads((root / "ground-truth.json").read_text("utf-8"))
    return gold


def aeb_jobs(root: Path) -> list[PageJob]:
    """One job per benchmark article."""
    return [
        PageJob(key=key, path=str(root / "html" / f"{key}.html.gz"), url=entry["url"], as_post=True)
        for key, entry in _aeb_gold(root).items()
    ]


def score_aeb(root: Path, pairs: Mapping[str, Pair]) -> SetResult:
    """Token F1 of the body against the benchmark's article text."""
    gold = {k: v["articleBody"] for k, v in _aeb_gold(root).items()}
    ours_s, theirs_s = _seconds(pairs)
    return SetResult(
        "scrapinghub_aeb",
        "scored",
        len(gold),
        tuple(_token_metrics(pairs, gold)),
        (),
        ours_s,
        theirs_s,
    )


def _readability_cases(root: Path) -> list[Path]:
    return sorted(p for p in (root / "test" / "test-pages").iterdir() if p.is_dir())


def readability_jobs(root: Path) -> list[PageJob]:
    """One job per test case."""
    return [
        PageJob(key=case.name, path=str(case / "source.html"), url=READABILITY_URL, as_post=True)
        for case in _readability_cases(root)
    ]


def _html_to_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return node_text(root) if root is not None else ""


def score_readability(root: Path, pairs: Mapping[str, Pair]) -> SetResult:
    """Token F1 against Readability's reviewed output, and title, byline and date."""
    cases = _readability_cases(root)
    gold_text = {c.name: _html_to_text((c / "expected.html").read_text("utf-8")) for c in cases}
    metrics = _token_metrics(pairs, gold_text)
    gold_meta: dict[str, dict[str, Any]] = {}
    for case in cases:
        meta = json.loads((case / "expected-metadata.json").read_text("utf-8"))
        gold_meta[case.name] = {
            "title": meta.get("title"),
            "author": meta.get("byline"),
            "date": meta.get("publishedTime"),
        }
    metrics += _metadata_metrics(pairs, gold_meta)
    ours_s, theirs_s = _seconds(pairs)
    return SetResult(
        "readability_testpages", "scored", len(cases), tuple(metrics), (), ours_s, theirs_s
    )
