"""Full-text search over posts and comments: DuckDB's fts extension, BM25, stemming per language.

fts allows one index per table, one stemmer per index, and no index on a view. So the index is
a set of tables, one per stemming language (``search_docs_french``, ``search_docs_english``,
...), each holding the posts and comments written in that language (a comment takes its post's
language; a post whose language is unknown, too short or mixed for a guess, takes its blog's),
with its own fts index. A query runs against every table with that table's stemmer
and the hits are merged by score. BM25 scores of different tables rest on different collection
statistics, so the merge across languages is approximate; within one language it is exact.

The index records a fingerprint of what it was built from (a hash over every indexed field of
posts, comments and sites). ``index_is_current`` compares it with the corpus: a stale or missing
index is rebuilt before a search, in place when the corpus is writable, in memory when it is not
(a snapshot read during a crawl), and never used as it is.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from corpus.db import CorpusError, CorpusMissingError, open_corpus, sql_literal
from corpus.snapshot import ReadSource, open_for_reading

__all__ = [
    "INDEX_VERSION",
    "STEMMERS",
    "IndexInfo",
    "SearchFilters",
    "SearchHit",
    "StaleIndexError",
    "build_index",
    "ensure_index",
    "index_is_current",
    "load_fts",
    "open_searchable",
    "search",
]

# Bump when the docs tables or the language mapping change: every index is then rebuilt.
INDEX_VERSION = 3
TABLE_PREFIX = "search_docs_"
STATE_TABLE = "search_index_state"

# ISO 639-1 codes to the Snowball stemmers fts ships. Records in other or unknown languages
# go to a table without stemming: exact words still match, nothing is stemmed wrongly.
STEMMERS: dict[str, str] = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian",
    "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip
NO_STEMMER = "none"

Note = Callable[[str], None]


class StaleIndexError(CorpusError):
    """The search index is missing or older than the corpus (and this connection can't fix it)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class IndexInfo:
    """What ``build_index`` did."""

    docs: int
    languages: tuple[str, ...]
    seconds: float


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchFilters:
    """Restrictions on hits. ``kinds`` holds post, page, comment, pingback or trackback."""

    site: str | None = None
    since: date | None = None
    until: date | None = None
    kinds: tuple[str, ...] = ()
    author: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchHit:
    """One matching post or comment, with its BM25 score and a snippet around the match."""

    score: float
    kind: str
    post_id: str
    comment_id: str | None
    site_id: str | None
    host: str | None
    url: str | None
    title: str | None
    post_title: str | None
    author_name: str | None
    published_at: datetime | None
    language: str | None
    approved: bool | None
    snippet: str


# --------------------------------------------------------------------------------------------
# The extension
# --------------------------------------------------------------------------------------------


def fts_extension_path() -> Path:
    """The fts extension inside the ``duckdb-extension-fts`` wheel, for this DuckDB version."""
    version = duckdb.__version__
    root = resources.files("duckdb_extension_fts")
    path = Path(str(root)) / "extensions" / f"v{version}" / "fts.duckdb_extension"
    if not path.exists():
        raise CorpusError(
            f"the fts extension for DuckDB {version} is missing ({path}); install "
            f"duckdb-extension-fts=={version}"
        )
    return path


def load_fts(conn: duckdb.DuckDBPyConnection) -> None:
    """Load fts from the installed wheel (never downloaded)."""
    conn.execute(f"LOAD {sql_literal(str(fts_extension_path()))}")


# --------------------------------------------------------------------------------------------
# Building and checking the index
# --------------------------------------------------------------------------------------------


def _prefix(catalog: str | None) -> str:
    return f'"{catalog}".' if catalog else ""


def _fingerprint(conn: duckdb.DuckDBPyConnection, source: str | None = None) -> str:
    """A hash over every field the index holds; equal fingerprints mean an equal index."""
    src = _prefix(source)
    row = conn.execute(
        f"""
        SELECT
          (SELECT count(*) || ':' || coalesce(bit_xor(hash(post_id, site_id, url, title,
                  author_name, published_at, language, text, is_page, status)), 0)
           FROM {src}posts),
          (SELECT count(*) || ':' || coalesce(bit_xor(hash(comment_id, post_id, site_id, title,
                  author_name, published_at, text, kind, approved)), 0)
           FROM {src}comments),
          (SELECT count(*) || ':' || coalesce(bit_xor(hash(site_id, host, language)), 0)
           FROM {src}sites)
        """
    ).fetchone()
    assert row is not None
    return f"v{INDEX_VERSION}|{row[0]}|{row[1]}|{row[2]}"


def _stored_fingerprint(conn: duckdb.DuckDBPyConnection) -> str | None:
    exists = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = current_database()",
        [STATE_TABLE],
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = conn.execute(f"SELECT fingerprint FROM {STATE_TABLE}").fetchone()
    return str(row[0]) if row else None


def _index_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
        "AND database_name = current_database() AND starts_with(table_name, ?) "
        "ORDER BY table_name",
        [TABLE_PREFIX],
    ).fetchall()
    return [str(r[0]) for r in rows]


