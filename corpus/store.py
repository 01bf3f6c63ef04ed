"""Writing records into the corpus: pages, posts, comments, authors and links.

Every ``save_*`` function writes inside the caller's transaction; ``transaction`` opens one.
The crawler calls ``save_fetched_page`` once per page, so the raw page, what was parsed from it,
the URLs it revealed and its done state are committed together or not at all: after ``kill -9``
the same crawl resumes with nothing lost and nothing duplicated.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from parsers.records import Comment, Link, Page, ParsedPage, Post, stable_id
from parsers.urls import host_of, try_canonicalize

# Names that platforms print when a commenter gave none: shown as they are, but no author row.
_PLACEHOLDER_AUTHORS = re.compile(
    r"^(anonymous|anonyme|anonym|anónimo|anonimo|anoniem|unknown|inconnu|guest|invité|gast|"
    r"an anonymous reader|a visitor|visiteur|-|—)$",
    re.IGNORECASE,
)


def is_placeholder_author(name: str | None) -> bool:
    """True when a name stands for nobody: empty, or a platform placeholder like "Anonymous"."""
    return name is None or not name.strip() or bool(_PLACEHOLDER_AUTHORS.match(name.strip()))


def author_id_for(site_id: str, name: str | None, url: str | None) -> str | None:
    """One author per person per site: the same name with the same URL (or no URL)."""
    if is_placeholder_author(name):
        return None
    assert name is not None
    canonical = try_canonicalize(url) if url else None
    return stable_id("author", site_id, " ".join(name.split()).casefold(), canonical or "")


def site_id_for(root_url: str) -> str:
    """A site is identified by its canonical root URL."""
    return stable_id("site", root_url)


@dataclass(frozen=True, kw_only=True, slots=True)
class FrontierEntry:
    """A URL to fetch, with what the scheduler needs to order it."""

    url: str
    site_id: str
    priority: int
    depth: int
    found_via: str
    referrer: str | None = None


def _utc(value: object) -> object:
    # Arrow takes one time zone per column: bring every time to UTC first. A naive time (the
    # page gave no offset) is kept as its wall-clock reading, stored as if it were UTC.
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value


def bulk_insert(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    conflict: str = "",
) -> None:
    """Insert many rows in one statement through an Arrow table.

    DuckDB's ``executemany`` runs one statement per row (about 2 ms each); a registered Arrow
    table inserts a few hundred rows in about 10 ms.
    """
    if not rows:
        return
    data = {name: [_utc(row[i]) for row in rows] for i, name in enumerate(columns)}
    view = f"_bulk_{table}"
    conn.register(view, pa.table(data))
    try:
        names = ", ".join(columns)
        conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view} {conflict}")
    finally:
        conn.unregister(view)


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: committed whole, or rolled back whole."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now_utc() -> datetime:
    return datetime.now(UTC)


def save_site(
    conn: duckdb.DuckDBPyConnection,
    *,
    site_id: str,
    root_url: str,
    platform: str | None = None,
    title: str | None = None,
    language: str | None = None,
) -> None:
    """Create the site row, or fill in what was unknown so far."""
    conn.execute(
        """
        INSERT INTO sites VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (site_id) DO UPDATE SET
            platform = coalesce(excluded.platform, sites.platform),
            title = coalesce(sites.title, excluded.title),
            language = coalesce(sites.language, excluded.language)
        """,
        [site_id, root_url, host_of(root_url), platform, title, language, now_utc()],
    )


def save_page(
    conn: duckdb.DuckDBPyConnection,
    page: Page,
    *,
    site_id: str,
    kind: str | None,
    crawl_id: str | None,
    parse_note: str | None = None,
    post_id: str | None = None,
    known_new: bool = False,
) -> bool:
    """Store the raw page and log the fetch; return True when its content changed.

    ``known_new`` skips looking for an earlier copy (a first crawl has none), one query less.
    """
    digest = hashlib.sha1(page.body).hexdigest() if page.body else None  # noqa: S324
    before = (
        None
        if known_new
        else conn.execute("SELECT body_sha1 FROM pages WHERE url = ?", [page.url]).fetchone()
    )
    changed = before is None or (digest is not None and before[0] != digest)
    if page.status == 304 and before is not None:
        # Not modified: keep the stored body, record only that it was checked.
        conn.execute(
            "UPDATE pages SET fetched_at = ?, status = 304 WHERE url = ?",
            [page.fetched_at, page.url],
        )
        changed = False
    else:
        conn.execute(
            "INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                page.url,
                site_id,
                page.final_url,
                page.status,
                page.content_type,
                page.fetched_at,
                kind,
                page.error,
                page.encoding,
                page.body,
                digest,
                page.etag,
                page.last_modified,
                page.found_via,
                parse_note,
                post_id,
            ],
        )
    conn.execute(
        "INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            crawl_id,
            page.url,
            page.fetched_at,
            page.status,
            page.error,
            len(page.body),
            None,
            changed,
        ],
    )
    return changed


def _author_rows(
    site_id: str, people: Iterable[tuple[str | None, str | None, str]]
) -> list[list[object]]:
    rows: dict[str, list[object]] = {}
    for name, url, role in people:
        author_id = author_id_for(site_id, name, url)
        if author_id is None or author_id in rows:
            continue
        rows[author_id] = [author_id, site_id, " ".join((name or "").split()), url, role]
    return list(rows.values())


def save_authors(
    conn: duckdb.DuckDBPyConnection,
    site_id: str,
    people: Iterable[tuple[str | None, str | None, str]],
) -> None:
    """Upsert (name, url, role) triples; a post author keeps that role if also a commenter."""
    bulk_insert(
        conn,
        "authors",
        ("author_id", "site_id", "name", "url", "role"),
        _author_rows(site_id, people),
        """ON CONFLICT (author_id) DO UPDATE SET role = CASE
            WHEN authors.role = 'post_author' OR excluded.role = 'post_author'
            THEN 'post_author' ELSE authors.role END""",
    )


def save_post(
    conn: duckdb.DuckDBPyConnection,
    post: Post,
    *,
    site_id: str,
    is_page: bool = False,
    found_via: str | None = None,
) -> None:
    """Insert or refresh a post, keeping when it was first seen."""
    author_id = author_id_for(site_id, post.author_name, post.author_url)
    save_authors(conn, site_id, [(post.author_name, post.author_url, "post_author")])
    seen = now_utc()
    conn.execute(
        """
        INSERT INTO posts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT (post_id) DO UPDATE SET
            url = excluded.url, canonical_url = excluded.canonical_url,
            title = excluded.title, author_id = excluded.author_id,
            author_name = excluded.author_name, published_at = excluded.published_at,
            updated_at = excluded.updated_at, language = excluded.language,
            text = excluded.text, html = excluded.html, categories = excluded.categories,
            tags = excluded.tags,
            comment_count_declared = coalesce(excluded.comment_count_declared,
                                              posts.comment_count_declared),
            comments_open = coalesce(excluded.comments_open, posts.comments_open),
            platform = coalesce(excluded.platform, posts.platform),
            word_count = excluded.word_count, status = excluded.status,
            is_page = excluded.is_page,
            found_via = coalesce(posts.found_via, excluded.found_via),
            last_seen = excluded.last_seen
        """,
        [
            post.post_id,
            site_id,
            post.url,
            post.canonical_url,
            post.title,
            author_id,
            post.author_name,
            post.published_at,
            post.updated_at,
            post.language,
            post.text,
            post.html,
            list(post.categories),
            list(post.tags),
            post.comment_count_declared,
            post.comments_open,
            post.platform,
            post.word_count,
            post.status,
            is_page,
            found_via,
            seen,
            seen,
        ],
    )


COMMENT_COLUMNS = (
    "comment_id", "post_id", "parent_id", "position", "depth", "author_id", "author_name",
    "author_url", "published_at", "title", "text", "html", "kind", "source", "platform_id",
    "approved", "site_id", "page_url", "sort_key",
)  # fmt: skip


def save_comments(
    conn: duckdb.DuckDBPyConnection,
    comments: Sequence[Comment],
    *,
    site_id: str,
    page_url: str | None,
) -> None:
    """Upsert comments. An HTML copy of a comment wins over a feed or API copy of it, whose
    author, text and kind are poorer (feeds drop author URLs and never mark pingbacks)."""
    if not comments:
        return
    unique = _dedupe(comments)
    rows = [
        [
            c.comment_id,
            c.post_id,
            c.parent_id,
            c.position,
            c.depth,
            author_id_for(site_id, c.author_name, c.author_url),
            c.author_name,
            c.author_url,
            c.published_at,
            c.title,
            c.text,
            c.html,
            c.kind,
            c.source,
            c.platform_id,
            c.approved,
            site_id,
            page_url,
            c.position,
        ]
        for c in unique
    ]
    html_wins = "comments.source = 'html' AND excluded.source <> 'html'"
    bulk_insert(
        conn,
        "comments",
        COMMENT_COLUMNS,
        rows,
        f"""ON CONFLICT (comment_id) DO UPDATE SET
            parent_id = coalesce(excluded.parent_id, comments.parent_id),
            depth = CASE WHEN {html_wins} THEN comments.depth ELSE excluded.depth END,
            author_id = CASE WHEN {html_wins} THEN comments.author_id ELSE excluded.author_id END,
            author_name = CASE WHEN {html_wins} THEN comments.author_name
                               ELSE excluded.author_name END,
            author_url = CASE WHEN {html_wins} THEN comments.author_url
                              ELSE coalesce(excluded.author_url, comments.author_url) END,
            published_at = coalesce(excluded.published_at, comments.published_at),
            title = coalesce(excluded.title, comments.title),
            text = CASE WHEN {html_wins} THEN comments.text ELSE excluded.text END,
            html = CASE WHEN {html_wins} THEN comments.html ELSE excluded.html END,
            kind = CASE WHEN {html_wins} THEN comments.kind ELSE excluded.kind END,
            source = CASE WHEN comments.source = 'html' THEN 'html' ELSE excluded.source END,
            page_url = coalesce(comments.page_url, excluded.page_url),
            sort_key = CASE WHEN {html_wins} THEN comments.sort_key ELSE excluded.sort_key END""",
    )
    # Author rows follow the comments as stored, so a feed's poorer copy adds no one new.
    conn.execute(
        """
        INSERT INTO authors
        SELECT DISTINCT ON (author_id) author_id, site_id, trim(author_name), author_url,
               CASE kind WHEN 'comment' THEN 'commenter' ELSE kind END
        FROM comments
        WHERE comment_id IN (SELECT unnest(?)) AND author_id IS NOT NULL
        ORDER BY author_id, (kind = 'comment') DESC
        ON CONFLICT (author_id) DO NOTHING
        """,
        [[c.comment_id for c in unique]],
    )
    for post_id in {c.post_id for c in unique}:
        renumber_comments(conn, post_id)


def prune_orphan_authors(conn: duckdb.DuckDBPyConnection) -> int:
    """Drop author rows that no post or comment points to any more (a feed copy replaced)."""
    row = conn.execute(
        """
        DELETE FROM authors WHERE author_id NOT IN (
            SELECT author_id FROM comments WHERE author_id IS NOT NULL
            UNION SELECT author_id FROM posts WHERE author_id IS NOT NULL)
        RETURNING author_id
        """
    ).fetchall()
    return len(row)


def _dedupe(comments: Sequence[Comment]) -> list[Comment]:
    # One statement must not carry the same key twice (DuckDB keeps the first silently).
    seen: dict[str, Comment] = {}
    for comment in comments:
        seen.setdefault(comment.comment_id, comment)
    return list(seen.values())


def renumber_comments(conn: duckdb.DuckDBPyConnection, post_id: str) -> None:
    """Positions count 0, 1, 2 ... over all of a post's comment pages, in display order."""
    conn.execute(
        """
        UPDATE comments SET position = ranked.rn FROM (
            SELECT comment_id,
                   row_number() OVER (ORDER BY sort_key, published_at NULLS LAST, comment_id) - 1
                       AS rn
            FROM comments WHERE post_id = ?
        ) AS ranked
        WHERE comments.comment_id = ranked.comment_id AND comments.position <> ranked.rn
        """,
        [post_id],
    )


