"""Document titles with the site's name cut off, and only the site's name."""

from __future__ import annotations

from parsers.metadata import clean_title


def test_a_title_that_mentions_the_site_is_not_cut_there() -> None:
    names = {"dropbox", "dropbox.tech"}
    assert clean_title("How we designed Dropbox’s ATF - an async task framework", names) == (
        "How we designed Dropbox’s ATF - an async task framework"
    )
    assert clean_title("Notes on caching | Dropbox Tech Blog", names) == "Notes on caching"
