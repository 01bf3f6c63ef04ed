"""Records to JSON-ready documents: a post with its threaded comments and its links."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from parsers.records import ParsedPage


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def thread(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest comments under their parents (``replies``); orphans stay at the top level."""
    by_id = {c["comment_id"]: {**c, "replies": []} for c in comments}
    roots: list[dict[str, Any]] = []
    for comment in sorted(by_id.values(), key=lambda c: (c["position"] or 0, c["comment_id"])):
        parent = by_id.get(comment["parent_id"]) if comment["parent_id"] else None
        if parent is comment:
            parent = None
        (parent["replies"] if parent is not None else roots).append(comment)
    return roots


def page_document(parsed: ParsedPage) -> dict[str, Any]:
    """What ``blogcorpus extract`` prints for one page."""
    doc: dict[str, Any] = {"url": parsed.url, "kind": parsed.kind, "platform": parsed.platform}
    if parsed.notes:
        doc["notes"] = list(parsed.notes)
    if parsed.post is None and not parsed.comments:
        return doc
    links = [_plain(dataclasses.asdict(link)) for link in parsed.links]
    comments = []
    for comment in parsed.comments:
        record = _plain(dataclasses.asdict(comment))
        record["links"] = [lk for lk in links if lk["comment_id"] == comment.comment_id]
        comments.append(record)
    if parsed.post is not None:
        doc["post"] = _plain(dataclasses.asdict(parsed.post))
        doc["post"]["links"] = [lk for lk in links if lk["comment_id"] is None]
    doc["comments"] = thread(comments)
    doc["comment_count"] = len(comments)
    return doc