def save_links(
    conn: duckdb.DuckDBPyConnection,
    post_id: str,
    links: Sequence[Link],
    *,
    site_id: str,
    comment_ids: Iterable[str] = (),
    replace_body: bool = True,
) -> None:
    """Replace the body links of a post (when ``replace_body``) and the links of its comments."""
    if replace_body:
        conn.execute("DELETE FROM links WHERE post_id = ? AND comment_id IS NULL", [post_id])
    ids = sorted(set(comment_ids) | {lk.comment_id for lk in links if lk.comment_id})
    if ids:
        conn.execute("DELETE FROM links WHERE comment_id IN (SELECT unnest(?))", [ids])
    rows: dict[str, list[object]] = {}
    counters: dict[tuple[str | None, str], int] = {}
    for link in links:
        key = (link.comment_id, link.context)
        position = counters.get(key, 0)
        counters[key] = position + 1
        link_id = stable_id("link", post_id, link.comment_id, link.context, str(position))
        rows[link_id] = [
            link_id,
            site_id,
            post_id,
            link.comment_id,
            link.context,
            link.target_url,
            link.target_host,
            link.anchor_text,
            link.rel,
            link.is_internal,
            position,
        ]
    bulk_insert(
        conn,
        "links",
        (
            "link_id",
            "site_id",
            "post_id",
            "comment_id",
            "context",
            "target_url",
            "target_host",
            "anchor_text",
            "rel",
            "is_internal",
            "position",
        ),
        list(rows.values()),
        "ON CONFLICT (link_id) DO UPDATE SET target_url = excluded.target_url, "
        "target_host = excluded.target_host, anchor_text = excluded.anchor_text, "
        "rel = excluded.rel, is_internal = excluded.is_internal",
    )


