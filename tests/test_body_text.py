"""The body's plain text: what a reader sees and searches, derived from trafilatura's tree."""

from __future__ import annotations

from lxml import etree

from parsers.body import _drop_title, _plain_text, extract_body
from parsers.extract import parse_document
from tests.conftest import shared_path


def _tree(xml: str) -> etree._Element:
    return etree.fromstring(f"<body>{xml}</body>")


def test_invisible_characters_are_dropped_and_text_is_composed() -> None:
    # A soft hyphen, a zero-width space and a decomposed "ü" (u + combining diaeresis), as
    # hyphenating themes and some editors write them.
    text = _plain_text(_tree("<p>Mit\u00adtel\u200balter: gepru\u0308ft</p>"))
    assert text == "Mittelalter: geprüft"


def test_joiners_stay_because_they_shape_words() -> None:
    assert _plain_text(_tree("<p>\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645</p>")) == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )


def test_bare_links_opening_or_closing_the_body_are_navigation() -> None:
    tree = _tree(
        '<p><ref target="/presse">Zurück zum Newsroom</ref></p>'
        "<p>Die EnBW hat im Windpark eine Bürgerbeteiligung gestartet.</p>"
        '<p><ref target="/a">A linked paragraph in the middle</ref></p>'
        '<p>Read the <ref target="/r">full report</ref>.</p>'
        '<p><ref target="/presse">zurück zur Listenansicht</ref></p>'
        '<p><ref target="#top">Zurück nach oben</ref></p>'
    )
    assert _plain_text(tree).split("\n\n") == [
        "Die EnBW hat im Windpark eine Bürgerbeteiligung gestartet.",
        "A linked paragraph in the middle",
        "Read the full report.",
    ]


def test_a_body_of_links_only_is_kept_whole() -> None:
    # A link post: nothing to set the navigation apart from, so the rule drops nothing.
    tree = _tree('<p><ref target="/a">One</ref></p><p><ref target="/b">Two</ref></p>')
    assert _plain_text(tree) == "One\n\nTwo"


def test_extract_body_keeps_the_links_in_html_and_composes_text() -> None:
    paragraph = (
        "<p>Schon im Mit\u00adtel\u00adal\u00adter war der Wein das Aushängeschild der "
        "Region, und die Winzer schlossen sich zu einer Schutzgemeinschaft zusammen, die "
        "das Kerngebiet genau definierte und seither streng überwacht.</p>"
    )
    html = (
        "<html><body><article><h1>Weine</h1>"
        + paragraph * 3
        + '<a href="https://example.org/liste">zurück zur Listenansicht</a>'
        "</article></body></html>"
    )
    body = extract_body(html, "https://example.org/wein", None, need_metadata=True, need_date=True)
    assert "Mittelalter war der Wein" in body.text
    assert "\u00ad" not in body.text
    assert "zurück zur Listenansicht" not in body.text
    assert 'href="https://example.org/liste"' in body.html


def test_table_cells_stay_separate_words() -> None:
    # trafilatura trims each cell, so a standings table would read "1Kyle Busch5040".
    tree = _tree(
        "<table><row><cell>1</cell><cell>Kyle Busch</cell><cell>5040</cell></row>"
        "<row><cell>2</cell><cell>Martin Truex Jr.</cell><cell>5035</cell></row></table>"
    )
    assert _plain_text(tree).split("\n\n") == ["1 Kyle Busch 5040", "2 Martin Truex Jr. 5035"]


def test_empty_paragraphs_after_a_linked_body_do_not_replace_it() -> None:
    # A body that is one linked paragraph (the text wraps a link to its picture) followed by
    # empty paragraphs: nothing else carries text, so the linked paragraph is the text.
    tree = _tree(
        '<p><ref target="/bild.jpg">Konflikte mag keiner. Und trotzdem begegnen wir ihnen '
        "ständig.</ref></p><p> <lb/></p><p/><p> <lb/></p><p/>"
    )
    assert _plain_text(tree) == "Konflikte mag keiner. Und trotzdem begegnen wir ihnen ständig."


