"""Run the benchmarks and rewrite BENCHMARKS.md: ``python -m bench.run [--quick] [--only NAME]``.

The Scrapy comparison needs its own virtualenv (``bench/.venv-scrapy``), made here with pip on
first use; wget comes from the system (``apt-get install -y wget``). What cannot run is listed
in BENCHMARKS.md under "Not run" instead of failing the whole run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import tomllib
import traceback
import venv
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from bench import crawl, load, memory, parse, query, report, scale
from bench.common import REPO, WORK, Figure, data_available
from bench.crawlers import SCRAPY_PYTHON, SCRAPY_VENV, Outcome

BENCHMARKS = ("parse", "load", "crawl", "query")
SCRAPY_REQUIREMENT = "scrapy==2.19.0"
# The Scrapy crawl that builds a corpus runs the very trafilatura blogcorpus runs.
SHARED_REQUIREMENTS = ("trafilatura", "lxml_html_clean")


def scrapy_requirements() -> list[str]:
    """Scrapy, and blogcorpus's own pins of the extraction packages (from pyproject.toml)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [
        pin
        for pin in project["project"]["dependencies"]
        if pin.split("==")[0].lower() in SHARED_REQUIREMENTS
    ]
    return [SCRAPY_REQUIREMENT, *pins]


def ensure_scrapy() -> str | None:
    """Make the Scrapy virtualenv if missing or incomplete; return why it is unavailable."""
    marker = SCRAPY_VENV / "requirements.txt"
    requirements = scrapy_requirements()
    wanted = "\n".join(requirements) + "\n"
    if SCRAPY_PYTHON.exists() and marker.exists() and marker.read_text() == wanted:
        return None
    try:
        if not SCRAPY_PYTHON.exists():
            venv.create(SCRAPY_VENV, with_pip=True)
        subprocess.run(
            [str(SCRAPY_PYTHON), "-m", "pip", "install", "--quiet", *requirements],
            check=True,
        )
        marker.write_text(wanted)
    except (OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(SCRAPY_VENV, ignore_errors=True)
        return f"Scrapy could not be installed into bench/.venv-scrapy ({exc})"
    return None


def _run_one(
    name: str, quick: bool, have_data: bool, figures: list[Figure], raw: dict[str, Any]
) -> list[Outcome]:
    """Run one benchmark, adding its figures and raw numbers; return its crawl outcomes."""
    if name == "parse" and have_data:
        found, raw["parse"] = parse.run(quick)
    elif name == "load" and have_data:
        found, raw["load"] = load.run(quick)
    elif name == "crawl":
        found, raw["crawl"], outcomes = crawl.run(quick)
        mem, raw["memory"] = memory.figures(outcomes)
        figures += found + mem
        return outcomes
    elif name == "query":
        found, raw["query"] = query.run(quick)
    else:
        return []
    figures += found
    return []


def _scale_figures() -> list[Figure]:
    """The memory-at-scale figures of the last ``make bench-scale`` (hours long, run apart)."""
    saved = scale.load_saved()
    return saved[0] if saved else []


def render_saved() -> int:
    """Rewrite BENCHMARKS.md from the saved results (after a change to the report's text)."""
    results = WORK / "results.json"
    saved = json.loads(results.read_text(encoding="utf-8"))["report"]
    if saved["only"]:
        print("bench: the last run was partial (--only); nothing to render", file=sys.stderr)
        return 1
    outcomes = []
    for item in saved["outcomes"]:
        item["rss_by_pages"] = [tuple(p) for p in item["rss_by_pages"]]
        item["request_shapes"] = [tuple(p) for p in item["request_shapes"]]
        outcomes.append(Outcome(**item))
    # The memory figures are read off the crawls' samples, which are saved: they are derived
    # again, so that a change to how they are read shows without crawling again.
    figures = [Figure(**f) for f in saved["figures"] if f["section"] != "Memory"]
    figures += memory.figures(outcomes)[0]
    text = report.render(
        figures + _scale_figures(),
        outcomes,
        quick=saved["quick"],
        seconds=saved["seconds"],
        skipped=saved["skipped"],
        commit=saved["commit"],
        # The run's end: saved with it, or (older files) when its results were written.
        finished=datetime.fromisoformat(saved["finished"])
        if saved.get("finished")
        else datetime.fromtimestamp(results.stat().st_mtime, UTC),
    )
    report.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, about 5 minutes")
    parser.add_argument(
        "--only", choices=BENCHMARKS, action="append", help="run only this (repeatable)"
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="only rewrite BENCHMARKS.md from the last run's bench/work/results.json",
    )
    args = parser.parse_args(argv)
    if args.render:
        return render_saved()
    chosen = args.only or list(BENCHMARKS)
    started = time.monotonic()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    figures: list[Figure] = []
    outcomes: list[Outcome] = []
    raw: dict[str, Any] = {"quick": args.quick}
    skipped: list[str] = []
    have_data = data_available()
    if not have_data:
        skipped.append("parse, load and the mirror crawls: ../shared/data is absent")
    if "crawl" in chosen:
        problem = ensure_scrapy()
        if problem:
            skipped.append(problem)
        if shutil.which("wget") is None:
            skipped.append("wget is not installed (apt-get install -y wget): no wget figures")
    for name in chosen:
        step = time.monotonic()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        try:
            outcomes += _run_one(name, args.quick, have_data, figures, raw)
        except Exception as exc:  # one broken benchmark must not lose the others' numbers
            traceback.print_exc()
            skipped.append(f"{name}: failed with {type(exc).__name__}: {exc}")
        # Saved after every step, so a later failure keeps what was measured.
        WORK.mkdir(parents=True, exist_ok=True)
        (WORK / "results.json").write_text(
            json.dumps(raw, indent=2, default=str, ensure_ascii=False), encoding="utf-8"
        )
        print(f"bench: {name} took {time.monotonic() - step:.0f} s", file=sys.stderr, flush=True)
    if "crawl" in chosen:
        reached = raw.get("memory", {}).get("checkpoints", {})
        missing = [f"{n:,}" for n, v in reached.items() if v == "not reached"]
        if missing:
            skipped.append(
                "memory after " + ", ".join(missing) + " pages in this run: the crawl ended "
                "(or its time budget did) before that; `make bench-scale` measures them apart "
                "(see Memory at scale, which says how many pages its own budget allowed)"
            )
    seconds = time.monotonic() - started
    raw["seconds"] = seconds
    raw["report"] = {
        "figures": [asdict(f) for f in figures],
        "outcomes": [asdict(o) for o in outcomes],
        "quick": args.quick,
        "seconds": seconds,
        "skipped": skipped,
        "commit": commit,
        "only": bool(args.only),
        "finished": datetime.now(UTC).isoformat(),
    }
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "results.json").write_text(
        json.dumps(raw, indent=2, default=str, ensure_ascii=False), encoding="utf-8"
    )
    text = report.render(
        figures + _scale_figures(),
        outcomes,
        quick=args.quick,
        seconds=seconds,
        skipped=skipped,
        commit=commit,
    )
    if args.only:
        print(text)
    else:
        report.write(text)
        print(f"bench: wrote BENCHMARKS.md in {seconds / 60:.1f} minutes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
