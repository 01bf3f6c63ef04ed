"""Files written whole or not at all: a temporary name in the target folder, then a rename."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path"]


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` when the block ends.

    The temporary file sits in the same folder, so the rename is atomic; if the block fails
    (or the process is killed) ``target`` is untouched and the hidden temporary file is removed
    (or, after a kill, left with its ``.tmp`` suffix, never under the target's name).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:  # noqa: PTH123 - only to fsync before the rename
            os.fsync(handle.fileno())
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
