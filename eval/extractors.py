"""The two contenders on one page: blogcorpus's parser and trafilatura alone.

Both are reduced to the same small, picklable ``Extraction`` so a worker process can hand it
back and every score is computed the same way for both. trafilatura is called exactly as a
user would for the same information: ``extract(include_comments=True, with_metadata=True,
output_format="json")`` on the decoded page (given bytes it ignores the declared charset),
with the page URL, which blogcorpus gets too.
"""

from __future__ import annotations

import gzip
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import trafilatura

from parsers.decode import decode_document
from parsers.extract import parse_document
from parsers.records import ParsedPage

__all__ = ["CommentView", "Extraction", "PageJob", "blogcorpus", "run_job", "trafilatura_alone"]


@dataclass(frozen=True, slots=True)
class CommentView:
    """One extracted comment, with its parent named by the platform's own id."""

    platform_id: str | None
    parent_platform_id: str | None
    author: str | None
    published: datetime | None
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one extractor got from one page."""

    kind: str
    body: str
    comments_text: str
    comments: tuple[CommentView, ...]
    title: str | None
    author: str | None
    date: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class PageJob:
    """A page to run both extractors on: where it is, the URL it had, and a key to find it."""

    key: str
    path: str
    url: str
    with_trafilatura: bool = True
    # Article benchmarks: every page is known to be an article, as trafilatura assumes; read it
    # as a post, as `blogcorpus extract --as-post` does.
    as_post: bool = False


def read_page(path: str) -> bytes:
    """The page's bytes, gunzipped when the file is compressed."""
    data = Path(path).read_bytes()
    return gzip.decompress(data) if path.endswith(".gz") else data


def _from_parsed(parsed: ParsedPage, seconds: float) -> Extraction:
    by_id = {c.comment_id: c.platform_id for c in parsed.comments}
    views = tuple(
        CommentView(
            platform_id=c.platform_id,
            parent_platform_id=by_id.get(c.parent_id) if c.parent_id else None,
            author=c.author_name,
            published=c.published_at,
            text=c.text,
            kind=c.kind,
        )
        for c in parsed.comments
    )
    # What a reader sees of each comment: its title, who wrote it, and what they wrote.
    flat = " ".join(
        " ".join(f"{c.title or ''} {c.author_name or ''} {c.text}".split()) for c in parsed.comments
    )
    post = parsed.post
    if post is None:
        return Extraction(parsed.kind, "", flat, views, None, None, None, (), (), seconds)
    return Extraction(
        kind=parsed.kind,
        body=post.text,
        comments_text=flat,
        comments=views,
        title=post.title,
        author=post.author_name,
        date=post.published_at.date().isoformat() if post.published_at else None,
        categories=post.categories,
        tags=post.tags,
        seconds=seconds,
    )


def blogcorpus(body: bytes, url: str, *, as_post: bool = False) -> Extraction:
    """blogcorpus's parser, through its single entry point (as a crawl calls it, or as
    ``extract --as-post`` does for a page known to be an article)."""
    start = time.process_time()
    parsed = parse_document(body, url, "text/html", assume_post=as_post)
    return _from_parsed(parsed, time.process_time() - start)


def _terms(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list):
        return tuple(str(t).strip() for t in value if str(t).strip())
    return ()


def trafilatura_alone(body: bytes, url: str) -> Extraction:
    """trafilatura's own extraction of the same page, with comments and metadata."""
    start = time.process_time()
    text = decode_document(body, "text/html").text
    try:
        raw = trafilatura.extract(
            text, url=url, include_comments=True, with_metadata=True, output_format="json"
        )
    except (ValueError, TypeError, RecursionError):
        raw = None
    seconds = time.process_time() - start
    data = json.loads(raw) if raw else {}
    if not isinstance(data, dict):
        data = {}

    def text_of(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) and value.strip() else None

    return Extraction(
        kind="-",
        body=text_of("text") or "",
        comments_text=" ".join((text_of("comments") or "").split()),
        comments=(),
        title=text_of("title"),
        author=text_of("author"),
        date=text_of("date"),
        categories=_terms(data.get("categories")),
        tags=_terms(data.get("tags")),
        seconds=seconds,
    )


def run_job(job: PageJob) -> tuple[str, Extraction, Extraction | None]:
    """Both extractors on one page (run in a worker process)."""
    body = read_page(job.path)
    mine = blogcorpus(body, job.url, as_post=job.as_post)
    theirs = trafilatura_alone(body, job.url) if job.with_trafilatura else None
    return job.key, mine, theirs
