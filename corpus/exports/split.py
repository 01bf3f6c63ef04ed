"""One JSON file per post, under ``DIR/<host>/<date>-<slug>-<post_id>.json``.

File names come from the corpus (hosts, titles), which come from the web: every part is reduced
to ``[a-z0-9.-]`` and checked to stay inside the output folder, so no title, host or symbolic
link can make the export write anywhere else.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from corpus.exports.atomic import atomic_path

__all__ = ["UnsafePathError", "safe_component", "safe_post_path", "write_split"]

MAX_SLUG = 60
_UNSAFE = re.compile(r"[^a-z0-9.-]+")


class UnsafePathError(ValueError):
    """A computed export path would leave the output folder."""


def safe_component(text: str | None, *, fallback: str = "x", limit: int = MAX_SLUG) -> str:
    """A file-name part of ASCII letters, digits, dots and dashes; never ``.``, ``..`` or empty."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text.lower()).strip("-.")[:limit].strip("-.")
    return slug or fallback


def safe_post_path(root: Path, doc: dict[str, Any]) -> Path:
    """Where the post document ``doc`` goes under ``root``; raises if it would escape it."""
    url = str(doc.get("url") or "")
    host = safe_component(url.split("://", 1)[-1].split("/", 1)[0].replace(":", "_"), limit=100)
    published = str(doc.get("published_at") or "")[:10]
    day = published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "undated"
    slug = safe_component(doc.get("title") or url.rstrip("/").rsplit("/", 1)[-1])
    post_id = safe_component(str(doc.get("post_id") or ""), limit=32)
    path = root / host / f"{day}-{slug}-{post_id}.json"
    base = root.resolve()
    if not path.parent.resolve().is_relative_to(base) or path.name.startswith("."):
        raise UnsafePathError(f"refusing to write {path} outside {root}")
    return path


def write_split(docs: Iterable[dict[str, Any]], root: Path) -> int:
    """Write each post document to its own file under ``root``; returns how many."""
    root.mkdir(parents=True, exist_ok=True)
    count = 0
    for doc in docs:
        path = safe_post_path(root, doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Checked again once the folder exists: a symbolic link there must not lead outside.
        if not path.parent.resolve().is_relative_to(root.resolve()):
            raise UnsafePathError(f"refusing to write through a link: {path.parent}")
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
        count += 1
    return count
