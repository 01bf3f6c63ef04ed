"""Writing records into the corpus: pages, posts, comments, authors and links.

Every ``save_*`` function writes inside the caller's transaction; ``transaction`` opens one.
The crawler calls ``save_fetched_page`` once per page, so the raw page, what was parsed from it,
the URLs it revealed and its done state are committed together or not at all: after ``kill -9``
the same crawl resumes with nothing lost and nothing duplicated.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import duckdb
import pyarrow as pa

from corpus.db import sql_literal
from parsers.records import Comment, Link, Page, ParsedPage, Post, stable_id
from parsers.urls import host_of, try_canonicalize

_T = TypeVar("_T")

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


_CONFLICT_KEY = re.compile(r"\s*ON CONFLICT \((\w+)\)")


def bulk_insert(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    conflict: str = "",
) -> None:
    """Insert many rows in one statement (see ``bulk_insert_view``).

    DuckDB's ``executemany`` runs one statement per row (about 2 ms each); one statement
    inserts a few hundred rows in about 5 ms. With ``conflict`` (``ON CONFLICT (key)
    DO ...``), the rows whose key is not stored yet go in with a plain INSERT and only the
    others take the upsert: an upsert costs two to four times a plain INSERT even when nothing
    conflicts, and in a first crawl nearly every row is new.
    """
    names = ", ".join(columns)
    view = f"_bulk_{table}"
    match = _CONFLICT_KEY.match(conflict)
    if match and rows:
        key = match[1]
        rows, fresh = _split_by_stored_key(conn, table, key, list(columns).index(key), rows)
        bulk_insert_view(
            conn, view, columns, fresh, f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}"
        )
    bulk_insert_view(
        conn,
        view,
        columns,
        rows,
        f"INSERT INTO {table} ({names}) SELECT {names} FROM {view} {conflict}",
    )


def _split_by_stored_key(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    key: str,
    at: int,
    rows: Sequence[Sequence[object]],
) -> tuple[list[Sequence[object]], list[Sequence[object]]]:
    """(rows whose key is stored, rows whose key is new). Keys are written out as literals:
    DuckDB finds a list of constants through the key's index, where a list bound as a
    parameter makes it scan the whole table. Rows that repeat a key, or keys that cannot be
    literals, all go to the upsert, which handles them as before."""
    keys = [row[at] for row in rows]
    plain = all(isinstance(k, str) and "\x00" not in k for k in keys)
    if not plain or len(set(keys)) != len(keys):
        return list(rows), []
    literals = ", ".join(sql_literal(str(k)) for k in keys)
    query = f"SELECT {key} FROM {table} WHERE {key} IN ({literals})"
    stored = {k for (k,) in conn.execute(query).fetchall()}
    return [r for r in rows if r[at] in stored], [r for r in rows if r[at] not in stored]


# Up to this many rows, a statement gets them as the parameters of a VALUES list; more go in
# as an Arrow table. An Arrow table costs about 2.5 ms of CPU however few its rows
# (registering it, setting up its scan, unregistering it), parameters about 0.1 ms a row, so
# the two meet near 20 rows. Most of a crawl's statements carry a handful: in a crawl of the
# robshouse mirror, 186 of 198 had 20 rows or fewer (a group of pages, their marks, their
# fetch-log rows, their posts).
_VALUES_MAX_ROWS = 16


def bulk_insert_view(
    conn: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    statement: str,
) -> None:
    """Run ``statement`` with the rows available as the table ``name``."""
    if not rows:
        return
    if len(rows) <= _VALUES_MAX_ROWS:
        row = "(" + ", ".join("?" * len(columns)) + ")"
        conn.execute(
            f"WITH {name} ({', '.join(columns)}) AS (VALUES {', '.join([row] * len(rows))}) "
            + statement,
            [_utc(value) for values in rows for value in values],
        )
        return
    data = {col: [_utc(row[i]) for row in rows] for i, col in enumerate(columns)}
    conn.register(name, pa.table(data))
    try:
        conn.execute(statement)
    finally:
        conn.unregister(name)


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
            language = coalesce(excluded.language, sites.language)
        """,
        [site_id, root_url, host_of(root_url), platform, title, language, now_utc()],
    )


