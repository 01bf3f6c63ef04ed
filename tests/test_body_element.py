"""trafilatura reads the theme's body element alone when it holds a post's worth of text.

Where the page's markup already gave the title, author and date, only the body is wanted of
trafilatura, and reading the element instead of the whole page takes a quarter to a third off
a post. These tests pin down when the element is trusted alone and when the whole page is read.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from parsers.body import extract_body, find_body_node
from tests.conftest import shared_path

ONLY_THE_BODY = {"need_metadata": False, "need_date": False}


def _paragraphs(words: str, count: int) -> str:
    sentence = f"{words} is what this paragraph of the post is about, told at some length. "
    return "".join(f"<p>{sentence * 4}</p>" for _ in range(count))


def test_a_long_body_element_is_read_alone_and_keeps_its_subheadings() -> None:
    # A real post (trafilatura_eval): the theme's body element holds the whole article, with
    # h2 subheadings; the page's h1 title stands outside it.
    path = shared_path("trafilatura_eval", "tests", "eval", "0a4a8ab61c054192b1ec70cc3570cf45.html")
    url = "https://www.zugreiseblog.de/db-lounge-zutritt-sparpreis/"
    html = path.read_bytes().decode("utf-8")
    tree = LexborHTMLParser(html)
    element = find_body_node(tree)
    assert element is not None

    alone = extract_body(tree.html or "", url, element, **ONLY_THE_BODY)
    whole = extract_body(tree.html or "", url, element, need_metadata=True, need_date=False)

    # The whole page's reading also brings trafilatura's metadata; the element alone has none.
    assert whole.title == "DB Lounge: Kein Zugang mehr mit Sparpreis-Ticket"
    assert alone.title is None
    assert alone.text == whole.text
    for subheading in (
        "Deutsche Bahn: Lounge-Zutritt nur noch mit Flexpreis oder BahnComfort-Status",
        "Neues gastronomisches Konzept: Premium-Bereich wird umgestaltet",
    ):
        assert subheading in alone.text
    assert "Die neuen Zutrittsbestimmungen gelten auch für den Premium-Bereich" in alone.text


def test_a_short_body_element_is_not_trusted_alone() -> None:
    # The theme marks only a lead as the entry's content; the article goes on around it.
    html = (
        "<html><body><main><article><h1>A post</h1>"
        + _paragraphs("The opening", 2)
        + '<div class="entry-content"><p>A lead of a few words only.</p></div>'
        + _paragraphs("The rest of the story", 4)
        + "</article></main></body></html>"
    )
    tree = LexborHTMLParser(html)
    element = find_body_node(tree)
    assert element is not None and element.text(strip=True) == "A lead of a few words only."

    body = extract_body(html, "https://blog.example/a-post", element, **ONLY_THE_BODY)

    assert "The rest of the story is what this paragraph" in body.text
    assert "The opening is what this paragraph" in body.text


def test_an_element_trafilatura_keeps_little_of_sends_it_to_the_whole_page() -> None:
    # A real page (trafilatura_eval, popsugar's AMP gallery): the theme's body element holds
    # 36,000 characters, but read alone trafilatura keeps only the 500-character intro of
    # it; the whole page's reading has the gallery's text, which the gold expects.
    path = shared_path("trafilatura_eval", "tests", "eval", "popsugar.co.uk.halloween.html")
    url = "https://www.popsugar.co.uk/smart-living/Cheap-Homemade-Halloween-Costumes-42432483/amp"
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8"))
    element = find_body_node(tree)
    assert element is not None

    body = extract_body(tree.html or "", url, element, **ONLY_THE_BODY)

    assert "With a bowler hat, a set of false lashes" in body.text
    assert len(body.text) > 10_000
