"""The corpus schema as named, append-only migrations.

Each migration runs in one transaction together with the row that records it, so a corpus is
never half-migrated. Never edit or reorder a migration that has shipped: add a new one.
The column names of ``sites``, ``pages``, ``posts``, ``comments``, ``authors``, ``links`` and
``crawls`` are a contract with analysts: add columns freely, never rename or drop them.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from corpus.views import VIEWS_0002_SQL, VIEWS_0003_SQL


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_initial_schema",
        """
        CREATE TABLE sites (
            site_id VARCHAR PRIMARY KEY,
            root_url VARCHAR NOT NULL,
            host VARCHAR NOT NULL,
            platform VARCHAR,
            title VARCHAR,
            language VARCHAR,
            first_seen TIMESTAMPTZ
        );
        CREATE TABLE pages (
            url VARCHAR PRIMARY KEY,
            site_id VARCHAR,
            final_url VARCHAR,
            status INTEGER,
            content_type VARCHAR,
            fetched_at TIMESTAMPTZ,
            kind VARCHAR,
            error VARCHAR,
            encoding VARCHAR,
            body BLOB,
            body_sha1 VARCHAR,
            etag VARCHAR,
            last_modified VARCHAR,
            found_via VARCHAR,
            parse_note VARCHAR,
            post_id VARCHAR
        );
        CREATE TABLE fetch_log (
            crawl_id VARCHAR,
            url VARCHAR,
            fetched_at TIMESTAMPTZ,
            status INTEGER,
            error VARCHAR,
            bytes BIGINT,
            elapsed_s DOUBLE,
            changed BOOLEAN
        );
        CREATE TABLE frontier (
            url VARCHAR PRIMARY KEY,
            site_id VARCHAR NOT NULL,
            priority INTEGER NOT NULL,
            depth INTEGER NOT NULL,
            found_via VARCHAR,
            referrer VARCHAR,
            state VARCHAR NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            reason VARCHAR,
            discovered_at TIMESTAMPTZ,
            updated_at TIMESTAMPTZ,
            not_before TIMESTAMPTZ
        );
        CREATE TABLE posts (
            post_id VARCHAR PRIMARY KEY,
            site_id VARCHAR,
            url VARCHAR,
            canonical_url VARCHAR,
            title VARCHAR,
            author_id VARCHAR,
            author_name VARCHAR,
            published_at TIMESTAMPTZ,
            updated_at TIMESTAMPTZ,
            language VARCHAR,
            text VARCHAR,
            html VARCHAR,
            categories VARCHAR[],
            tags VARCHAR[],
            comment_count_declared INTEGER,
            comments_open BOOLEAN,
            platform VARCHAR,
            word_count INTEGER,
            status VARCHAR,
            is_page BOOLEAN DEFAULT FALSE,
            found_via VARCHAR,
            first_seen TIMESTAMPTZ,
            last_seen TIMESTAMPTZ
        );
        CREATE TABLE comments (
            comment_id VARCHAR PRIMARY KEY,
            post_id VARCHAR,
            parent_id VARCHAR,
            position INTEGER,
            depth INTEGER,
            author_id VARCHAR,
            author_name VARCHAR,
            author_url VARCHAR,
            published_at TIMESTAMPTZ,
            title VARCHAR,
            text VARCHAR,
            html VARCHAR,
            kind VARCHAR,
            source VARCHAR,
            platform_id VARCHAR,
            approved BOOLEAN,
            site_id VARCHAR,
            page_url VARCHAR,
            sort_key BIGINT,
            published_tz_known BOOLEAN
        );
        CREATE TABLE authors (
            author_id VARCHAR PRIMARY KEY,
            site_id VARCHAR,
            name VARCHAR,
            url VARCHAR,
            role VARCHAR
        );
        CREATE TABLE links (
            link_id VARCHAR PRIMARY KEY,
            site_id VARCHAR,
            post_id VARCHAR,
            comment_id VARCHAR,
            context VARCHAR,
            target_url VARCHAR,
            target_host VARCHAR,
            anchor_text VARCHAR,
            rel VARCHAR,
            is_internal BOOLEAN,
            position INTEGER
        );
        CREATE TABLE crawls (
            crawl_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            seeds VARCHAR[],
            config JSON,
            stats JSON
        );
        """,
    ),
    # The analysts' views (post_overview, comment_threads, commenters, link_graph,
    # crawl_report); their SQL is frozen in corpus/views.py.
    Migration("0002_views", VIEWS_0002_SQL),
    # link_graph without a blog's pingbacks to itself.
    Migration("0003_link_graph_self_pings", VIEWS_0003_SQL),
)

SCHEMA_VERSION = len(MIGRATIONS)


class NewerCorpusError(RuntimeError):
    """The corpus was written by a newer blogcorpus than this one."""


def _ensure_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " position INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ)"
    )


def applied_migrations(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations recorded in this corpus, in order."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        return []
    rows = conn.execute("SELECT name FROM schema_migrations ORDER BY position").fetchall()
    return [r[0] for r in rows]


def check_version(conn: duckdb.DuckDBPyConnection) -> None:
    """Refuse a corpus that records migrations this version does not know."""
    applied = applied_migrations(conn)
    known = [m.name for m in MIGRATIONS]
    if len(applied) > len(known) or applied != known[: len(applied)]:
        unknown = [name for name in applied if name not in known]
        raise NewerCorpusError(
            "this corpus was written by a newer blogcorpus (unknown migrations: "
            f"{', '.join(unknown) or 'out of order'}); upgrade blogcorpus to open it"
        )


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every pending migration, each in its own transaction; return the names applied."""
    _ensure_ledger(conn)
    check_version(conn)
    done = set(applied_migrations(conn))
    newly: list[str] = []
    for position, migration in enumerate(MIGRATIONS, start=1):
        if migration.name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())", [position, migration.name]
            )
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        newly.append(migration.name)
    return newly