def index_is_current(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when the index exists, is complete and matches the corpus as it is now."""
    stored = _stored_fingerprint(conn)
    if stored is None or stored != _fingerprint(conn):
        return False
    # A snapshot copies the index tables and macros; check the macros made it.
    tables = _index_tables(conn)
    macros = {
        str(r[0])
        for r in conn.execute(
            "SELECT schema_name FROM duckdb_functions() WHERE function_name = 'match_bm25'"
        ).fetchall()
    }
    return all(f"fts_main_{t}" in macros for t in tables)


def _language_case(column: str) -> str:
    code = f"lower(split_part(replace(coalesce({column}, ''), '_', '-'), '-', 1))"
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in sorted(STEMMERS.items()))
    return f"CASE {code} {whens} ELSE '{NO_STEMMER}' END"


def build_index(conn: duckdb.DuckDBPyConnection, *, source: str | None = None) -> IndexInfo:
    """(Re)build the search index in ``conn``'s database from ``source`` (default: the same).

    ``source`` names an attached catalog to read posts and comments from, so an index can be
    built in memory over a read-only corpus.
    """
    started = time.monotonic()
    load_fts(conn)
    src = _prefix(source)
    fingerprint = _fingerprint(conn, source)
    for table in _index_tables(conn):
        conn.execute(f"DROP SCHEMA IF EXISTS fts_main_{table} CASCADE")
        conn.execute(f"DROP TABLE {table}")
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _search_docs AS
        SELECT p.post_id AS doc_id, CASE WHEN p.is_page THEN 'page' ELSE 'post' END AS kind,
               p.post_id, NULL::VARCHAR AS comment_id, p.site_id, s.host, p.url, p.title,
               p.title AS post_title, p.author_name, p.published_at, p.language, TRUE AS approved,
               coalesce(p.text, '') AS text,
               {_language_case("coalesce(p.language, s.language)")} AS stemmer
        FROM {src}posts p LEFT JOIN {src}sites s USING (site_id)
        UNION ALL
        SELECT c.comment_id, coalesce(c.kind, 'comment'), c.post_id, c.comment_id, c.site_id,
               s.host, p.url, c.title, p.title, c.author_name, c.published_at, p.language,
               c.approved,
               coalesce(c.text, ''), {_language_case("coalesce(p.language, s.language)")}
        FROM {src}comments c
        LEFT JOIN {src}posts p USING (post_id)
        LEFT JOIN {src}sites s ON s.site_id = c.site_id
        """
    )
    counts = conn.execute(
        "SELECT stemmer, count(*) FROM _search_docs GROUP BY 1 ORDER BY 1"
    ).fetchall()
    languages: list[str] = []
    for stemmer, _count in counts:
        table = f"{TABLE_PREFIX}{stemmer}"
        conn.execute(
            f"CREATE TABLE {table} AS SELECT * EXCLUDE (stemmer) FROM _search_docs "
            "WHERE stemmer = ? ORDER BY doc_id",
            [stemmer],
        )
        stopwords = "english" if stemmer == "english" else "none"
        conn.execute(
            f"PRAGMA create_fts_index('{table}', 'doc_id', 'title', 'text', "
            f"stemmer = '{stemmer}', stopwords = '{stopwords}', strip_accents = 1, "
            "lower = 1, overwrite = 1)"
        )
        languages.append(str(stemmer))
    total = sum(int(c) for _s, c in counts)
    conn.execute("DROP TABLE _search_docs")
    seconds = round(time.monotonic() - started, 3)
    conn.execute(
        f"CREATE OR REPLACE TABLE {STATE_TABLE} (fingerprint VARCHAR, built_at TIMESTAMPTZ, "
        "docs BIGINT, languages VARCHAR[], seconds DOUBLE)"
    )
    conn.execute(
        f"INSERT INTO {STATE_TABLE} VALUES (?, now(), ?, ?, ?)",
        [fingerprint, total, languages, seconds],
    )
    return IndexInfo(docs=total, languages=tuple(languages), seconds=seconds)


