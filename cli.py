"""The ``blogcorpus`` command: crawl blogs, parse pages, query and export the corpus.

Data goes to stdout, talk to stderr. Every command takes ``--db`` (or ``BLOGCORPUS_DB``).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from corpus.db import CorpusError, open_corpus
from corpus.export import atomic_output, iter_post_documents, write_json, write_jsonl
from corpus.formats import FORMATS, OutputFormat, write_rows
from corpus.migrations import NewerCorpusError
from corpus.stats import error_reasons, site_stats
from parsers.urls import BadURLError, canonicalize_url

app = typer.Typer(
    help="Turn blogs into research corpora: posts, every comment as a record, links.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="BLOGCORPUS_DB", help="Corpus file (DuckDB).", show_default=True),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, jsonl or csv (default: a table on a terminal, JSON when piped).",
    ),
]
DEFAULT_DB = Path("corpus.duckdb")


def say(message: str) -> None:
    """Talk goes to stderr, so stdout stays clean data."""
    typer.echo(message, err=True)


def _format(value: str | None) -> OutputFormat:
    if value is None:
        return "table" if sys.stdout.isatty() else "json"
    if value not in FORMATS:
        raise typer.BadParameter(f"unknown format {value!r}; choose from {', '.join(FORMATS)}")
    return value  # type: ignore[return-value]


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{name} wants a date like 2006-06-08, not {value!r}") from exc


@app.command()
def crawl(
    seeds: Annotated[list[str], typer.Argument(help="Blog addresses; each is one blog.")],
    db: DbOption = DEFAULT_DB,
    delay: Annotated[
        float, typer.Option(min=0, help="Seconds between requests to one host.")
    ] = 1.0,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight overall.")] = 4,
    max_pages: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many fetches.")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Only URLs matching this regex (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Skip URLs matching this regex (repeatable).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Skip posts dated before (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Skip posts dated after (YYYY-MM-DD).")] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            help="Also fetch loopback/private addresses that links lead to (the seeds' own "
            "hosts are always allowed). Exposes your network to what the blog links to."
        ),
    ] = False,
    contact: Annotated[
        str | None, typer.Option(help="A URL or e-mail put in the user agent for site owners.")
    ] = None,
    parse_workers: Annotated[
        int | None, typer.Option(min=0, help="Processes parsing pages (default: one per core).")
    ] = None,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Summary as JSON on stdout.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Crawl blogs into the corpus; run it again to resume or to re-crawl.

    Example: blogcorpus crawl https://some-blog.example/ --db corpus.duckdb
    """
    from scraper.parsing import start_parse_server

    for seed in seeds:
        canonicalize_url(seed)  # a seed that is no address stops here, before a corpus exists
    workers = parse_workers if parse_workers is not None else min(os.cpu_count() or 1, 4)
    if workers > 1:
        start_parse_server()  # the parsers import on another core while the crawler starts
    from scraper.config import CrawlConfig
    from scraper.crawler import run_crawl
    from scraper.progress import CrawlProgress

    config = CrawlConfig(
        seeds=tuple(seeds),
        db_path=db,
        delay=delay,
        concurrency=concurrency,
        max_pages=max_pages,
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        allow_private=allow_private,
        contact=contact,
        parse_workers=workers if workers > 1 else 0,
    )
    if quiet or not sys.stderr.isatty():
        summary = run_crawl(config, handle_signals=True)
    else:
        with CrawlProgress() as progress:
            summary = run_crawl(config, progress=progress, handle_signals=True)
    if json_summary:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    if not quiet:
        _report_crawl(summary)


def _report_crawl(summary: dict[str, Any]) -> None:
    state = "finished"
    if summary["stopped_early"]:
        limit = summary.get("stop_reason") == "max_pages"
        state = "stopped early (--max-pages reached)" if limit else "stopped early"
    say(
        f"crawl {state}: {summary['fetched']} requests in {summary['seconds']} s "
        f"({summary['changed']} new or changed, {summary['not_modified']} not modified)"
    )
    for site in summary["sites"]:
        requests_per_post = (
            f", {site['requests_this_run'] / site['posts']:.2f} requests/post"
            if site["posts"]
            else ""
        )
        # 0% is worth saying above all; no figure (no sitemap or declared total) is not.
        coverage = f", coverage {site['coverage']:.0%}" if site.get("coverage") is not None else ""
        say(
            f"  {site['site']}: {site['posts']} posts, {site['comments']} comments, "
            f"{site['authors']} authors, {site['links']} links{requests_per_post}{coverage}"
            + (f", {site['queued']} still queued" if site["queued"] else "")
        )
    if summary["errors"]:
        worst = ", ".join(f"{k} ×{v}" for k, v in sorted(summary["errors"].items())[:5])
        say(f"  errors: {worst}")


