"""One fetched document in, one ``ParsedPage`` out: the parsing stage's single entry point.

Dispatches on what the document is (HTML page, feed, sitemap), then for HTML: classify the
page, collect the URLs it reveals, and for a single post pull out the comments first (and
remove their area from the tree), then the metadata, the clean body, and every link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.api import is_wordpress_listing, parse_wordpress_listing, wordpress_posts_url
from parsers.body import extract_body, find_body_node, find_player_body
from parsers.classify import classify_html
from parsers.comments import CommentSection, extract_comments
from parsers.dates import parse_datetime
from parsers.decode import decode_document, looks_binary
from parsers.feeds import looks_like_feed, parse_feed
from parsers.language import guess_language
from parsers.links import absolute_url, author_link, extract_links
from parsers.metadata import extract_metadata, page_language
from parsers.nesting import MAX_DEPTH, cut_deep_nesting
from parsers.records import Comment, Link, ParsedPage, Post, post_id_for
from parsers.sitemaps import parse_sitemap
from parsers.urls import host_of, try_canonicalize

# Pages larger than this are cut before parsing: no blog post needs more, and it bounds time.
MAX_HTML_CHARS = 5_000_000
MAX_DISCOVERED = 10_000

_DATED_URL = re.compile(r"/(19|20)\d\d[/-][01]\d[/-]|[?&]p=\d+")
_COMMENT_PAGE = re.compile(r"/comment-page-(\d+)/?$")
_CPAGE_QUERY = re.compile(r"(^|&)cpage=(\d+)")
# Comment pages are numbered; this spacing keeps positions of page N after those of page N-1.
COMMENT_PAGE_STRIDE = 100_000
_GENERATORS = (
    ("wordpress", "wordpress"),
    ("blogger", "blogger"),
    ("drupal", "drupal"),
    ("movable type", "movabletype"),
    ("typepad", "typepad"),
    ("dotclear", "dotclear"),
    ("livejournal", "livejournal"),
    ("hypotheses", "hypotheses"),
    ("ghost", "ghost"),
    ("joomla", "joomla"),
    ("hugo", "hugo"),
    ("jekyll", "jekyll"),
)
_NEXT_SELECTORS = (
    'link[rel="next"]',
    'a[rel="next"]',
    ".nav-previous a",
    ".older-posts a",
    "a.blog-pager-older-link",
    "#blog-pager-older-link a",
    ".pager-next a",
    "a.next.page-numbers",
    ".wp-block-query-pagination-next",
    ".next-posts a",
    ".navigation .alignleft a",
)
_NEXT_SELECTOR_LIST = ", ".join(_NEXT_SELECTORS)
# How a listing shows its entries: each under a heading that links to it, or (WordPress) a
# permalink marked rel=bookmark. Blog themes agree on this far more than on post URL shapes.
_ENTRY_SELECTOR_LIST = 'h1 a[href], h2 a[href], h3 a[href], a[rel~="bookmark"][href]'
_NEXT_TEXT = re.compile(
    r"^\W*(older (posts|entries)|previous (posts|entries)|next page|articles plus anciens|"
    r"messages plus anciens|billets précédents|page suivante|ältere (beiträge|einträge|posts)|"
    r"nächste seite|entradas (anteriores|antiguas|más antiguas)|página siguiente|"
    r"oudere berichten|post più vecchi|starsze posty)\W*$",
    re.IGNORECASE,
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_REMOVE_BEFORE_BODY = (
    "#respond",
    "#commentform",
    ".comment-respond",
    "#comment-form",
    ".comment-form",
    "#disqus_thread",
    # JSON-LD stays: it is where many blogs state the post's author and dates, for our
    # metadata reader and trafilatura's alike; no other script belongs in the body.
    'script:not([type="application/ld+json" i])',
    "style",
    # <noscript> stays: some blogs (Blogger's dynamic views) hold the post's only readable copy
    # there, and a theme that leaves one unclosed wraps the whole page in it.
    # Void elements HTML5 knows but the HTML parser trafilatura uses does not: serialized
    # without a closing slash, each one swallows the text after it, and trafilatura then
    # drops it with the element. They hold no text of their own.
    "embed",
    "source",
    "track",
)


def parse_document(
    body: bytes, url: str, content_type: str | None, *, assume_post: bool = False
) -> ParsedPage:
    """Parse any fetched document; never raises on bad content (the reason goes in ``notes``).

    ``assume_post`` extracts a post from an HTML page whatever its classification says: for a
    page the user knows is an article (``blogcorpus extract --as-post``), never in a crawl,
    where a listing read as a post would be a junk record.
    """
    try:
        if looks_binary(body, content_type):
            return ParsedPage(url=url, kind="other", notes=("binary content",))
        head = body[:2048].lstrip().lower()
        if b"<urlset" in head or b"<sitemapindex" in head:
            return _parse_sitemap(body, url)
        if looks_like_feed(body, content_type):
            return _parse_feed(body, url)
        if "json" in (content_type or "").lower() or head[:1] in (b"[", b"{"):
            return _parse_api(body, url)
        decoded = decode_document(body, content_type)
        return parse_html(decoded.text, url, assume_post=assume_post)
    except RecursionError:
        return ParsedPage(url=url, kind="other", notes=("document nested too deeply to parse",))


def _parse_api(body: bytes, url: str) -> ParsedPage:
    if not is_wordpress_listing(url):
        return ParsedPage(url=url, kind="other", notes=("JSON that is no known listing",))
    listing = parse_wordpress_listing(body, url)
    return ParsedPage(
        url=url,
        kind="feed",
        discovered=tuple(_canonical_all(list(listing.post_urls))),
        next_urls=tuple(_canonical_all([listing.next_url] if listing.next_url else [])),
        notes=listing.problems,
    )


def _parse_sitemap(body: bytes, url: str) -> ParsedPage:
    sitemap = parse_sitemap(body, url)
    urls = [u for u, _ in sitemap.pages] + list(sitemap.sitemaps)
    return ParsedPage(
        url=url,
        kind="feed",
        discovered=tuple(_canonical_all(urls)),
        declared_post_count=len(sitemap.pages),
        notes=sitemap.problems,
    )


def _parse_feed(body: bytes, url: str) -> ParsedPage:
    feed = parse_feed(body, url)
    urls = [e.url for e in feed.entries]
    urls += [e.comment_feed_url for e in feed.entries if e.comment_feed_url]
    return ParsedPage(
        url=url,
        kind="feed",
        title=feed.title,
        comments=feed.comments,
        discovered=tuple(_canonical_all(urls)),
        next_urls=tuple(_canonical_all([feed.next_url] if feed.next_url else [])),
        declared_post_count=feed.total_results if feed.kind == "posts" else None,
        notes=feed.problems,
    )


def _canonical_all(urls: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for raw in urls:
        canonical = try_canonicalize(raw)
        if canonical:
            seen.setdefault(canonical, None)
    return list(seen)


def detect_platform(tree: LexborHTMLParser, html: str | None = None) -> str | None:
    """The blog platform named by the generator meta tag, or shown by telltale markup.

    ``html`` is the page's source when the caller has it: serializing the tree again to look
    for the markup costs more than the rest of this function.
    """
    for node in tree.css('meta[name="generator"]'):
        content = (node.attributes.get("content") or "").lower()
        for needle, platform in _GENERATORS:
            if needle in content:
                return platform
    if html is None:
        html = tree.html or ""
    head = html[:20000]
    if "/wp-content/" in head or "/wp-includes/" in head:
        return "wordpress"
    if "blogger.com" in head or "blogspot.com" in head:
        return "blogger"
    if "Drupal.settings" in html[:50000] or "/sites/default/files" in head:
        return "drupal"
    return None


def post_url_of(url: str) -> tuple[str, int | None]:
    """The post a comment page belongs to, and the page number (None when not a comment page)."""
    parts = urlsplit(url)
    match = _COMMENT_PAGE.search(parts.path)
    if match:
        path = parts.path[: match.start()] + "/"
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), int(match.group(1))
    query = _CPAGE_QUERY.search(parts.query)
    if query:
        rest = _CPAGE_QUERY.sub("", parts.query).strip("&")
        return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), int(query.group(2))
    return url, None


def _comment_page_number(url: str, section: CommentSection) -> int:
    """Which comment page this is: from its URL, else from its neighbours' numbers."""
    _, number = post_url_of(url)
    if number is not None:
        return number
    if section.prev_page_url:
        _, previous = post_url_of(section.prev_page_url)
        if previous is not None:
            return previous + 1
    if section.next_page_url:
        _, following = post_url_of(section.next_page_url)
        if following is not None:
            return max(following - 1, 1)
    return 1


