"""Document titles with the site's name cut off, and only the site's name."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from parsers.metadata import clean_title, extract_metadata


def test_a_title_that_mentions_the_site_is_not_cut_there() -> None:
    names = {"dropbox", "dropbox.tech"}
    assert clean_title("How we designed Dropbox’s ATF - an async task framework", names) == (
        "How we designed Dropbox’s ATF - an async task framework"
    )
    assert clean_title("Notes on caching | Dropbox Tech Blog", names) == "Notes on caching"


def _title(html: str, url: str | None = None) -> str | None:
    return extract_metadata(LexborHTMLParser(html), None, url).title


def test_the_site_is_named_after_any_label_of_its_host() -> None:
    html = "<html><head><title>New Zealand - Wikipedia</title></head><body><p>x</p></body></html>"
    assert _title(html, "https://en.wikipedia.org/wiki/New_Zealand") == "New Zealand"


def test_the_fetch_address_names_the_site_when_the_page_has_no_canonical_link() -> None:
    html = "<html><head><title>CDPATH replacements - anarc</title></head><body></body></html>"
    assert _title(html, "https://anarc.at/blog/cdpath/") == "CDPATH replacements"


def test_a_heading_that_opens_the_document_title_is_the_title() -> None:
    # The site's name (here an unknown abbreviation) follows the page's own heading.
    html = (
        "<html><head><title>HISTALP Österreich Jahresbericht 2021 — ZAMG Klima</title></head>"
        "<body><h1>HISTALP Österreich Jahresbericht 2021</h1><p>Text</p></body></html>"
    )
    assert _title(html) == "HISTALP Österreich Jahresbericht 2021"


def test_a_site_heading_closing_the_document_title_is_not_the_title() -> None:
    # Themes print the site's name as the first heading; it is the title's closing part.
    html = (
        "<html><head><title>Evolve: Shared Mutable History — evolve extension for Mercurial"
        "</title></head><body><h1>evolve extension for Mercurial</h1><p>x</p></body></html>"
    )
    assert _title(html) == "Evolve: Shared Mutable History — evolve extension for Mercurial"


def test_json_ld_name_wins_over_a_headline_the_document_title_does_not_show() -> None:
    ld = (
        '{"@context": "https://schema.org", "@type": "Article", '
        '"name": "List of films featuring time loops", "headline": "Wikimedia list article"}'
    )
    html = (
        "<html><head><title>List of films featuring time loops - Wikipedia</title>"
        f'<script type="application/ld+json">{ld}</script></head><body></body></html>'
    )
    assert _title(html) == "List of films featuring time loops"


def test_a_caption_in_a_heading_is_no_title() -> None:
    caption = "In this photo dated Tuesday the rocket booster with the cargo ship is installed " * 3
    html = (
        "<html><head><title>Russia: Space ship breaks up over Siberia</title></head><body>"
        f"<article><h1>{caption}</h1><p>Text</p></article></body></html>"
    )
    assert _title(html) == "Russia: Space ship breaks up over Siberia"


def test_a_document_title_that_is_the_site_name_is_kept_whole() -> None:
    names = {"yahoo", "yahoo news - latest news & headlines"}
    title = "Yahoo News - Latest News & Headlines"
    assert clean_title(title, names) == title


def test_a_short_name_after_a_long_headline_is_cut_even_when_unknown() -> None:
    assert clean_title("Lorem ipsum dolor sit amet – My website", set()) == (
        "Lorem ipsum dolor sit amet"
    )


def test_a_subtitle_after_a_headline_is_kept() -> None:
    # Lower case or a question: the rest of the headline, not a name.
    for title in (
        "How we designed the task framework - an async task framework",
        "Bericht zur Coronalage vom 22.04.2020 – worauf wartet die Politik?",
    ):
        assert clean_title(title, set()) == title
