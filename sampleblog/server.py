"""A small real HTTP server for static site mirrors, used by the demo and the crawl tests.

It serves a directory the way a blog host would: ``/a/b/`` is ``a/b/index.html`` (or
``index.xml`` for a feed), ``/a/b`` redirects to ``/a/b/`` when that is a directory, query
strings are ignored, ``Last-Modified`` and ``ETag`` answer conditional requests with 304. Mirrors
keep absolute links at a placeholder origin, rewritten on the fly to the server's own address
in every text response, so a crawler stays on 127.0.0.1. Every request is logged with a
monotonic timestamp, so tests can measure a crawler's politeness.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from sampleblog.paths import PLACEHOLDER_ORIGIN, SITE_DIR, TRUTH_PATH

ContentTypeHook = Callable[[str], str | None]

# Headers worth keeping in the request log: what a polite crawler is judged on.
LOGGED_HEADERS = (
    "User-Agent",
    "Accept",
    "Accept-Encoding",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "From",
)
INDEX_FILES = ("index.html", "index.xml")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class RequestRecord:
    """One request as the server saw it."""

    time: float
    method: str
    path: str
    status: int
    headers: dict[str, str]


class BadPathError(ValueError):
    """The request path tries to leave the served directory or is malformed."""


def _is_text(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))


def guess_type(path: Path) -> str:
    """Content type by file extension; unknown and extension-less files are octet streams."""
    known = _TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _segments(url_path: str) -> list[str]:
    """The decoded path segments, refusing anything that could climb out of the root."""
    decoded = unquote(url_path, errors="strict")
    if "\x00" in decoded or "\\" in decoded:
        raise BadPathError(url_path)
    segments = [segment for segment in decoded.split("/") if segment]
    # Checked after decoding, so %2e%2e and %2f tricks are caught as well as plain "..".
    if any(segment in {".", ".."} for segment in segments):
        raise BadPathError(url_path)
    return segments


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "blogcorpus-sample/1.0"
    # Headers and body go out as two writes; with Nagle's algorithm the second waits ~40 ms
    # for the client's delayed ACK on every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record, stderr stays clean."""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _log(self, status: int) -> None:
        headers = {name: self.headers[name] for name in LOGGED_HEADERS if name in self.headers}
        self.server.owner.record(
            RequestRecord(
                time=time.monotonic(),
                method=self.command,
                path=self.path,
                status=status,
                headers=headers,
            )
        )

    def _simple(self, status: HTTPStatus, send_body: bool, location: str | None = None) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self._log(status.value)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _respond(self, send_body: bool) -> None:
        owner = self.server.owner
        url_path = urlsplit(self.path).path or "/"
        try:
            segments = _segments(url_path)
        except (BadPathError, UnicodeDecodeError):
            self._simple(HTTPStatus.BAD_REQUEST, send_body)
            return
        target = owner.root.joinpath(*segments)
        if target.is_dir():
            if not url_path.endswith("/"):
                self._simple(
                    HTTPStatus.MOVED_PERMANENTLY, send_body, location=owner.origin + url_path + "/"
                )
                return
            target = next((target / n for n in INDEX_FILES if (target / n).is_file()), target)
        if not owner.contains(target) or not target.is_file():
            self._simple(HTTPStatus.NOT_FOUND, send_body)
            return
        content_type = owner.content_type_for(url_path, target)
        body = target.read_bytes()
        if owner.rewrite_origin and _is_text(content_type):
            body = body.replace(owner.rewrite_origin.encode(), owner.origin.encode())
        mtime = int(target.stat().st_mtime)
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'
        if self._not_modified(etag, mtime):
            self._log(HTTPStatus.NOT_MODIFIED.value)
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
            self.end_headers()
            return
        self._log(HTTPStatus.OK.value)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110: If-None-Match wins; If-Modified-Since only counts without it."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return mtime <= since
        return False


def serve_in_thread(httpd: ThreadingHTTPServer, name: str) -> threading.Thread:
    """Serve ``httpd`` from a daemon thread (tests and the demo stop it with ``shut_down``)."""
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()
    return thread


def shut_down(httpd: ThreadingHTTPServer, thread: threading.Thread | None) -> None:
    """Stop serving, release the port, and wait a little for the serving thread."""
    httpd.shutdown()
    httpd.server_close()
    if thread is not None:
        thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections when a crawler opens many at once, and the
    # client's SYN retry then adds a second of delay that would skew politeness timings.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], owner: SiteServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)


class SiteServer:
    """Serve ``root`` on ``host:port`` (port 0 picks a free one) in a background thread."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rewrite_origin: str | None = None,
        content_type: ContentTypeHook | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.host = host
        self.port = port
        self.rewrite_origin = rewrite_origin.rstrip("/") if rewrite_origin else None
        self._content_type = content_type
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    @property
    def origin(self) -> str:
        """``http://host:port`` without the trailing slash."""
        return self.base_url.rstrip("/")

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget the requests logged so far."""
        with self._lock:
            self._requests.clear()

    def record(self, entry: RequestRecord) -> None:
        """Append to the request log (called from the handler threads)."""
        with self._lock:
            self._requests.append(entry)

    def contains(self, path: Path) -> bool:
        """Whether ``path``, symlinks resolved, lies inside the served root."""
        return path.resolve().is_relative_to(self.root)

    def content_type_for(self, url_path: str, file: Path) -> str:
        """The hook's answer for the URL path, else the type by file extension."""
        if self._content_type is not None:
            chosen = self._content_type(url_path)
            if chosen:
                return chosen
        return guess_type(file)

    def start(self) -> str:
        """Bind, start serving in a daemon thread, and return the base URL."""
        if self._httpd is not None:
            return self.base_url
        self._httpd = _Server((self.host, self.port), self)
        port = self._httpd.server_address[1]
        self.base_url = f"http://{self.host}:{port}/"
        self._thread = serve_in_thread(self._httpd, f"site-server-{port}")
        return self.base_url

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        shut_down(self._httpd, self._thread)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> SiteServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def sample_content_type(url_path: str) -> str | None:
    """Feeds of the sample blog are RSS; everything else goes by file extension."""
    if url_path.rstrip("/").endswith("/feed"):
        return "application/rss+xml; charset=UTF-8"
    return None


def serve_sample_blog(port: int = 0) -> SiteServer:
    """A server (not yet started) for the bundled sample blog, origin rewritten to its own."""
    return SiteServer(
        SITE_DIR,
        port=port,
        rewrite_origin=PLACEHOLDER_ORIGIN,
        content_type=sample_content_type,
    )


def load_truth(base_url: str | None = None) -> dict[str, Any]:
    """The sample blog's ``truth.json``, its URLs moved to ``base_url`` when given."""
    text = TRUTH_PATH.read_text(encoding="utf-8")
    if base_url:
        text = text.replace(PLACEHOLDER_ORIGIN, base_url.rstrip("/"))
    truth: dict[str, Any] = json.loads(text)
    return truth