def fill_site_languages(conn: duckdb.DuckDBPyConnection) -> None:
    """Give a site whose pages declare no language the one most of its posts are written in.

    A post's language is its page's declaration, else a guess from its words; a language the
    home page declares later replaces this one (``save_site``).
    """
    conn.execute(
        """
        UPDATE sites SET language = (
            SELECT language FROM posts
            WHERE posts.site_id = sites.site_id AND language IS NOT NULL
            GROUP BY language ORDER BY count(*) DESC, language LIMIT 1
        )
        WHERE language IS NULL
        """
    )


PAGE_COLUMNS = (
    "url", "site_id", "final_url", "status", "content_type", "fetched_at", "kind", "error",
    "encoding", "body", "body_sha1", "etag", "last_modified", "found_via", "parse_note",
    "post_id",
)  # fmt: skip
FETCH_LOG_COLUMNS = (
    "crawl_id", "url", "fetched_at", "status", "error", "bytes", "elapsed_s", "changed",
)  # fmt: skip
POST_COLUMNS = (
    "post_id", "site_id", "url", "canonical_url", "title", "author_id", "author_name",
    "published_at", "updated_at", "language", "text", "html", "categories", "tags",
    "comment_count_declared", "comments_open", "platform", "word_count", "status", "is_page",
    "found_via", "first_seen", "last_seen",
)  # fmt: skip
COMMENT_COLUMNS = (
    "comment_id", "post_id", "parent_id", "position", "depth", "author_id", "author_name",
    "author_url", "published_at", "title", "text", "html", "kind", "source", "platform_id",
    "approved", "site_id", "page_url", "sort_key", "published_tz_known",
)  # fmt: skip
LINK_COLUMNS = (
    "link_id", "site_id", "post_id", "comment_id", "context", "target_url", "target_host",
    "anchor_text", "rel", "is_internal", "position",
)  # fmt: skip
FRONTIER_COLUMNS = (
    "url", "site_id", "priority", "depth", "found_via", "referrer", "state", "attempts",
    "discovered_at", "updated_at",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class PageWrite:
    """A fetched page as it goes into ``pages`` (and ``fetch_log``)."""

    page: Page
    site_id: str
    kind: str | None
    crawl_id: str | None
    parse_note: str | None = None
    post_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class UrlMark:
    """A frontier URL's new state."""

    url: str
    state: str
    reason: str | None = None
    count_attempt: bool = True
    not_before: datetime | None = None


def save_pages(
    conn: duckdb.DuckDBPyConnection,
    writes: Sequence[PageWrite],
    *,
    known_new: bool = False,
    other_fetches: Sequence[Sequence[object]] = (),
) -> dict[str, bool]:
    """Store raw pages and log their fetches; returns, per URL, whether its content changed.

    ``known_new`` skips looking for earlier copies (a first crawl has none), one query less.
    A 304 answer keeps the stored body and only records that the page was checked.
    ``other_fetches`` are fetch-log rows of fetches that stored no page (robots.txt, a retry),
    logged in the same statement: each statement costs milliseconds however few its rows.
    """
    latest: dict[str, PageWrite] = {w.page.url: w for w in writes}
    digests = {
        url: hashlib.sha1(w.page.body).hexdigest() if w.page.body else None  # noqa: S324
        for url, w in latest.items()
    }
    before: dict[str, str | None] = {}
    if not known_new:
        before = dict(
            conn.execute(
                "SELECT url, body_sha1 FROM pages WHERE url IN (SELECT unnest(?))",
                [list(latest)],
            ).fetchall()
        )
    changed: dict[str, bool] = {}
    rows: list[list[object]] = []
    unchanged_checks: list[list[object]] = []
    for url, write in latest.items():
        page, digest = write.page, digests[url]
        if page.status == 304 and url in before:
            changed[url] = False
            unchanged_checks.append([url, page.fetched_at])
            continue
        changed[url] = url not in before or (digest is not None and before[url] != digest)
        rows.append(
            [url, write.site_id, page.final_url, page.status, page.content_type,
             page.fetched_at, write.kind, page.error, page.encoding, page.body, digest,
             page.etag, page.last_modified, page.found_via, write.parse_note, write.post_id]
        )  # fmt: skip
    update_all = ", ".join(f"{c} = excluded.{c}" for c in PAGE_COLUMNS if c != "url")
    bulk_insert(conn, "pages", PAGE_COLUMNS, rows, f"ON CONFLICT (url) DO UPDATE SET {update_all}")
    if unchanged_checks:
        bulk_insert_view(
            conn,
            "checked",
            ("url", "fetched_at"),
            unchanged_checks,
            "UPDATE pages SET fetched_at = checked.fetched_at, status = 304 "
            "FROM checked WHERE pages.url = checked.url",
        )
        # The post the page holds was seen again, unchanged: last_seen says when.
        bulk_insert_view(
            conn,
            "checked",
            ("url", "fetched_at"),
            unchanged_checks,
            "UPDATE posts SET last_seen = checked.fetched_at FROM checked, pages "
            "WHERE pages.url = checked.url AND posts.post_id = pages.post_id",
        )
    log_fetches(
        conn,
        [
            [w.crawl_id, w.page.url, w.page.fetched_at, w.page.status, w.page.error,
             len(w.page.body), None, changed.get(w.page.url, False)]
            for w in writes
        ]
        + list(other_fetches),
    )  # fmt: skip
    return changed


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
    """Store one raw page; True when its content changed (see ``save_pages``)."""
    write = PageWrite(
        page=page,
        site_id=site_id,
        kind=kind,
        crawl_id=crawl_id,
        parse_note=parse_note,
        post_id=post_id,
    )
    return save_pages(conn, [write], known_new=known_new)[page.url]


def log_fetches(conn: duckdb.DuckDBPyConnection, rows: Sequence[Sequence[object]]) -> None:
    """Append rows to the fetch history (see ``FETCH_LOG_COLUMNS``)."""
    bulk_insert(conn, "fetch_log", FETCH_LOG_COLUMNS, rows)


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


def _save_author_rows(conn: duckdb.DuckDBPyConnection, rows: list[list[object]]) -> None:
    unique = list({row[0]: row for row in rows}.values())
    bulk_insert(
        conn,
        "authors",
        ("author_id", "site_id", "name", "url", "role"),
        unique,
        """ON CONFLICT (author_id) DO UPDATE SET role = CASE
            WHEN authors.role = 'post_author' OR excluded.role = 'post_author'
            THEN 'post_author' ELSE authors.role END""",
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class PostWrite:
    post: Post
    site_id: str
    is_page: bool = False
    found_via: str | None = None


def in_rounds(items: Iterable[_T], key: Callable[[_T], str]) -> list[dict[str, _T]]:
    """Split ``items`` into rounds where each key appears once, keeping their order: the first
    copy of every key in the first round, second copies in the second, and so on.

    One upsert statement cannot update a row twice, and keeping one copy per key would lose
    what the conflict rules take from the others: each round is one statement, so copies
    committed together merge exactly as if committed one after the other.
    """
    rounds: list[dict[str, _T]] = []
    for item in items:
        k = key(item)
        free = next((r for r in rounds if k not in r), None)
        if free is None:
            rounds.append({k: item})
        else:
            free[k] = item
    return rounds


def save_posts(conn: duckdb.DuckDBPyConnection, writes: Sequence[PostWrite]) -> None:
    """Insert or refresh posts (and their authors), keeping when each was first seen.

    A post's page and its comment pages carry the same post: committed together, they are
    applied in page order (see ``in_rounds``).
    """
    for copies in in_rounds(writes, lambda w: w.post.post_id):
        _save_post_rows(conn, list(copies.values()))


def _save_post_rows(conn: duckdb.DuckDBPyConnection, writes: Sequence[PostWrite]) -> None:
    authors: list[list[object]] = []
    rows: list[list[object]] = []
    seen = now_utc()
    for write in writes:
        post = write.post
        authors += _author_rows(write.site_id, [(post.author_name, post.author_url, "post_author")])
        rows.append(
            [post.post_id, write.site_id, post.url, post.canonical_url, post.title,
             author_id_for(write.site_id, post.author_name, post.author_url), post.author_name,
             post.published_at, post.updated_at, post.language, post.text, post.html,
             list(post.categories), list(post.tags), post.comment_count_declared,
             post.comments_open, post.platform, post.word_count, post.status, write.is_page,
             write.found_via, seen, seen]
        )  # fmt: skip
    _save_author_rows(conn, authors)
    bulk_insert(
        conn,
        "posts",
        POST_COLUMNS,
        rows,
        """ON CONFLICT (post_id) DO UPDATE SET
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
            last_seen = excluded.last_seen""",
    )


def save_post(
    conn: duckdb.DuckDBPyConnection,
    post: Post,
    *,
    site_id: str,
    is_page: bool = False,
    found_via: str | None = None,
) -> None:
    """Insert or refresh one post (see ``save_posts``)."""
    save_posts(conn, [PostWrite(post=post, site_id=site_id, is_page=is_page, found_via=found_via)])


@dataclass(frozen=True, kw_only=True, slots=True)
class CommentWrite:
    comments: Sequence[Comment]
    site_id: str
    page_url: str | None


_HTML_WINS = "comments.source = 'html' AND excluded.source <> 'html'"
# Which copy's time to keep: a known one over none, an exact instant (with its zone) over a
# wall-clock reading (many themes print "11:02 pm" with no zone; feeds give the instant), and
# otherwise the copy that wins for everything else.
_TIME_FROM_NEW = f"""(CASE
    WHEN excluded.published_at IS NULL THEN FALSE
    WHEN comments.published_at IS NULL THEN TRUE
    WHEN excluded.published_tz_known AND NOT comments.published_tz_known THEN TRUE
    WHEN comments.published_tz_known AND NOT excluded.published_tz_known THEN FALSE
    ELSE NOT ({_HTML_WINS}) END)"""
_COMMENT_CONFLICT = f"""ON CONFLICT (comment_id) DO UPDATE SET
    parent_id = coalesce(excluded.parent_id, comments.parent_id),
    depth = CASE WHEN {_HTML_WINS} THEN comments.depth ELSE excluded.depth END,
    author_id = CASE WHEN {_HTML_WINS} THEN comments.author_id ELSE excluded.author_id END,
    author_name = CASE WHEN {_HTML_WINS} THEN comments.author_name ELSE excluded.author_name END,
    author_url = CASE WHEN {_HTML_WINS} THEN comments.author_url
                      ELSE coalesce(excluded.author_url, comments.author_url) END,
    published_at = CASE WHEN {_TIME_FROM_NEW} THEN excluded.published_at
                        ELSE comments.published_at END,
    published_tz_known = CASE WHEN {_TIME_FROM_NEW} THEN excluded.published_tz_known
                              ELSE comments.published_tz_known END,
    title = coalesce(excluded.title, comments.title),
    text = CASE WHEN {_HTML_WINS} THEN comments.text ELSE excluded.text END,
    html = CASE WHEN {_HTML_WINS} THEN comments.html ELSE excluded.html END,
    kind = CASE WHEN {_HTML_WINS} THEN comments.kind ELSE excluded.kind END,
    source = CASE WHEN comments.source = 'html' THEN 'html' ELSE excluded.source END,
    page_url = CASE WHEN {_HTML_WINS} THEN comments.page_url
                    ELSE coalesce(excluded.page_url, comments.page_url) END,
    sort_key = CASE WHEN {_HTML_WINS} THEN comments.sort_key ELSE excluded.sort_key END"""


def save_comment_groups(conn: duckdb.DuckDBPyConnection, writes: Sequence[CommentWrite]) -> None:
    """Upsert comments from several pages. An HTML copy of a comment wins over a feed or API
    copy of it, whose author, text and kind are poorer (feeds drop author URLs and never mark
    pingbacks), but the time comes from the copy that knows it best (``_COMMENT_CONFLICT``).

    Copies of one comment from pages committed together (a post's page and its comment feed)
    are applied in page order (see ``in_rounds``).
    """
    copies_in_page_order = (
        (comment, write.site_id, write.page_url) for write in writes for comment in write.comments
    )
    rounds = in_rounds(copies_in_page_order, lambda copy: copy[0].comment_id)
    if not rounds:
        return
    for copies in rounds:
        rows = [
            [c.comment_id, c.post_id, c.parent_id, c.position, c.depth,
             author_id_for(site_id, c.author_name, c.author_url), c.author_name, c.author_url,
             c.published_at, c.title, c.text, c.html, c.kind, c.source, c.platform_id,
             c.approved, site_id, page_url, c.position,
             None if c.published_at is None else c.published_at.tzinfo is not None]
            for c, site_id, page_url in copies.values()
        ]  # fmt: skip
        bulk_insert(conn, "comments", COMMENT_COLUMNS, rows, _COMMENT_CONFLICT)
    every = rounds[0]  # each comment's first copy: one entry per comment of the batch
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
        [list(every)],
    )
    renumber_comments(conn, {c.post_id for c, _, _ in every.values()})


def save_comments(
    conn: duckdb.DuckDBPyConnection,
    comments: Sequence[Comment],
    *,
    site_id: str,
    page_url: str | None,
) -> None:
    """Upsert one page's comments (see ``save_comment_groups``)."""
    save_comment_groups(conn, [CommentWrite(comments=comments, site_id=site_id, page_url=page_url)])


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


def renumber_comments(conn: duckdb.DuckDBPyConnection, post_ids: str | Iterable[str]) -> None:
    """Positions count 0, 1, 2 ... over all of a post's comment pages, in display order."""
    ids = [post_ids] if isinstance(post_ids, str) else sorted(post_ids)
    if not ids:
        return
    conn.execute(
        """
        UPDATE comments SET position = ranked.rn FROM (
            SELECT comment_id,
                   row_number() OVER (PARTITION BY post_id
                                      ORDER BY sort_key, published_at NULLS LAST, comment_id) - 1
                       AS rn
            FROM comments WHERE post_id IN (SELECT unnest(?))
        ) AS ranked
        WHERE comments.comment_id = ranked.comment_id AND comments.position <> ranked.rn
        """,
        [ids],
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class LinkWrite:
    post_id: str
    links: Sequence[Link]
    site_id: str
    comment_ids: Sequence[str] = ()
    replace_body: bool = True


def save_link_groups(conn: duckdb.DuckDBPyConnection, writes: Sequence[LinkWrite]) -> None:
    """Replace the body links of posts (when ``replace_body``) and the links of comments."""
    body_posts = sorted({w.post_id for w in writes if w.replace_body})
    comment_ids = sorted(
        {cid for w in writes for cid in w.comment_ids}
        | {lk.comment_id for w in writes for lk in w.links if lk.comment_id}
    )
    if body_posts or comment_ids:
        conn.execute(
            "DELETE FROM links WHERE (comment_id IS NULL AND post_id IN (SELECT unnest($posts))) "
            "OR comment_id IN (SELECT unnest($comments))",
            {"posts": body_posts, "comments": comment_ids},
        )
    rows: dict[str, list[object]] = {}
    for write in writes:
        counters: dict[tuple[str | None, str], int] = {}
        for link in write.links:
            key = (link.comment_id, link.context)
            position = counters.get(key, 0)
            counters[key] = position + 1
            link_id = stable_id("link", write.post_id, link.comment_id, link.context, str(position))
            rows[link_id] = [
                link_id, write.site_id, write.post_id, link.comment_id, link.context,
                link.target_url, link.target_host, link.anchor_text, link.rel, link.is_internal,
                position,
            ]  # fmt: skip
    bulk_insert(
        conn,
        "links",
        LINK_COLUMNS,
        list(rows.values()),
        "ON CONFLICT (link_id) DO UPDATE SET target_url = excluded.target_url, "
        "target_host = excluded.target_host, anchor_text = excluded.anchor_text, "
        "rel = excluded.rel, is_internal = excluded.is_internal",
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
    """Replace one post's links (see ``save_link_groups``)."""
    write = LinkWrite(
        post_id=post_id,
        links=links,
        site_id=site_id,
        comment_ids=tuple(comment_ids),
        replace_body=replace_body,
    )
    save_link_groups(conn, [write])


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedWrite:
    parsed: ParsedPage
    site_id: str
    found_via: str | None = None


def save_parsed_pages(
    conn: duckdb.DuckDBPyConnection,
    writes: Sequence[ParsedWrite],
    *,
    platforms_noted: set[str] | None = None,
) -> None:
    """Store what parsed pages yield: posts, comments, authors and links, one statement each.

    A site's platform is filled in once, from the first page that names it. A long-lived
    writer passes ``platforms_noted`` (the sites it already did) to skip that statement.
    """
    posts: list[PostWrite] = []
    comments: list[CommentWrite] = []
    links: list[LinkWrite] = []
    for write in writes:
        parsed = write.parsed
        if parsed.post is not None:
            posts.append(
                PostWrite(
                    post=parsed.post,
                    site_id=write.site_id,
                    is_page=parsed.kind == "page",
                    found_via=write.found_via,
                )
            )
        if parsed.comments:
            comments.append(
                CommentWrite(comments=parsed.comments, site_id=write.site_id, page_url=parsed.url)
            )
        post_id = parsed.post.post_id if parsed.post else None
        if post_id is None and parsed.comments:
            post_id = parsed.comments[0].post_id
        if post_id is not None and parsed.kind != "feed":
            # Links come from pages only: a feed's copy of a comment must not erase the links
            # its HTML copy gave.
            links.append(
                LinkWrite(
                    post_id=post_id,
                    links=parsed.links,
                    site_id=write.site_id,
                    comment_ids=[c.comment_id for c in parsed.comments if c.source == "html"],
                    replace_body=parsed.post is not None and not _is_comment_page(parsed),
                )
            )
    save_posts(conn, posts)
    save_comment_groups(conn, comments)
    save_link_groups(conn, links)
    noted = set() if platforms_noted is None else platforms_noted
    platforms = {
        w.site_id: w.parsed.platform for w in writes if w.parsed.platform and w.site_id not in noted
    }
    for site_id, platform in sorted(platforms.items()):
        conn.execute(
            "UPDATE sites SET platform = coalesce(platform, ?) WHERE site_id = ?",
            [platform, site_id],
        )
        noted.add(site_id)


def save_parsed(
    conn: duckdb.DuckDBPyConnection,
    parsed: ParsedPage,
    *,
    site_id: str,
    found_via: str | None = None,
) -> None:
    """Store what one parsed page yields (see ``save_parsed_pages``)."""
    save_parsed_pages(conn, [ParsedWrite(parsed=parsed, site_id=site_id, found_via=found_via)])


def _is_comment_page(parsed: ParsedPage) -> bool:
    # A comment page repeats its post: the body links were stored from the post page already,
    # and storing them again is harmless, but skipping keeps link positions stable.
    return parsed.post is not None and parsed.url != parsed.post.url


def enqueue(conn: duckdb.DuckDBPyConnection, entries: Sequence[FrontierEntry]) -> None:
    """Add URLs to the frontier; a URL already there keeps its state (and the best priority)."""
    if not entries:
        return
    best: dict[str, FrontierEntry] = {}
    for entry in entries:
        held = best.get(entry.url)
        if held is None or entry.priority < held.priority:
            best[entry.url] = entry
    now = now_utc()
    bulk_insert(
        conn,
        "frontier",
        FRONTIER_COLUMNS,
        [
            [e.url, e.site_id, e.priority, e.depth, e.found_via, e.referrer, "queued", 0, now, now]
            for e in best.values()
        ],
        "ON CONFLICT (url) DO UPDATE SET priority = least(frontier.priority, excluded.priority)",
    )


def mark_urls(conn: duckdb.DuckDBPyConnection, marks: Sequence[UrlMark]) -> None:
    """Move frontier URLs to ``done``, ``failed``, ``skipped`` or back to ``queued``."""
    latest = {m.url: m for m in marks}
    if not latest:
        return
    now = now_utc()
    bulk_insert_view(
        conn,
        "marks",
        ("url", "state", "reason", "not_before", "attempt"),
        [[m.url, m.state, m.reason, m.not_before, int(m.count_attempt)] for m in latest.values()],
        "UPDATE frontier SET state = marks.state, reason = marks.reason, "
        f"not_before = marks.not_before, attempts = attempts + marks.attempt, "
        f"updated_at = TIMESTAMPTZ '{now.isoformat()}' "
        "FROM marks WHERE frontier.url = marks.url",
    )


def mark_url(
    conn: duckdb.DuckDBPyConnection,
    url: str,
    state: str,
    *,
    reason: str | None = None,
    count_attempt: bool = True,
    not_before: datetime | None = None,
) -> None:
    """Move one frontier URL to a new state (see ``mark_urls``)."""
    mark_urls(
        conn,
        [
            UrlMark(
                url=url,
                state=state,
                reason=reason,
                count_attempt=count_attempt,
                not_before=not_before,
            )
        ],
    )