@dataclass(frozen=True, slots=True)
class _Discovered:
    links: list[str]
    continuation: list[str]
    entries: list[str]
    feeds: list[str]


def _discover(tree: LexborHTMLParser, base_url: str, *, listing: bool) -> _Discovered:
    """All in-page link targets, the continuation links, the entries (on a listing only), and
    the feeds the page advertises."""
    # Menus and sidebars repeat the same hrefs: each distinct one is resolved once.
    resolved: dict[str | None, str | None] = {}

    def resolve(href: str | None) -> str | None:
        if href not in resolved:
            resolved[href] = absolute_url(href, base_url)
        return resolved[href]

    anchors = tree.css("a[href]")
    discovered: dict[str, None] = {}
    for anchor in anchors:
        target = resolve(anchor.attributes.get("href"))
        if target:
            discovered.setdefault(target, None)
            if len(discovered) >= MAX_DISCOVERED:
                break
    continuation: dict[str, None] = {}
    # One query for the whole list walks the tree once; the links come in page order.
    for node in tree.css(_NEXT_SELECTOR_LIST):
        target = resolve(node.attributes.get("href"))
        if target:
            continuation.setdefault(target, None)
    for anchor in anchors[:MAX_DISCOVERED]:
        if _NEXT_TEXT.match(anchor.text(strip=True)):
            target = resolve(anchor.attributes.get("href"))
            if target:
                continuation.setdefault(target, None)
    entries: dict[str, None] = {}
    if listing:
        for node in tree.css(_ENTRY_SELECTOR_LIST):
            target = resolve(node.attributes.get("href"))
            if target and target in discovered:
                entries.setdefault(target, None)
    feeds: dict[str, None] = {}
    api = tree.css_first('link[rel="https://api.w.org/"][href]')
    if api is not None:
        root = absolute_url(api.attributes.get("href"), base_url)
        posts_api = try_canonicalize(wordpress_posts_url(root)) if root else None
        if posts_api:
            feeds.setdefault(posts_api, None)
    for node in tree.css('link[rel="alternate"][href]'):
        if (node.attributes.get("type") or "").lower() in _FEED_TYPES:
            target = absolute_url(node.attributes.get("href"), base_url)
            if target:
                feeds.setdefault(target, None)
    return _Discovered(list(discovered), list(continuation), list(entries), list(feeds))


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    base = tree.css_first("base[href]")
    if base is not None:
        href = base.attributes.get("href") or ""
        joined = try_canonicalize(urljoin(url, href.strip()))
        if joined:
            return joined
    return url


