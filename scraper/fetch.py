"""Fetch one URL safely: every outcome is a ``FetchResult``, never an exception.

What the fetcher guarantees, whatever the server does:

* **Addresses.** Each connection goes through a network backend that resolves the host, checks
  every address against the ``AddressPolicy`` and connects to a checked address only; TLS still
  verifies and sends SNI for the host name. Redirects are followed here, one hop at a time (at
  most ``max_redirects``, http and https only), so every hop is checked again, and the caller's
  ``allow_redirect`` callback (robots.txt, crawl scope) sees each target before it is fetched.
* **Size.** The raw body is read and decompressed here in 64 KiB steps (gzip, deflate, brotli,
  stacked), so a compression bomb stops within one step of ``max_bytes``. httpx's own decoding
  has no bound: a 1.7 KB brotli body expands to 1 GiB in one call.
* **Time.** httpx timeouts apply per read, so a server dripping a byte a second would never
  time out; an overall ``deadline`` per URL (redirects included) bounds it.
* **Errors.** Network and content failures become ``error`` codes (see ``ERROR_CODES``);
  only programming errors raise.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import inspect
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import brotli
import httpcore
import httpx

from scraper.addresses import (
    AddressPolicy,
    BlockedAddressError,
    ResolutionError,
    Resolver,
    SystemResolver,
    resolve_checked,
)

__all__ = [
    "ERROR_CODES",
    "ContentDecoder",
    "ContentEncodingError",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "RedirectCheck",
    "parse_retry_after",
]

# The machine reasons a FetchResult can carry, with what each means.
ERROR_CODES: Mapping[str, str] = {
    "bad_url": "the URL (or a redirect's Location) cannot be parsed or has no host",
    "blocked_scheme": "not http or https (file:, ftp:, gopher:, javascript:...)",
    "blocked_address": "the host resolves only to addresses the policy refuses",
    "blocked_redirect": "the allow_redirect callback refused a redirect target",
    "blocked_robots": "robots.txt disallows the URL (as answered by the allow_redirect callback)",
    "blocked_scope": "the URL is outside the crawl (as answered by the allow_redirect callback)",
    "dns": "the host name does not resolve",
    "connect": "the connection was refused or could not be made",
    "tls": "the TLS handshake or certificate check failed",
    "timeout": "connecting, or waiting for the next bytes, took longer than its timeout",
    "deadline": "the whole fetch, redirects included, took longer than the deadline",
    "reset": "the server reset the connection",
    "closed": "the server closed the connection without sending a response",
    "truncated": "the body ended before its announced length or final chunk",
    "protocol": "the response is not valid HTTP (broken chunking, bad headers...)",
    "network": "another transport failure",
    "too_large": "the decoded body exceeds max_bytes; body holds the first max_bytes",
    "content_encoding": "the body does not decompress as its Content-Encoding says",
    "unsupported_encoding": "a Content-Encoding blogcorpus does not decode",
    "redirect_loop": "a redirect leads back to a URL already visited",
    "too_many_redirects": "more than max_redirects redirects",
}

_STEP = 64 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SCHEMES = frozenset({"http", "https"})

RedirectCheck = Callable[[str], Awaitable[bool | str] | bool | str]
"""Decides whether a redirect target may be fetched: ``True`` yes, ``False`` no
(``blocked_redirect``), or a string naming the error code to record (e.g. ``blocked_robots``)."""


@dataclass(frozen=True, kw_only=True)
class FetchSettings:
    """How one URL is fetched: identity, time and size limits."""

    user_agent: str
    connect_timeout: float = 10
    read_timeout: float = 20
    deadline: float = 60
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    accept: str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    max_connections: int = 20
    verify_tls: bool = True
    ca_file: str | None = None  # extra trusted certificates (PEM), e.g. an in-house CA


@dataclass(frozen=True, kw_only=True)
class FetchResult:
    """What happened when one URL was fetched.

    ``status``, ``headers`` and ``body`` describe the last response received, and are kept
    even when ``error`` is set (a partial body on ``deadline``, the first ``max_bytes`` on
    ``too_large``): a result is usable only when ``error`` is ``None``. ``redirects`` lists the
    targets redirected to, in order, including a last one that was refused.
    """

    url: str
    final_url: str
    status: int | None
    headers: Mapping[str, str]
    body: bytes = field(repr=False)  # a repr of 10 MB of bytes would swamp any log line
    redirects: tuple[str, ...]
    error: str | None
    error_detail: str | None
    elapsed: float
    retry_after: float | None
    decoded_bytes: int = 0  # bytes decompression produced, the discarded overshoot included

    @property
    def content_type(self) -> str | None:
        """The final response's Content-Type header, if any."""
        return self.headers.get("content-type")

    @property
    def ok(self) -> bool:
        """True when the fetch completed (whatever the status code)."""
        return self.error is None


