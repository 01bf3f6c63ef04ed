"""What every benchmark shares: paths, the figure record, and measuring a process tree.

A figure is always blogcorpus beside the alternative a user would pick, measured in the same
run on the same machine: the machines are shared and noisy, so the ratio is what to read.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
WORK = REPO / "bench" / "work"
PYTHON = REPO / ".venv" / "bin" / "python"
BLOGCORPUS = REPO / ".venv" / "bin" / "blogcorpus"


@dataclass(frozen=True, kw_only=True, slots=True)
class Figure:
    """One line of BENCHMARKS.md: our number, the alternative's, and whether the goal holds."""

    section: str
    metric: str
    ours: float | None
    unit: str
    alternative: str = ""
    theirs: float | None = None
    higher_is_better: bool = True
    goal: str = ""
    met: bool | None = None
    command: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Ours over theirs, so above 1 means blogcorpus has more of the metric; None where
        a ratio means nothing (a missing value, or values of opposite signs, such as memory
        that shrank against memory that grew)."""
        if self.ours is None or not self.theirs or self.ours * self.theirs < 0:
            return None
        return self.ours / self.theirs


@dataclass(slots=True)
class TreeUsage:
    """What a process and all its descendants used while it ran."""

    wall: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_tree: int = 0
    peak_rss_main: int = 0
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    started: float = 0.0
    stopped_by_budget: bool = False
    samples: list[tuple[float, float, int]] = field(default_factory=list)
    # CPU seconds by part: the command's main thread, its other threads, its child processes.
    cpu_split: dict[str, float] = field(default_factory=dict)

    @property
    def cores_used(self) -> float:
        """Average number of cores busy: CPU seconds over wall seconds."""
        return self.cpu_seconds / self.wall if self.wall else 0.0


class TreeSampler:
    """Samples CPU time and resident memory of a process tree from a background thread.

    CPU seconds are summed over every process ever seen (its last reading), so a pool worker
    that exits before the end still counts.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.cpu_by_pid: dict[int, float] = {}
        # The root process's threads (thread id -> CPU seconds); the main thread's id is the PID.
        self.cpu_by_thread: dict[int, float] = {}
        self.peak_tree = 0
        self.peak_main = 0
        # (monotonic time, CPU seconds so far, resident bytes of the whole tree)
        self.samples: list[tuple[float, float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        rss_total = 0
        for proc in procs:
            try:
                with proc.oneshot():
                    times = proc.cpu_times()
                    rss = proc.memory_info().rss
                    if proc.pid == self.root.pid:
                        for thread in proc.threads():
                            cpu = thread.user_time + thread.system_time
                            self.cpu_by_thread[thread.id] = cpu
            except psutil.Error:
                continue
            # A process's own time plus that of children it already waited for.
            self.cpu_by_pid[proc.pid] = times.user + times.system
            rss_total += rss
            if proc.pid == self.root.pid:
                self.peak_main = max(self.peak_main, rss)
        self.peak_tree = max(self.peak_tree, rss_total)
        self.samples.append((time.monotonic(), sum(self.cpu_by_pid.values()), rss_total))

    def cpu_split(self) -> dict[str, float]:
        """CPU seconds of the main thread, the root's other threads, and the child processes."""
        main = self.cpu_by_thread.get(self.root.pid, 0.0)
        others = sum(cpu for tid, cpu in self.cpu_by_thread.items() if tid != self.root.pid)
        children = sum(cpu for pid, cpu in self.cpu_by_pid.items() if pid != self.root.pid)
        return {"main thread": main, "other threads": others, "child processes": children}

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)


def run_measured(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    budget: float = 1800.0,
) -> TreeUsage:
    """Run a command, measuring wall time, CPU and memory of its whole tree.

    Past ``budget`` seconds it gets SIGTERM (blogcorpus and Scrapy both stop cleanly on it),
    then SIGKILL if it is still there 20 s later.
    """
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stopped = False
    try:
        stdout, stderr = proc.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        stopped = True
        proc.terminate()
        try:
            stdout, stderr = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
    wall = time.monotonic() - started
    sampler.stop()
    return TreeUsage(
        wall=wall,
        cpu_seconds=sum(sampler.cpu_by_pid.values()),
        peak_rss_tree=sampler.peak_tree,
        peak_rss_main=sampler.peak_main,
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
        started=started,
        stopped_by_budget=stopped,
        samples=sampler.samples,
        cpu_split=sampler.cpu_split(),
    )


def data_available() -> bool:
    """Whether the real third-party pages sit beside the repository."""
    return DATA.is_dir()


def fresh_dir(name: str) -> Path:
    """An empty folder under bench/work for one run's files."""
    path = WORK / name
    if path.exists():
        import shutil

        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