@app.command()
def parse(
    db: DbOption = DEFAULT_DB,
    only_posts: Annotated[bool, typer.Option(help="Re-parse only pages that held posts.")] = False,
) -> None:
    """Re-run the parsers over the stored raw pages, offline (no re-crawl needed).

    Example: blogcorpus parse --db corpus.duckdb
    """
    from corpus.reparse import reparse_pages

    conn = open_corpus(db)
    try:
        started = time.monotonic()
        counts = reparse_pages(conn, only_posts=only_posts)
    finally:
        conn.close()
    say(
        f"re-parsed {counts['pages']} pages in {time.monotonic() - started:.1f} s: "
        f"{counts['posts']} posts, {counts['comments']} comments"
    )


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run, or - to read it from stdin.")],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Named parameter NAME=VALUE, used as $NAME."),
    ] = None,
) -> None:
    """Run SQL against the corpus (read-only) and print the rows.

    While a crawl writes the corpus, the query runs on its latest snapshot (a note on stderr
    says how old it is).

    Example: blogcorpus query "SELECT * FROM post_overview WHERE host = $h" -p h=blog.example
    """
    import duckdb

    from corpus.snapshot import open_for_reading

    text = sys.stdin.read() if sql == "-" else sql
    params: dict[str, str] = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--param wants NAME=VALUE, not {item!r}")
        params[name] = value
    chosen = _format(fmt)
    conn, _source = open_for_reading(db, note=say)
    try:
        try:
            cursor = conn.execute(text, params) if params else conn.execute(text)
        except duckdb.Error as exc:
            say(f"blogcorpus: query failed: {str(exc).splitlines()[0]}")
            raise typer.Exit(1) from exc
        columns = [d[0] for d in cursor.description or []]
        write_rows(sys.stdout, columns, cursor.fetchall(), chosen)
    finally:
        conn.close()


@app.command()
def search(
    terms: Annotated[str, typer.Argument(help="Words to find; each is stemmed per language.")],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = None,
    site: Annotated[str | None, typer.Option(help="Only this site (host or site_id).")] = None,
    since: Annotated[str | None, typer.Option(help="Only records published on or after.")] = None,
    until: Annotated[str | None, typer.Option(help="Only records published on or before.")] = None,
    within: Annotated[
        str, typer.Option("--in", help="posts, comments (pingbacks included) or all.")
    ] = "all",
    author: Annotated[
        str | None, typer.Option(help="Only this author's records (case-insensitive).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Best hits to show.")] = 20,
    all_terms: Annotated[
        bool, typer.Option("--all-terms", help="Only records holding every word.")
    ] = False,
) -> None:
    """Full-text search (BM25) over posts and comments, best first, with a snippet per hit.

    The index is rebuilt first when the corpus changed since it was built.

    Example: blogcorpus search "archiver commentaires" --in comments --since 2010-01-01
    """
    import dataclasses

    from corpus.search import SearchFilters, SearchHit, open_searchable
    from corpus.search import search as run_search

    kinds = {
        "all": (),
        "posts": ("post", "page"),
        "comments": ("comment", "pingback", "trackback"),
    }
    if within not in kinds:
        raise typer.BadParameter(f"--in wants posts, comments or all, not {within!r}")
    chosen = _format(fmt)
    filters = SearchFilters(
        site=site,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        kinds=kinds[within],
        author=author,
    )
    conn, _source = open_searchable(db, note=say)
    try:
        started = time.monotonic()
        hits = run_search(conn, terms, filters=filters, limit=limit, all_terms=all_terms)
        elapsed = time.monotonic() - started
    finally:
        conn.close()
    if chosen == "table":
        columns = ["score", "kind", "published", "author", "post", "snippet"]
        rows: list[list[Any]] = [
            [
                f"{h.score:.3f}",
                h.kind,
                h.published_at.date().isoformat() if h.published_at else "",
                h.author_name,
                h.post_title,
                h.snippet,
            ]
            for h in hits
        ]
        write_rows(sys.stdout, columns, rows, chosen)
        say(f"{len(hits)} hits in {elapsed * 1000:.0f} ms")
        return
    fields = [f.name for f in dataclasses.fields(SearchHit)]
    write_rows(sys.stdout, fields, [[getattr(h, name) for name in fields] for h in hits], chosen)