def parse_html(text: str, url: str, *, assume_post: bool = False) -> ParsedPage:
    """Parse an HTML page already decoded to text."""
    notes: list[str] = []
    if len(text) > MAX_HTML_CHARS:
        text = text[:MAX_HTML_CHARS]
        notes.append(f"page cut at {MAX_HTML_CHARS} characters")
    text, cut = cut_deep_nesting(text)
    if cut:
        notes.append(f"page cut where its nesting passed {MAX_DEPTH} levels")
    tree = LexborHTMLParser(text)
    base_url = _base_url(tree, url)
    kind = classify_html(tree, url).kind
    platform = detect_platform(tree, text)
    found = _discover(tree, base_url, listing=kind == "listing")
    language = page_language(tree)
    title_node = tree.css_first("title")
    page_title = " ".join(title_node.text().split()) if title_node is not None else None
    page = ParsedPage(
        url=url,
        kind=kind,
        platform=platform,
        title=page_title,
        language=language,
        discovered=tuple(found.links),
        next_urls=tuple(found.continuation),
        entry_urls=tuple(found.entries),
        feed_urls=tuple(found.feeds),
        notes=tuple(notes),
    )
    if kind not in ("post", "page") and not assume_post:
        return page
    return _parse_single(tree, page, base_url, assume_post=assume_post)


