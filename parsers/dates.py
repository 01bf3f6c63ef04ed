"""Dates as pages print them, turned into ``datetime`` values.

Machine-readable forms come first (ISO 8601 from ``<time datetime>`` or ``data-*`` attributes,
RFC 822 from feeds, epoch milliseconds) and take no time, and so do all-numeric dates
("08/06/2006 à 11h02"), read in the page language's day/month order. Dates with words in them
("8 juin 2006 à 11:02", "June 08, 2006 at 11:02 AM", "12. Mai 2006 um 14:32") go to
``dateparser``, which knows the month names of some two hundred languages; it costs about a
millisecond a call, which is why everything machine-readable is tried first.

A result is timezone-aware when the text names an offset or zone, naive otherwise: a blog
comment's "11:02" is the blog's wall-clock time, and guessing the zone would invent precision.
Nothing here raises on bad input; unparsable or absurd dates (before 1990, more than a year in
the future) come back as None.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

__all__ = [
    "MAX_DATE_TEXT",
    "MIN_YEAR",
    "date_in_url",
    "from_epoch_ms",
    "on_local_day",
    "parse_datetime",
]

MAX_DATE_TEXT = 200
MIN_YEAR = 1990

# Languages whose pages write the day before the month in numeric dates.
_DAY_FIRST = frozenset(
    ("fr", "de", "es", "it", "pt", "nl", "pl", "ru", "cs", "sk", "da", "sv", "nb", "no", "fi",
     "hu", "ro", "tr", "el", "hr", "sl", "sr", "bg", "uk", "ca", "eu", "gl")
)  # fmt: skip

_TIME = (
    r"(?:\s*(?:,|at|à|a\s+las|um|om|às|alle|o|-|–|\||@)?\s*"
    r"(?P<hh>\d{1,2})\s*(?::|h|\.)\s*(?P<mi>\d{2})(?:\s*(?::|\.)\s*(?P<ss>\d{2}))?"
    r"\s*(?:h|uhr)?\s*(?P<ampm>[ap]\.?\s*m\.?)?)?"
)
# "08/06/2006 à 11h02", "2006/06/08 11:02", "12.05.2006 14:32", and some German themes'
# "17.07, 2011 @ 13:04" (a comma before a four-digit year).
_NUMERIC = re.compile(
    r"(?<!\d)(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})(?:[/.\-]|,\s?(?=\d{4}))(?P<c>\d{2,4})(?!\d)"
    + _TIME,
    re.IGNORECASE,
)
# Month names of the languages most blogs write in, for the common shapes "8 juin 2006",
# "12. Mai 2006", "8 de junio de 2006", "June 08, 2006": read here in microseconds, where
# dateparser takes milliseconds. The names are dateparser's own locale data (with their
# accent-free spellings, "fevrier", "aout"), so the two readers agree on what a month is.
_MONTH_LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def _month_names() -> dict[str, int]:
    """Every name and abbreviation of each month in ``_MONTH_LANGUAGES``, lower-cased."""
    from dateparser.languages import default_loader

    names: dict[str, int] = {}
    for language in _MONTH_LANGUAGES:
        info = default_loader.get_locale(language).info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, ()):
                folded = name.lower().rstrip(".")
                bare = "".join(
                    c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
                )
                for spelling in (folded, bare):
                    # A spelling two languages give to different months decides nothing.
                    if names.get(spelling, number) != number:
                        names[spelling] = 0
                    else:
                        names[spelling] = number
    return {name: number for name, number in names.items() if number and len(name) >= 3}


_MONTH_OF = _month_names()
_MONTH = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_WORD_EDGE_BEFORE = r"(?<![^\W\d_])"
_WORD_EDGE_AFTER = r"\.?(?![^\W\d_])"
_MONTH_DATE = re.compile(
    # Day first: "8 juin 2006", "12. Mai 2006", "8 de junio de 2006", "1er mai 2006".
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?"
    rf"{_WORD_EDGE_BEFORE}(?P<m>{_MONTH}){_WORD_EDGE_AFTER}\s*,?\s*(?:de\s+)?(?P<y>\d{{4}})(?!\d)"
    # Month first: "June 08, 2006", "September 10th, 2012".
    rf"|{_WORD_EDGE_BEFORE}(?P<m2>{_MONTH}){_WORD_EDGE_AFTER}\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\s*,?\s*(?P<y2>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(_TIME, re.IGNORECASE)
# Wikis and some themes put the time first: "17:00, 24 December 2015".
_TIME_BEFORE = re.compile(
    r"(?<!\d)(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?\s*(?P<ampm>[ap]\.?\s*m\.?)?"
    r"\s*[,|@–-]?\s*$",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
# Month names are tried in these languages when a page declares none. dateparser's cost grows
# with the number of languages (all two hundred: 50-100 ms a date; these: 1-5 ms), and guessing
# among all of them finds fewer dates, not more: short texts match some language's words.
_FALLBACK_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "sv", "da", "nb", "fi", "cs", "tr",
)  # fmt: skip
_ZONE_WORDS = re.compile(r"\b(?:UTC|GMT|[ECMP][SD]T|CES?T|[+-]\d{2}:?\d{2})\b")


def parse_datetime(
    text: str | None,
    *,
    languages: Sequence[str] | None = None,
    tz: tzinfo | None = None,
) -> datetime | None:
    """Parse a date as a page shows it; None when it cannot be read or is absurd.

    ``languages`` are ISO 639-1 codes of the page (they decide day-first numeric dates and which
    month names ``dateparser`` tries). ``tz``, when given, is attached to naive results: use it
    only when the site's zone is known.
    """
    try:
        result = _parse(text, languages)
    except Exception:  # a date parser must never bring down a page
        return None
    if result is None:
        return None
    if tz is not None and result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    return result if _plausible(result) else None


def from_epoch_ms(value: str | int | None) -> datetime | None:
    """An aware UTC datetime from epoch milliseconds (Blogger's ``showComment=``), or None."""
    try:
        millis = int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    if millis is None:
        return None
    try:
        result = datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return result if _plausible(result) else None


def _plausible(value: datetime) -> bool:
    if value.year < MIN_YEAR:
        return False
    now = datetime.now(UTC) if value.tzinfo else datetime.now()
    return value <= now + timedelta(days=366)


def _parse(text: str | None, languages: Sequence[str] | None) -> datetime | None:
    if not text:
        return None
    cleaned = " ".join(text[: MAX_DATE_TEXT * 2].split())[:MAX_DATE_TEXT]
    if not cleaned or not any(c.isdigit() for c in cleaned):
        return None
    iso = _ISO.fullmatch(cleaned)
    if iso is not None:
        value = _from_iso(iso.group(0))
        if value is not None:
            return value
    if _RFC822.match(cleaned):
        try:
            return parsedate_to_datetime(cleaned)
        except (TypeError, ValueError, IndexError):
            pass
    day_first = _day_first(languages)
    value = _from_numbers(cleaned, day_first)
    if value is not None:
        return value
    iso = _ISO.search(cleaned)
    if iso is not None:
        value = _from_iso(iso.group(0))
        if value is not None:
            return value
    value = _from_month_name(cleaned)
    if value is not None:
        return value
    return _with_dateparser(cleaned, languages, day_first)


def _from_iso(text: str) -> datetime | None:
    normalized = text.replace(" ", "T", 1) if len(text) > 10 and text[10] == " " else text
    normalized = normalized.replace(" ", "")
    normalized = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", normalized)
    if re.search(r"[+-]\d{2}$", normalized) and "T" in normalized:
        normalized += ":00"
    # Fractions beyond microseconds are legal ISO but rejected by ``fromisoformat``.
    normalized = re.sub(r"(\.\d{6})\d+", r"\1", normalized)
    try:
        return datetime.fromisoformat(normalized)
    except ValueError:
        return None


def _day_first(languages: Sequence[str] | None) -> bool:
    if not languages:
        return True  # outside the US the day comes first; a US blog writes month names
    primary = languages[0].lower().split("-")[0].split("_")[0]
    return primary in _DAY_FIRST


def _from_numbers(text: str, day_first: bool) -> datetime | None:
    """All-numeric dates ("08/06/2006 à 11h02"), in the page language's day/month order.

    Dates with month names go to ``dateparser``, which knows the languages."""
    match = _NUMERIC.search(text)
    if match is None:
        return None
    a, b, c = match.group("a"), match.group("b"), match.group("c")
    if "," in match.group(0)[: match.start("c") - match.start()] and not len(a) == len(b) == 2:
        return None  # "3.5, 2011" is a version and a year; the comma form is always "17.07, 2011"
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        if len(c) == 2:
            c = "20" + c if int(c) < 70 else "19" + c
        year = int(c)
        day, month = (int(a), int(b)) if day_first else (int(b), int(a))
        if month > 12 and day <= 12:  # the page's order was not the language's
            day, month = month, day
    return _build(year, month, day, match, text)


def _from_month_name(text: str) -> datetime | None:
    """Day, month name and year in the common shapes, with the time that follows them."""
    match = _MONTH_DATE.search(text)
    if match is None:
        return None
    if match.group("m") is not None:
        day, name, year = match.group("d"), match.group("m"), match.group("y")
    else:
        day, name, year = match.group("d2"), match.group("m2"), match.group("y2")
    month = _MONTH_OF.get(name.lower())
    if month is None:
        return None
    clock = _TIME_AFTER.match(text, match.end())
    if clock is None or clock.group("hh") is None:
        clock = _TIME_BEFORE.search(text, 0, match.start()) or clock
    if clock is None:
        return None
    return _build(int(year), month, int(day), clock, text)


def _build(year: int, month: int, day: int, match: re.Match[str], text: str) -> datetime | None:
    hour = minute = second = 0
    if match.group("hh") is not None:
        hour, minute = int(match.group("hh")), int(match.group("mi"))
        second = int(match.group("ss") or 0)
        ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    zone = _zone_after(text[match.end() :])
    return value.replace(tzinfo=zone) if zone is not None else value


_NAMED_ZONES = {
    "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7, "cet": 1, "cest": 2,
}  # fmt: skip


def _zone_after(rest: str) -> tzinfo | None:
    match = re.match(r"\s*(?:\(|\s)*(UTC|GMT|[ECMP][SD]T|CES?T)?\s*([+-])?(\d{1,2})?(?::?(\d{2}))?",
                     rest, re.IGNORECASE)  # fmt: skip
    if match is None or not (match.group(1) or match.group(2)):
        return None
    hours = _NAMED_ZONES.get((match.group(1) or "utc").lower(), 0)
    if match.group(2) and match.group(3):
        sign = 1 if match.group(2) == "+" else -1
        offset = sign * (int(match.group(3)) * 60 + int(match.group(4) or 0))
        return timezone(timedelta(minutes=hours * 60 + offset))
    if match.group(1):
        return timezone(timedelta(hours=hours))
    return None


def _with_dateparser(
    text: str, languages: Sequence[str] | None, day_first: bool
) -> datetime | None:
    import dateparser  # deferred: importing it costs about half a second

    langs = _dateparser_languages(languages)
    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY" if day_first else "MDY",
        "STRICT_PARSING": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
        # "3 days ago" on an archived page is relative to a crawl date nobody knows.
        "PARSERS": ["timestamp", "absolute-time"],
    }
    # "13 h 15" is how French Blogger prints times; dateparser reads only "13:15".
    candidate = re.sub(r"(\d{1,2})\s*h\s*(\d{2})", r"\1:\2", text)
    for piece in _pieces(candidate):
        with warnings.catch_warnings():
            # dateparser and its dependencies warn about deprecated APIs; a page is no place
            # to surface that.
            warnings.simplefilter("ignore")
            try:
                value = dateparser.parse(piece, languages=langs, settings=settings)
            except Exception:
                value = None
        if value is not None:
            return _zone_as_written(value, piece)
    # Words around the date ("Le lundi 8 juin 2006, 11:02 par", "Tracked on June 10, 2006"):
    # let dateparser find it in the text. Slower (a few ms), so it comes last.
    from dateparser.search import search_dates

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = search_dates(candidate, languages=langs, settings=settings)
        except Exception:
            found = None
    for piece, value in found or []:
        return _zone_as_written(value, piece)
    return None


