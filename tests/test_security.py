"""Security: no connection outside what the crawl allowed, hostile text stored verbatim, no export
path outside its folder.

A canary listener on 127.0.0.2 (a loopback alias) counts every connection it accepts. The blog
lives at ``blog.test`` (a resolver the test controls maps it to 127.0.0.1); its pages link and
redirect to the canary by every spelling an attacker would try: a sibling name resolving to it,
the numeric forms, IPv4-mapped IPv6, the metadata address, other schemes. The canary must count
zero, unless the user allowed private addresses.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from corpus.exports.split import UnsafePathError, safe_post_path, write_split
from sampleblog.generated import GeneratedBlog
from scraper.addresses import StaticResolver
from scraper.config import CrawlConfig
from scraper.crawler import run_crawl
from tests.servers import hostile
from tests.servers.hostile import HostileServer

hostile_server = hostile.hostile_server


class Canary:
    """Listens on 127.0.0.2 at a given port and counts accepted connections."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.2", port))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def canary(hostile_server: HostileServer) -> Iterator[Canary]:
    listener = Canary(hostile_server.port)
    try:
        yield listener
    finally:
        listener.close()


def _attack_page(server: HostileServer) -> list[str]:
    port = server.port
    targets = [
        f"http://www.blog.test:{port}/inside",  # a sibling name that resolves to the canary
        f"http://127.0.0.2:{port}/",
        f"http://2130706434:{port}/",  # 127.0.0.2 as one decimal number
        f"http://0x7f.0.0.2:{port}/",
        f"http://127.2:{port}/",
        f"http://[::ffff:127.0.0.2]:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/",
        "http://10.0.0.1/",
        "file:///etc/passwd",
        "ftp://127.0.0.2/",
        "gopher://127.0.0.2:70/",
        "javascript:alert(1)",
        "http://[::1",
        "http://blog.test:99999/",
    ]
    links = "".join(f'<a href="{t}">l</a> ' for t in targets)
    redirects = "".join(
        f'<a href="/redirect/to?location={t}&amp;n={i}">r</a> ' for i, t in enumerate(targets)
    )
    server.add("/", f"<html><body><p>{links}{redirects}</p></body></html>".encode())
    return targets


def _crawl(server: HostileServer, tmp_path: Path, **options: Any) -> dict[str, Any]:
    resolver = StaticResolver({"blog.test": ["127.0.0.1"], "www.blog.test": ["127.0.0.2"]})
    config = CrawlConfig(
        seeds=(f"http://blog.test:{server.port}/",),
        db_path=tmp_path / "corpus.duckdb",
        delay=0,
        parse_workers=0,
        guess_well_known=False,
        retries=0,
        **options,
    )
    return run_crawl(config, resolver=resolver)


def test_no_connection_outside_the_allowed_addresses(
    hostile_server: HostileServer, canary: Canary, tmp_path: Path, socket_guard: list[Any]
) -> None:
    hostile_server.robots_mode = "missing"
    targets = _attack_page(hostile_server)
    _crawl(hostile_server, tmp_path)
    assert canary.accepted == 0
    redirects = [r for r in hostile_server.requests if r.path == "/redirect/to"]
    assert len(redirects) == len(targets), "every redirect was asked for and refused"
    conn = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    try:
        reasons = conn.execute(
            "SELECT reason FROM frontier WHERE url LIKE '%/redirect/to%'"
        ).fetchall()
    finally:
        conn.close()
    # Each refusal is recorded with its reason, none silently dropped.
    assert len(reasons) == len(targets) and all(r[0] for r in reasons), reasons


def test_allow_private_is_the_users_choice(
    hostile_server: HostileServer, canary: Canary, tmp_path: Path
) -> None:
    """The same sibling redirect reaches the canary once private addresses are allowed."""
    hostile_server.robots_mode = "missing"
    port = hostile_server.port
    hostile_server.add(
        "/",
        f'<a href="/redirect/to?location=http://www.blog.test:{port}/inside">r</a>'.encode(),
    )
    _crawl(hostile_server, tmp_path, allow_private=True)
    assert canary.accepted >= 1


HOSTILE_TITLE = "Robert'); DROP TABLE posts;-- \u0007\u001b[31m $(rm -rf ~) ../../etc/passwd"
HOSTILE_TEXT = "' OR 1=1; -- \u0000 \u0085 \u202e ; DELETE FROM comments; %s %n {0} \\x00"


def test_hostile_text_is_stored_verbatim(tmp_path: Path) -> None:
    blog = GeneratedBlog(posts=3, comments_per_post=0, seed=1, traps=False, post_feeds=False)
    url = blog.truth.posts[1].url
    page = blog.page(url.split("example", 1)[1])[2]
    post = blog.post(1)
    page = page.replace(
        f'<h1 class="entry-title">{post.title}</h1>',
        '<h1 class="entry-title">'
        + HOSTILE_TITLE.replace("&", "&amp;").replace("<", "&lt;")
        + "</h1>",
    )
    page = page.replace(post.paragraphs[0], f"<p>{HOSTILE_TEXT}</p>")
    server = HostileServer().start()
    try:
        server.robots_mode = "missing"
        path = url.split("example", 1)[1]
        server.add(path, page.encode("utf-8"))
        run_crawl(
            CrawlConfig(
                seeds=(server.url(path),),
                db_path=tmp_path / "corpus.duckdb",
                delay=0,
                parse_workers=0,
                guess_well_known=False,
            )
        )
    finally:
        server.stop()
    conn = duckdb.connect(str(tmp_path / "corpus.duckdb"), read_only=True)
    try:
        title, text = conn.execute("SELECT title, text FROM posts").fetchone() or ("", "")
        tables = {r[0] for r in conn.execute("SHOW TABLES").fetchall()}
    finally:
        conn.close()
    assert {"posts", "comments"} <= tables
    # Bound as parameters, never spliced into SQL: the title comes back byte for byte.
    assert title == HOSTILE_TITLE
    assert "DELETE FROM comments" in text and "' OR 1=1" in text


@pytest.mark.parametrize(
    "title",
    ["../../../../etc/passwd", "..", ".hidden", "a/b\\c", "\u0000nul", "CON", "x" * 500, ""],
)
@pytest.mark.parametrize(
    "url",
    ["http://blog.example/p/", "http://../../x/", "http://a:b@host:8/..%2f..%2f/", "no-scheme"],
)
def test_export_names_never_leave_the_folder(tmp_path: Path, title: str, url: str) -> None:
    doc = {"url": url, "title": title, "post_id": "../" + title, "published_at": "../2006"}
    try:
        path = safe_post_path(tmp_path, doc)
    except UnsafePathError:
        return  # refusing is fine; escaping is not
    assert path.resolve().is_relative_to(tmp_path.resolve())
    assert not path.name.startswith(".")
    assert write_split([{**doc}], tmp_path / "out") == 1
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to((tmp_path / "out").resolve()) for p in written)
