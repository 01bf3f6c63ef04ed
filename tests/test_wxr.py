"""WordPress exports: posts, pages and threaded comments, on a fixture and on a real export."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.records import comment_id_for, post_id_for
from parsers.wxr import WxrResult, parse_wxr, wpautop
from tests.conftest import shared_path

FIXTURE = Path(__file__).parent / "fixtures" / "feeds" / "wxr_small.xml"


@pytest.fixture(scope="module")
def small() -> WxrResult:
    return parse_wxr(FIXTURE.read_bytes())


def test_site(small: WxrResult) -> None:
    assert small.site.title == "Cahier de bord"
    assert small.site.link == "https://bord.example"
    assert small.site.language == "fr-FR"
    assert small.site.base_site_url == "https://bord.example"


def test_posts_and_pages_come_apart(small: WxrResult) -> None:
    assert [p.title for p in small.posts] == ["Escale à Sein", "Brouillon"]
    assert [p.title for p in small.pages] == ["À propos"]
    assert [p.status for p in small.posts] == ["publish", "draft"]
    # Attachments are internal records, not posts.
    assert all(p.title != "photo.jpg" for p in (*small.posts, *small.pages))


def test_post_fields(small: WxrResult) -> None:
    post = small.posts[0]
    assert post.url == "https://bord.example/2019/07/escale-a-sein/"
    assert post.canonical_url == post.url
    assert post.post_id == post_id_for(post.canonical_url)
    assert post.author_name == "Anne Le Goff"  # the login resolved to the display name
    assert post.published_at == datetime(2019, 7, 12, 12, 0, tzinfo=UTC)
    assert post.updated_at == datetime(2019, 7, 13, 8, 0, tzinfo=UTC)
    assert post.categories == ("Navigation",)
    assert post.tags == ("Bretagne", "Îles")
    assert post.comments_open is True
    assert post.platform == "wordpress"
    assert post.language == "fr-FR"
    assert post.html.startswith("<p>Arrivée au mouillage vers midi.<br />\nVent faible.</p>")
    assert "<pre>\ncap 270\nvitesse 4 nds\n</pre>" in post.html  # no <br> inside <pre>
    assert post.text.splitlines()[-1] == "Le soir, l'île était calme."
    assert post.word_count == len(post.text.split())
    assert small.pages[0].comments_open is False


def test_unpublished_post_without_gmt_date(small: WxrResult) -> None:
    draft = small.posts[1]
    assert draft.url == "https://bord.example/?p=12"
    # GMT was never set: the local time is all there is, so no zone is claimed.
    assert draft.published_at == datetime(2019, 8, 1, 18, 30)
    assert draft.published_at.tzinfo is None
    assert draft.author_name == "inconnu"  # no wp:author block: the login stays
    assert draft.html == "" and draft.text == ""
    assert any("without GMT" in p for p in small.problems)


def test_comments_thread_and_types(small: WxrResult) -> None:
    post_id = small.posts[0].post_id
    by_id = {c.platform_id: c for c in small.comments}
    assert list(by_id) == ["5", "6", "7", "8"]  # reading order: by date
    question, answer, thanks, ping = by_id["5"], by_id["6"], by_id["7"], by_id["8"]
    assert question.comment_id == comment_id_for(post_id, "5")
    assert (question.parent_id, question.depth) == (None, 0)
    assert (answer.parent_id, answer.depth) == (question.comment_id, 1)
    # Listed before its parent in the file: the chain still resolves.
    assert (thanks.parent_id, thanks.depth) == (answer.comment_id, 2)
    assert question.author_url == "https://loic.example/"
    assert question.html == "<p>Le raz était-il praticable ?</p>\n<p>Nous avons dû attendre.</p>"
    assert question.text == "Le raz était-il praticable ?\nNous avons dû attendre."
    assert thanks.kind == "comment"  # comment_type "comment" is an ordinary comment
    assert ping.kind == "pingback" and ping.approved is False
    assert ping.text == "[…] lire aussi l'escale de Cahier de bord […]"
    assert all(c.source == "import" and c.post_id == post_id for c in small.comments)
    assert [c.position for c in small.comments] == [0, 1, 2, 3]


def test_spam_is_dropped_and_counted(small: WxrResult) -> None:
    assert all(c.author_name != "cheap pills" for c in small.comments)
    assert "1 spam comments dropped" in small.problems


def test_unbound_prefix_is_reported_not_fatal(small: WxrResult) -> None:
    assert any("atom" in p for p in small.problems)


@pytest.mark.parametrize(
    ("stored", "html"),
    [
        ("One.\n\nTwo\nlines.", "<p>One.</p>\n<p>Two<br />\nlines.</p>"),
        ("<p>Already</p>\n<p>marked</p>", "<p>Already</p>\n<p>marked</p>"),
        (
            "Intro:\n<ul>\n\t<li>a</li>\n</ul>\nAfter",
            "<p>Intro:</p>\n<ul>\n<li>a</li>\n</ul>\n<p>After</p>",
        ),
        ("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>"),
        ("  \n ", ""),
        ("Windows\r\n\r\nlines", "<p>Windows</p>\n<p>lines</p>"),
    ],
)
def test_wpautop(stored: str, html: str) -> None:
    assert wpautop(stored) == html


def test_reply_cycle_and_orphan_do_not_hang() -> None:
    comments = "".join(
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_parent>{parent}"
        f"</wp:comment_parent><wp:comment_content>c{cid}</wp:comment_content>"
        f"<wp:comment_date_gmt>2020-01-0{cid} 00:00:00</wp:comment_date_gmt></wp:comment>"
        for cid, parent in ((1, 2), (2, 1), (3, 9))
    )
    data = (
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        "</wp:wxr_version><item><link>https://c.example/p/</link>"
        f"<wp:post_type>post</wp:post_type>{comments}</item></channel></rss>"
    ).encode()
    result = parse_wxr(data)
    depths = {c.platform_id: c.depth for c in result.comments}
    assert depths["3"] == 0  # its parent 9 is not in the export
    assert {depths["1"], depths["2"]} <= {0, 1, 2}
    assert any("cycle" in p for p in result.problems)
    assert any("missing from the export" in p for p in result.problems)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>no</body></html>",
        b"<rss><channel><title>plain feed</title><item><link>https://x/</link></item></channel></rss>",
        b"\x00\xff garbage",
        b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_type>post',
    ],
)
def test_broken_exports_return_problems(body: bytes) -> None:
    result = parse_wxr(body)
    assert isinstance(result, WxrResult)
    assert result.problems


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_parse_wxr_never_raises(body: bytes) -> None:
    assert isinstance(parse_wxr(body), WxrResult)


@pytest.mark.shared
def test_timothyfitz_export_gold() -> None:
    result = parse_wxr(shared_path("wxr_timothyfitz", "wordpress.xml").read_bytes())
    assert result.site.title == "Timothy Fitz"
    assert Counter(p.status for p in result.posts) == {"publish": 11, "pending": 1}
    assert len(result.pages) == 1
    published = {p.post_id for p in result.posts if p.status == "publish"}
    on_posts = [c for c in result.comments if c.post_id in published]
    assert len(on_posts) == 379
    assert Counter(c.kind for c in on_posts) == {"comment": 206, "pingback": 172, "trackback": 1}
    assert sum(1 for c in on_posts if c.kind == "pingback" and not c.approved) == 24
    assert all(c.approved for c in on_posts if c.kind != "pingback")
    replies = [c for c in on_posts if c.parent_id is not None]
    assert len(replies) == 4
    ids = {c.comment_id for c in on_posts}
    assert all(r.parent_id in ids and r.depth == 1 for r in replies)
    on_page = [c for c in result.comments if c.post_id == result.pages[0].post_id]
    assert [c.kind for c in on_page] == ["pingback", "pingback"]
    assert len(result.comments) == 381
    # Every post has a timezone-aware date except the pending one, whose GMT date is unset.
    for post in result.posts:
        assert post.published_at is not None
        assert (post.published_at.tzinfo is not None) == (post.status == "publish")
        assert post.author_name == "timothyfitz"
        assert post.categories == ("Uncategorized",)
    first = result.posts[0]
    assert first.title == "Blood Pact Blogging"
    assert first.html.count("<p>") == 7
    assert "<ul>" in first.html and "<p><ul>" not in first.html
    assert any("atom" in p for p in result.problems)


@pytest.mark.shared
def test_timothyfitz_authors_read_as_shown() -> None:
    """A pingback's author is the linking page's title, stored with its entities escaped:
    the record holds the title a reader sees. An address left at "http://" is no address."""
    result = parse_wxr(shared_path("wxr_timothyfitz", "wordpress.xml").read_bytes())
    names = [c.author_name or "" for c in result.comments]
    assert not [n for n in names if re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", n, re.I)]
    assert "Giant Communist Robots » Time Out" in {n.split(" |")[0] for n in names}
    assert sum("»" in n for n in names) == 32
    assert all(c.author_url is None or "://" in c.author_url[:8] for c in result.comments)
    assert "http://" not in {c.author_url for c in result.comments}


def test_entities_and_empty_addresses_in_a_comment_author() -> None:
    item = (
        "<item><link>https://c.example/p/</link><title>P</title><wp:post_id>1</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        "<wp:comment><wp:comment_id>7</wp:comment_id>"
        "<wp:comment_author><![CDATA[Robots &raquo; Time&nbsp;Out &#8217;07]]></wp:comment_author>"
        "<wp:comment_author_url>http://</wp:comment_author_url>"
        "<wp:comment_content>Linked.</wp:comment_content><wp:comment_type>pingback</wp:comment_type>"
        "</wp:comment></item>"
    )
    data = (
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        f"</wp:wxr_version>{item}</channel></rss>"
    ).encode()
    (comment,) = parse_wxr(data).comments
    assert comment.author_name == "Robots » Time Out ’07"
    assert comment.author_url is None