def _dateparser_languages(languages: Sequence[str] | None) -> list[str]:
    """The page's languages as dateparser knows them, then English; a fixed list without any.

    English comes second because many themes print English dates whatever the page's language;
    a code dateparser does not know is dropped (it would refuse the whole call).
    """
    from dateparser.data.languages_info import language_order

    known = set(language_order)
    codes = [code.lower().split("-")[0].split("_")[0] for code in languages or ()]
    langs = list(dict.fromkeys(code for code in codes if code in known))
    if not langs:
        return list(_FALLBACK_LANGUAGES)
    if "en" not in langs:
        langs.append("en")
    return langs


def _zone_as_written(value: datetime, text: str) -> datetime:
    """Keep a zone only when the text names one (dateparser may invent the local zone)."""
    if value.tzinfo is None or _ZONE_WORDS.search(text):
        return value
    return value.replace(tzinfo=None)


def _pieces(text: str) -> list[str]:
    """The whole text, then the parts a byline may surround a date with."""
    pieces = [text]
    for separator in ("|", " said", " wrote", " a dit", " schrieb", " meint", " sagt"):
        if separator in text:
            pieces.extend(part.strip() for part in text.split(separator) if part.strip())
    return pieces[:6]


# The day in a post's address: "/2021/03/05/slug" (WordPress-style permalinks, news sites),
# or "/2006-10-03/slug" as some permalink settings write it.
_URL_DAY = re.compile(r"/((?:19|20)\d{2})([/-])(\d{1,2})\2(\d{1,2})(?=/|$|[-_.])")
# UTC offsets in use somewhere, in whole hours (Kiribati is fourteen hours ahead).
_OFFSETS = range(-12, 15)