def ensure_index(conn: duckdb.DuckDBPyConnection) -> IndexInfo | None:
    """Rebuild the index of a writable corpus when it is stale or missing; None if current."""
    load_fts(conn)
    if index_is_current(conn):
        return None
    return build_index(conn)


def open_searchable(
    db_path: str | Path, *, note: Note | None = None
) -> tuple[duckdb.DuckDBPyConnection, ReadSource]:
    """A connection whose search index is current: the corpus, its snapshot, or memory.

    The corpus is opened for writing so that a stale index can be rebuilt and kept. When a
    writer holds it, the latest snapshot is read; if the snapshot's index is stale, a fresh one
    is built in memory from it (the snapshot itself is never changed).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise CorpusMissingError(f"no corpus at {db_path}; crawl or import first (see --db)")
    try:
        conn = open_corpus(db_path)
    except CorpusError:
        conn = None
    if conn is not None:
        try:
            info = ensure_index(conn)
        except BaseException:
            conn.close()
            raise
        if info is not None and note is not None:
            note(f"search index rebuilt: {info.docs} documents in {info.seconds:.2f} s")
        return conn, ReadSource(db_path, is_snapshot=False)
    conn, source = open_for_reading(db_path, note=note)
    load_fts(conn)
    if index_is_current(conn):
        return conn, source
    conn.close()
    memory = duckdb.connect()
    memory.execute("SET TimeZone = 'UTC'")
    memory.execute(f"ATTACH {sql_literal(str(source.path))} AS corpus_src (READ_ONLY)")
    # Views over the read-only source keep ``index_is_current`` meaningful in memory too.
    for table in ("posts", "comments", "sites"):
        memory.execute(f"CREATE VIEW {table} AS SELECT * FROM corpus_src.{table}")
    info = build_index(memory)
    if note is not None:
        note(
            f"the search index of {source.path.name} is out of date; built a temporary one "
            f"({info.docs} documents, {info.seconds:.2f} s)"
        )
    return memory, source


# --------------------------------------------------------------------------------------------
# Searching
# --------------------------------------------------------------------------------------------

_HIT_COLUMNS = (
    "kind, post_id, comment_id, site_id, host, url, title, post_title, author_name, "
    "published_at, language, approved, text"
)


def _where(filters: SearchFilters) -> tuple[str, dict[str, Any]]:
    clauses = ["score IS NOT NULL"]
    params: dict[str, Any] = {}
    if filters.site:
        clauses.append("(site_id = $site OR host = $site)")
        params["site"] = filters.site
    if filters.since:
        clauses.append("published_at >= $since")
        params["since"] = filters.since
    if filters.until:
        clauses.append("published_at < $until::DATE + INTERVAL 1 DAY")
        params["until"] = filters.until
    if filters.kinds:
        clauses.append("list_contains($kinds, kind)")
        params["kinds"] = list(filters.kinds)
    if filters.author:
        clauses.append("lower(author_name) = lower($author)")
        params["author"] = filters.author
    return " AND ".join(clauses), params


def search(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    *,
    filters: SearchFilters = SearchFilters(),
    limit: int = 20,
    all_terms: bool = False,
    highlight: tuple[str, str] = ("**", "**"),
) -> list[SearchHit]:
    """Posts and comments matching ``query``, best BM25 score first.

    ``all_terms`` keeps only documents holding every term (after stemming). Raises
    ``StaleIndexError`` when the index does not match the corpus: call ``ensure_index`` or use
    ``open_searchable`` first.
    """
    if not query.strip():
        return []
    load_fts(conn)
    if not index_is_current(conn):
        raise StaleIndexError("the search index is missing or out of date; rebuild it first")
    tables = _index_tables(conn)
    if not tables:
        return []
    where, params = _where(filters)
    params |= {"q": query, "limit": limit, "conj": 1 if all_terms else 0}
    parts = [
        f"SELECT * FROM (SELECT {_HIT_COLUMNS}, doc_id, '{t.removeprefix(TABLE_PREFIX)}' AS "
        f"stemmer, fts_main_{t}.match_bm25(doc_id, $q, conjunctive := $conj) AS score "
        f"FROM {t}) WHERE {where}"
        for t in tables
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY score DESC, doc_id LIMIT $limit"
    rows = conn.execute(sql, params).fetchall()
    stems = _query_stems(conn, query, {str(r[14]) for r in rows})
    hits: list[SearchHit] = []
    for row in rows:
        (kind, post_id, comment_id, site_id, host, url, title, post_title, author, published,
         language, approved, text, _doc_id, stemmer, score) = row  # fmt: skip
        hits.append(
            SearchHit(
                score=float(score),
                kind=str(kind),
                post_id=str(post_id),
                comment_id=comment_id,
                site_id=site_id,
                host=host,
                url=url,
                title=title,
                post_title=post_title,
                author_name=author,
                published_at=published,
                language=language,
                approved=approved,
                snippet=make_snippet(text or "", stems.get(str(stemmer), ()), highlight),
            )
        )
    return hits


_WORD = re.compile(r"\w+", re.UNICODE)


def fold(word: str) -> str:
    """Lower-case without accents, as the index compares words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _query_stems(
    conn: duckdb.DuckDBPyConnection, query: str, stemmers: set[str]
) -> dict[str, tuple[str, ...]]:
    """Each query word, folded and stemmed the way each table's index stems it."""
    words = sorted({fold(w) for w in _WORD.findall(query)})
    result: dict[str, tuple[str, ...]] = {}
    for stemmer in stemmers:
        if stemmer == NO_STEMMER or not words:
            result[stemmer] = tuple(words)
            continue
        rows = conn.execute(
            "SELECT DISTINCT stem(w, ?) FROM unnest(?::VARCHAR[]) AS t(w)", [stemmer, words]
        ).fetchall()
        result[stemmer] = tuple(sorted({str(r[0]) for r in rows} | set(words)))
    return result


SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 200


def make_snippet(text: str, stems: Sequence[str], highlight: tuple[str, str]) -> str:
    """About 200 characters of ``text`` around the first matching word, matches marked.

    A word matches when its folded form starts with a query stem (stems are word prefixes in
    Snowball for nearly every word), so "connecteurs" is marked for the query "connecteur".
    """
    text = " ".join(text.split())
    matches = [
        m
        for m in _WORD.finditer(text)
        if any(fold(m.group()).startswith(s) for s in stems if len(s) >= 2)
    ]
    if not matches:
        return text[:SNIPPET_LENGTH] + ("…" if len(text) > SNIPPET_LENGTH else "")
    start = max(0, matches[0].start() - SNIPPET_BEFORE)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < matches[0].start() else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", matches[0].end(), end)
        end = space if space > 0 else end
    pieces: list[str] = ["…" if start > 0 else ""]
    cursor = start
    opening, closing = highlight
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        pieces += [text[cursor : m.start()], opening, m.group(), closing]
        cursor = m.end()
    pieces += [text[cursor:end], "…" if end < len(text) else ""]
    return "".join(pieces)
