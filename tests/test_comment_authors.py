"""A commenter's name and address, as themes print them beside the date and the reply link.

On real WordPress themes the element that holds the name often holds the comment's time, its
permalink and a "Reply" link too: the name is the name alone, and neither the permalink nor
the reply link is the commenter's site.
"""

from __future__ import annotations

from eval.extractors import read_page
from parsers.extract import parse_document
from tests.conftest import shared_path


def _comments(name: str, url: str) -> list[tuple[str | None, str | None]]:
    root = shared_path("trafilatura_eval", "tests")
    path = root / "cache" / name
    if not path.exists():
        path = root / "eval" / name
    parsed = parse_document(read_page(str(path)), url, "text/html", assume_post=True)
    return [(c.author_name, c.author_url) for c in parsed.comments]


def test_name_beside_a_timestamp_permalink_and_reply_link() -> None:
    # <header class="comment-author"><span class="comment__author-name">Julia</span>
    # <time><a href=".../#comment-83694">on 11/08/2020 at 9:52</a></time> ... Antworten
    found = _comments(
        "theoriginalcopy.de.baby.html", "https://theoriginalcopy.de/editors-letter-baby/"
    )
    assert found[:2] == [("Julia", None), ("Helen", None)]
    assert all(name and "Antworten" not in name for name, _ in found)


def test_name_in_bold_before_the_date_and_a_replytocom_link() -> None:
    url = "https://moritz-meyer.net/blog/vreni-frost-instagram-abmahnung/"
    found = _comments("moritz-meyer.net.vreni.html", url)
    assert found[:2] == [("Ben", None), ("MoritzMeyer", None)]
    assert not [u for _, u in found if u and "replytocom" in u]


def test_comment_by_name_and_date_in_one_cite() -> None:
    url = (
        "http://www.internet-law.de/2011/07/"
        "verstost-der-ausschluss-von-pseudonymen-bei-google-gegen-deutsches-recht.html"
    )
    found = dict(_comments("internet-law.de.pseudonymen.html", url))
    assert found["Mirko Lange"] == "http://www.mirkolange.de"
    assert "Daniel" in found
    assert not [n for n in found if n and ("Comment by" in n or "2011" in n)]


def test_name_as_the_elements_own_text_before_its_date() -> None:
    found = _comments("golfpost.de-premiere.html", "https://www.golfpost.de/golf-im-tv-777789172/")
    assert found[0][0] == "Rolf Buckpesch"
    assert not [n for n, _ in found if n and "//" in n]
