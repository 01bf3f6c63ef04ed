"""Bodies that came out shorter than trafilatura's own, for reasons of how the page reaches it.

Each case is a pattern seen on real pages of the evaluation sets: a small page built the same
way, and where the shared data is present, the real page too.
"""

from __future__ import annotations

import gzip

from parsers.extract import parse_document
from tests.conftest import shared_path

_PARAGRAPH = (
    "<p>Over the past few years we have seen threats on the web becoming increasingly "
    "sophisticated, and phishing sites rotate their domains very quickly to avoid being "
    "blocked by the lists that browsers share with each other.</p>"
)


def _body(html: str | bytes, url: str = "https://blog.example.org/2020/05/post.html") -> str:
    data = html.encode("utf-8") if isinstance(html, str) else html
    parsed = parse_document(data, url, "text/html", assume_post=True)
    assert parsed.post is not None
    return parsed.post.text


def test_a_post_whose_readable_copy_is_in_noscript_keeps_its_text() -> None:
    # Blogger's dynamic templates: the post as a script template, and a <noscript> copy.
    html = (
        "<html><body><div class='post'><h2>Enhanced protection</h2><div class='post-body'>"
        "<script type='text/template'>" + _PARAGRAPH + "</script>"
        "<noscript>" + _PARAGRAPH * 3 + "</noscript></div></div></body></html>"
    )
    assert "becoming increasingly sophisticated" in _body(html)


def test_an_unclosed_noscript_wrapping_the_page_does_not_empty_the_body() -> None:
    # A theme opens <noscript><div> and closes them in a later <noscript>: the HTML parser
    # puts the whole page inside the first one.
    html = (
        '<html><body><noscript><div id="nojs"></noscript><div id="main">'
        "<h1>Orso marsicano: un anno da record</h1>" + _PARAGRAPH * 4 + "</div>"
        "<noscript></div></noscript></body></html>"
    )
    assert "becoming increasingly sophisticated" in _body(html)


def test_text_after_an_embed_is_kept() -> None:
    # lexbor writes <embed> without a closing slash; trafilatura's parser would then nest the
    # rest of the section inside it and drop it with the embed.
    html = (
        "<html><body><article><h1>Lorem</h1><div>" + _PARAGRAPH * 2 + '<embed src="a.swf"/>'
        "<p>The last paragraph comes after the embedded player and is part of the post.</p>"
        '<video><source src="a.mp4"><track src="a.vtt"></video>'
        "<p>So is this one, after a video with its source and subtitle track.</p>"
        "</div></article></body></html>"
    )
    body = _body(html)
    assert "comes after the embedded player" in body
    assert "after a video with its source" in body


def test_real_blogger_post_in_noscript() -> None:
    page = shared_path(
        "trafilatura_eval", "tests", "eval", "security.googleblog.com.protection.html"
    )
    body = _body(
        page.read_bytes(),
        "https://security.googleblog.com/2020/05/enhanced-safe-browsing-protection-now.html",
    )
    assert "This protocol is designed so that Google cannot" in body
    assert "Give us feedback in our" not in body


def test_real_page_inside_an_unclosed_noscript() -> None:
    page = shared_path("trafilatura_eval", "tests", "eval", "parcoabruzzo.it.58354.html")
    body = _body(page.read_bytes(), "http://www.parcoabruzzo.it/dettaglio.php?id=58354")
    assert "Il risultato è molto positivo" in body


def test_real_table_reads_as_words() -> None:
    name = "11ea381ad92b5448cf66eae62f52ac565361a244c8881615fc6a7bb523cc0c32.html.gz"
    page = shared_path("scrapinghub_aeb", "html", name)
    body = _body(
        gzip.decompress(page.read_bytes()), "http://www.autoracing.com.br/classificacao-nascar/"
    )
    assert "1 Kyle Busch 5040" in " ".join(body.split())