def test_empty_paragraphs_do_not_shield_an_edge_navigation_link() -> None:
    tree = _tree(
        "<p>Die EnBW hat im Windpark eine Bürgerbeteiligung gestartet.</p>"
        '<p><ref target="/presse">zurück zur Listenansicht</ref></p><p> <lb/></p>'
    )
    assert _plain_text(tree) == "Die EnBW hat im Windpark eine Bürgerbeteiligung gestartet."


def _post(body: str) -> bytes:
    # The post's box holds what the theme prints above the text; no element marks the body,
    # so the whole page is read.
    return (
        "<html><head><title>Winter at the lake</title>"
        '<meta property="article:published_time" content="2009-01-10T10:00:00Z">'
        '<meta name="author" content="Ann"></head><body><div id="nav"><a href="/">Home</a>'
        f"</div><div class='post'>{body}</div></body></html>"
    ).encode()


_TEXT = "<p>" + "The ice on the lake was thick enough to walk on this week. " * 4 + "</p>"


def test_a_body_read_from_the_whole_page_leaves_out_the_title_and_the_stamp_above_it() -> None:
    # danvk's theme prints a date stamp, then the title, then the text, all in one box.
    page = parse_document(
        _post(f"<h1 class='storydate'>01.10.09</h1><h2>Winter at the lake</h2>{_TEXT * 2}"),
        "https://blog.example/2009/01/winter/",
        "text/html",
    )
    assert page.post is not None
    assert page.post.title == "Winter at the lake"
    assert page.post.text.startswith("The ice on the lake")
    assert "01.10.09" not in page.post.text
    assert "Winter at the lake" not in page.post.html


def test_the_title_stays_where_it_is_not_the_bodys_opening() -> None:
    # Below a paragraph of text, a line equal to the title is the author's, and a body that is
    # nothing but the title keeps it.
    long_opening = "<p>" + "Before anything else, a word on the weather this winter. " * 2 + "</p>"
    for body in (f"{long_opening}<h2>Winter at the lake</h2>{_TEXT * 2}", _TEXT * 2):
        page = parse_document(_post(body), "https://blog.example/2009/01/winter/", "text/html")
        assert page.post is not None
        assert page.post.text.startswith(("Before anything else", "The ice on the lake"))
    alone = _tree("<p>01.10.09</p><head>Winter at the lake</head>")
    _drop_title(alone, "Winter at the lake")
    assert _plain_text(alone) == "01.10.09\n\nWinter at the lake"


def test_real_posts_read_from_the_whole_page_start_with_their_text() -> None:
    danvk = shared_path(
        "site_danvk_wordpress", "wp", "2013-02-22", "insights-from-a-world-population-density-map"
    )
    robshouse = shared_path("site_robshouse_drupal", "content")
    cases = [
        (
            danvk / "index.html",
            "http://127.0.0.1:8000/wp/2013-02-22/insights-from-a-world-population-density-map/",
            "I recently saw this map",
        ),
        (
            robshouse / "100-goldberg-variations-unboxing.html",
            "http://127.0.0.1:8000/content/100-goldberg-variations-unboxing.html",
            "On a cold winter day in Germany",
        ),
    ]
    for path, url, opening in cases:
        page = parse_document(path.read_bytes(), url, "text/html")
        assert page.post is not None and page.post.title
        assert page.post.text.startswith(opening), page.post.text[:100]
        assert page.post.title not in page.post.text.split("\n\n")[:3]