def _post_identity(tree: LexborHTMLParser, url: str) -> str:
    """The post's canonical URL: ``rel=canonical`` on the same host, minus any comment page."""
    post_url, _ = post_url_of(url)
    node = tree.css_first('link[rel="canonical"][href]')
    if node is not None:
        canonical = absolute_url(node.attributes.get("href"), url)
        if canonical and host_of(canonical) == host_of(url):
            post_url, _ = post_url_of(canonical)
    return post_url


def _parse_single(
    tree: LexborHTMLParser, page: ParsedPage, base_url: str, *, assume_post: bool
) -> ParsedPage:
    url = page.url
    canonical = _post_identity(tree, url)
    post_id = post_id_for(canonical)
    page_host = host_of(url)
    probe = extract_comments(tree, page_url=base_url, post_id=post_id)
    page_number = _comment_page_number(url, probe)
    section = probe
    if page_number > 1:
        section = extract_comments(
            tree,
            page_url=base_url,
            post_id=post_id,
            page_offset=(page_number - 1) * COMMENT_PAGE_STRIDE,
        )
    comment_urls = [u for u in (section.next_page_url, section.prev_page_url) if u]
    if section.container is not None:
        section.container.decompose()
    for selector in _REMOVE_BEFORE_BODY:
        for node in tree.css(selector):
            node.decompose()

    body_node = find_body_node(tree) or find_player_body(tree)
    article = _article_node(tree, body_node)
    meta = extract_metadata(tree, article, url)
    # A static page ("About", "Contact") states no date and seldom an author.
    static = not (page.kind == "post" or assume_post)
    body = extract_body(
        tree.html or "",
        url,
        body_node,
        base_url=base_url,
        title=meta.title,
        # trafilatura's metadata only fills what the markup left empty; where the markup named
        # all three, what it could still add (a category or tag in about one page in a
        # hundred, on the evaluation) is not worth a quarter of the page's parsing time. A
        # static page goes to it only for a missing title: on the mirrors' 15 static pages it
        # changed no field, and it took half of their parsing time.
        need_metadata=not meta.title
        if static
        else not (meta.title and meta.author_name and meta.published_at),
        # Searching a static page's text for a date finds only the sidebar's or the footer's
        # (lafuite's ten pages all got 1 January 2013), and the first search costs each parsing
        # process about 2 s of dateparser set-up.
        need_date=meta.published_at is None and not static,
    )
    body_links = extract_links(body_node, base_url=base_url, page_host=page_host, context="body")
    if body_node is None:
        body_links = _links_from_html(body.html, base_url, page_host)

    comment_links: list[Link] = []
    for comment in section.comments:
        comment_links.extend(_comment_links(comment, base_url, page_host))

    text = _without_media_tokens(body.text)
    kind = page.kind
    undated = meta.published_at is None and not meta.categories
    if kind == "post" and undated and not _DATED_URL.search(urlsplit(canonical).path):
        # Undated, uncategorised and not shaped like a post: a static page ("About", a
        # project page) that an old theme marks up exactly like a post.
        kind = "page"
    post = Post(
        post_id=post_id,
        url=canonical,
        canonical_url=canonical,
        title=meta.title or body.title,
        author_name=meta.author_name or body.author,
        author_url=absolute_url(meta.author_url, base_url) if meta.author_url else None,
        # The page's own date markup first; else trafilatura's date (from the URL, the visible
        # text), which the evaluation shows is right far more often than leaving it empty.
        published_at=meta.published_at or parse_datetime(body.date),
        updated_at=meta.updated_at,
        # The page's declared language; else one guessed from the post's words, so that the
        # search index can stem them (old templates often declare none).
        language=meta.language or guess_language(f"{meta.title or body.title or ''}\n{text}"),
        text=text,
        html=_without_media_tokens(body.html, html=True),
        categories=meta.categories or body.categories,
        tags=meta.tags or tuple(t for t in body.tags if t not in meta.categories),
        comment_count_declared=section.declared_count,
        comments_open=section.comments_open,
        platform=page.platform or section.platform,
        word_count=len(text.split()),
    )
    return replace(
        page,
        kind=kind,
        platform=page.platform or section.platform,
        post=post,
        comments=section.comments,
        links=tuple(body_links + comment_links),
        discovered=_without_comment_copies(page.discovered, section, url, canonical),
        next_urls=tuple(dict.fromkeys([*comment_urls, *page.next_urls])),
        comment_feed_url=_comment_feed(tree, base_url, canonical),
    )