class ContentEncodingError(Exception):
    """The body cannot be decoded as its Content-Encoding says."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class _Step(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), _STEP):
            yield data[start : start + _STEP]

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (several members too) or deflate, zlib-wrapped or raw as servers variously send."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._pending = b""  # too few bytes yet to start the next stream
        self._inflater: zlib._Decompress | None = None
        self._streams = 0
        self._closed = False  # the stream ended and junk followed: ignore the rest

    def _start(self, data: bytes) -> zlib._Decompress | None:
        if self._gzip:
            # Another gzip member may follow the first; anything else after it is junk.
            if self._streams and not data.startswith(b"\x1f\x8b"):
                return None
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self._streams:
            return None
        # "deflate" should be zlib-wrapped (RFC 9110), but old servers send raw deflate.
        wrapped = (data[0] & 0x0F) == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._closed:
            return
        if self._pending:
            data, self._pending = self._pending + data, b""
        try:
            # A loop, not recursion: a body can hold thousands of tiny gzip members.
            while True:
                if self._inflater is None:
                    if len(data) < 2:
                        self._pending = data
                        return
                    self._inflater = self._start(data)
                    if self._inflater is None:
                        self._closed = True
                        return
                    self._streams += 1
                out = self._inflater.decompress(data, _STEP)
                data = self._inflater.unconsumed_tail
                if out:
                    yield out
                if self._inflater.eof:
                    data = self._inflater.unused_data
                    self._inflater = None
                # A full step may mean zlib holds more output: go round again with no input.
                elif not data and len(out) < _STEP:
                    return
        except zlib.error as exc:
            raise ContentEncodingError("content_encoding", f"bad compressed data: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Brotli:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        d = self._decompressor
        try:
            if d.is_finished():
                return
            out = d.process(data, output_buffer_limit=_STEP)
            if out:
                yield out
            # Past the limit brotli keeps the rest inside; pull it out one step at a time.
            while not d.can_accept_more_data():
                out = d.process(b"", output_buffer_limit=_STEP)
                if not out:
                    break
                yield out
        except brotli.error as exc:
            raise ContentEncodingError("content_encoding", f"bad brotli data: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


def _step_for(coding: str) -> _Step | None:
    if coding in {"gzip", "x-gzip"}:
        return _Zlib(gzip=True)
    if coding == "deflate":
        return _Zlib(gzip=False)
    if coding == "br":
        return _Brotli()
    if coding in {"identity", ""}:
        return None
    raise ContentEncodingError("unsupported_encoding", f"unsupported Content-Encoding {coding!r}")


class ContentDecoder:
    """Undoes a Content-Encoding list (``gzip, br`` means gzip first, then brotli) in steps.

    Every piece it yields is at most about 64 KiB, so a caller counting bytes can stop a
    compression bomb within one step of its limit, with memory bounded by a few steps.
    """

    def __init__(self, content_encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        steps = [_step_for(c) for c in reversed(codings)]
        self._steps: list[_Step] = [s for s in steps if s is not None] or [_Identity()]

    def _through(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            if index == len(self._steps):
                yield piece
            else:
                yield from self._through(index + 1, self._steps[index].feed(piece))

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces for the next raw bytes."""
        return self._through(0, [data])

    def finish(self) -> Iterator[bytes]:
        """Whatever the steps still hold once the raw body has ended."""
        for index, step in enumerate(self._steps):
            yield from self._through(index + 1, step.finish())


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay in seconds, or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds or seconds in {float("inf"), float("-inf")}:
        return None
    return max(0.0, seconds)


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks and connects in one place, so only checked addresses are reached."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await resolve_checked(host, port, self._policy, self._resolver)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host!r} timed out") from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # resolve_checked never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("blogcorpus never connects to Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@functools.cache
def _ssl_context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    """One context per trust setting: loading the CA bundle costs tens of milliseconds."""
    if ca_file and verify:
        return ssl.create_default_context(cafile=ca_file)
    return httpx.create_ssl_context(verify=verify, trust_env=False)


