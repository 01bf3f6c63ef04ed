"""A hostile HTTP server on 127.0.0.1 for fault, security and politeness tests.

It speaks HTTP/1.1 by hand over asyncio streams, in a thread of its own, so that it can misbehave
at the byte level: reset connections, lie about lengths, break chunking, drip one byte at a
time, serve compression bombs, loop redirects and point them at private addresses or other
schemes. Every request is logged, so a test can assert what was (and was not) fetched.

A test module takes the fixture by assigning it at module level (a plain import of the same
name would be flagged by ruff as redefined by every test parameter)::

    from tests.servers import hostile

    hostile_server = hostile.hostile_server

Set ``tls`` to an ``ssl.SSLContext`` to serve HTTPS; ``sni_names`` then records the server
names clients asked for.

Routes (query parameters tune them):

=============================  ===========================================================
``/``, ``/page/<any>``         a small HTML page
``/reset``                     reads the request, then resets the connection (RST)
``/reset-mid-body``            headers and part of the body, then RST
``/close``                     closes without a response
``/hang``                      accepts and never answers
``/silence``                   headers, then silence
``/drip?interval=&size=``      headers, then one byte every ``interval`` seconds
``/lying-length/short``        Content-Length 1000, sends 10 bytes and closes
``/lying-length/long``         Content-Length 10, sends 500 bytes
``/chunked/ok|broken|truncated``  proper, bad chunk-size line, no final chunk
``/flap``                      503, 200, 503, 200... (counted per path)
``/fail-then-ok?fail=N``       N times 503, then 200
``/retry-after/seconds``       ``?status=429&value=3``: Retry-After in seconds
``/retry-after/date``          ``?status=503&value=3``: Retry-After as an HTTP date
``/bomb/<kind>``               1 GiB of zeros: gzip, deflate, deflate-raw, br, gzip-br
``/encoded/<codings>``         a small page, e.g. ``gzip,br`` (applied in that order)
``/endless``                   chunked body that never ends
``/binary/<kind>``             pdf, png, zip, gzip bytes served as text/html
``/enc/<name>``                the pages of ``ENCODING_PAGES``
``/redirect/loop``             loop of two; ``/redirect/self`` redirects to itself
``/redirect/chain/<n>``        n redirects, then a page
``/redirect/to?location=``     any Location (``&status=301``)
``/robots.txt``                by ``robots_mode``: normal, bom, big (5 MB), error (500), missing
``/soft404/<any>``             200 "not found" page for any path (also ``soft_404 = True``)
``/status/<code>``             that status with a small body
=============================  ===========================================================
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import socket
import ssl
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qs, quote, urlsplit

import brotli
import pytest

BOMB_SIZE = 1 << 30  # decoded size of every bomb
_MIB = 1 << 20

Handler = Callable[["_Request", asyncio.StreamWriter], Awaitable[None]]


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    at: float


@dataclass
class _Request:
    method: str
    path: str
    query: dict[str, list[str]]

    def arg(self, name: str, default: str) -> str:
        return self.query.get(name, [default])[0]


@dataclass(frozen=True)
class EncodingPage:
    """A page of the encodings matrix: bytes as served and what decoding must give."""

    body: bytes
    content_type: str
    text: str
    encoding: str


def _html(body: str, head: str = "") -> str:
    return (
        f"<!doctype html><html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"
    )


_FR = "Café crème – « naïve » “quoted” … 5 €"
_JA = "日本語のブログ記事です。コメントありがとう！"
_RU = "Привет, это запись в блоге. Ёлка."
_KO = "한국어 블로그 글입니다."
_ZH = "这是一篇中文博客文章。"
ENCODING_PAGES: dict[str, EncodingPage] = {
    "cp1252-labelled-utf8": EncodingPage(
        _html(_FR).encode("cp1252"), "text/html; charset=utf-8", _FR, "cp1252"
    ),
    "cp1252-labelled-latin1": EncodingPage(
        _html(_FR).encode("cp1252"), "text/html; charset=ISO-8859-1", _FR, "cp1252"
    ),
    "cp1252-unlabelled": EncodingPage(_html(_FR).encode("cp1252"), "text/html", _FR, "cp1252"),
    "utf8-under-cp1252-meta": EncodingPage(
        _html(_FR, '<meta charset="windows-1252">').encode("utf-8"), "text/html", _FR, "utf-8"
    ),
    "utf8-bom": EncodingPage(
        b"\xef\xbb\xbf" + _html(_FR).encode("utf-8"), "text/html; charset=latin-1", _FR, "utf-8"
    ),
    "utf16-bom": EncodingPage(
        b"\xff\xfe" + _html(_JA).encode("utf-16-le"), "text/html", _JA, "utf-16-le"
    ),
    "shift_jis-meta": EncodingPage(
        _html(
            _JA, '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        ).encode("cp932"),
        "text/html",
        _JA,
        "cp932",
    ),
    "euc-kr-header": EncodingPage(
        _html(_KO).encode("euc-kr"), "text/html; charset=euc-kr", _KO, "cp949"
    ),
    "koi8-r-meta": EncodingPage(
        _html(_RU, "<meta charset=koi8-r>").encode("koi8-r"), "text/html", _RU, "koi8-r"
    ),
    "gb2312-header": EncodingPage(
        _html(_ZH).encode("gb2312"), "text/html; charset=GB2312", _ZH, "gb18030"
    ),
    "iso-8859-15": EncodingPage(
        _html("Prix : 5 € Œuvre").encode("iso8859-15"),
        "text/html; charset=iso-8859-15",
        "Prix : 5 € Œuvre",
        "iso8859-15",
    ),
    "windows-1251-xml": EncodingPage(
        f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{_RU}</title></rss>'.encode(
            "cp1251"
        ),
        "application/rss+xml",
        _RU,
        "cp1251",
    ),
}

_BINARY = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(200),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    + bytes(100),
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(100),
    "gzip": gzip.compress(b"<html>secret</html>" * 10),
}


@functools.cache
def _zeros_deflate() -> tuple[bytes, int, int]:
    """A raw deflate stream of BOMB_SIZE zeros, its CRC-32 and Adler-32.

    Built from one 1 MiB block repeated: a full flush resets the compressor's dictionary, so
    each block's bytes are identical, and 1 GiB costs one block's work instead of 2.6 s.
    """
    chunk = bytes(_MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    crc, adler = 0, 1
    for _ in range(BOMB_SIZE // _MIB):
        crc = zlib.crc32(chunk, crc)
        adler = zlib.adler32(chunk, adler)
    return block * (BOMB_SIZE // _MIB) + end, crc, adler


@functools.cache
def bomb(kind: str) -> tuple[bytes, str]:
    """A compressed body that decodes to 1 GiB of zeros, and its Content-Encoding."""
    raw, crc, adler = _zeros_deflate()
    gzipped = (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        + raw
        + struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)
    )
    if kind == "gzip":
        return gzipped, "gzip"
    if kind == "deflate":
        return b"\x78\xda" + raw + struct.pack(">I", adler), "deflate"
    if kind == "deflate-raw":
        return raw, "deflate"
    if kind == "br":
        compressor = brotli.Compressor(quality=5)
        chunk = bytes(_MIB)
        parts = [compressor.process(chunk) for _ in range(BOMB_SIZE // _MIB)]
        return b"".join([*parts, compressor.finish()]), "br"
    if kind == "gzip-br":
        return brotli.compress(gzipped, quality=5), "gzip, br"
    raise KeyError(kind)


def encode(body: bytes, codings: list[str]) -> bytes:
    """Apply content codings in order (the order a Content-Encoding header lists them)."""
    for coding in codings:
        if coding == "gzip":
            body = gzip.compress(body)
        elif coding == "deflate":
            body = zlib.compress(body)
        elif coding == "br":
            body = brotli.compress(body)
        elif coding != "identity":
            raise KeyError(coding)
    return body


def closed_port_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 at a port nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def _status_line(status: int) -> bytes:
    reasons = {
        200: "OK",
        301: "Moved Permanently",
        302: "Found",
        404: "Not Found",
        429: "Too Many Requests",
        500: "Internal Server Error",
        503: "Service Unavailable",
    }
    return f"HTTP/1.1 {status} {reasons.get(status, 'Status')}\r\n".encode()


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [_status_line(status)]
    merged = {"Connection": "close", **headers}
    lines += [f"{k}: {v}\r\n".encode("latin-1") for k, v in merged.items()]
    return b"".join([*lines, b"\r\n"])


@dataclass
class HostileServer:
    """The server; ``start`` it, use ``url(path)``, read ``requests``, then ``stop`` it."""

    host: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None  # serve HTTPS with this context
    sni_names: list[str | None] = field(default_factory=list)  # server names clients sent
    robots_mode: str = "normal"
    soft_404: bool = False
    requests: list[LoggedRequest] = field(default_factory=list)
    port: int = 0
    _static: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    _hits: Counter[str] = field(default_factory=Counter)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _stopping: asyncio.Event | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> HostileServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("hostile server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None or self._stopping is None:
            return
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)
        self._loop.close()

    def _run(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve(ready))

    async def _serve(self, ready: threading.Event) -> None:
        self._stopping = asyncio.Event()
        if self.tls is not None:
            self.tls.sni_callback = self._record_sni
        server = await asyncio.start_server(self._connection, self.host, self.port, ssl=self.tls)
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        await self._stopping.wait()
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()

    # -- what tests use -----------------------------------------------------------------

    def _record_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        self.sni_names.append(name)

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        """Absolute URL of ``path`` here; ``host`` replaces the address (for a test resolver)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def add(
        self, path: str, body: bytes, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Serve fixed content at ``path`` (taking precedence over the built-in routes)."""
        self._static[path] = (status, {"Content-Type": "text/html", **(headers or {})}, body)

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    # -- connection handling ------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            request = self._parse(head)
            await self._dispatch(request, writer)
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
            asyncio.CancelledError,
            ValueError,
        ):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(OSError, RuntimeError):
                writer.close()

    def _parse(self, head: bytes) -> _Request:
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        parts = urlsplit(target)
        with self._lock:
            self.requests.append(
                LoggedRequest(method, parts.path, parts.query, headers, time.monotonic())
            )
        return _Request(method, parts.path, parse_qs(parts.query))

    async def _dispatch(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        self._hits[req.path] += 1
        if req.path in self._static:
            status, headers, body = self._static[req.path]
            await self._send(writer, status, body, headers)
            return
        for prefix, handler in self._routes():
            nested = prefix != "/" and prefix.endswith("/") and req.path.startswith(prefix)
            if req.path == prefix or nested:
                await handler(req, writer)
                return
        if self.soft_404:
            await self._soft404(req, writer)
        else:
            await self._send(writer, 404, b"<html><body>Not found</body></html>")

    def _routes(self) -> list[tuple[str, Handler]]:
        return [
            ("/", self._page),
            ("/page/", self._page),
            ("/reset", self._reset),
            ("/reset-mid-body", self._reset_mid_body),
            ("/close", self._close),
            ("/hang", self._hang),
            ("/silence", self._silence),
            ("/drip", self._drip),
            ("/lying-length/", self._lying_length),
            ("/chunked/", self._chunked),
            ("/flap", self._flap),
            ("/fail-then-ok", self._fail_then_ok),
            ("/retry-after/", self._retry_after),
            ("/bomb/", self._bomb),
            ("/encoded/", self._encoded),
            ("/endless", self._endless),
            ("/binary/", self._binary),
            ("/enc/", self._encoding_page),
            ("/redirect/", self._redirect),
            ("/robots.txt", self._robots),
            ("/soft404/", self._soft404),
            ("/status/", self._status),
        ]

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
    ) -> None:
        merged = {
            "Content-Type": "text/html; charset=utf-8",
            **(headers or {}),
            "Content-Length": str(len(body)),
        }
        writer.write(_head(status, merged))
        for start in range(0, len(body), _MIB):
            writer.write(body[start : start + _MIB])
            await writer.drain()
        await writer.drain()

    @staticmethod
    def _abort(writer: asyncio.StreamWriter) -> None:
        # SO_LINGER with a zero timeout turns close() into a TCP reset.
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    # -- routes -------------------------------------------------------------------------

    async def _page(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        body = _html(f"Page {req.path}").encode()
        await self._send(writer, 200, body)

    async def _reset(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        self._abort(writer)

    async def _reset_mid_body(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Content-Length": "100000", "Content-Type": "text/html"}))
        writer.write(b"<html>" + b"x" * 5000)
        await writer.drain()
        await asyncio.sleep(0.05)
        self._abort(writer)

    async def _close(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        writer.close()

    async def _hang(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(3600)

    async def _silence(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Content-Length": "100", "Content-Type": "text/html"}))
        await writer.drain()
        await asyncio.sleep(3600)

    async def _drip(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        interval = float(req.arg("interval", "1"))
        size = int(req.arg("size", "1000"))
        writer.write(_head(200, {"Content-Length": str(size), "Content-Type": "text/html"}))
        await writer.drain()
        for _ in range(size):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(interval)

    async def _lying_length(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        if req.path.endswith("/short"):
            writer.write(_head(200, {"Content-Length": "1000", "Content-Type": "text/html"}))
            writer.write(b"<html>abcd")
        else:
            writer.write(_head(200, {"Content-Length": "10", "Content-Type": "text/html"}))
            writer.write(b"<html>" + b"y" * 494)
        await writer.drain()

    async def _chunked(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Transfer-Encoding": "chunked", "Content-Type": "text/html"}))
        writer.write(b"6\r\n<html>\r\n5\r\nhello\r\n")
        kind = req.path.rsplit("/", 1)[-1]
        if kind == "ok":
            writer.write(b"0\r\n\r\n")
        elif kind == "broken":
            writer.write(b"zz-not-hex\r\nxxxx\r\n0\r\n\r\n")
        await writer.drain()  # "truncated": close with no final chunk

    async def _flap(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        if self._hits[req.path] % 2:
            await self._send(writer, 503, b"busy")
        else:
            await self._send(writer, 200, _html("back").encode())

    async def _fail_then_ok(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        if self._hits[req.path] <= int(req.arg("fail", "2")):
            await self._send(writer, 503, b"busy")
        else:
            await self._send(writer, 200, _html("recovered").encode())

    async def _retry_after(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        status = int(req.arg("status", "429"))
        value = float(req.arg("value", "3"))
        header = (
            str(int(value))
            if req.path.endswith("/seconds")
            else formatdate(time.time() + value, usegmt=True)
        )
        await self._send(writer, status, b"slow down", {"Retry-After": header})

    async def _bomb(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        body, coding = bomb(req.path.rsplit("/", 1)[-1])
        await self._send(writer, 200, body, {"Content-Encoding": coding})

    async def _encoded(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        codings = [c.strip() for c in req.path.rsplit("/", 1)[-1].split(",")]
        body = encode(_html("compressed page " * 50).encode(), codings)
        await self._send(writer, 200, body, {"Content-Encoding": ", ".join(codings)})

    async def _endless(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Transfer-Encoding": "chunked", "Content-Type": "text/html"}))
        chunk = b"%x\r\n%s\r\n" % (65536, b"z" * 65536)
        while True:
            writer.write(chunk)
            await writer.drain()

    async def _binary(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        body = _BINARY[req.path.rsplit("/", 1)[-1]]
        await self._send(writer, 200, body, {"Content-Type": "text/html; charset=utf-8"})

    async def _encoding_page(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        page = ENCODING_PAGES[req.path.rsplit("/", 1)[-1]]
        await self._send(writer, 200, page.body, {"Content-Type": page.content_type})

    async def _redirect(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        rest = req.path.removeprefix("/redirect/")
        status = int(req.arg("status", "302"))
        if rest == "loop":
            location = "/redirect/loop2"
        elif rest == "loop2":
            location = "/redirect/loop"
        elif rest == "self":
            location = "/redirect/self"
        elif rest.startswith("chain/"):
            left = int(rest.removeprefix("chain/"))
            if left <= 0:
                await self._send(writer, 200, _html("end of chain").encode())
                return
            location = f"/redirect/chain/{left - 1}"
        elif rest == "to":
            location = req.arg("location", "/")
        else:
            await self._send(writer, 404, b"no such redirect")
            return
        await self._send(writer, status, b"", {"Location": location})

    async def _robots(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        rules = "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n"
        plain = {"Content-Type": "text/plain"}
        if self.robots_mode == "bom":
            await self._send(writer, 200, b"\xef\xbb\xbf" + rules.encode(), plain)
        elif self.robots_mode == "big":
            filler = "".join(f"Disallow: /filler/{i}/\n" for i in range(250_000))
            body = ("User-agent: *\n" + filler)[: 5 * _MIB].encode()
            await self._send(writer, 200, body, plain)
        elif self.robots_mode == "error":
            await self._send(writer, 500, b"oops", plain)
        elif self.robots_mode == "missing":
            await self._send(writer, 404, b"none", plain)
        else:
            await self._send(writer, 200, rules.encode(), plain)

    async def _soft404(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        body = _html(f"Sorry, nothing matches {quote(req.path)}. Try the archives.").encode()
        await self._send(writer, 200, body)

    async def _status(self, req: _Request, writer: asyncio.StreamWriter) -> None:
        code = int(req.path.rsplit("/", 1)[-1])
        await self._send(writer, code, f"status {code}".encode())


@pytest.fixture
def hostile_server() -> Iterator[HostileServer]:
    """A running hostile server on 127.0.0.1 at a free port."""
    server = HostileServer().start()
    try:
        yield server
    finally:
        server.stop()