def save_parsed(
    conn: duckdb.DuckDBPyConnection,
    parsed: ParsedPage,
    *,
    site_id: str,
    found_via: str | None = None,
) -> None:
    """Store what a parsed page yields: its post, comments, authors and links."""
    if parsed.post is not None:
        save_post(
            conn,
            parsed.post,
            site_id=site_id,
            is_page=parsed.kind == "page",
            found_via=found_via,
        )
    if parsed.comments:
        save_comments(conn, parsed.comments, site_id=site_id, page_url=parsed.url)
    post_id = parsed.post.post_id if parsed.post else None
    if post_id is None and parsed.comments:
        post_id = parsed.comments[0].post_id
    if post_id is not None and parsed.kind != "feed":
        # Links come from pages only: a feed's copy of a comment must not erase the links
        # its HTML copy gave.
        save_links(
            conn,
            post_id,
            parsed.links,
            site_id=site_id,
            comment_ids=[c.comment_id for c in parsed.comments if c.source == "html"],
            replace_body=parsed.post is not None and not _is_comment_page(parsed),
        )
    if parsed.platform or parsed.title:
        conn.execute(
            "UPDATE sites SET platform = coalesce(platform, ?) WHERE site_id = ?",
            [parsed.platform, site_id],
        )


def _is_comment_page(parsed: ParsedPage) -> bool:
    # A comment page repeats its post: the body links were stored from the post page already,
    # and storing them again is harmless, but skipping keeps link positions stable.
    return parsed.post is not None and parsed.url != parsed.post.url