@app.command()
def stats(
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Print per-site counts: posts, comments by kind, authors, links, dates, coverage, errors.

    Example: blogcorpus stats --db corpus.duckdb --json
    """
    from corpus.snapshot import open_for_reading

    chosen = "json" if json_out else _format(fmt)
    conn, _source = open_for_reading(db, note=say)
    try:
        columns, rows = site_stats(conn)
        write_rows(sys.stdout, columns, rows, chosen)
        if chosen == "table":
            for host, reason, count in error_reasons(conn)[:10]:
                say(f"  {host}: {reason} ×{count}")
    finally:
        conn.close()


EXPORT_FORMATS = ("jsonl", "json", "parquet", "csv", "warc")


@app.command()
def export(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, json, parquet, csv or warc.")
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File (jsonl, json, warc; stdout if absent) or folder (parquet, csv: one "
            "file per table). An existing file is replaced only once the new one is complete.",
        ),
    ] = None,
    split: Annotated[
        Path | None,
        typer.Option("--split", help="json only: one file per post in this folder."),
    ] = None,
    site: Annotated[str | None, typer.Option(help="Only this site (host or site_id).")] = None,
    since: Annotated[str | None, typer.Option(help="Posts published on or after.")] = None,
    until: Annotated[str | None, typer.Option(help="Posts published on or before.")] = None,
) -> None:
    """Export posts with their threaded comments and links, the tables, or the raw pages.

    Example: blogcorpus export --format parquet --output dataset/ --site blog.example
    """
    from corpus.exports import ExportFilter, write_split, write_tables, write_warc
    from corpus.snapshot import open_for_reading

    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"export supports {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    if split is not None and fmt != "json":
        raise typer.BadParameter("--split writes one JSON file per post: use it with --format json")
    if fmt in ("parquet", "csv") and output is None:
        raise typer.BadParameter(f"--format {fmt} writes one file per table: give --output DIR")
    if fmt == "warc" and output is None and sys.stdout.isatty():
        raise typer.BadParameter("a WARC is binary: give --output FILE or redirect stdout")
    flt = ExportFilter(site=site, since=_date(since, "--since"), until=_date(until, "--until"))
    conn, _source = open_for_reading(db, note=say)
    try:
        started = time.monotonic()
        if fmt in ("parquet", "csv"):
            assert output is not None
            counts = write_tables(conn, output, fmt, flt)  # type: ignore[arg-type]
            summary = ", ".join(f"{n} {table}" for table, n in counts.items())
            say(f"exported {summary} to {output}/ in {time.monotonic() - started:.1f} s")
            return
        if fmt == "warc":
            from corpus.exports.atomic import atomic_path

            if output is None:
                count = write_warc(conn, sys.stdout.buffer, flt)
            else:
                with atomic_path(output) as tmp, tmp.open("wb") as handle:
                    count = write_warc(conn, handle, flt)
            say(f"exported {count} pages as WARC" + (f" to {output}" if output else ""))
            return
        docs = iter_post_documents(conn, site=flt.site, since=flt.since, until=flt.until)
        if split is not None:
            count = write_split(docs, split)
            say(f"exported {count} posts to {split}/")
            return
        writers = {"jsonl": write_jsonl, "json": write_json}
        with atomic_output(output, sys.stdout) as out:
            count = writers[fmt](docs, out)
    finally:
        conn.close()
    say(f"exported {count} posts" + (f" to {output}" if output else ""))


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Saved HTML files or folders of them.")],
    url: Annotated[
        str | None, typer.Option(help="The page's original URL (resolves relative links).")
    ] = None,
    as_post: Annotated[
        bool,
        typer.Option("--as-post", help="Read every file as a post, whatever its markup suggests."),
    ] = False,
) -> None:
    """Parse saved HTML files, no database: one JSON line per file.

    Example: blogcorpus extract saved-post.html --url https://blog.example/2006/06/08/post/
    """
    from parsers.document import page_document
    from parsers.extract import parse_document

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            say(f"no such file: {path}")
            raise typer.Exit(1)
    for file in files:
        page_url = url or f"http://localhost/{file.name}"
        try:
            body = file.read_bytes()
        except OSError as exc:
            say(f"cannot read {file}: {exc.strerror}")
            continue
        parsed = parse_document(body, page_url, "text/html", assume_post=as_post)
        record = {"file": str(file), **page_document(parsed)}
        typer.echo(json.dumps(record, ensure_ascii=False, default=str))


@app.command(name="import")
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="WordPress export (WXR) or WARC (.warc, .warc.gz) files.")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import WordPress export (WXR) files or WARC archives into the corpus.

    Posts, pages, comments, pingbacks and threading come from WXR; WARC pages are parsed like
    crawled ones. The search index is refreshed at the end.

    Example: blogcorpus import my-blog.wordpress.2014-01-01.xml site.warc.gz --db corpus.duckdb
    """
    from corpus.imports import import_warc, import_wxr, sniff_format
    from corpus.search import ensure_index
    from corpus.snapshot import discard_snapshot, maybe_publish_snapshot

    conn = open_corpus(db)
    try:
        for file in files:
            with file.open("rb") as handle:
                kind = sniff_format(handle.read(512))
                handle.seek(0)
                if kind == "warc":
                    counts = import_warc(
                        conn,
                        handle,
                        source=str(file),
                        on_commit=lambda: maybe_publish_snapshot(conn, db),
                    )
                    say(
                        f"{file}: {counts.get('pages', 0)} pages, {counts.get('posts', 0)} "
                        f"posts, {counts.get('comments', 0)} comments"
                        + (f" ({counts['skipped']} not kept)" if counts.get("skipped") else "")
                    )
                    continue
                counts = import_wxr(conn, handle.read(), source=str(file))
            say(
                f"{file}: {counts['posts']} posts, {counts['pages']} pages, "
                f"{counts['comments']} comments"
                + (
                    f" ({counts['problems']} problems noted, listed in crawls.stats)"
                    if counts["problems"]
                    else ""
                )
            )
        info = ensure_index(conn)
        if info is not None:
            say(f"search index: {info.docs} documents in {info.seconds:.1f} s")
    finally:
        conn.close()
        discard_snapshot(db)


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="Where the demo corpus goes.")] = Path(
        "demo.duckdb"
    ),
    serve: Annotated[
        bool, typer.Option("--serve", help="Only serve the sample blog, to crawl it by hand.")
    ] = False,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port for --serve (0 picks a free one).")
    ] = 0,
) -> None:
    """Serve the bundled sample blog on 127.0.0.1, crawl it into demo.duckdb, and report.

    Example: blogcorpus demo
    """
    from sampleblog.server import load_truth, serve_sample_blog
    from scraper.config import CrawlConfig
    from scraper.crawler import run_crawl

    server = serve_sample_blog(port=port)
    base_url = server.start()
    if serve:
        say(f"serving the sample blog at {base_url} (Ctrl-C to stop)")
        say(f"try: blogcorpus crawl {base_url} --delay 0 --db sample.duckdb")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
        return
    if db.resolve() == DEFAULT_DB.resolve():
        raise typer.BadParameter("the demo never writes corpus.duckdb; pick another --db")
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        say(f"sample blog served at {base_url}; crawling it into {db} ...")
        summary = run_crawl(
            CrawlConfig(seeds=(base_url,), db_path=db, delay=0, concurrency=4, parse_workers=0)
        )
        truth = load_truth(base_url)
    finally:
        server.stop()
    _demo_report(db, summary, truth)


