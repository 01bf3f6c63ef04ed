"""Feeds: posts feeds and comment feeds as records, on small fixtures and on two real blogs."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.feeds import (
    Feed,
    feed_page_urls,
    html_to_text,
    looks_like_feed,
    parse_date,
    parse_feed,
)
from parsers.records import comment_id_for, post_id_for
from parsers.urls import canonicalize_url
from tests.conftest import shared_path

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- WordPress per-post comment feed --------------------------------------------------------


def test_wordpress_comment_feed_gives_comment_records() -> None:
    feed = parse_feed(
        fixture("wordpress_post_comments.rss"),
        "https://boulange.example/2021/03/pain-du-dimanche/feed/",
    )
    assert feed.kind == "comments"
    assert feed.entries == ()
    post_id = post_id_for(canonicalize_url("https://boulange.example/2021/03/pain-du-dimanche/"))
    assert {c.post_id for c in feed.comments} == {post_id}
    # Oldest first, the undated one last; ids without the "comment-" prefix.
    assert [c.platform_id for c in feed.comments] == ["40", "42", "41"]
    assert [c.position for c in feed.comments] == [0, 1, 2]
    first, second, third = feed.comments
    assert first.comment_id == comment_id_for(post_id, "40")
    assert first.author_name == "Anonyme"  # placeholder names are kept as shown
    assert first.published_at == datetime(2021, 3, 7, 17, 2, 11, tzinfo=UTC)
    assert first.text == "Superbe mie."
    assert second.author_name == "Hélène"
    assert second.text == "Quelle hydratation ?\nJe suis à 70 %.\nMerci !"
    assert "<br />" in second.html
    # No dc:creator: the "Par : Marc" title names the author.
    assert third.author_name == "Marc"
    assert third.published_at is None
    assert third.text == "Et la cuisson ?"
    assert all(
        c.source == "feed" and c.kind == "comment" and c.title is None for c in feed.comments
    )
    assert all(c.parent_id is None and c.depth == 0 for c in feed.comments)
    assert any("unreadable date" in p for p in feed.problems)


# --- Blogger comment feed with a reply -------------------------------------------------------


def test_blogger_comment_feed_threads_replies() -> None:
    url = "https://carnets.example/feeds/222/comments/default"
    feed = parse_feed(fixture("blogger_comments.atom"), url)
    assert feed.kind == "comments"
    assert feed.total_results == 3
    assert feed.next_url is None
    post_id = post_id_for(canonicalize_url("https://carnets.example/2015/05/col-du-lautaret.html"))
    by_id = {c.platform_id: c for c in feed.comments}
    assert list(by_id) == ["901", "902", "903"]
    root, anonymous, reply = by_id["901"], by_id["902"], by_id["903"]
    assert root.post_id == post_id
    assert root.comment_id == comment_id_for(post_id, "901")
    assert root.author_url == "https://paul.example/"
    assert reply.parent_id == root.comment_id
    assert reply.depth == 1
    assert anonymous.author_name == "Anonyme"
    # Blogger escapes the HTML twice: the text is unescaped, the HTML keeps its markup.
    assert anonymous.text == "C'est beau !\nLe glacier est impressionnant."
    assert anonymous.html == "C&#39;est beau !<br />Le glacier est impressionnant."
    assert reply.published_at == datetime(2015, 5, 30, 21, 5, tzinfo=timezone(timedelta(hours=2)))


def test_empty_blogger_comment_feed_is_still_a_comment_feed() -> None:
    data = (
        b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        b"<id>tag:blogger.com,1999:blog-1.comments</id><title>Blog</title></feed>"
    )
    feed = parse_feed(data, "https://b.example/feeds/9/comments/default")
    assert feed.kind == "comments"
    assert feed.comments == ()
    assert feed.problems == ()


# --- Posts feeds ------------------------------------------------------------------------------


def test_wordpress_posts_feed_entries() -> None:
    feed = parse_feed(fixture("wordpress_posts.rss"), "https://atelier.example/feed/")
    assert feed.kind == "posts"
    assert feed.title == "Notes d’atelier"
    stool, chisel = feed.entries
    assert stool.url == "https://atelier.example/2020/11/tabouret-frene/"
    assert stool.comment_count == 4
    assert stool.comment_feed_url == "https://atelier.example/2020/11/tabouret-frene/feed/"
    assert stool.categories == ("Meubles", "frêne")
    assert stool.author == "Yves"
    assert stool.published_at == datetime(2020, 11, 14, 16, 20, tzinfo=UTC)
    # A relative link resolves against the feed URL; RSS author "mail (Name)" gives the name.
    assert chisel.url == "https://atelier.example/2020/10/affuter/"
    assert chisel.author == "Yves"
    assert chisel.comment_count == 0
    assert chisel.published_at is not None
    assert chisel.published_at.utcoffset() == timedelta(hours=2)


def test_rss1_feed() -> None:
    feed = parse_feed(fixture("rss1.rdf"), "https://vieux.example/index.rdf")
    assert feed.kind == "posts"
    assert feed.title == "Un vieux carnet"
    (entry,) = feed.entries
    assert entry.url == "https://vieux.example/archives/2004/05/000123.html"
    assert entry.author == "Odile"
    assert entry.categories == ("Divers",)
    assert entry.published_at == datetime(2004, 5, 2, 20, 10, tzinfo=UTC)


def test_atom_feed_with_next_link_and_reply_count() -> None:
    feed = parse_feed(fixture("atom_paged.atom"), "https://garden.example/feed.atom")
    assert feed.kind == "posts"
    assert feed.title == "Garden notes"
    assert feed.next_url == "https://garden.example/feed.atom?page=2"
    (entry,) = feed.entries
    assert entry.url == "https://garden.example/2022/04/tomatoes-week-3"
    assert entry.comment_count == 2
    assert entry.comment_feed_url == "https://garden.example/2022/04/tomatoes-week-3/comments.atom"
    assert entry.categories == ("vegetables",)
    assert entry.author == "Sam"
    assert entry.updated_at == datetime(2022, 4, 2, 10, 0, tzinfo=UTC)


def test_blogger_paging_stays_on_the_fetched_host() -> None:
    data = (
        b"<feed xmlns='http://www.w3.org/2005/Atom' "
        b"xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'>"
        b"<link rel='next' href='https://www.blogger.com/feeds/1/posts/default?start-index=11'/>"
        b"<openSearch:totalResults>30</openSearch:totalResults>"
        b"<openSearch:startIndex>1</openSearch:startIndex>"
        b"<openSearch:itemsPerPage>10</openSearch:itemsPerPage></feed>"
    )
    feed = parse_feed(data, "https://b.example/feeds/posts/default")
    assert feed.total_results == 30
    assert feed.next_url == "https://b.example/feeds/posts/default?start-index=11&max-results=10"
    last = data.replace(b"<openSearch:startIndex>1<", b"<openSearch:startIndex>21<").replace(
        b"<link rel='next' href='https://www.blogger.com/feeds/1/posts/default?start-index=11'/>",
        b"",
    )
    assert parse_feed(last, "https://b.example/feeds/posts/default").next_url is None


def test_unbound_prefix_does_not_stop_parsing() -> None:
    data = (
        b'<rss version="2.0"><channel><title>T</title>'
        b'<atom:link rel="next" href="https://x.example/feed/?paged=2"/>'
        b"<item><title>A</title><link>https://x.example/a/</link></item></channel></rss>"
    )
    feed = parse_feed(data, "https://x.example/feed/")
    assert [e.url for e in feed.entries] == ["https://x.example/a/"]
    assert feed.next_url == "https://x.example/feed/?paged=2"
    assert feed.problems  # the namespace error is reported


# --- Detection, paging, helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "text/html", True),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>", None, True),
        (b'<rdf:RDF xmlns:rdf="x"><channel/></rdf:RDF>', "application/xml", True),
        (b"\n\n<?xml version='1.0'?>\n<rss>", "text/xml", True),
        (b"<!DOCTYPE html><html><body>rss feed</body></html>", "text/html", False),
        (b"<html><head><link rel=alternate type=application/rss+xml></head>", None, False),
        (b"<?xml version='1.0'?><x/>", "application/atom+xml", True),
        (b"<!doctype html><p>not found</p>", "application/rss+xml", False),
        (b"", "application/rss+xml", False),
        (b"\x89PNG\r\n", None, False),
    ],
)
def test_looks_like_feed(body: bytes, content_type: str | None, expected: bool) -> None:
    assert looks_like_feed(body, content_type) is expected


def test_feed_page_urls_blogger() -> None:
    assert feed_page_urls("https://b.example/feeds/posts/default", 51, 25) == [
        "https://b.example/feeds/posts/default?start-index=1&max-results=25",
        "https://b.example/feeds/posts/default?start-index=26&max-results=25",
        "https://b.example/feeds/posts/default?start-index=51&max-results=25",
    ]


def test_feed_page_urls_wordpress() -> None:
    assert feed_page_urls("https://w.example/feed/", 25, 10) == [
        "https://w.example/feed/",
        "https://w.example/feed/?paged=2",
        "https://w.example/feed/?paged=3",
    ]
    assert feed_page_urls("https://w.example/?feed=rss2&paged=4", 10, 10) == [
        "https://w.example/?feed=rss2&paged=4"
    ]
    assert feed_page_urls("https://w.example/feed/", None, 10) == ["https://w.example/feed/"]
    assert len(feed_page_urls("https://w.example/feed/", 10**12, 1)) == 10_000
    with pytest.raises(ValueError, match="page_size"):
        feed_page_urls("https://w.example/feed/", 5, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sun, 07 Mar 2021 18:02:11 +0100", datetime(2021, 3, 7, 17, 2, 11, tzinfo=UTC)),
        ("Sun, 07 Mar 2021 18:02:11 GMT", datetime(2021, 3, 7, 18, 2, 11, tzinfo=UTC)),
        ("2013-01-11T19:27:41.478-05:00", datetime(2013, 1, 12, 0, 27, 41, 478000, tzinfo=UTC)),
        ("2022-04-02T10:00:00Z", datetime(2022, 4, 2, 10, tzinfo=UTC)),
        ("2016-11-21", datetime(2016, 11, 21, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: datetime | None) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None


def test_html_to_text_keeps_blocks_apart_and_drops_scripts() -> None:
    html = "<p>One <b>bold</b>\n  word</p><script>alert(1)</script><ul><li>a</li><li>b</li></ul>x"
    assert html_to_text(html) == "One bold word\na\nb\nx"
    assert html_to_text("") == ""
    assert html_to_text("Tom &amp; Jerry") == "Tom & Jerry"


# --- Hostile and broken input -----------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><rss><channel><title>&lol9;</title><item><title>&lol9;</title>"
    b"<link>https://x.example/a</link></item></channel></rss>"
)


def test_billion_laughs_is_not_expanded() -> None:
    started = time.monotonic()
    feed = parse_feed(BILLION_LAUGHS, "https://x.example/feed")
    assert time.monotonic() - started < 2
    assert "lollollol" not in repr(feed)
    assert feed.problems  # libxml2 stops at the amplification limit and says so


def test_internal_entities_stay_unexpanded() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "EXPANDED">]>'
        b"<rss><channel><title>A &e; B</title><item><title>&e;</title>"
        b"<link>https://x.example/a</link></item></channel></rss>"
    )
    feed = parse_feed(data, "https://x.example/feed")
    assert [e.url for e in feed.entries] == ["https://x.example/a"]
    assert "EXPANDED" not in repr(feed)


def test_external_entities_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file://{secret}">]>'
        "<rss><channel><title>&e;</title><item><title>&e;</title>"
        "<link>https://x.example/a</link></item></channel></rss>"
    ).encode()
    feed = parse_feed(data, "https://x.example/feed")
    assert "TOP-SECRET" not in repr(feed)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"\x00\x01\x02garbage",
        b"<html><body>Not found</body></html>",
        b"<rss><channel><item><title>cut off",
        b"<rss/>",
        b"<feed><entry></entry></feed>",
        "<?xml version='1.0' encoding='ISO-8859-1'?><rss><channel><title>Été</title>"
        "</channel></rss>",
    ],
)
def test_broken_input_returns_problems_not_exceptions(body: bytes | str) -> None:
    feed = parse_feed(body, "https://x.example/feed")
    assert isinstance(feed, Feed)
    if isinstance(body, str):
        assert feed.title == "Été"  # decoded text wins over the stale encoding declaration
    else:
        assert feed.problems or not feed.entries


def test_item_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.feeds

    monkeypatch.setattr(parsers.feeds, "MAX_FEED_ITEMS", 3)
    items = b"".join(b"<item><link>https://x.example/%d</link></item>" % i for i in range(10))
    feed = parse_feed(b"<rss><channel>" + items + b"</channel></rss>", "https://x.example/f")
    assert len(feed.entries) == 3
    assert any("only the first 3" in p for p in feed.problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_parse_feed_never_raises(body: bytes) -> None:
    assert isinstance(parse_feed(body, "https://x.example/feed"), Feed)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<rss>",
                "<channel>",
                "<item>",
                "</item>",
                "<link>https://x.example/p#comment-3</link>",
                "<link>",
                "<pubDate>Mon, 99 Foo 2020</pubDate>",
                "<thr:in-reply-to href='https://x.example/p#c9'/>",
                "<feed xmlns='http://www.w3.org/2005/Atom'>",
                "<entry>",
                "<link rel='related' href='https://x.example/comments/default/7'/>",
                "&amp;",
                "<![CDATA[<p>x</p>]]>",
            ]
        ),
        max_size=30,
    )
)
def test_parse_feed_never_raises_on_feedlike_soup(parts: list[str]) -> None:
    assert isinstance(parse_feed("".join(parts), "https://x.example/feed"), Feed)


# --- Real data: a Blogger blog ----------------------------------------------------------------


@pytest.mark.shared
def test_lafuite_blogger_comment_feeds_hold_180_comments() -> None:
    feeds_dir = shared_path("site_lafuite_blogger", "feeds")
    files = sorted(feeds_dir.glob("*/comments/default"))
    assert len(files) == 51
    total = 0
    for path in files:
        blog_post_id = path.parent.parent.name
        feed = parse_feed(
            path.read_bytes(),
            f"http://www.lafuiteautourdumonde.com/feeds/{blog_post_id}/comments/default",
        )
        assert feed.kind == "comments"
        assert feed.problems == ()
        assert feed.total_results == len(feed.comments)
        assert feed.next_url is None
        for comment in feed.comments:
            assert comment.platform_id is not None and comment.platform_id.isdigit()
            assert comment.comment_id == comment_id_for(comment.post_id, comment.platform_id)
            assert comment.parent_id is None and comment.depth == 0
            assert comment.author_name
            assert comment.published_at is not None and comment.published_at.tzinfo is not None
            assert comment.text and "&#39;" not in comment.text
        total += len(feed.comments)
    assert total == 180


@pytest.mark.shared
def test_lafuite_comment_post_ids_match_the_post_pages() -> None:
    path = shared_path(
        "site_lafuite_blogger", "feeds", "1681360183058524952", "comments", "default"
    )
    feed = parse_feed(path.read_bytes(), "http://www.lafuiteautourdumonde.com/feeds/x")
    post_url = "http://www.lafuiteautourdumonde.com/2013/01/2013-et-ce-nest-pas-fini.html"
    assert {c.post_id for c in feed.comments} == {post_id_for(canonicalize_url(post_url))}
    assert len(feed.comments) == 6
    by_id = {c.platform_id: c for c in feed.comments}
    assert by_id["5806776155399715456"].author_name == "Marie-Claude"
    assert by_id["5806776155399715456"].text.startswith(
        "Merci Josette et Clément! Quel bonheur d'avoir pleins"
    )


@pytest.mark.shared
def test_lafuite_posts_feed_atom_and_rss_agree() -> None:
    posts_dir = shared_path("site_lafuite_blogger", "feeds", "posts")
    atom = parse_feed(
        (posts_dir / "default").read_bytes(),
        "http://www.lafuiteautourdumonde.com/feeds/posts/default",
    )
    assert atom.kind == "posts"
    assert atom.total_results == 51
    assert len(atom.entries) == 25
    assert atom.next_url == (
        "http://www.lafuiteautourdumonde.com/feeds/posts/default?start-index=26&max-results=25"
    )
    assert all(
        e.comment_feed_url and e.comment_feed_url.endswith("/comments/default")
        for e in atom.entries
    )
    assert all(e.comment_count is not None for e in atom.entries)
    assert atom.entries[0].categories == ("André", "Annonces", "Bangkok", "Thailande")
    # The mirror saved the RSS variant under a name with U+F03F standing for "?".
    (rss_path,) = [p for p in posts_dir.iterdir() if p.name != "default"]
    rss = parse_feed(
        rss_path.read_bytes(), "http://www.lafuiteautourdumonde.com/feeds/posts/default?alt=rss"
    )
    assert [e.url for e in rss.entries] == [e.url for e in atom.entries]
    # RSS dates drop Atom's milliseconds; the instants agree to the second.
    assert [e.published_at for e in rss.entries] == [
        e.published_at.replace(microsecond=0) if e.published_at else None for e in atom.entries
    ]
    assert rss.total_results == 51


# --- Real data: a WordPress blog --------------------------------------------------------------


@pytest.mark.shared
def test_danvk_wordpress_comment_feeds_hold_298_comments() -> None:
    wp = shared_path("site_danvk_wordpress", "wp")
    files = sorted(wp.glob("20*/*/feed/index.html"))
    total = 0
    posts_with_comments = set()
    for path in files:
        relative = path.parent.relative_to(wp).as_posix()
        feed = parse_feed(path.read_bytes(), f"http://www.danvk.org/wp/{relative}/")
        assert feed.kind == "comments"
        assert feed.problems == ()
        post_url = f"http://www.danvk.org/wp/{path.parent.parent.relative_to(wp).as_posix()}/"
        expected_post = post_id_for(canonicalize_url(post_url))
        for comment in feed.comments:
            assert comment.post_id == expected_post
            assert comment.platform_id is not None and comment.platform_id.isdigit()
            assert comment.author_name
            assert comment.published_at is not None
            assert comment.parent_id is None
        total += len(feed.comments)
        posts_with_comments.update(c.post_id for c in feed.comments)
    assert total == 298
    assert len(posts_with_comments) == 112


@pytest.mark.shared
def test_danvk_site_wide_comment_feed_and_category_feeds() -> None:
    wp = shared_path("site_danvk_wordpress", "wp")
    comments = parse_feed(
        (wp / "comments" / "feed" / "index.html").read_bytes(),
        "http://www.danvk.org/wp/comments/feed/",
    )
    assert comments.kind == "comments"
    assert len(comments.comments) == 10
    # Site-wide feeds name many posts; comment-page-1 copies fold into the post itself.
    about = [c for c in comments.comments if c.platform_id == "182572"]
    assert about[0].post_id == post_id_for("http://www.danvk.org/wp/about/")
    math = parse_feed(
        (wp / "category" / "math" / "feed" / "index.html").read_bytes(),
        "http://www.danvk.org/wp/category/math/feed/",
    )
    assert math.kind == "posts"
    assert len(math.entries) == 10
    first = math.entries[0]
    assert (
        first.url
        == "http://www.danvk.org/wp/2011-12-19/takeaways-stanfords-machine-learning-class/"
    )
    assert first.comment_feed_url == first.url + "feed/"
    assert first.comment_count == 1
    assert first.categories == ("math", "programming")


@pytest.mark.shared
def test_danvk_main_feed_is_an_unrendered_template() -> None:
    # The mirror's /wp/feed/ is a static-site generator's template, not a feed: it must yield
    # nothing, with reasons, rather than one entry with a "{{ post.url }}" link.
    wp = shared_path("site_danvk_wordpress", "wp")
    feed = parse_feed((wp / "feed" / "index.html").read_bytes(), "http://www.danvk.org/wp/feed/")
    assert feed.entries == ()
    assert any("template" in p for p in feed.problems)
    redirect = parse_feed((wp / "feed" / "rss" / "index.html").read_bytes(), "http://x/")
    assert redirect.entries == ()
    assert any("not a feed" in p for p in redirect.problems)