def test_a_post_that_is_only_a_video_keeps_the_player_and_no_page_text() -> None:
    """Four robshouse posts are an embedded video and at most a line. With (almost) no text in
    the theme's body element, trafilatura read the whole page and returned its menus, sidebar
    and footer ("Skip directly to content LinkedIn Twitter ... Powered by Drupal")."""
    root = shared_path("site_robshouse_drupal", "node")
    for name, text in (
        ("31", ""),
        ("36", ""),
        ("41", ""),
        ("106", "http://www.drupal-dev-days.de/"),
    ):
        url = f"http://robshouse.net/node/{name}"
        parsed = parse_document((root / f"{name}.html").read_bytes(), url, "text/html")
        assert parsed.post is not None, name
        assert parsed.post.text == text, name
        assert "<object" in parsed.post.html or "<iframe" in parsed.post.html, name
        assert parsed.post.title and parsed.post.published_at, name


def test_a_post_drawn_by_a_social_networks_script_keeps_its_line_and_no_page_text() -> None:
    """robshouse node/292 is a Facebook video: a ``div.fb-post`` that Facebook's script fills,
    and the line "Post by Ray Chen." under it. The script is gone before the body is read;
    without the embed's element as the sign of a player, the whole page was the post's text."""
    root = shared_path("site_robshouse_drupal", "node")
    parsed = parse_document((root / "292.html").read_bytes(), "http://robshouse.net/node/292", None)
    assert parsed.post is not None
    assert parsed.post.text == "Post by Ray Chen ."
    assert 'class="fb-post"' in parsed.post.html
    assert "<script" not in parsed.post.html


def test_a_players_body_never_holds_code() -> None:
    # A JSON-LD block is kept in the page for the metadata readers; inside the body element
    # of a player post it must not become the post's text or HTML.
    page = (
        "<html><head><title>Clip</title>"
        '<meta property="article:published_time" content="2014-06-22T19:00:00Z">'
        '<meta name="author" content="Ann"></head><body><h1>Clip</h1>'
        "<div class='entry-content'><iframe src='https://player.example/v/1'></iframe>"
        '<script type="application/ld+json">{"@type": "VideoObject", "name": "Clip"}</script>'
        "<style>.x { color: red }</style><p>Filmed at the lake.</p></div></body></html>"
    )
    parsed = parse_document(page.encode(), "http://a.example/2014/06/clip/", None)
    assert parsed.post is not None
    assert parsed.post.text == "Filmed at the lake."
    assert "VideoObject" not in parsed.post.html and "color: red" not in parsed.post.html
    assert "<iframe" in parsed.post.html


def test_drupal_media_tokens_are_not_text() -> None:
    """Drupal's Media module stores images as '[[{"type":"media",...}]]' tokens; where its
    filter was off the page shows them raw. They are no words of the post."""
    root = shared_path("site_robshouse_drupal", "node")
    for name in ("121", "126", "141"):
        url = f"http://robshouse.net/node/{name}"
        parsed = parse_document((root / f"{name}.html").read_bytes(), url, "text/html")
        assert parsed.post is not None and parsed.post.text, name
        assert '"type":"media"' not in parsed.post.text, name
        assert "type&quot;:&quot;media" not in parsed.post.html, name
        assert '"type":"media"' not in parsed.post.html, name
        assert "<p></p>" not in parsed.post.html, name


def test_words_after_a_picture_link_or_an_opening_link_stay_apart() -> None:
    """Blogger posts put a photo link before the text and links at the start of lines. The
    sentence after the photo stays the post's (it became the photo link's anchor), and the
    word after a link or an italic keeps its space ("Bangkokavec", "horairea été")."""
    root = shared_path("site_lafuite_blogger")
    cases = {
        "2011/09/le-temps.html": (
            "Nous sommes vraiment réglés par le temps... Le décalage horaire a été plus",
            "Le rythme de vie aussi",
        ),
        "2012/07/pis-le-laos-lui.html": ("Bali, Singapour et Bangkok avec eux!",),
    }
    for path, expected in cases.items():
        page = root / path
        url = "http://lafuite.blogspot.com/" + path
        parsed = parse_document(page.read_bytes(), url, "text/html")
        assert parsed.post is not None, path
        text = " ".join(parsed.post.text.split())
        for words in expected:
            assert words in text, (path, words)