def date_in_url(url: str | None) -> date | None:
    """The calendar day a post's address names ("/2021/03/05/slug"), or None."""
    if not url:
        return None
    match = _URL_DAY.search(urlsplit(url).path)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return None


def on_local_day(value: datetime, day: date) -> datetime:
    """``value`` as seen on the calendar day ``day``, where the two are one day apart only
    because ``value`` is given in UTC (or with no zone) and ``day`` in the publisher's zone.

    A post written at 21:25 in New York is stamped 02:25 the next day in UTC, while its address
    (and its page) show the local day. An aware UTC value is returned as the same instant at
    the smallest whole-hour offset that puts it on ``day``; a naive value, whose zone is not
    known, becomes ``day`` at midnight. Anything else (a value with a non-zero offset, which
    states its own local day; a date-only value; a gap of more than a day) comes back as is.
    """
    if abs((day - value.date()).days) != 1:
        return value
    offset = value.utcoffset()
    if offset is None:
        if value.time() == datetime.min.time():
            return value  # a calendar day already, not a timestamp in some zone
        return datetime(day.year, day.month, day.day)
    if offset != timedelta(0):
        return value
    for hours in sorted(_OFFSETS, key=abs):
        local = value.astimezone(timezone(timedelta(hours=hours)))
        if local.date() == day:
            return local
    return datetime(day.year, day.month, day.day)
