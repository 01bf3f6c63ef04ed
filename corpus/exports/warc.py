"""The raw fetched pages as WARC request/response records, for archivists' replay tools.

Bodies are stored decoded (no transfer or content encoding), so each response carries the
stored body with a matching ``Content-Length`` and no ``Content-Encoding``. Record ids are
derived from the URL and fetch time, and records come in URL order, so the same corpus always
exports the same WARC. A page last checked with ``304 Not Modified`` is written as the ``200``
response its stored body came from. When the requested URL was redirected, the response is
recorded at the final URL and the requested one is kept in ``WARC-Blogcorpus-Requested-URI``.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import duckdb
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.exports.selection import ExportFilter, select_rows

__all__ = ["REQUESTED_URI_HEADER", "write_warc"]

REQUESTED_URI_HEADER = "WARC-Blogcorpus-Requested-URI"
SOFTWARE = "blogcorpus"
BATCH = 200


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, chr(31).join(parts))}>"


def _warc_date(value: datetime | None) -> str:
    moment = (value or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _pages(conn: duckdb.DuckDBPyConnection, flt: ExportFilter) -> Iterator[tuple[Any, ...]]:
    where = "site_id IN (SELECT site_id FROM _export_sites)"
    if flt.by_date:
        where = "post_id IN (SELECT post_id FROM _export_posts)"
    urls = [
        r[0]
        for r in conn.execute(
            f"SELECT url FROM pages WHERE {where} AND status IS NOT NULL AND body IS NOT NULL "
            "ORDER BY url"
        ).fetchall()
    ]
    for start in range(0, len(urls), BATCH):
        yield from conn.execute(
            "SELECT url, final_url, status, content_type, fetched_at, body, etag, "
            "last_modified FROM pages WHERE url IN (SELECT unnest(?)) ORDER BY url",
            [urls[start : start + BATCH]],
        ).fetchall()


def write_warc(
    conn: duckdb.DuckDBPyConnection,
    out: BinaryIO,
    flt: ExportFilter = ExportFilter(),  # noqa: B008 - frozen
) -> int:
    """Write a gzipped WARC of the stored pages to ``out``; returns the number of responses."""
    select_rows(conn, flt)
    writer = WARCWriter(out, gzip=True)
    first = conn.execute("SELECT min(fetched_at) FROM pages").fetchone()
    info_date = _warc_date(first[0] if first else None)
    info = writer.create_warcinfo_record(
        "blogcorpus-export.warc.gz",
        {"software": SOFTWARE, "format": "WARC File Format 1.0", "description": "blog corpus"},
    )
    info.rec_headers.replace_header("WARC-Date", info_date)
    info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo", info_date))
    writer.write_record(info)
    count = 0
    for url, final_url, status, content_type, fetched_at, body, etag, last_modified in _pages(
        conn, flt
    ):
        target = final_url or url
        code = 200 if status == 304 else int(status)
        date = _warc_date(fetched_at)
        headers = [("Content-Length", str(len(body)))]
        if content_type:
            headers.insert(0, ("Content-Type", content_type))
        if etag:
            headers.append(("ETag", etag))
        if last_modified:
            headers.append(("Last-Modified", last_modified))
        http = StatusAndHeaders(f"{code} {_reason(code)}", headers, protocol="HTTP/1.1")
        response_id = _record_id("response", target, date)
        warc_headers = {"WARC-Date": date, "WARC-Record-ID": response_id}
        if target != url:
            warc_headers[REQUESTED_URI_HEADER] = url
        response = writer.create_warc_record(
            target,
            "response",
            payload=io.BytesIO(bytes(body)),
            length=len(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        parts = urlsplit(target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = writer.create_warc_record(
            target,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {path} HTTP/1.1",
                [("Host", parts.netloc), ("User-Agent", SOFTWARE)],
                is_http_request=True,
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Record-ID": _record_id("request", target, date),
                "WARC-Concurrent-To": response_id,
            },
        )
        writer.write_record(request)
        writer.write_record(response)
        count += 1
    return count
