"""Dates as blogs print them: machine-readable forms, free text in several languages, junk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.dates import from_epoch_ms, parse_datetime

NAIVE_CASES = [
    ("8 juin 2006 à 11:02", ["fr"], datetime(2006, 6, 8, 11, 2)),
    ("Le 08/06/2006 à 11h02", ["fr"], datetime(2006, 6, 8, 11, 2)),
    ("Posted by: X | June 08, 2006 at 11:02 AM", ["en"], datetime(2006, 6, 8, 11, 2)),
    ("12. Mai 2006 um 14:32", ["de"], datetime(2006, 5, 12, 14, 32)),
    ("X said... September 10, 2012 4:45 AM", ["en"], datetime(2012, 9, 10, 4, 45)),
    ("10 septembre 2012 à 04:45", ["fr"], datetime(2012, 9, 10, 4, 45)),
    ("1 décembre 2011 à 13 h 15", ["fr"], datetime(2011, 12, 1, 13, 15)),
    ("September 25, 2006 at 10:35 pm", None, datetime(2006, 9, 25, 22, 35)),
    ("September 25, 2006 at 12:05 am", None, datetime(2006, 9, 25, 0, 5)),
    ("Le lundi 8 juin 2006, 11:02", ["fr"], datetime(2006, 6, 8, 11, 2)),
    ("8 de junio de 2006 a las 11:02", ["es"], datetime(2006, 6, 8, 11, 2)),
    ("Kommentar von X — 2019-01-01 @ 00:39", ["de"], datetime(2019, 1, 1, 0, 39)),
    ("03/04/2014", ["en-US"], datetime(2014, 3, 4)),
    ("03/04/2014", ["fr"], datetime(2014, 4, 3)),
    ("25/12/2014", ["en-US"], datetime(2014, 12, 25)),
    ("Mittwoch, 5. Juli 2017", ["de"], datetime(2017, 7, 5)),
    # A German theme's numeric date with a comma before the year, on a page with no language.
    ("Comment by Mirko — 17.07, 2011 @ 13:04", None, datetime(2011, 7, 17, 13, 4)),
    # English month names on a page that declares another language.
    ("July 11, 2011 at 12:25 pm", ["de-DE"], datetime(2011, 7, 11, 12, 25)),
    # Without a declared language, the common languages' month names are still read.
    ("8. Dezember 2010 um 10:56", None, datetime(2010, 12, 8, 10, 56)),
    ("12 listopada 2010 o 10:22", None, datetime(2010, 11, 12, 10, 22)),
    # A language code dateparser does not know must not stop English from being tried.
    ("June 08, 2006 at 11:02 AM", ["xx-YY"], datetime(2006, 6, 8, 11, 2)),
    # Month-name shapes read without dateparser, the time before or after the date.
    ("9. Dezember 2013 at 14:57", ["de"], datetime(2013, 12, 9, 14, 57)),
    ("par JPA le 7 mai 2020 - 12:38.", ["en-US"], datetime(2020, 5, 7, 12, 38)),
    ("17:00, 24 December 2015", ["en"], datetime(2015, 12, 24, 17, 0)),
    ("3:15 pm - March 5th, 2012", None, datetime(2012, 3, 5, 15, 15)),
    ("le 1er mai 2006", ["fr"], datetime(2006, 5, 1)),
    ("the 5th of June 2012", ["en"], datetime(2012, 6, 5)),
]


@pytest.mark.parametrize(("text", "languages", "expected"), NAIVE_CASES)
def test_free_text_dates_are_read_as_wall_clock(
    text: str, languages: list[str] | None, expected: datetime
) -> None:
    assert parse_datetime(text, languages=languages) == expected


def test_machine_readable_forms_keep_their_zone() -> None:
    minus5 = timezone(timedelta(hours=-5))
    assert parse_datetime("2012-11-08T18:42:56.515-05:00") == datetime(
        2012, 11, 8, 18, 42, 56, 515000, tzinfo=minus5
    )
    assert parse_datetime("Tue, 26 Sep 2006 06:20:21 +0000") == datetime(
        2006, 9, 26, 6, 20, 21, tzinfo=UTC
    )
    assert parse_datetime("2023-01-25T10:53:25Z") == datetime(2023, 1, 25, 10, 53, 25, tzinfo=UTC)
    assert parse_datetime("2006-06-08") == datetime(2006, 6, 8)
    assert parse_datetime("June 08, 2006 at 11:02 AM EST") == datetime(
        2006, 6, 8, 11, 2, tzinfo=minus5
    )


def test_dateparser_handles_what_the_table_misses() -> None:
    # Polish month name in the genitive after the year: not in the fast table's shapes.
    assert parse_datetime("2019, 5 kwietnia", languages=["pl"]) == datetime(2019, 4, 5)


def test_a_comma_after_a_short_number_is_no_date_form() -> None:
    # "3.5, 2011" is a version and a year, not 3 May; only "dd.mm, yyyy" takes the comma form.
    assert parse_datetime("Release 3.5, 2011", languages=["en"]) != datetime(2011, 5, 3)


def test_month_names_need_whole_words() -> None:
    # "mar" inside "Omar" is no month; nothing else in the text is a date.
    assert parse_datetime("Omar 5 2012", languages=["en"]) is None


def test_an_impossible_day_with_a_month_name_is_none() -> None:
    assert parse_datetime("31 février 2006", languages=["fr"]) is None


def test_a_known_zone_is_attached_to_naive_results_only() -> None:
    plus2 = timezone(timedelta(hours=2))
    assert parse_datetime("12. Mai 2006 um 14:32", tz=plus2) == datetime(
        2006, 5, 12, 14, 32, tzinfo=plus2
    )
    assert parse_datetime("2006-05-12T14:32:00Z", tz=plus2) == datetime(
        2006, 5, 12, 14, 32, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "text",
    [None, "", "junk", "il y a 3 jours", "hier", "1 janvier 1970", "3000-01-01",
     "31/02/2006", "99:99", "\x00\xff" * 50, "9" * 5000],
)  # fmt: skip
def test_unreadable_relative_or_absurd_dates_are_none(text: str | None) -> None:
    assert parse_datetime(text, languages=["fr"]) is None


def test_epoch_milliseconds() -> None:
    assert from_epoch_ms("1322763315444") == datetime(2011, 12, 1, 18, 15, 15, 444000, tzinfo=UTC)
    assert from_epoch_ms("nope") is None
    assert from_epoch_ms(10**20) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    result = parse_datetime(text, languages=["de"])
    assert result is None or 1990 <= result.year <= datetime.now().year + 1
