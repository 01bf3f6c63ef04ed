"""Bylines as real pages print them, reduced to the name they give."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.extract import parse_document
from parsers.metadata import clean_author, extract_metadata
from tests.conftest import shared_path


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("Post author By Helge Fahrnberger", "Helge Fahrnberger"),
        ("Artikel von Alexa von Heyden", "Alexa von Heyden"),
        ("Zum Profil von jesusfreak jesusfreak", "jesusfreak"),
        ("Vom Krimiblogger", "Krimiblogger"),
        ("Tomas Spahn Fr, 18. Oktober 2019", "Tomas Spahn"),
        (
            "David Brand and Ramsey Khalifeh Published Nov 8, 2023",
            "David Brand and Ramsey Khalifeh",
        ),
        ("Alice Wu FOLLOW Updated", "Alice Wu"),
        ("Evan Halper Staff Writer", "Evan Halper"),
        ("Christoph Hein Chefredakteur", "Christoph Hein"),
        ("Sara Zinnecker Stand", "Sara Zinnecker"),
        ("Jane Doe 12.03.2021", "Jane Doe"),
        # Names that only look like the patterns above stay whole.
        ("Theresa May", "Theresa May"),
        ("Anna Mar", "Anna Mar"),
        ("T. V. Raman", "T. V. Raman"),
        ("c1ph4", "c1ph4"),
        ("Alexander von Humboldt", "Alexander von Humboldt"),
    ],
)
def test_bylines_are_cut_to_the_name(byline: str, name: str) -> None:
    assert clean_author(byline) == name


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "null",
        "No Author",
        "@NatGeoUK",
        "https://www.latimes.com/people/evan-halper",
        "Archiv anzeigen →",
        "Last Updated January 7",
        "Hinrich Neumann Schreiben Sie Hinrich Neumann eine Nachricht Ihre E-Mail abschicken",
    ],
)
def test_values_that_name_no_one_are_rejected(value: str | None) -> None:
    assert clean_author(value) is None


def test_a_rejected_byline_falls_through_to_the_next_source() -> None:
    html = (
        '<html><head><meta name="author" content="Rodolfo Costa"></head><body>'
        '<article><header><span class="author">null</span></header>'
        "<p>Texto.</p></article></body></html>"
    )
    tree = LexborHTMLParser(html)
    meta = extract_metadata(tree, tree.css_first("article"))
    assert meta.author_name == "Rodolfo Costa"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Posted in personal at 2:45 pm by danvk", "danvk"),
        ("Posted by Jane Doe on March 3, 2007 | 4 comments", "Jane Doe"),
        ("Publié par André le 3 mars 2012", "André"),
        ("Filed under News, Links by Ana María Pérez", "Ana María Pérez"),
    ],
)
def test_an_author_named_in_a_plain_text_meta_line_is_found(line: str, name: str) -> None:
    assert _author_of_post_with_meta_line(line) == name


@pytest.mark.parametrize(
    "line",
    ["Filed under News | 4 comments", "Posted on March 3, 2007", "Posted by"],
)
def test_a_meta_line_without_a_byline_names_no_author(line: str) -> None:
    assert _author_of_post_with_meta_line(line) is None


def _author_of_post_with_meta_line(line: str) -> str | None:
    html = (
        '<html><body><div class="post"><h2>A post</h2>'
        f'<p class="meta">{line}</p><div class="entry"><p>Text.</p></div></div></body></html>'
    )
    tree = LexborHTMLParser(html)
    return extract_metadata(tree, tree.css_first(".post")).author_name


def _blogger_feed_posts() -> list[tuple[str, str, str, str]]:
    """(link, author, published day, title) of every entry of lafuite's own posts feed."""
    root = shared_path("site_lafuite_blogger")
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = ElementTree.parse(root / "feeds" / "posts" / "default").getroot()
    posts = []
    for entry in entries.findall("a:entry", atom):
        link = next(
            node.get("href")
            for node in entry.findall("a:link", atom)
            if node.get("rel") == "alternate"
        )
        posts.append(
            (
                str(link),
                entry.findtext("a:author/a:name", "", atom),
                entry.findtext("a:published", "", atom)[:10],
                entry.findtext("a:title", "", atom),
            )
        )
    return posts


def test_blogger_posts_match_what_the_blogs_own_feed_says() -> None:
    """lafuite prints the author as ``par <span class="fn">`` in the post header and the day
    in a heading above the post: each of the 25 posts of its feed gets both, and its title."""
    root = shared_path("site_lafuite_blogger")
    posts = _blogger_feed_posts()
    assert len(posts) == 25
    for link, author, day, title in posts:
        path = root / urlsplit(link).path.lstrip("/")
        page = parse_document(path.read_bytes(), link, "text/html")
        assert page.post is not None, link
        assert (page.post.author_name, str(page.post.published_at)[:10], page.post.title) == (
            author,
            day,
            title,
        ), link


def test_an_old_wordpress_theme_names_the_author_only_in_its_meta_line() -> None:
    """danvk's theme writes "Posted in <category> at <time> by danvk", with no author markup."""
    root = shared_path("site_danvk_wordpress", "wp")
    pages = sorted(root.glob("[12][09][0-9][0-9]-[01][0-9]-[0-3][0-9]/*/index.html"))
    assert len(pages) >= 215
    authors = set()
    for path in pages:
        url = "http://www.danvk.org/" + str(path.relative_to(root.parent))
        page = parse_document(path.read_bytes(), url, "text/html")
        assert page.post is not None, url
        authors.add(page.post.author_name)
    assert authors == {"danvk"}


def test_a_drupal_byline_without_a_link_still_gives_the_authors_page() -> None:
    """Drupal 7 names the author in an RDFa span (``about="/users/..."``) and links it only for
    readers allowed to see profiles. robshouse has two accounts with one person's name: the
    page tells them apart."""
    root = shared_path("site_robshouse_drupal", "node")
    urls = {}
    for name in ("292", "106"):
        parsed = parse_document(
            (root / f"{name}.html").read_bytes(), f"http://robshouse.net/node/{name}", None
        )
        assert parsed.post is not None
        urls[name] = (parsed.post.author_name, parsed.post.author_url)
    assert urls == {
        "292": ("Robert Douglass", "http://robshouse.net/users/robert-douglass"),
        "106": ("robertDouglass", "http://robshouse.net/users/robertdouglass"),
    }


def test_an_about_on_something_else_is_no_authors_page() -> None:
    page = (
        "<html><body><article><h1>A post</h1><div class='submitted'><span class='username' "
        "about='/2020/01/a-post/' typeof='sioc:Item'>Ann Lee</span></div>"
        "<div class='entry-content'><p>Text.</p></div></article></body></html>"
    )
    meta = extract_metadata(LexborHTMLParser(page), None, "http://a.example/2020/01/a-post/")
    assert meta.author_name == "Ann Lee"
    assert meta.author_url is None
