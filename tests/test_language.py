"""A post's language when its page declares none: guessed from its words, so that search stems
them in the right language. Checked on real pages: lafuite's Blogger template declares no
language, and trafilatura_eval's cached pages declare theirs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.db import open_corpus
from corpus.search import ensure_index, search
from corpus.store import fill_site_languages, save_post, save_site, site_id_for
from eval.extractors import read_page
from eval.language import declared_and_guessed
from parsers.extract import parse_document
from parsers.language import guess_language
from tests.conftest import shared_path

LAFUITE = "http://lafuite.blogspot.com"


def lafuite_posts() -> list[tuple[str, bytes]]:
    root = shared_path("site_lafuite_blogger")
    pages = sorted(p for p in root.glob("20[0-9][0-9]/[0-9][0-9]/*.html"))
    return [(f"{LAFUITE}/{p.relative_to(root).as_posix()}", p.read_bytes()) for p in pages]


def test_posts_of_a_template_that_declares_no_language_are_read_as_french() -> None:
    posts = lafuite_posts()
    assert len(posts) >= 50
    languages = []
    for url, html in posts:
        assert 'lang="' not in html.decode("utf-8", "replace")[:3000]
        parsed = parse_document(html, url, "text/html")
        if parsed.post is not None:
            languages.append(parsed.post.language)
    # Every guess is French; a post of a few lines may stay without one.
    assert set(languages) <= {"fr", None}
    assert languages.count("fr") >= 0.9 * len(languages)


def test_search_stems_a_guessed_french_post(tmp_path: Path) -> None:
    url = f"{LAFUITE}/2012/12/poisson-tandoori-masala.html"
    html = shared_path("site_lafuite_blogger", "2012", "12", "poisson-tandoori-masala.html")
    post = parse_document(html.read_bytes(), url, "text/html").post
    assert post is not None
    words = set(re.findall(r"\w+", post.text.lower()))
    # The query's word is not in the post: only French stemming finds "préparer" from it.
    assert "préparé" not in words and "préparer" in words
    conn = open_corpus(tmp_path / "c.duckdb")
    try:
        site_id = site_id_for(f"{LAFUITE}/")
        save_site(conn, site_id=site_id, root_url=f"{LAFUITE}/")
        save_post(conn, post, site_id=site_id)
        ensure_index(conn)
        assert [hit.url for hit in search(conn, "préparé")] == [post.url]
    finally:
        conn.close()


def test_a_blog_that_declares_no_language_takes_its_posts_language(tmp_path: Path) -> None:
    conn = open_corpus(tmp_path / "c.duckdb")
    try:
        site_id = site_id_for(f"{LAFUITE}/")
        save_site(conn, site_id=site_id, root_url=f"{LAFUITE}/")
        posts = [parse_document(html, url, "text/html").post for url, html in lafuite_posts()]
        for post in [p for p in posts if p is not None][:8]:
            save_post(conn, post, site_id=site_id)
        declared = site_id_for("http://declared.example/")
        save_site(conn, site_id=declared, root_url="http://declared.example/", language="de")
        fill_site_languages(conn)
        languages = dict(conn.execute("SELECT site_id, language FROM sites").fetchall())
        assert languages == {site_id: "fr", declared: "de"}
        # A language the home page declares later replaces the posts' one.
        save_site(conn, site_id=site_id, root_url=f"{LAFUITE}/", language="fr-CA")
        assert conn.execute(
            "SELECT language FROM sites WHERE site_id = ?", [site_id]
        ).fetchone() == ("fr-CA",)
    finally:
        conn.close()


def test_a_declared_language_is_kept_as_declared() -> None:
    text = "This post is written in English, but the page says it is in German. " * 5
    html = f'<html lang="de"><body><article><h1>Title</h1><p>{text}</p></article></body></html>'
    parsed = parse_document(html.encode(), "https://blog.example/2020/01/post/", "text/html")
    assert parsed.post is not None and parsed.post.language == "de"


@pytest.mark.parametrize("text", ["", "Merci !", "12 34 56 78", "Lorem"])
def test_too_little_text_gets_no_language(text: str) -> None:
    assert guess_language(text) is None


def test_guesses_agree_with_the_declarations_of_real_pages() -> None:
    """trafilatura_eval's cached pages (German, English, French), each guessed as if its page
    declared nothing. A few pages declare the wrong language (German text declared English):
    the guess is allowed to differ there, and only there."""
    cache = shared_path("trafilatura_eval", "tests", "cache")
    agree = differ = unsure = 0
    for path in sorted(cache.iterdir()):
        pair = declared_and_guessed(read_page(str(path)), "https://example.org/x", as_post=True)
        if pair is None:
            continue
        declared, guess = pair
        if guess is None:
            unsure += 1
        elif guess == declared:
            agree += 1
        else:
            differ += 1
            assert {guess, declared} == {"de", "en"}, (path.name, guess, declared)
    assert agree >= 80 and differ <= 4 and unsure <= 4, (agree, differ, unsure)
