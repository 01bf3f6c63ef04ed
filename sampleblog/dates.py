"""Dates for the sample blog: the blog's time zone and the ways WordPress prints a date.

The offset rule is written out (European summer time) instead of asking ``zoneinfo``, so the
generated files do not depend on the tz database installed on the machine that builds them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

from sampleblog.model import Language

_MONTHS = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def _last_sunday(year: int, month: int) -> datetime:
    """The last Sunday of a month (March or October: both have 31 days)."""
    day = datetime(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def paris_offset(local: datetime) -> timedelta:
    """UTC offset of a naive Europe/Paris wall-clock time (2006 onwards)."""
    summer_starts = _last_sunday(local.year, 3).replace(hour=2)
    summer_ends = _last_sunday(local.year, 10).replace(hour=3)
    return timedelta(hours=2) if summer_starts <= local < summer_ends else timedelta(hours=1)


def parse_local(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` wall-clock time in Paris, as an aware datetime."""
    naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    return naive.replace(tzinfo=timezone(paris_offset(naive)))


def iso(when: datetime) -> str:
    """ISO 8601 with the offset, as WordPress prints ``get_the_date('c')``."""
    return when.isoformat()


def iso_utc(when: datetime) -> str:
    """ISO 8601 in UTC, for sitemaps."""
    return when.astimezone(UTC).isoformat()


def rfc822(when: datetime) -> str:
    """RSS ``pubDate``: WordPress writes it in GMT with a ``+0000`` offset."""
    return format_datetime(when.astimezone(UTC))


def long_date(when: datetime, language: Language) -> str:
    """The date as a post shows it: ``8 juin 2006`` or ``June 8, 2006``."""
    month = _MONTHS[language][when.month - 1]
    if language == "fr":
        return f"{when.day} {month} {when.year}"
    return f"{month} {when.day}, {when.year}"


def comment_date(when: datetime, language: Language) -> str:
    """The date and time under a comment, localized the way WordPress translations print it."""
    if language == "fr":
        return f"{long_date(when, 'fr')} à {when.hour} h {when.minute:02d} min"
    hour = when.hour % 12 or 12
    meridiem = "am" if when.hour < 12 else "pm"
    return f"{long_date(when, 'en')} at {hour}:{when.minute:02d} {meridiem}"


def month_label(year: int, month: int, language: Language) -> str:
    """``juin 2006`` or ``June 2006``, for monthly archives."""
    return f"{_MONTHS[language][month - 1]} {year}"
