"""Bylines as real pages print them, reduced to the name they give."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.metadata import clean_author, extract_metadata


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