def _demo_report(db: Path, summary: dict[str, Any], truth: dict[str, Any]) -> None:
    conn = open_corpus(db, read_only=True)
    try:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM posts WHERE NOT is_page),"
            " (SELECT count(*) FROM comments), (SELECT count(*) FROM authors),"
            " (SELECT count(*) FROM links)"
        ).fetchone()
        assert row is not None
        found = dict(zip(("posts", "comments", "authors", "links"), row, strict=True))
        expected = {k: truth["counts"][k] for k in found}
        typer.echo(
            f"Crawled the sample blog in {summary['seconds']} s ({summary['fetched']} requests)."
        )
        typer.echo(f"{'':10}{'found':>8}{'expected':>10}")
        for key, value in found.items():
            mark = "ok" if value == expected[key] else "MISMATCH"
            typer.echo(f"{key:10}{value:>8}{expected[key]:>10}  {mark}")
        kinds = dict(conn.execute("SELECT kind, count(*) FROM comments GROUP BY 1").fetchall())
        typer.echo("comments by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        sample = (
            "SELECT author_name, count(*) AS comments, count(DISTINCT post_id) AS posts "
            "FROM comments WHERE kind = 'comment' AND author_id IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5"
        )
        typer.echo(f'\nWho comments most?\n  blogcorpus query --db {db} "{sample}"\n')
        cursor = conn.execute(sample)
        write_rows(sys.stdout, [d[0] for d in cursor.description or []], cursor.fetchall(), "table")
    finally:
        conn.close()
    if found != expected:
        say("the demo corpus does not match the sample blog's truth")
        raise typer.Exit(1)


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 1."""
    try:
        app()
    except (CorpusError, NewerCorpusError, BadURLError, OSError) as exc:
        say(f"blogcorpus: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        say("blogcorpus: interrupted")
        sys.exit(130)
    finally:
        # Everything is written and closed by now. On its way out the interpreter would search
        # the whole heap for reference cycles more than once (DuckDB's, typer's and httpx's
        # modules and their objects): about 60 ms after a crawl. Frozen objects are skipped,
        # and the process's exit frees them all the same.
        gc.freeze()


if __name__ == "__main__":
    main()
