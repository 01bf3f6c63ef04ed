"""Fuzzing decode → parse → links: malformed HTML, junk bytes, hostile hrefs, bad URLs.

2,000 generated inputs in the default run, from a fixed seed (``derandomize``), so a failure
replays exactly. Nothing may raise: a bad page is a record, never a crash. Set
``BLOGCORPUS_FUZZ_EXAMPLES`` for a longer run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.decode import decode_document
from parsers.extract import parse_document
from parsers.urls import try_canonicalize
from sampleblog.generated import GeneratedBlog
from scraper.scope import BlogScope, TrapGuard, guess_priority

SCALE = int(os.environ.get("BLOGCORPUS_FUZZ_EXAMPLES", "0")) or 1
BASE = "http://blog.test/2006/01/02/post-1-x/"
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)

_TAGS = ["html", "head", "body", "p", "a", "div", "li", "ol", "ul", "article", "script", "style",
         "meta", "title", "h1", "time", "span", "iframe", "template", "svg", "math"]  # fmt: skip
_ATTRS = ['href="{}"', "class='{}'", 'id="{}"', 'charset="{}"', 'datetime="{}"', "content={}"]
_HREFS = [
    "http://[::1", "http://host:99999/", "javascript:alert(1)", "data:text/html,x", "//",
    "http://%zz/", "http://a b/", "http://xn--/", "http://[fe80::1%25eth0]/", "?replytocom=1",
    "../" * 40, "http://" + "a" * 3000, "mailto:x@y", "\x00\x01", "http://127.0.0.1:0/",
    "https://münchen.example/ü?q=ä#f", "http:///x", "ht\ttp://x", "#", "",
]  # fmt: skip
_CHARSETS = ["utf-8", "utf-16", "x-user-defined", "replacement", "bogus", "utf-7", "cp1252", ""]
_TYPES = [None, "text/html", "text/html; charset=utf-16", "application/rss+xml", "text/plain",
          "text/html; charset=bogus", "application/octet-stream", "image/png"]  # fmt: skip

text_bits = st.one_of(
    st.text(max_size=40),
    st.sampled_from(_HREFS),
    st.sampled_from(_CHARSETS),
    st.sampled_from(
        ["comment-1", "depth-1", "children", "entry-content", "pingback", "<!--", "]]>"]
    ),
)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Random nesting of blog-ish tags with hostile attribute values, often left unclosed."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(st.sampled_from(_TAGS))
        attrs = " ".join(
            draw(st.sampled_from(_ATTRS)).format(draw(text_bits))
            for _ in range(draw(st.integers(0, 3)))
        )
        parts.append(f"<{tag} {attrs}>{draw(text_bits)}")
        if draw(st.booleans()):
            parts.append(f"</{draw(st.sampled_from(_TAGS))}>")
    return "".join(parts)


def _check(body: bytes, content_type: str | None, url: str = BASE) -> None:
    parsed = parse_document(body, url, content_type)
    # The link path: every discovered URL must go through scope and trap checks unharmed.
    scope = BlogScope.from_seed("http://blog.test/")
    guard = TrapGuard()
    for found in (*parsed.discovered, *parsed.next_urls, *parsed.feed_urls):
        if scope.contains(found):
            guard.reason_to_skip(found, 1)
            guess_priority(found, "link")


@settings(FUZZ, max_examples=800 * SCALE)
@given(soup=tag_soup(), content_type=st.sampled_from(_TYPES), encoding=st.sampled_from(
    ["utf-8", "utf-16", "cp1252", "latin-1"]))  # fmt: skip
def test_tag_soup_never_crashes(soup: str, content_type: str | None, encoding: str) -> None:
    _check(soup.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace"),
           content_type)  # fmt: skip


@settings(FUZZ, max_examples=500 * SCALE)
@given(junk=st.binary(max_size=4096), content_type=st.sampled_from(_TYPES))
def test_junk_bytes_never_crash(junk: bytes, content_type: str | None) -> None:
    decode_document(junk, content_type)
    _check(junk, content_type)


_TEMPLATE = GeneratedBlog(posts=3, comments_per_post=3, seed=2, traps=False).page(
    "/" + BASE.split("/", 3)[3]
)[2]


@settings(FUZZ, max_examples=400 * SCALE)
@given(
    hrefs=st.lists(st.one_of(st.sampled_from(_HREFS), st.text(max_size=60)), max_size=25),
    cut=st.integers(0, len(_TEMPLATE)),
)
def test_real_post_with_bad_hrefs_and_truncation(hrefs: list[str], cut: int) -> None:
    """A real WordPress post page, its links replaced by hostile ones, cut off anywhere."""
    links = "".join(f'<a href="{h}">x</a>' for h in hrefs)
    page = _TEMPLATE.replace("</div><!-- .entry-content -->", links + "</div>")[:cut]
    _check(page.encode("utf-8", "surrogatepass"), "text/html; charset=utf-8")


@settings(FUZZ, max_examples=300 * SCALE)
@given(url=st.one_of(st.sampled_from(_HREFS), st.text(max_size=120), st.from_regex(
    r"\A(https?|ftp|file)://[^/]{0,30}(:\d{0,7})?/[\S]{0,60}\Z")))  # fmt: skip
def test_bad_urls_never_crash(url: str) -> None:
    canonical = try_canonicalize(url)
    if canonical is not None:
        assert try_canonicalize(canonical) == canonical, "canonical form is stable"
        TrapGuard().reason_to_skip(canonical, 1)
    _check(b"<html><body></body></html>", "text/html", url if canonical else BASE)


def test_absurd_nesting_is_cut_and_recorded() -> None:
    """100,000 nested elements: parsed up to the depth cap, with the cut recorded."""
    from parsers.nesting import MAX_DEPTH

    page = (
        "<html><body><article class='post'><h1 class='entry-title'>Deep</h1>"
        "<div class='entry-content'><p>Before the abyss, a real sentence of the post.</p>"
        + "<div>" * 100_000
        + "x</article></body></html>"
    ).encode()
    parsed = parse_document(page, "http://blog.example/2020/01/01/deep/", "text/html")
    assert any(str(MAX_DEPTH) in note for note in parsed.notes)
    assert parsed.post is not None and "real sentence" in parsed.post.text
