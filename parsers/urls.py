"""URL canonicalization shared by every stage.

Ids derive from canonical URLs, so the parsers, the crawler and the loaders must agree on one
form. Only the scheme and host are lower-cased: paths are case-sensitive on most servers, and
merging ``/Post`` with ``/post`` would merge distinct pages.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

MAX_URL_LENGTH = 2083

# Query parameters that never change what a page shows: trackers, share widgets, session ids,
# and WordPress's ``replytocom`` (a copy of the post with the reply form moved, a classic trap).
_DROPPED_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|yclid|igshid|"
    r"replytocom|share|shared|phpsessid|sid|sessionid|session_id|jsessionid|aspsessionid\w*|"
    r"cfid|cftoken|nc|amp)$",
    re.IGNORECASE,
)
# Session ids carried in the path (``;jsessionid=...``) rather than the query.
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_INDEX_FILE = re.compile(r"/index\.html?$", re.IGNORECASE)
# Characters left as they are when re-quoting a path: RFC 3986 reserved and unreserved ones.
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = "/:@!$'()*+,;-._~%?"
# A path made only of these is already in canonical form (re-quoting would not change it):
# most paths are, and skipping ``quote(unquote(...))`` halves the cost of canonicalizing.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=\-._~]*")
# The everyday URL (lower-case scheme and host, default port, plain path, no query) has its
# canonical form read off directly, without splitting it into parts.
_SIMPLE_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*)"
    r"(?P<path>/[A-Za-z0-9/:@!$&'()*+,;=\-._~]*)?(?:#[^\s]*)?"
)


class BadURLError(ValueError):
    """The text is not an absolute http(s) URL that blogcorpus can fetch or store."""


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an absolute http(s) URL, or raise ``BadURLError``.

    Lower-cases scheme and host, drops the default port, the fragment, tracking and session
    parameters; sorts the query; re-quotes the path consistently; an empty path becomes ``/``.
    """
    text = url.strip()
    if len(text) > MAX_URL_LENGTH:
        raise BadURLError(f"URL longer than {MAX_URL_LENGTH} characters")
    simple = _SIMPLE_URL.fullmatch(text)
    if simple is not None:
        path = _PATH_SESSION.sub("", simple.group("path") or "") or "/"
        return f"{simple.group('scheme')}://{simple.group('host')}{_INDEX_FILE.sub('/', path)}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadURLError(f"unparsable URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise BadURLError(f"not an http(s) URL: {text[:80]!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadURLError(f"URL has no host: {text[:80]!r}")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError as exc:
        raise BadURLError(f"bad host name: {host[:80]!r}") from exc
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    path = _PATH_SESSION.sub("", parts.path) or "/"
    if not _PLAIN_PATH.fullmatch(path):
        path = quote(unquote(path), safe=_SAFE_PATH)
    if not parts.query:
        # A folder's index file is the folder: "/2006/06/index.html" and "/2006/06/" are one page.
        path = _INDEX_FILE.sub("/", path)
    return urlunsplit((scheme, netloc, path, _canonical_query(parts.query), ""))


def _canonical_query(query: str) -> str:
    """Sorted parameters without trackers; a bare key (``?2006/06/09/post``, Dotclear's
    permalinks) stays bare, since ``key=`` is a different URL to many servers."""
    kept: list[tuple[str, str | None]] = []
    for part in query.split("&"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = unquote(key.replace("+", " "))
        if _DROPPED_PARAMS.match(key):
            continue
        kept.append((key, unquote(value.replace("+", " ")) if sep else None))
    kept.sort(key=lambda kv: (kv[0], kv[1] or ""))
    return "&".join(
        quote(k, safe=_SAFE_QUERY) + ("" if v is None else "=" + quote(v, safe=_SAFE_QUERY))
        for k, v in kept
    )


def try_canonicalize(url: str) -> str | None:
    """``canonicalize_url`` that returns None instead of raising."""
    try:
        return canonicalize_url(url)
    except BadURLError:
        return None


def host_of(url: str) -> str:
    """The lower-cased host of a URL (no port), or '' when there is none."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a canonical URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