def _without_comment_copies(
    discovered: tuple[str, ...], section: CommentSection, page_url: str, post_url: str
) -> tuple[str, ...]:
    """The page's links less its comments' own links, when those can only show it again.

    A comment's permalink is the post's page positioned at that comment: Blogger writes one
    per comment ("?showComment=<time>", or "%3FshowComment=" in a mirror's file names), and a
    crawler that follows them fetches the whole post once per comment (180 of the lafuite
    mirror's 400 requests). When the page has no further comment pages, every comment is
    already here, and so is what those links show.
    """
    if not section.comments or section.next_page_url or section.prev_page_url:
        return discovered
    copies = {try_canonicalize(link) for link in section.permalinks} - {page_url, post_url}
    if not copies:
        return discovered
    return tuple(url for url in discovered if url not in copies)


# Drupal's Media module stores an image in a post as a token ("[[{"type":"media",...}]]") that
# its filter turns into an <img>; where the filter was off, the page shows the token itself.
_MEDIA_TOKEN = re.compile(
    r'\[\[\{(?:"|&quot;)type(?:"|&quot;):(?:"|&quot;)media.*?\}\]\]', re.DOTALL
)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


def _without_media_tokens(text: str, *, html: bool = False) -> str:
    """The post without unrendered media tokens (15 of robshouse's 60 posts had them)."""
    if "[[{" not in text:
        return text
    stripped = _MEDIA_TOKEN.sub("", text)
    if html:
        return _EMPTY_PARAGRAPH.sub("", stripped)
    return "\n\n".join(block.strip() for block in stripped.split("\n\n") if block.strip())


def _article_node(tree: LexborHTMLParser, body_node: LexborNode | None) -> LexborNode | None:
    """The element wrapping the post (title, byline, body), climbing from the body element."""
    node = body_node
    for _ in range(6):
        if node is None:
            break
        classes = (node.attributes.get("class") or "").split()
        if node.tag == "article" or {"hentry", "post", "h-entry", "node", "post-outer"} & set(
            classes
        ):
            return node
        node = node.parent
    return tree.css_first("article, .hentry, .h-entry")


def _links_from_html(html: str, base_url: str, page_host: str) -> list[Link]:
    if not html:
        return []
    fragment = LexborHTMLParser(html)
    return extract_links(fragment.body, base_url=base_url, page_host=page_host, context="body")


def _comment_links(comment: Comment, base_url: str, page_host: str) -> list[Link]:
    links: list[Link] = []
    if comment.author_url:
        own = author_link(
            comment.author_url,
            page_host=page_host,
            comment_id=comment.comment_id,
            anchor_text=comment.author_name or "",
        )
        if own is not None:
            links.append(own)
    if comment.html:
        fragment = LexborHTMLParser(comment.html)
        links.extend(
            extract_links(
                fragment.body,
                base_url=base_url,
                page_host=page_host,
                context="comment",
                comment_id=comment.comment_id,
            )
        )
    return links


def _comment_feed(tree: LexborHTMLParser, base_url: str, post_url: str) -> str | None:
    """The post's own comment feed: WordPress puts it under the post's URL (``/post/feed/``),
    or, with plain permalinks, adds ``feed=rss2`` to the post's own query (``?p=5``)."""
    post = urlsplit(post_url)
    own_params = set(post.query.split("&")) - {""}
    for node in tree.css('link[rel="alternate"][href]'):
        href = absolute_url(node.attributes.get("href"), base_url)
        if not href or href == post_url:
            continue
        feed = urlsplit(href)
        if feed.netloc != post.netloc or not feed.path.startswith(post.path):
            continue
        if own_params and own_params <= set(feed.query.split("&")):
            return href
        if not own_params and feed.path != post.path:
            return href
    return None


def links_for_records(
    post: Post | None, comments: tuple[Comment, ...], base_url: str
) -> list[Link]:
    """Links of records that came without a page (an export file): body, comments, authors."""
    page_host = host_of(base_url)
    links = _links_from_html(post.html, base_url, page_host) if post is not None else []
    for comment in comments:
        links.extend(_comment_links(comment, base_url, page_host))
    return links
