"""``python -m eval.run [--out eval/results.md] [--check]``: score the parsers on the shared data.

Every HTML page of every set goes through blogcorpus's parser and through trafilatura alone in
the same run (in a small process pool), then each set is scored against its own gold. The
table is printed and written to ``--out``; ``--check`` exits 1 when a metric falls below its
pinned floor. Outside CI an absent data set is reported as skipped; in CI (``CI=true``) it
fails the run, so a missing mount cannot pass as a green evaluation.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from eval import bodysets, commentsets, kindsets
from eval.bodysets import Pair
from eval.extractors import PageJob, run_job
from eval.floors import check, load_floors, pending
from eval.results import SetResult, SetStatus
from eval.table import render

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
FLOORS = Path(__file__).resolve().parent / "floors.json"


@dataclass(frozen=True, slots=True)
class DataSet:
    """A data set: where its files are under the data root, and how to run and score it."""

    name: str
    folder: tuple[str, ...]
    jobs: Callable[[Path], list[PageJob]] | None
    score: Callable[[Path, dict[str, Pair]], SetResult] | None
    score_file: Callable[[Path], SetResult] | None = None
    # Other folders the set reads besides its own; all must be present for it to be scored.
    needs: tuple[tuple[str, ...], ...] = ()


def data_sets(repo: Path) -> list[DataSet]:
    """All scored sets, in the order of the table."""
    return [
        DataSet(
            "trafilatura_eval",
            ("trafilatura_eval", "tests"),
            bodysets.trafilatura_eval_jobs,
            bodysets.score_trafilatura_eval,
        ),
        DataSet("scrapinghub_aeb", ("scrapinghub_aeb",), bodysets.aeb_jobs, bodysets.score_aeb),
        DataSet(
            "readability_testpages",
            ("readability_testpages",),
            bodysets.readability_jobs,
            bodysets.score_readability,
        ),
        DataSet(
            "site_lafuite_blogger",
            ("site_lafuite_blogger",),
            commentsets.lafuite_jobs,
            commentsets.score_lafuite,
        ),
        DataSet(
            "site_danvk_wordpress",
            ("site_danvk_wordpress", "wp"),
            commentsets.danvk_jobs,
            commentsets.score_danvk,
        ),
        DataSet(
            "page_kinds",
            ("site_danvk_wordpress",),
            None,
            None,
            kindsets.score_page_kinds,
            needs=(("site_lafuite_blogger",),),
        ),
        DataSet(
            "wxr_timothyfitz",
            ("wxr_timothyfitz", "wordpress.xml"),
            None,
            None,
            commentsets.score_wxr,
        ),
        # Saved in the repository (not shared data): pages a real WordPress rendered.
        DataSet(
            "wordpress_real",
            (str(repo / "tests" / "pages" / "wordpress-real"),),
            commentsets.wordpress_real_jobs,
            commentsets.score_wordpress_real,
        ),
    ]


def in_ci() -> bool:
    """Whether this runs in continuous integration, where absent data is a failure."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def present_sets(sets: Sequence[DataSet], data: Path) -> list[DataSet]:
    """The sets whose folders are all there."""
    return [s for s in sets if all(data.joinpath(*f).exists() for f in (s.folder, *s.needs))]


def extract_all(sets: Sequence[DataSet], data: Path, workers: int) -> dict[str, dict[str, Pair]]:
    """Every page of the given sets through both extractors, in a process pool."""
    jobs: list[tuple[str, PageJob]] = []
    for data_set in sets:
        if data_set.jobs is not None:
            root = data.joinpath(*data_set.folder)
            jobs += [(data_set.name, job) for job in data_set.jobs(root)]
    pairs: dict[str, dict[str, Pair]] = {s.name: {} for s in sets}
    if jobs:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outputs = pool.map(run_job, [job for _, job in jobs], chunksize=4)
            for (name, _), (key, mine, theirs) in zip(jobs, outputs, strict=True):
                pairs[name][key] = (mine, theirs)
    return pairs


def score_all(
    sets: Sequence[DataSet], data: Path, pairs: dict[str, dict[str, Pair]]
) -> list[SetResult]:
    """Each set scored against its gold; absent sets marked skipped (missing in CI)."""
    present = {s.name for s in present_sets(sets, data)}
    status: SetStatus = "missing" if in_ci() else "skipped"
    results: list[SetResult] = []
    for data_set in sets:
        root = data.joinpath(*data_set.folder)
        if data_set.name not in present:
            results.append(SetResult(data_set.name, status))
        elif data_set.score is not None:
            results.append(data_set.score(root, pairs[data_set.name]))
        elif data_set.score_file is not None:
            results.append(data_set.score_file(root))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__)
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "eval" / "results.md",
        help="where to write the table (Markdown)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when any metric is below its floor in eval/floors.json",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        metavar="SET",
        help="score only these sets (for a quick look; never with --check)",
    )
    args = parser.parse_args(argv)

    sets = data_sets(REPO)
    if args.only:
        sets = [s for s in sets if s.name in args.only]
    start = time.perf_counter()
    pairs = extract_all(present_sets(sets, args.data), args.data, max(1, args.jobs))
    results = score_all(sets, args.data, pairs)
    wall = time.perf_counter() - start
    table = render(results, wall, max(1, args.jobs))
    print(table)
    if args.out and not args.only:
        args.out.write_text(table, encoding="utf-8")

    failures: list[str] = []
    if args.check:
        floors = load_floors(FLOORS)
        failures = check(results, floors)
        for line in pending(results, floors):
            print(f"pending target {line}", file=sys.stderr)
    elif in_ci():
        failures = [f"{r.name}: data set missing" for r in results if r.status == "missing"]
    skipped = [r.name for r in results if r.status == "skipped"]
    if skipped:
        print("skipped (data absent): " + ", ".join(skipped), file=sys.stderr)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
