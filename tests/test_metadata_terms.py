"""A post's categories and tags: the theme's term markup first, then the weaker signs."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from parsers.metadata import PostMetadata, extract_metadata


def _meta(head: str, post: str) -> PostMetadata:
    html = f"<html><head>{head}</head><body><article>{post}<p>Text.</p></article></body></html>"
    tree = LexborHTMLParser(html)
    return extract_metadata(tree, tree.css_first("article"))


def test_links_into_archives_among_the_posts_details_are_its_terms() -> None:
    meta = _meta(
        "",
        '<div class="entry-meta">Posted in <a href="/category/news/">News</a>, '
        '<a href="/category/local/">Local</a> | <a href="/tag/floods/">floods</a> | '
        '<a href="/2007/03/">March 2007</a> | <a href="/about/">Jane</a></div>',
    )
    assert meta.categories == ("News", "Local")
    assert meta.tags == ("floods",)


def test_the_themes_own_term_markup_comes_before_archive_links() -> None:
    meta = _meta(
        '<meta property="article:section" content="Politics">',
        '<span class="cat-links"><a href="/topics/x/">Elections</a></span>'
        '<div class="post-meta"><a href="/category/other/">Other</a></div>',
    )
    assert meta.categories == ("Elections",)


def test_declared_sections_and_tags_stand_in_when_the_page_shows_none() -> None:
    meta = _meta(
        '<meta property="article:section" content="Wissenschaft">'
        '<meta property="article:tag" content="Klima"><meta property="article:tag" content="Meer">'
        '<meta name="keywords" content="ignored, because article:tag said it">',
        "",
    )
    assert meta.categories == ("Wissenschaft",)
    assert meta.tags == ("Klima", "Meer")


def test_json_ld_article_section_names_the_category() -> None:
    meta = _meta(
        '<script type="application/ld+json">'
        '{"@type": "BlogPosting", "articleSection": ["Recipes", "Baking"]}</script>'
        '<meta property="article:section" content="Food">',
        "",
    )
    assert meta.categories == ("Recipes", "Baking")


def test_keywords_are_the_last_resort_for_tags() -> None:
    meta = _meta('<meta name="keywords" content="piano, Bach , , Goldberg">', "")
    assert meta.tags == ("piano", "Bach", "Goldberg")


def test_links_outside_the_posts_details_name_no_terms() -> None:
    meta = _meta("", '<p>See <a href="/category/news/">all the news</a>.</p>')
    assert meta.categories == ()
    assert meta.tags == ()
