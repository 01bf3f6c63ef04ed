"""The fetcher against a real, hostile server on 127.0.0.1: every outcome is a recorded result."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import brotli
import psutil  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.decode import decode_document, looks_binary
from scraper.addresses import AddressPolicy, Resolver, StaticResolver
from scraper.fetch import (
    ERROR_CODES,
    ContentDecoder,
    ContentEncodingError,
    Fetcher,
    FetchResult,
    FetchSettings,
    parse_retry_after,
)
from tests.servers import hostile
from tests.servers.hostile import (
    ENCODING_PAGES,
    HostileServer,
    bomb,
    closed_port_url,
)

hostile_server = hostile.hostile_server  # the fixture, registered under its own name

KIB = 1024
SETTINGS = FetchSettings(
    user_agent="blogcorpus-test/0 (+https://example.org/blogcorpus)",
    connect_timeout=2,
    read_timeout=1,
    deadline=5,
    max_bytes=1_000_000,
)


def fetch(
    server: HostileServer | None,
    url: str,
    *,
    settings: FetchSettings = SETTINGS,
    policy: AddressPolicy | None = None,
    resolver: Resolver | None = None,
    **kwargs: Any,
) -> FetchResult:
    """Fetch one URL with a fresh fetcher allowed to reach the server (and nothing else)."""
    if policy is None:
        policy = AddressPolicy.for_seeds([server.url()] if server else [])

    async def go() -> FetchResult:
        fetcher = Fetcher(settings, policy, resolver=resolver)
        try:
            return await fetcher.fetch(url, **kwargs)
        finally:
            await fetcher.aclose()

    result = asyncio.run(go())
    assert result.error is None or result.error in ERROR_CODES
    assert result.url == url
    return result


# -- ordinary pages -------------------------------------------------------------------------


def test_plain_page(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/page/one"))
    assert result.ok and result.status == 200
    assert b"Page /page/one" in result.body
    assert result.final_url == result.url and result.redirects == ()
    assert result.content_type == "text/html; charset=utf-8"
    assert all(name == name.lower() for name in result.headers)
    sent = hostile_server.requests[-1]
    assert sent.headers["user-agent"] == SETTINGS.user_agent
    assert "br" in sent.headers["accept-encoding"]


def test_caller_headers_are_sent(hostile_server: HostileServer) -> None:
    fetch(hostile_server, hostile_server.url("/"), headers={"If-None-Match": '"abc"'})
    assert hostile_server.requests[-1].headers["if-none-match"] == '"abc"'


def test_http_status_is_not_a_fetch_error(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/status/500"))
    assert result.ok and result.status == 500 and result.body == b"status 500"


def test_proxy_environment_is_ignored(
    hostile_server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The socket guard fails the test if the fetcher went to the proxy instead.
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://10.9.9.9:3128")
    assert fetch(hostile_server, hostile_server.url("/")).ok


# -- network faults -------------------------------------------------------------------------


def test_refused_connection() -> None:
    url = closed_port_url()
    result = fetch(None, url, policy=AddressPolicy.for_seeds([url]))
    assert result.error == "connect" and result.status is None


@pytest.mark.parametrize(
    ("path", "error", "status"),
    [
        ("/reset", "reset", None),
        ("/reset-mid-body", "reset", 200),
        ("/close", "closed", None),
        ("/hang", "timeout", None),
        ("/silence", "timeout", 200),
        ("/lying-length/short", "truncated", 200),
        ("/chunked/broken", "protocol", 200),
        ("/chunked/truncated", "truncated", 200),
    ],
)
def test_network_faults_are_recorded(
    hostile_server: HostileServer, path: str, error: str, status: int | None
) -> None:
    settings = FetchSettings(user_agent="t", read_timeout=0.5, deadline=5)
    result = fetch(hostile_server, hostile_server.url(path), settings=settings)
    assert result.error == error, result.error_detail
    assert result.status == status
    assert result.error_detail
    assert result.elapsed < 3


def test_long_content_length_lie_keeps_the_announced_bytes(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/lying-length/long"))
    assert result.ok and result.body == b"<html>yyyy"


def test_proper_chunking(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/chunked/ok"))
    assert result.ok and result.body == b"<html>hello"


def test_slow_drip_is_cut_by_the_deadline(hostile_server: HostileServer) -> None:
    settings = FetchSettings(user_agent="t", read_timeout=5, deadline=1.5)
    started = time.monotonic()
    result = fetch(hostile_server, hostile_server.url("/drip?interval=0.25"), settings=settings)
    took = time.monotonic() - started
    print(f"\nslow drip: deadline {settings.deadline} s, aborted after {took:.3f} s")
    assert result.error == "deadline"
    assert result.status == 200 and 0 < len(result.body) < 1000
    assert settings.deadline <= took < settings.deadline + 1


def test_deadline_covers_the_whole_redirect_chain(hostile_server: HostileServer) -> None:
    settings = FetchSettings(user_agent="t", read_timeout=5, deadline=1)
    hostile_server.add("/to-drip", b"", status=302, headers={"Location": "/drip?interval=0.3"})
    result = fetch(hostile_server, hostile_server.url("/to-drip"), settings=settings)
    assert result.error == "deadline"
    assert result.final_url.endswith("/drip?interval=0.3")
    assert result.elapsed < 2


def test_flapping_5xx_then_recovery(hostile_server: HostileServer) -> None:
    statuses = [fetch(hostile_server, hostile_server.url("/flap")).status for _ in range(4)]
    assert statuses == [503, 200, 503, 200]


@pytest.mark.parametrize("kind", ["seconds", "date"])
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after(hostile_server: HostileServer, kind: str, status: int) -> None:
    url = hostile_server.url(f"/retry-after/{kind}?status={status}&value=30")
    result = fetch(hostile_server, url)
    assert result.ok and result.status == status
    assert result.retry_after is not None
    assert 28 <= result.retry_after <= 30


def test_parse_retry_after_forms() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Fri, 01 Mar 2024 12:01:00 GMT", now) == 60
    assert parse_retry_after("Fri, 01 Mar 2024 11:00:00 GMT", now) == 0
    for junk in (None, "", "soon", "nan", "inf", "Fri, 99 Foo"):
        assert parse_retry_after(junk, now) is None


# -- content --------------------------------------------------------------------------------


@contextmanager
def peak_memory() -> Iterator[dict[str, int]]:
    """Peak growth of the process RSS (sampled) and of Python allocations while in the block."""
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = {"rss": 0, "python": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak["rss"] = max(peak["rss"], process.memory_info().rss - baseline)
            done.wait(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    tracemalloc.start()
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak["python"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


BOMBS = ["gzip", "deflate", "deflate-raw", "br", "gzip-br"]


@pytest.mark.parametrize("kind", BOMBS)
def test_compression_bombs_stop_at_the_cap(hostile_server: HostileServer, kind: str) -> None:
    body, _ = bomb(kind)  # built before the clock starts: 1 GiB once per session
    settings = FetchSettings(user_agent="t", max_bytes=10_000_000, read_timeout=5, deadline=20)
    with peak_memory() as peak:
        result = fetch(hostile_server, hostile_server.url(f"/bomb/{kind}"), settings=settings)
    overshoot = result.decoded_bytes - settings.max_bytes
    print(
        f"\nbomb {kind}: {len(body)} compressed bytes, overshoot {overshoot} B, peak RSS "
        f"+{peak['rss'] / 2**20:.1f} MiB, peak Python allocations "
        f"{peak['python'] / 2**20:.1f} MiB, {result.elapsed:.2f} s"
    )
    assert result.error == "too_large", result.error_detail
    assert len(result.body) == settings.max_bytes
    assert result.body.count(0) == settings.max_bytes
    assert 0 < overshoot <= 64 * KIB
    assert peak["rss"] <= 256 * 2**20
    assert peak["python"] <= 256 * 2**20


@pytest.mark.parametrize(
    "codings", ["gzip", "deflate", "br", "gzip,br", "deflate,gzip", "br,gzip,deflate"]
)
def test_stacked_encodings(hostile_server: HostileServer, codings: str) -> None:
    result = fetch(hostile_server, hostile_server.url(f"/encoded/{codings}"))
    assert result.ok, result.error_detail
    assert result.body.startswith(b"<!doctype html>") and b"compressed page" in result.body


def test_unknown_content_encoding(hostile_server: HostileServer) -> None:
    hostile_server.add("/zstd", b"\x28\xb5\x2f\xfd junk", headers={"Content-Encoding": "zstd"})
    assert fetch(hostile_server, hostile_server.url("/zstd")).error == "unsupported_encoding"


def test_body_that_is_not_what_its_encoding_says(hostile_server: HostileServer) -> None:
    hostile_server.add("/fake-gzip", b"<html>plain</html>", headers={"Content-Encoding": "gzip"})
    assert fetch(hostile_server, hostile_server.url("/fake-gzip")).error == "content_encoding"


def test_endless_body(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/endless"))
    assert result.error == "too_large"
    assert len(result.body) == SETTINGS.max_bytes
    assert result.elapsed < 3


def test_announced_length_over_the_cap_is_refused_unread(hostile_server: HostileServer) -> None:
    hostile_server.add("/big", b"a" * (SETTINGS.max_bytes + 1))
    result = fetch(hostile_server, hostile_server.url("/big"))
    assert result.error == "too_large" and result.body == b""
    assert "Content-Length" in (result.error_detail or "")


@pytest.mark.parametrize("kind", ["pdf", "png", "zip", "gzip"])
def test_binary_served_as_html(hostile_server: HostileServer, kind: str) -> None:
    result = fetch(hostile_server, hostile_server.url(f"/binary/{kind}"))
    assert result.ok and result.content_type == "text/html; charset=utf-8"
    assert looks_binary(result.body, result.content_type)


@pytest.mark.parametrize("name", sorted(ENCODING_PAGES))
def test_encodings_end_to_end(hostile_server: HostileServer, name: str) -> None:
    page = ENCODING_PAGES[name]
    result = fetch(hostile_server, hostile_server.url(f"/enc/{name}"))
    decoded = decode_document(result.body, result.content_type)
    assert page.text in decoded.text
    assert decoded.encoding == page.encoding
    assert "\ufffd" not in decoded.text
    assert not any(0x80 <= ord(c) <= 0x9F for c in decoded.text)


@pytest.mark.parametrize("mode", ["bom", "big", "error", "missing", "normal"])
def test_robots_variants_are_served(hostile_server: HostileServer, mode: str) -> None:
    hostile_server.robots_mode = mode
    settings = FetchSettings(user_agent="t", max_bytes=10_000_000)
    result = fetch(hostile_server, hostile_server.url("/robots.txt"), settings=settings)
    assert result.ok
    if mode == "bom":
        assert result.body.startswith(b"\xef\xbb\xbfUser-agent")
    elif mode == "big":
        assert len(result.body) >= 5_000_000
    else:
        assert result.status == {"error": 500, "missing": 404, "normal": 200}[mode]


def test_soft_404_catch_all(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/soft404/no/such/post"))
    assert result.ok and result.status == 200 and b"nothing matches" in result.body
    hostile_server.soft_404 = True
    assert fetch(hostile_server, hostile_server.url("/anything-at-all")).status == 200


# -- redirects ------------------------------------------------------------------------------


def test_redirect_chain_within_limit(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/redirect/chain/5"))
    assert result.ok and b"end of chain" in result.body
    assert len(result.redirects) == 5 and result.final_url == result.redirects[-1]
    assert result.final_url.endswith("/redirect/chain/0")


def test_too_many_redirects(hostile_server: HostileServer) -> None:
    result = fetch(hostile_server, hostile_server.url("/redirect/chain/6"))
    assert result.error == "too_many_redirects"
    assert hostile_server.paths().count("/redirect/chain/0") == 0
    assert len(hostile_server.requests) == 6


@pytest.mark.parametrize("path", ["/redirect/loop", "/redirect/self"])
def test_redirect_loops(hostile_server: HostileServer, path: str) -> None:
    result = fetch(hostile_server, hostile_server.url(path))
    assert result.error == "redirect_loop"
    assert len(hostile_server.requests) <= 2


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:70/_GET",
        "javascript:alert(1)",
        "data:text/html,hi",
    ],
)
def test_redirects_to_other_schemes_are_blocked(
    hostile_server: HostileServer, location: str
) -> None:
    result = fetch(hostile_server, hostile_server.url(f"/redirect/to?location={location}"))
    assert result.error == "blocked_scheme", result.error_detail
    assert len(hostile_server.requests) == 1


def test_bad_redirect_location(hostile_server: HostileServer) -> None:
    hostile_server.add("/bad-location", b"", status=301, headers={"Location": "http://[::1"})
    result = fetch(hostile_server, hostile_server.url("/bad-location"))
    assert result.error == "bad_url"


def _second_server() -> HostileServer:
    return HostileServer().start()


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",
        "0x7f.1",
        "017700000001",
        "127.1",
        "[::ffff:127.0.0.1]",
        "localhost",
    ],
)
def test_redirects_to_unallowed_loopback_are_blocked(
    hostile_server: HostileServer, host: str
) -> None:
    other = _second_server()
    try:
        location = f"http://{host}:{other.port}/secret"
        result = fetch(hostile_server, hostile_server.url(f"/redirect/to?location={location}"))
        assert result.error == "blocked_address", result.error_detail
        assert result.redirects == (location,)
        assert other.requests == []
    finally:
        other.stop()


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://[fd00::1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
    ],
)
def test_redirects_to_private_addresses_are_blocked(
    hostile_server: HostileServer, location: str, socket_guard: list[Any]
) -> None:
    result = fetch(hostile_server, hostile_server.url(f"/redirect/to?location={location}"))
    assert result.error == "blocked_address", result.error_detail
    assert socket_guard == []  # no connection was even attempted


def test_start_url_on_unallowed_address_is_blocked(hostile_server: HostileServer) -> None:
    url = f"http://0x7f.0.0.1:{hostile_server.port}/"
    result = fetch(hostile_server, url, policy=AddressPolicy())
    assert result.error == "blocked_address"
    assert hostile_server.requests == []


def test_seed_host_allows_its_numeric_spellings(hostile_server: HostileServer) -> None:
    # 2130706433 is 127.0.0.1: the seed allows that address on that port, however written.
    assert fetch(hostile_server, f"http://2130706433:{hostile_server.port}/").ok


def test_allow_private_opens_loopback(hostile_server: HostileServer) -> None:
    policy = AddressPolicy(allow_private=True)
    assert fetch(hostile_server, hostile_server.url("/"), policy=policy).ok


RedirectAnswer = bool | str | Awaitable[bool | str]


@pytest.mark.parametrize(
    ("answer", "error"),
    [(True, None), (False, "blocked_redirect"), ("blocked_robots", "blocked_robots")],
)
@pytest.mark.parametrize("asynchronous", [False, True])
def test_allow_redirect_callback(
    hostile_server: HostileServer, answer: bool | str, error: str | None, asynchronous: bool
) -> None:
    seen: list[str] = []

    def check(url: str) -> bool | str:
        seen.append(url)
        return answer

    async def acheck(url: str) -> bool | str:
        return check(url)

    callback: Callable[[str], RedirectAnswer] = acheck if asynchronous else check
    result = fetch(hostile_server, hostile_server.url("/redirect/chain/2"), allow_redirect=callback)
    assert result.error == error
    if error is None:
        assert seen == [
            hostile_server.url("/redirect/chain/1"),
            hostile_server.url("/redirect/chain/0"),
        ]
    else:
        assert seen == [hostile_server.url("/redirect/chain/1")]
        assert hostile_server.paths() == ["/redirect/chain/2"]


# -- resolution -----------------------------------------------------------------------------


def test_names_go_through_the_injected_resolver(hostile_server: HostileServer) -> None:
    resolver = StaticResolver({"blog-a.test": ["127.0.0.1"]})
    url = f"http://blog-a.test:{hostile_server.port}/page/a"
    result = fetch(hostile_server, url, policy=AddressPolicy.for_seeds([url]), resolver=resolver)
    assert result.ok
    assert hostile_server.requests[-1].headers["host"] == f"blog-a.test:{hostile_server.port}"


def test_unknown_name_is_a_dns_error() -> None:
    url = "http://nowhere.test/"
    result = fetch(None, url, resolver=StaticResolver({}))
    assert result.error == "dns"


def test_private_name_is_blocked_without_connecting(socket_guard: list[Any]) -> None:
    resolver = StaticResolver({"intranet.test": ["10.1.2.3", "192.168.0.7"]})
    result = fetch(None, "http://intranet.test/", resolver=resolver)
    assert result.error == "blocked_address"
    assert socket_guard == []


class _RebindingResolver:
    """Answers loopback first, then the metadata address: a DNS rebinding attack."""

    def __init__(self) -> None:
        self.calls = 0

    async def resolve(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return ["127.0.0.1"] if self.calls == 1 else ["169.254.169.254"]


def test_connection_goes_to_the_checked_address(hostile_server: HostileServer) -> None:
    resolver = _RebindingResolver()
    url = f"http://rebind.test:{hostile_server.port}/"
    # Loopback is allowed, metadata never: a second lookup at connect time would be caught by
    # the socket guard.
    result = fetch(hostile_server, url, policy=AddressPolicy(allow_private=True), resolver=resolver)
    assert result.ok
    assert resolver.calls == 1


# -- bad input never raises -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://[::1", "bad_url"),
        ("http://example.test:99999/", "bad_url"),
        ("javascript:alert(1)", "blocked_scheme"),
        ("mailto:someone@example.org", "blocked_scheme"),
        ("", "blocked_scheme"),
        ("http:///no-host", "bad_url"),
        ("/relative/path", "blocked_scheme"),
    ],
)
def test_bad_urls_are_recorded(url: str, error: str) -> None:
    result = fetch(None, url, resolver=StaticResolver({}))
    assert result.error == error, result.error_detail


# -- the decoder on its own -----------------------------------------------------------------


def _decode_all(decoder: ContentDecoder, data: bytes, chunk: int) -> bytes:
    out: list[bytes] = []
    for start in range(0, len(data), chunk):
        out.extend(decoder.feed(data[start : start + chunk]))
    out.extend(decoder.finish())
    return b"".join(out)


PAYLOAD = b"<html>" + bytes(range(256)) * 300 + b"</html>"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("gzip", gzip.compress(PAYLOAD)),
        ("x-gzip", gzip.compress(PAYLOAD)),
        ("deflate", zlib.compress(PAYLOAD)),
        ("deflate", zlib.compress(PAYLOAD)[2:-4]),  # raw deflate, as old servers send
        ("br", brotli.compress(PAYLOAD)),
        ("gzip, br", brotli.compress(gzip.compress(PAYLOAD))),
        ("identity", PAYLOAD),
        (None, PAYLOAD),
        ("gzip", gzip.compress(PAYLOAD[:1000]) + gzip.compress(PAYLOAD[1000:])),  # two members
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, 4096, 1 << 20])
def test_decoder_any_chunking(encoding: str | None, data: bytes, chunk: int) -> None:
    assert _decode_all(ContentDecoder(encoding), data, chunk) == PAYLOAD


def test_decoder_pieces_are_small() -> None:
    data = zlib.compress(bytes(20 << 20), 9)
    pieces = list(ContentDecoder("deflate").feed(data))
    assert sum(map(len, pieces)) == 20 << 20
    assert max(map(len, pieces)) <= 64 * KIB


def test_decoder_rejects_garbage() -> None:
    with pytest.raises(ContentEncodingError) as caught:
        list(ContentDecoder("br").feed(b"this is not brotli at all" * 10))
    assert caught.value.code == "content_encoding"
    with pytest.raises(ContentEncodingError) as caught:
        ContentDecoder("gzip, compress")
    assert caught.value.code == "unsupported_encoding"


def test_decoder_many_gzip_members_and_trailing_junk() -> None:
    # Thousands of empty members in one chunk must not exhaust the stack; junk after the last
    # member is ignored, as browsers do.
    data = gzip.compress(b"") * 5000 + gzip.compress(PAYLOAD) + b"\x00\x00junk"
    assert _decode_all(ContentDecoder("gzip"), data, 1 << 20) == PAYLOAD
    assert _decode_all(ContentDecoder("gzip"), data, 3) == PAYLOAD


# -- HTTPS: connect to the checked address, verify and send SNI for the name ----------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[str, str]:
    """A self-signed certificate for blog-a.test (certificate and key paths)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=blog-a.test",
            "-addext",
            "subjectAltName=DNS:blog-a.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture
def tls_server(certificate: tuple[str, str]) -> Iterator[HostileServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    server = HostileServer(tls=context).start()
    try:
        yield server
    finally:
        server.stop()


TLS_RESOLVER = StaticResolver({"blog-a.test": ["127.0.0.1"], "blog-b.test": ["127.0.0.1"]})


def test_https_by_checked_address_keeps_sni_and_verification(
    tls_server: HostileServer, certificate: tuple[str, str]
) -> None:
    url = tls_server.url("/page/secure", host="blog-a.test")
    settings = FetchSettings(user_agent="t", ca_file=certificate[0])
    result = fetch(
        None, url, settings=settings, policy=AddressPolicy.for_seeds([url]), resolver=TLS_RESOLVER
    )
    assert result.ok, result.error_detail
    assert b"Page /page/secure" in result.body
    assert tls_server.sni_names == ["blog-a.test"]


def test_https_certificate_for_another_name_is_refused(
    tls_server: HostileServer, certificate: tuple[str, str]
) -> None:
    url = tls_server.url("/", host="blog-b.test")
    settings = FetchSettings(user_agent="t", ca_file=certificate[0])
    result = fetch(
        None, url, settings=settings, policy=AddressPolicy.for_seeds([url]), resolver=TLS_RESOLVER
    )
    assert result.error == "tls"
    assert tls_server.requests == []


def test_https_untrusted_certificate_is_refused(tls_server: HostileServer) -> None:
    url = tls_server.url("/", host="blog-a.test")
    result = fetch(None, url, policy=AddressPolicy.for_seeds([url]), resolver=TLS_RESOLVER)
    assert result.error == "tls"


# -- fuzz: hostile URL text never raises ----------------------------------------------------

# Host text without digits: no public IPv4 literal can appear (and IPv6 literals made of the
# letters a-f fall outside 2000::/3), so no fuzzed URL can reach a real address.
_HOST_CHARS = st.sampled_from([*list("abcdefxyz.-_[]:%@ ~"), "é", "\u200b", "\x00", "%2e", "xn--"])
_FUZZ_URLS = st.one_of(
    st.builds(
        lambda scheme, host, port, path: f"{scheme}{host}{port}{path}",
        st.sampled_from(["http://", "https://", "HTTP://", "http:", "http:/", "ftp://", "//", ""]),
        st.lists(_HOST_CHARS, max_size=12).map("".join),
        st.sampled_from(["", ":", ":80", ":99999", ":-1", ":0", ":abc", ":８０"]),
        st.text(max_size=30),
    ),
    st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=60),
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=_FUZZ_URLS)
def test_fuzzed_urls_never_raise(url: str) -> None:
    result = fetch(None, url, resolver=StaticResolver({}))
    assert result.error in ERROR_CODES


_LOCATIONS = _FUZZ_URLS.map(
    lambda text: (
        "".join(c for c in text if c not in "\r\n").encode("latin-1", "ignore").decode("latin-1")
    )
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(location=_LOCATIONS)
def test_fuzzed_redirect_locations_never_raise(
    hostile_server: HostileServer, location: str
) -> None:
    url = hostile_server.url("/redirect/to?location=" + quote(location, safe=""))
    result = fetch(hostile_server, url, resolver=StaticResolver({}))
    assert result.error is None or result.error in ERROR_CODES