def enqueue(conn: duckdb.DuckDBPyConnection, entries: Sequence[FrontierEntry]) -> int:
    """Add URLs to the frontier; a URL already there (in any state) is left as it is."""
    if not entries:
        return 0
    unique: dict[str, FrontierEntry] = {}
    for entry in entries:
        unique.setdefault(entry.url, entry)
    now = now_utc()
    before = conn.execute("SELECT count(*) FROM frontier").fetchone()
    bulk_insert(
        conn,
        "frontier",
        (
            "url",
            "site_id",
            "priority",
            "depth",
            "found_via",
            "referrer",
            "state",
            "attempts",
            "discovered_at",
            "updated_at",
        ),
        [
            [e.url, e.site_id, e.priority, e.depth, e.found_via, e.referrer, "queued", 0, now, now]
            for e in unique.values()
        ],
        "ON CONFLICT (url) DO UPDATE SET priority = least(frontier.priority, excluded.priority)",
    )
    after = conn.execute("SELECT count(*) FROM frontier").fetchone()
    return int(after[0] if after else 0) - int(before[0] if before else 0)


def mark_url(
    conn: duckdb.DuckDBPyConnection,
    url: str,
    state: str,
    *,
    reason: str | None = None,
    count_attempt: bool = True,
    not_before: datetime | None = None,
) -> None:
    """Move a frontier URL to ``done``, ``failed``, ``skipped`` or back to ``queued``."""
    conn.execute(
        "UPDATE frontier SET state = ?, reason = ?, updated_at = ?, not_before = ?, "
        "attempts = attempts + ? WHERE url = ?",
        [state, reason, now_utc(), not_before, 1 if count_attempt else 0, url],
    )