class _CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool rebuilt on the checking backend.

    httpx offers no parameter for the network backend, so the pool it builds is replaced by an
    identical one that uses ours; proxies are never used.
    """

    def __init__(self, backend: httpcore.AsyncNetworkBackend, settings: FetchSettings) -> None:
        limits = httpx.Limits(
            max_connections=settings.max_connections,
            max_keepalive_connections=settings.max_connections,
            keepalive_expiry=5.0,
        )
        context = _ssl_context(settings.verify_tls, settings.ca_file)
        super().__init__(verify=context, trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


@dataclass
class _Progress:
    """What is known so far, so that a deadline in the middle still yields a full record."""

    current: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    decoded: int = 0
    redirects: list[str] = field(default_factory=list)
    retry_after: float | None = None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _classify(exc: Exception) -> tuple[str, str]:
    """A transport exception as an error code and one human line."""
    # httpx often wraps an OSError with an empty message: the first one that says something.
    detail = next((str(e) for e in _chain(exc) if str(e)), type(exc).__name__)
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting",
            httpx.ReadTimeout: "waiting for data",
            httpx.WriteTimeout: "sending the request",
            httpx.PoolTimeout: "waiting for a free connection",
        }.get(type(exc), "the transfer")
        return "timeout", f"timed out {phase}"
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ssl.SSLError) for e in _chain(exc)):
            return "tls", detail
        return "connect", detail
    if isinstance(exc, httpx.RemoteProtocolError):
        lowered = detail.lower()
        if "without sending a response" in lowered:
            return "closed", detail
        if "incomplete" in lowered or "complete message body" in lowered:
            return "truncated", detail
        return "protocol", detail
    if isinstance(exc, httpx.LocalProtocolError):
        return "protocol", detail
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "bad_url", detail
    if any(isinstance(e, ConnectionResetError | BrokenPipeError) for e in _chain(exc)):
        return "reset", detail
    return "network", f"{type(exc).__name__}: {detail}"


def _url_problem(url: str) -> tuple[str, str] | None:
    """Why a URL cannot be fetched at all, before any connection."""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme not in _SCHEMES:
        return "blocked_scheme", f"scheme {scheme[:20] or '(none)'!r} is not fetched"
    try:
        # .host IDNA-decodes (httpx needs it for the Host header) and raises on "xn--".
        host = httpx.URL(url).host
        urlsplit(url).port  # noqa: B018 (raises on a port out of range, which httpx accepts)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return "bad_url", f"cannot parse URL: {exc}"
    if not host:
        return "bad_url", "URL has no host"
    return None


def _visit_key(url: str) -> str:
    return url.split("#", 1)[0]


class Fetcher:
    """Fetches URLs one at a time per call, safely; share one per crawl and ``aclose`` it."""

    def __init__(
        self,
        settings: FetchSettings,
        policy: AddressPolicy,
        *,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self.policy = policy
        backend = _CheckedBackend(policy, resolver or SystemResolver())
        self._transport = _CheckedTransport(backend, settings)
        self._client = httpx.AsyncClient(
            transport=self._transport,
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.connect_timeout,
            ),
            headers={"User-Agent": settings.user_agent, "Accept": settings.accept},
        )

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        allow_redirect: RedirectCheck | None = None,
    ) -> FetchResult:
        """Fetch ``url`` with GET, following redirects, and record the outcome."""
        started = time.monotonic()
        progress = _Progress(current=url)
        deadline = asyncio.timeout(self.settings.deadline)
        error: tuple[str, str] | None
        try:
            async with deadline:
                error = await self._follow(url, headers or {}, allow_redirect, progress)
        except TimeoutError as exc:
            if deadline.expired():
                error = "deadline", f"not done after the {self.settings.deadline:g} s deadline"
            else:
                error = "timeout", f"timed out: {exc}"
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            error = _classify(exc)
        except BlockedAddressError as exc:
            error = "blocked_address", str(exc)
        except ResolutionError as exc:
            error = "dns", str(exc)
        except ContentEncodingError as exc:
            error = exc.code, str(exc)
        return FetchResult(
            url=url,
            final_url=progress.current,
            status=progress.status,
            headers=progress.headers,
            body=b"".join(progress.parts),
            redirects=tuple(progress.redirects),
            error=error[0] if error else None,
            error_detail=error[1] if error else None,
            elapsed=time.monotonic() - started,
            retry_after=progress.retry_after,
            decoded_bytes=progress.decoded,
        )

    async def _follow(
        self,
        url: str,
        headers: Mapping[str, str],
        allow_redirect: RedirectCheck | None,
        progress: _Progress,
    ) -> tuple[str, str] | None:
        problem = _url_problem(url)
        if problem:
            return problem
        visited = {_visit_key(url)}
        while True:
            request = self._client.build_request("GET", progress.current, headers=headers)
            # Straight to the transport: the client's send() prepares the next redirect request
            # even when not following, and raises on a malformed Location before we see it.
            response = await self._transport.handle_async_request(request)
            response.request = request
            try:
                progress.status = response.status_code
                progress.headers = {k.lower(): v for k, v in response.headers.items()}
                progress.parts, progress.size, progress.decoded = [], 0, 0
                progress.retry_after = parse_retry_after(response.headers.get("retry-after"))
                location = response.headers.get("location")
                if response.status_code not in _REDIRECT_STATUSES or not location:
                    return await self._read_body(response, progress)
            finally:
                await response.aclose()
            try:
                target = urljoin(progress.current, location.strip())
            except ValueError as exc:
                return "bad_url", f"bad redirect Location {location[:200]!r}: {exc}"
            progress.redirects.append(target)
            problem = _url_problem(target)
            if problem:
                return problem[0], f"redirect to {target[:200]}: {problem[1]}"
            if _visit_key(target) in visited:
                return "redirect_loop", f"redirect back to {target[:200]}"
            if len(progress.redirects) > self.settings.max_redirects:
                return "too_many_redirects", f"more than {self.settings.max_redirects} redirects"
            refusal = await _ask(allow_redirect, target)
            if refusal:
                return refusal, f"redirect to {target[:200]} refused"
            visited.add(_visit_key(target))
            progress.current = target

    async def _read_body(
        self, response: httpx.Response, progress: _Progress
    ) -> tuple[str, str] | None:
        limit = self.settings.max_bytes
        encoding = response.headers.get("content-encoding")
        declared = response.headers.get("content-length", "")
        if not encoding and declared.isdigit() and int(declared) > limit:
            return "too_large", f"Content-Length {declared} exceeds {limit} bytes"
        decoder = ContentDecoder(encoding)
        raw = 0
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if self._take(decoder.feed(chunk), progress):
                return "too_large", f"decoded body exceeds {limit} bytes"
            # Compressed input that yields nothing (endless empty gzip members) is bounded too.
            if raw > limit:
                return "too_large", f"raw body exceeds {limit} bytes"
        if self._take(decoder.finish(), progress):
            return "too_large", f"decoded body exceeds {limit} bytes"
        return None

    def _take(self, pieces: Iterator[bytes], progress: _Progress) -> bool:
        """Append decoded pieces up to the cap; True once the cap is crossed."""
        limit = self.settings.max_bytes
        for piece in pieces:
            progress.decoded += len(piece)
            room = limit - progress.size
            if len(piece) > room:
                progress.parts.append(piece[:room])
                progress.size = limit
                return True
            progress.parts.append(piece)
            progress.size += len(piece)
        return False


async def _ask(check: RedirectCheck | None, target: str) -> str | None:
    """The error code for a refused redirect, or ``None`` when it may be followed."""
    if check is None:
        return None
    answer = check(target)
    if inspect.isawaitable(answer):
        answer = await answer
    if isinstance(answer, str):
        return answer or None
    return None if answer else "blocked_redirect"
