"""The shortcuts that keep link resolution cheap give exactly what the general path gives.

``absolute_url`` skips ``urljoin`` for absolute and plain root-relative hrefs, and
``canonicalize_url`` reads everyday URLs without splitting them; both must agree with the
long way round on any input.
"""

from __future__ import annotations

from urllib.parse import urljoin

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.links import absolute_url
from parsers.urls import canonicalize_url, try_canonicalize

_PIECES = st.sampled_from(
    ["/", "//", "/.", "/..", "a", "B", "post.html", "index.html", ".", "..", "?", "#", "q=1",
     "&", " ", "\t", "\\", "é", "%20", "%2F", ";x=1", "@", ":", "~", "-", "_", "utm_source=x",
     "2006", "06"]
)  # fmt: skip
_BASES = st.sampled_from(
    [
        "https://blog.example.org/2006/06/post/",
        "http://example.org",
        "https://user@example.org:8080/p?q=1#f",
        "http://example.org/x/index.html",
        "https://example.org/?p=3",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(_PIECES, max_size=8).map("".join), _BASES, st.sampled_from(["/", "", "http://h.org/"])
)
def test_resolving_an_href_is_joining_then_canonicalizing(tail: str, base: str, head: str) -> None:
    href = head + tail
    stripped = href.strip()
    if not stripped or stripped.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        assert absolute_url(href, base) is None
        return
    if stripped.startswith(("http://", "https://")) and stripped.split("://", 1)[1][:1] in "#?/":
        return  # "https://#": no host; joining would fall back to the page itself
    joined = urljoin(base, stripped)
    if stripped.startswith(("http://", "https://")) and joined[-1:].isspace():
        # "http://h.org/ ?": urljoin drops the empty query and leaves the space at the end,
        # where canonicalizing strips it; a browser keeps it (%20), as the shortcut does.
        return
    assert absolute_url(href, base) == try_canonicalize(joined)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(["http://", "https://"]), st.lists(_PIECES, max_size=8).map("".join))
def test_the_everyday_url_shortcut_matches_the_full_canonicalization(
    scheme: str, rest: str
) -> None:
    url = f"{scheme}blog.example.org{rest}"
    # An upper-case scheme never takes the shortcut: it is the reference.
    reference = try_canonicalize(scheme.upper() + url[len(scheme) :])
    assert try_canonicalize(url) == reference


def test_everyday_urls_in_canonical_form() -> None:
    assert canonicalize_url("https://example.org") == "https://example.org/"
    assert canonicalize_url("https://example.org/2006/06/index.html#c5") == (
        "https://example.org/2006/06/"
    )
    assert canonicalize_url("http://example.org/a;jsessionid=12") == "http://example.org/a"
    assert absolute_url("/2006/06/post/", "https://Example.org/x/") == (
        "https://example.org/2006/06/post/"
    )
    assert absolute_url("/a/../b", "https://example.org/x/") == "https://example.org/b"
