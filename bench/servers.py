"""The blogs the crawl benchmarks run against, each served on 127.0.0.1 with its truth.

Both test servers write a response's headers and its body in two sends. With Nagle's algorithm
on, the body then waits for the client's delayed ACK of the headers, about 40 ms on Linux, on
every keep-alive response: a one-connection crawler like wget would measure the server's
stall, not its own speed (2.2 ms a page becomes 47 ms). The benchmarks switch Nagle off on
both servers' handlers before serving, as any production server does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from bench.crawlers import Target
from bench.pages import MirrorSite, content_type_for
from sampleblog import generated, server
from sampleblog.generated import GeneratedBlog
from sampleblog.server import SiteServer


def _quiet(*_args: object) -> None:
    """A crawler stopped by the time budget resets its connections: nothing to report."""


def nagle_off() -> None:
    """Make the test servers send each response without waiting for a delayed ACK."""
    server._Handler.disable_nagle_algorithm = True
    generated._Handler.disable_nagle_algorithm = True
    # socketserver prints a traceback for every reset connection; the request log is the record.
    server._Server.handle_error = _quiet  # type: ignore[method-assign,assignment]
    generated._Server.handle_error = _quiet  # type: ignore[method-assign,assignment]


@contextmanager
def serve_mirror(site: MirrorSite) -> Iterator[Target]:
    """Serve one mirror from ``../shared/data`` and describe it as a crawl target."""
    nagle_off()
    httpd = SiteServer(site.root, content_type=content_type_for(site.name))
    base = httpd.start()
    try:
        yield Target(
            name=site.name,
            seed=base.rstrip("/") + site.seed_path,
            posts=tuple(p.paths for p in site.posts),
            requests=lambda: [(r.time, r.path, r.status) for r in httpd.requests],
            clear=httpd.clear_requests,
        )
    finally:
        httpd.stop()


@contextmanager
def serve_generated(
    posts: int, comments_per_post: float, *, seed: int = 7
) -> Iterator[tuple[Target, GeneratedBlog]]:
    """Serve a generated blog (traps included) and describe it as a crawl target."""
    nagle_off()
    blog = GeneratedBlog(posts=posts, comments_per_post=comments_per_post, seed=seed)
    base = blog.start()
    try:
        truth = blog.truth
        # The generated blog's log only grows: each crawl reads what came after its mark.
        mark = [0]

        def clear() -> None:
            mark[0] = len(blog.requests)

        yield (
            Target(
                name=f"generated, {posts:,} posts",
                seed=base,
                posts=tuple((urlsplit(p.url).path,) for p in truth.posts),
                requests=lambda: [(r.time, r.path, r.status) for r in blog.requests[mark[0] :]],
                clear=clear,
            ),
            blog,
        )
    finally:
        blog.stop()
